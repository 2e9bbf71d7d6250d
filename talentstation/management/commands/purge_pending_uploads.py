from django.core.management.base import BaseCommand, CommandError

from talentstation import tasks


class Command(BaseCommand):
    help = (
        "Queue the deletion of kept uploads older than a day: files of forms with errors "
        "(pending/, one folder per client) and import files whose preview was never confirmed "
        "(django-import-export/). Run it daily from cron; with --now it runs here."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="Run here and now instead of in a worker."
        )

    def handle(self, *args, now, **options):
        outcome = tasks.run_or_enqueue(tasks.purge_pending_uploads, now=now)
        if outcome.error:
            raise CommandError(f"The purge failed: {outcome.error}")
        if outcome.queued_id:
            self.stdout.write(f"Purge queued (task {outcome.queued_id}).")
        else:
            self.stdout.write(f"{outcome.value['removed']} pending upload(s) removed.")
