"""Backups: one tar.gz with the database, the uploaded files and a manifest (README "Backups
and audit"). ``manage.py backup`` and ``manage.py restore`` are thin wrappers around
:func:`create_backup` and :func:`restore_backup`.

The archive holds::

    database/db.sqlite3   SQLite: a copy made with the online backup API (consistent while
                          the portal runs and writes)
    database/db.dump      PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot)
    media/<path>          every file under MEDIA_ROOT when the default storage is the local
                          file system (S3 media are kept by the bucket's versioning/replication)
    manifest.json         portal version and git commit, database vendor, applied migrations,
                          creation time, and every file's size and SHA-256

A restore reads the manifest first and refuses an archive of another database vendor or with
migrations this code does not have; it then unpacks everything into a staging folder and checks
every size and checksum before the database or a file is touched.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage, storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database/db.sqlite3", "postgresql": "database/db.dump"}
MEDIA_PREFIX = "media/"
# Staging folders of a running restore, inside MEDIA_ROOT (same file system: files are moved
# into place with os.replace). Never backed up.
STAGING_PREFIX = ".restore-"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


# --- the manifest ---------------------------------------------------------------------------


def portal_version():
    try:
        return metadata.version("talentstation")
    except metadata.PackageNotFoundError:
        return None


def git_commit():
    """The checkout's commit, or GIT_COMMIT from the environment (an installed release)."""
    try:
        result = subprocess.run(  # noqa: S603
            ["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        result = None
    if result is not None and result.returncode == 0:
        return result.stdout.strip()
    return os.environ.get("GIT_COMMIT") or None


def applied_migrations():
    """{app: [migration names]} as recorded in the database."""
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def unknown_migrations(applied):
    """The migrations of an archive that this code does not have (a newer portal made it)."""
    known = set(MigrationLoader(connection, ignore_no_migrations=True).disk_migrations)
    return sorted(
        f"{app}.{name}"
        for app, names in applied.items()
        for name in names
        if (app, name) not in known
    )


def local_media_root():
    """The folder of the uploaded files when the default storage is the local file system."""
    storage = storages["default"]
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location)
    return None


# --- backup ---------------------------------------------------------------------------------


class _HashingReader(io.RawIOBase):
    def __init__(self, fileobj):
        self.fileobj = fileobj
        self.sha256 = hashlib.sha256()

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.fileobj.read(size)
        self.sha256.update(data)
        return data


def _add_file(archive, source, name):
    """Add ``source`` as ``name``; its size and SHA-256, read once while it is added."""
    info = archive.gettarinfo(str(source), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with open(source, "rb") as fileobj:
        reader = _HashingReader(fileobj)
        archive.addfile(info, reader)
    return {"size": info.size, "sha256": reader.sha256.hexdigest()}


def _dump_database(folder):
    """The database into a file in ``folder``; returns the file's path."""
    vendor = connection.vendor
    if vendor == "sqlite":
        target = Path(folder) / "db.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot while others keep writing.
            connection.connection.backup(copy)
        finally:
            copy.close()
        return target
    if vendor == "postgresql":
        target = Path(folder) / "db.dump"
        _run_pg("pg_dump", "--format=custom", "--no-owner", f"--file={target}")
        return target
    raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")


def _pg_args():
    """Connection options of the current database (its actual settings, e.g. a test database)."""
    config = connection.settings_dict
    args = ["--dbname", config["NAME"]]
    if config.get("HOST"):
        args += ["--host", config["HOST"]]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", config["USER"]]
    env = {**os.environ}
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = config["PASSWORD"]
    return args, env


def _run_pg(program, *args):
    options, env = _pg_args()
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (Debian package postgresql-client).")
    result = subprocess.run(  # noqa: S603
        [program, "--no-password", *options, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"{program} failed: {result.stderr.strip()}")


def media_files(root):
    """(path under root, absolute path) of every uploaded file, sorted."""
    if root is None or not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(STAGING_PREFIX))
        for name in sorted(files):
            path = Path(folder) / name
            found.append((path.relative_to(root).as_posix(), path))
    return found


def default_output():
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.BACKUP_DIR) / f"talentstation-{stamp}.tar.gz"


def create_backup(output=None):
    """Write the archive to ``output`` (default: BACKUP_DIR/talentstation-<time>.tar.gz) and
    return (path, manifest). The archive is written beside as ``.part`` and renamed when
    complete, readable by its owner only (it holds personal data)."""
    output = Path(output) if output else default_output()
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    root = local_media_root()
    manifest = {
        "format": FORMAT,
        "portal_version": portal_version(),
        "git_commit": git_commit(),
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor},
        "migrations": applied_migrations(),
        "media": {"storage": "local" if root is not None else "remote", "files": {}},
    }
    with tempfile.TemporaryDirectory() as work:
        dump = _dump_database(work)
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
                name = DATABASE_FILES[connection.vendor]
                manifest["database"].update(file=name, **_add_file(archive, dump, name))
                files = manifest["media"]["files"]
                for relative, path in media_files(root):
                    files[relative] = _add_file(archive, path, MEDIA_PREFIX + relative)
                manifest["media"]["count"] = len(files)
                manifest["media"]["bytes"] = sum(entry["size"] for entry in files.values())
                data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(timezone.now().timestamp())
                archive.addfile(info, io.BytesIO(data))
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    partial.replace(output)
    return output, manifest


