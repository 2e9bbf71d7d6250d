from django.core.management.base import BaseCommand

from talentstation import audit


class Command(BaseCommand):
    help = (
        "Delete the audit records (state changes, admin history, field history, access log) "
        "older than AUDIT_RETENTION_DAYS (at least 183). Without the setting they are kept "
        "forever and nothing is deleted. --dry-run counts them only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, dry_run=False, **options):
        days = audit.retention_days()
        if days is None:
            self.stdout.write("AUDIT_RETENTION_DAYS is not set: audit records are kept forever.")
            return
        counts = audit.purge(dry_run=dry_run)
        verb = "would be deleted" if dry_run else "deleted"
        for label, count in counts.items():
            if count:
                self.stdout.write(f"{label}: {count} {verb}")
        self.stdout.write(f"{sum(counts.values())} audit record(s) older than {days} days {verb}.")
