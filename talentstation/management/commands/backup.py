from django.core.management.base import BaseCommand, CommandError

from talentstation.backups import BackupError, create_backup, describe


class Command(BaseCommand):
    help = (
        "Write one archive (tar.gz) with the database, the uploaded files under MEDIA_ROOT and "
        "a manifest (version, migrations, checksums). SQLite is copied with the online backup "
        "API, PostgreSQL with pg_dump: consistent while the portal runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="the archive's path (default: BACKUP_DIR/talentstation-<date>-<time>.tar.gz)",
        )

    def handle(self, *args, output=None, **options):
        try:
            path, manifest = create_backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(describe(manifest))
        self.stdout.write(self.style.SUCCESS(f"Backup written to {path}"))