# --- restore --------------------------------------------------------------------------------


def read_manifest(path):
    """The manifest of the archive at ``path``; BackupError when it is not one of ours."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            manifest = json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, json.JSONDecodeError, AttributeError) as error:
        raise BackupError(f"{path} is not a portal backup: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def check_manifest(manifest):
    """Refuse an archive this portal cannot restore: another vendor or newer migrations."""
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"The backup is of a {vendor} database; this portal uses {connection.vendor}."
        )
    unknown = unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            "The backup was made by a newer version of the portal; these migrations are not in "
            "this code: " + ", ".join(unknown)
        )


def _expected(manifest):
    expected = {manifest["database"]["file"]: manifest["database"]}
    for relative, entry in manifest["media"]["files"].items():
        expected[MEDIA_PREFIX + relative] = entry
    return expected


def _checked_name(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"Unsafe path in the backup: {name}")
    return path


def unpack(path, manifest, staging):
    """Unpack the archive's files into ``staging`` checking each one's size and checksum
    against the manifest; BackupError on the first mismatch, a missing or an extra file."""
    expected = _expected(manifest)
    seen = set()
    with tarfile.open(path, "r:gz") as archive:
        for member in archive:
            if member.name == MANIFEST:
                continue
            if not member.isfile() or member.name not in expected:
                raise BackupError(
                    f"The backup holds a file its manifest does not list: {member.name}"
                )
            target = Path(staging, *_checked_name(member.name).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with archive.extractfile(member) as source, open(target, "wb") as out:
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            entry = expected[member.name]
            if member.size != entry["size"] or digest.hexdigest() != entry["sha256"]:
                raise BackupError(f"Checksum mismatch: {member.name} is damaged.")
            seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError("Files listed in the manifest are missing: " + ", ".join(missing))


def _restore_database(dump):
    vendor = connection.vendor
    if vendor == "sqlite":
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("Cannot restore inside a transaction.")
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        # pg_restore works on its own connection; ours must not hold locks on the tables.
        connection.close()
        _run_pg(
            "pg_restore", "--clean", "--if-exists", "--single-transaction", "--no-owner", str(dump)
        )
    ContentType.objects.clear_cache()


def _restore_media(staged_media, root):
    """Make ``root`` hold exactly the staged files: move them in (atomic per file), then remove
    the files the backup did not have and the folders left empty."""
    keep = set()
    for relative, source in media_files(staged_media):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        keep.add(relative)
    for relative, path in media_files(root):
        if relative not in keep:
            path.unlink()
    for folder, dirs, _files in os.walk(root, topdown=False):
        for name in dirs:
            directory = Path(folder) / name
            if not name.startswith(STAGING_PREFIX) and not any(directory.iterdir()):
                directory.rmdir()


def restore_backup(path, *, confirm=None):
    """Restore the archive at ``path``: check its manifest, unpack and verify every file, ask
    ``confirm(manifest)`` (returns False to stop), then replace the database and the uploaded
    files. Returns the manifest; BackupError when refused."""
    manifest = read_manifest(path)
    check_manifest(manifest)
    root = local_media_root()
    media = manifest["media"]["files"]
    if media and root is None:
        raise BackupError(
            "The backup holds uploaded files but the portal's storage is not the local file "
            "system; restore them into the bucket by hand or set the local storage."
        )
    if root is not None:
        root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    try:
        unpack(path, manifest, staging)
        if confirm is not None and not confirm(manifest):
            return None
        _restore_database(staging / manifest["database"]["file"])
        if root is not None:
            _restore_media(staging / MEDIA_PREFIX.rstrip("/"), root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def describe(manifest):
    """A few lines about an archive for the operator."""
    created = datetime.datetime.fromisoformat(manifest["created_at"])
    media = manifest["media"]
    return "\n".join(
        [
            f"Created:    {timezone.localtime(created):%Y-%m-%d %H:%M:%S %Z}",
            f"Portal:     {manifest.get('portal_version') or '?'} "
            f"(commit {manifest.get('git_commit') or 'unknown'})",
            f"Database:   {manifest['database']['vendor']}",
            f"Migrations: {sum(len(names) for names in manifest['migrations'].values())}",
            f"Files:      {media.get('count', len(media['files']))} "
            f"({media.get('bytes', 0)} bytes, storage {media['storage']})",
        ]
    )
