"""`manage.py backup` / `manage.py restore`: one archive with the database, the uploaded files
and a manifest; a restore brings back exactly what was backed up. Runs on SQLite and, with
DATABASE_URL set, on PostgreSQL (pg_dump / pg_restore against the test database)."""

import io
import json
import tarfile

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from stations.models import Application, Attachment, HostUnit, Station
from talentstation import backups
from talentstation.models import TransitionLog, User
from talentstation.roles import Role
from talentstation.workflow import perform

from . import factories

pytestmark = pytest.mark.django_db(transaction=True)
OPEN = "2026-08-03 10:00 +0800"  # the factories' call is open


def snapshot(media_root):
    """What must come back: rows of the populated models and every file's bytes."""
    return {
        "units": sorted(
            HostUnit.objects.values_list("pk", "name", "contact_mobile", "business_licence")
        ),
        "applications": sorted(Application.objects.values_list("pk", "status", "station_name")),
        "attachments": sorted(Attachment.objects.values_list("pk", "file", "original_name")),
        "stations": sorted(Station.objects.values_list("pk", "name", "status")),
        "logs": sorted(TransitionLog.objects.values_list("pk", "transition", "to_state", "actor")),
        "users": sorted(User.objects.values_list("pk", "username", "password")),
        "history": Application.history.count(),
        "files": {
            path.relative_to(media_root).as_posix(): path.read_bytes()
            for path in sorted(media_root.rglob("*"))
            if path.is_file()
        },
    }


@pytest.fixture
def populated(settings):
    staff = factories.UserFactory(role=Role.STAFF)
    unit = factories.HostUnitFactory()
    applicant = factories.applicant_user(unit)
    application = factories.ApplicationFactory(host_unit=unit)
    factories.AttachmentFactory(
        application=application,
        kind=Attachment.Kind.VENUE_PHOTO,
        file=ContentFile(factories.TINY_PNG, name="venue.png"),
        original_name="场地照片.png",
    )
    with time_machine.travel(OPEN):
        perform(application, "submit", by=applicant)
    station = factories.live_station(staff=staff)
    return {"staff": staff, "unit": unit, "application": application, "station": station}


def change_everything(populated, media_root):
    application = populated["application"]
    with time_machine.travel(OPEN):
        perform(application, "return_for_correction", by=populated["staff"], reason="请补充材料")
    unit = populated["unit"]
    unit.name = "改过的名称有限公司"
    unit.save()
    attachment = application.attachments.first()
    (media_root / attachment.file.name).unlink()
    attachment.delete()
    Station.objects.filter(pk=populated["station"].pk).update(name="改名驿站")
    factories.HostUnitFactory()  # a new unit with a new licence file
    (media_root / "stray").mkdir(exist_ok=True)
    (media_root / "stray" / "new.pdf").write_bytes(factories.TINY_PDF)


def test_round_trip_restores_database_and_files(populated, settings, tmp_path):
    media_root = settings.MEDIA_ROOT
    before = snapshot(media_root)
    assert before["files"] and before["logs"] and before["history"]
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    change_everything(populated, media_root)
    assert snapshot(media_root) != before

    out = io.StringIO()
    call_command("restore", str(archive), yes=True, stdout=out)
    assert "Restored" in out.getvalue()
    assert snapshot(media_root) == before
    # The restored database works: a transition on the restored application is logged.
    application = Application.objects.get(pk=populated["application"].pk)
    assert application.attachments.count() == 2


def test_manifest_lists_version_migrations_vendor_and_checksums(populated, settings, tmp_path):
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    manifest = backups.read_manifest(archive)
    from django.db import connection

    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["portal_version"]
    assert "0001_initial" in manifest["migrations"]["talentstation"]
    assert manifest["created_at"]
    files = {
        p.relative_to(settings.MEDIA_ROOT).as_posix()
        for p in settings.MEDIA_ROOT.rglob("*")
        if p.is_file()
    }
    assert set(manifest["media"]["files"]) == files
    assert manifest["media"]["count"] == len(files)
    assert all(len(entry["sha256"]) == 64 for entry in manifest["media"]["files"].values())
    assert archive.stat().st_mode & 0o077 == 0  # personal data: owner only


def rewrite(archive, target, *, manifest=None, replace=None):
    """A copy of ``archive`` with its manifest or one member changed."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif replace and member.name == replace[0]:
                data = replace[1]
            member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return target


@pytest.fixture
def archive(populated, tmp_path):
    path = tmp_path / "b.tar.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def refused(path, match):
    """The restore is refused with ``match`` and nothing changed."""
    HostUnit.objects.update(name="之后的名称")
    with pytest.raises(CommandError, match=match):
        call_command("restore", str(path), yes=True, stdout=io.StringIO())
    assert set(HostUnit.objects.values_list("name", flat=True)) == {"之后的名称"}


def test_refuses_other_vendor(archive, tmp_path):
    def other(manifest):
        manifest["database"]["vendor"] = "oracle"
        return manifest

    refused(rewrite(archive, tmp_path / "x.tar.gz", manifest=other), "oracle")


def test_refuses_newer_migrations(archive, tmp_path):
    def newer(manifest):
        manifest["migrations"]["talentstation"].append("9999_from_the_future")
        return manifest

    refused(rewrite(archive, tmp_path / "x.tar.gz", manifest=newer), "9999_from_the_future")


def test_refuses_damaged_file_before_touching_anything(archive, tmp_path, settings):
    manifest = backups.read_manifest(archive)
    name = "media/" + next(iter(manifest["media"]["files"]))
    damaged = rewrite(archive, tmp_path / "x.tar.gz", replace=(name, b"%PDF-1.4 tampered"))
    files = sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file())
    refused(damaged, "Checksum mismatch")
    assert sorted(p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()) == files
    assert not list(settings.MEDIA_ROOT.glob(".restore-*"))


def test_refuses_damaged_database(archive, tmp_path):
    manifest = backups.read_manifest(archive)
    refused(
        rewrite(archive, tmp_path / "x.tar.gz", replace=(manifest["database"]["file"], b"junk")),
        "Checksum",
    )


def test_refuses_what_is_not_a_backup(tmp_path):
    path = tmp_path / "x.tar.gz"
    path.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="not a portal backup"):
        call_command("restore", str(path), yes=True)


def test_asks_for_confirmation(archive, monkeypatch):
    HostUnit.objects.update(name="之后的名称")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert set(HostUnit.objects.values_list("name", flat=True)) == {"之后的名称"}
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("restore", str(archive), stdout=io.StringIO())
    assert "之后的名称" not in set(HostUnit.objects.values_list("name", flat=True))


def test_remote_storage_backs_up_the_database_only(populated, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    archive = tmp_path / "b.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    manifest = backups.read_manifest(archive)
    assert manifest["media"] == {"storage": "remote", "files": {}, "count": 0, "bytes": 0}
    with tarfile.open(archive) as opened:
        assert [m.name for m in opened if m.name.startswith("media/")] == []
