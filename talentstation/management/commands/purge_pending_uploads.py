from talentstation import tasks
from talentstation.management.jobs import JobCommand


class Command(JobCommand):
    help = (
        "Queue the deletion of kept uploads older than a day: files of forms with errors "
        "(pending/, one folder per client) and import files whose preview was never confirmed "
        "(django-import-export/). Run it daily from cron; with --now it runs here."
    )

    job = tasks.purge_pending_uploads
    job_name = "Purge"

    def handle(self, *args, now, **options):
        report = self.run_job(now=now)
        if report is not None:
            self.stdout.write(f"{report['removed']} pending upload(s) removed.")
