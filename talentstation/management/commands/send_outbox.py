from django.core.management.base import BaseCommand, CommandError

from talentstation import tasks
from talentstation.models import OutboxEmail


class Command(BaseCommand):
    help = (
        "Queue the outbox sweep: put the tasks of dead workers back in the queue, then send the "
        "e-mails left pending (whose own task was lost or never queued). Run it from cron every "
        "minute; with --now it runs here instead of in a worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="Send at most this many e-mails (default 500)."
        )
        parser.add_argument(
            "--now", action="store_true", help="Run here and now instead of in a worker."
        )

    def handle(self, *args, limit, now, **options):
        outcome = tasks.run_or_enqueue(tasks.send_outbox, limit, now=now)
        if outcome.error:
            raise CommandError(f"The outbox sweep failed: {outcome.error}")
        if outcome.queued_id:
            self.stdout.write(f"Outbox sweep queued (task {outcome.queued_id}).")
            return
        report = outcome.value
        pending = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count()
        self.stdout.write(
            f"{report['sent']} sent, {report['retrying']} failed (will be retried), "
            f"{report['gave_up']} given up, {report['deferred']} deferred; {pending} pending; "
            f"{report['requeued_tasks']} task(s) of dead workers requeued."
        )
