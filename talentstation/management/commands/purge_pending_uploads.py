import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from talentstation.uploads import PENDING_MAX_AGE


class Command(BaseCommand):
    help = (
        "Delete kept uploads older than a day: files of forms with errors (pending/, one "
        "folder per client) and import files whose preview was never confirmed "
        "(django-import-export/)."
    )

    FOLDERS = ("pending", "django-import-export")

    def handle(self, *args, **options):
        cutoff = timezone.now() - datetime.timedelta(seconds=PENDING_MAX_AGE)
        removed = sum(self.purge(folder, cutoff) for folder in self.FOLDERS)
        self.stdout.write(f"{removed} pending upload(s) removed.")

    def purge(self, folder, cutoff, *, depth=0):
        """Remove the old files of ``folder`` and of its client folders, then empty folders."""
        try:
            dirs, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return 0
        removed = 0
        for name in files:
            path = f"{folder}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
        if depth == 0:
            for name in dirs:
                removed += self.purge(f"{folder}/{name}", cutoff, depth=1)
        elif not dirs and not default_storage.listdir(folder)[1]:
            default_storage.delete(folder)  # an empty client folder
        return removed
