from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from talentstation.backups import BackupError, describe, restore_backup


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with those of a backup archive. The "
        "archive's manifest must match (same database vendor, no migrations newer than this "
        "code) and every checksum is verified before anything is touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the archive written by `manage.py backup`")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, path, yes=False, **options):
        def confirm(manifest):
            self.stdout.write(describe(manifest))
            if yes:
                return True
            answer = input(
                "This REPLACES the current database and uploaded files with the backup's. "
                "Type 'yes' to continue: "
            )
            return answer.strip().lower() == "yes"

        try:
            manifest = restore_backup(path, confirm=confirm)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if manifest is None:
            raise CommandError("Restore cancelled; nothing was changed.")
        self.stdout.write(self.style.SUCCESS(f"Restored {path}."))
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                self.style.WARNING(
                    "The backup is of an older version: run `manage.py migrate` now."
                )
            )
