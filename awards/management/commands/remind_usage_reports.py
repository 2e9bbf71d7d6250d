from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from awards.funds import remind_usage_reports


class Command(BaseCommand):
    help = (
        "Remind the units of their reports on the use of awards that are overdue or due "
        "within 30 days (inbox and e-mail), at most once a day per report. Run it daily "
        "from cron."
    )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            count = remind_usage_reports()
        self.stdout.write(f"{count} report(s) reminded of.")
