import datetime

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import translation

from talentstation import tasks
from talentstation.dates import today
from talentstation.management.jobs import JobCommand
from talentstation.reminders import kind_label, send_reminders


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}.") from None


class Command(JobCommand):
    help = (
        "Queue the reminders of deadlines due on a Shanghai date (today by default), in the "
        "inbox and by e-mail, with the lead times of the policy settings. Each reminder is sent "
        "once: run it daily from cron; a run that was missed is caught up by the next one. "
        "With --now (or --dry-run) it runs here instead of in a worker."
    )

    job = tasks.send_reminders

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--date", type=_date, help="The Shanghai date to send for (YYYY-MM-DD)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the reminders due; send nothing."
        )

    def handle(self, *args, date=None, dry_run=False, now=False, **options):
        # The date is fixed when queued: a task that runs after midnight sends that day's.
        day = (date or today()).isoformat()
        if dry_run:
            with translation.override(settings.LANGUAGE_CODE):
                report = vars(send_reminders(datetime.date.fromisoformat(day), dry_run=True))
        else:
            report = self.run_job(day, now=now, name=f"Reminders of {day}")
            if report is None:
                return
        with translation.override(settings.LANGUAGE_CODE):
            for kind, count in report["by_kind"].items():
                self.stdout.write(f"{kind_label(kind)} ({kind}): {count}")
        verb = "would be sent" if dry_run else "sent"
        self.stdout.write(
            f"{report['sent']} reminder(s) {verb}, {report['already_sent']} already sent, "
            f"{report['paused']} deadline(s) of paused stations skipped, "
            f"{report['failed']} failed"
            + ("" if dry_run else f"; {report['emails_queued']} e-mail(s) queued")
            + "."
        )
        if report["failed"]:
            raise CommandError(
                f"{report['failed']} reminder(s) or source(s) failed (see the log); the next run "
                "sends them."
            )
