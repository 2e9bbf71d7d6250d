from django.core.management.base import BaseCommand

from talentstation.models import OutboxEmail
from talentstation.notifications import send_pending


class Command(BaseCommand):
    help = (
        "Send the due e-mails of the outbox: new ones a request could not send and failed ones "
        "whose next attempt is due. Run it from cron, e.g. every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help="Send at most this many e-mails (default 500)."
        )

    def handle(self, *args, limit, **options):
        report = send_pending(limit=limit)
        pending = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count()
        self.stdout.write(
            f"{report.sent} sent, {report.retrying} failed (will be retried), "
            f"{report.gave_up} given up, {report.deferred} deferred; {pending} pending."
        )
