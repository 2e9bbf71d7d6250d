import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from talentstation.uploads import PENDING_MAX_AGE


class Command(BaseCommand):
    help = "Delete uploads kept for forms with errors (pending/) that are older than a day."

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(seconds=PENDING_MAX_AGE)
        removed = 0
        try:
            _dirs, files = default_storage.listdir("pending")
        except FileNotFoundError:
            files = []
        for name in files:
            path = f"pending/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
        self.stdout.write(f"{removed} pending upload(s) removed.")
