"""``manage.py flag_overdue_rectifications``: run daily from cron (see README)."""

from django.core.management.base import BaseCommand

from awards.rectification import flag_overdue


class Command(BaseCommand):
    help = (
        "Flag the issued rectification orders past their deadline (Shanghai date) without a "
        "report and tell bureau staff and the unit once. Never revokes: that is a staff "
        "decision. Run it daily from cron."
    )

    def handle(self, *args, **options):
        flagged = flag_overdue()
        self.stdout.write(f"{len(flagged)} rectification order(s) flagged overdue.")
