import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from talentstation.models import PolicyVersion
from talentstation.uploads import UploadField, detect_kind, validate_upload

from . import factories

MB = 1024 * 1024


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", factories.TINY_PDF, "pdf"),
        ("a.PNG", factories.TINY_PNG, "png"),
        ("a.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100, "jpg"),
        ("a.jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100, "jpg"),
    ],
)
def test_accepted_kinds(name, content, kind):
    assert validate_upload(upload(name, content), max_bytes=MB) == kind


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("a.pdf", b"MZ\x90\x00" + b"\x00" * 200, "type"),  # an executable renamed
        ("a.pdf", b"<html><script>alert(1)</script></html>", "type"),
        ("a.pdf", factories.TINY_PNG, "extension"),  # a PNG called .pdf
        ("a.exe", factories.TINY_PDF, "extension"),
        ("a", factories.TINY_PDF, "extension"),
        ("a.pdf", b"", "empty"),
    ],
)
def test_refused_uploads_say_why(name, content, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload(name, content), max_bytes=MB)
    assert excinfo.value.code == code


def test_size_limit():
    big = upload("big.pdf", factories.TINY_PDF + b"0" * MB)
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(big, max_bytes=MB)
    assert excinfo.value.code == "too_large"


@pytest.mark.django_db
def test_upload_field_takes_the_limit_from_policy_settings():
    field = UploadField()
    content = factories.TINY_PDF + b"0" * (2 * MB)
    assert field.clean(upload("ok.pdf", content))
    PolicyVersion.objects.create(**{**PolicyVersion.current().rule_values(), "upload_max_mb": 1})
    with pytest.raises(ValidationError):
        field.clean(upload("big.pdf", content))


def test_detect_kind_does_not_move_the_file_position():
    stream = io.BytesIO(factories.TINY_PDF)
    stream.seek(3)
    assert detect_kind(stream) == "pdf"
    assert stream.tell() == 3


@pytest.mark.django_db
def test_unconfirmed_import_files_are_purged_after_a_day():
    import time_machine
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    default_storage.save("django-import-export/old.xlsx", ContentFile(b"x"))
    call_command("purge_pending_uploads")
    assert default_storage.exists("django-import-export/old.xlsx")
    with time_machine.travel("2099-01-01"):
        call_command("purge_pending_uploads")
    assert not default_storage.exists("django-import-export/old.xlsx")
