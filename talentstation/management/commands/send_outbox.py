from talentstation import tasks
from talentstation.management.jobs import JobCommand
from talentstation.models import OutboxEmail


class Command(JobCommand):
    help = (
        "Queue the outbox sweep: put the tasks of dead workers back in the queue, then send the "
        "e-mails left pending (whose own task was lost or never queued). Run it from cron every "
        "minute; with --now it runs here instead of in a worker."
    )

    job = tasks.send_outbox
    job_name = "Outbox sweep"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--limit", type=int, default=500, help="Send at most this many e-mails (default 500)."
        )

    def handle(self, *args, limit, now, **options):
        report = self.run_job(limit, now=now)
        if report is None:
            return
        pending = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count()
        self.stdout.write(
            f"{report['sent']} sent, {report['retrying']} failed (will be retried), "
            f"{report['gave_up']} given up, {report['deferred']} deferred; {pending} pending; "
            f"{report['requeued_tasks']} task(s) of dead workers requeued."
        )
