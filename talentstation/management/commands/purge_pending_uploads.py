import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from talentstation.uploads import PENDING_MAX_AGE


class Command(BaseCommand):
    help = (
        "Delete kept uploads older than a day: files of forms with errors (pending/) and "
        "import files whose preview was never confirmed (django-import-export/)."
    )

    FOLDERS = ("pending", "django-import-export")

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(seconds=PENDING_MAX_AGE)
        removed = 0
        for folder in self.FOLDERS:
            try:
                _dirs, files = default_storage.listdir(folder)
            except FileNotFoundError:
                continue
            for name in files:
                path = f"{folder}/{name}"
                if default_storage.get_modified_time(path) < cutoff:
                    default_storage.delete(path)
                    removed += 1
        self.stdout.write(f"{removed} pending upload(s) removed.")
