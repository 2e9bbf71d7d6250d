"""Uploads kept for forms with errors are capped per client and in total (issue 7 §4)."""

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command

from .test_registration import URL, form_data, licence


def pending_files():
    """Every file under pending/, in the client folders too."""
    dirs, files = default_storage.listdir("pending")
    found = [f"pending/{name}" for name in files]
    for folder in dirs:
        found += [
            f"pending/{folder}/{name}" for name in default_storage.listdir(f"pending/{folder}")[1]
        ]
    return found


def invalid_registration(client, ip, **data):
    """A registration whose licence is fine but whose mobile number is not."""
    return client.post(
        URL,
        {**form_data(mobile="123", **data), "business_licence": licence()},
        REMOTE_ADDR=ip,
    )


@pytest.mark.django_db
def test_pending_uploads_are_capped_per_client(client, settings):
    settings.PENDING_UPLOADS_PER_CLIENT = 2
    for _attempt in range(2):
        form = invalid_registration(client, "203.0.113.5").context["form"]
        assert form.data["business_licence_kept"]
    response = invalid_registration(client, "203.0.113.5", unit_name="第三次尝试的单位")
    form = response.context["form"]
    assert not form.data.get("business_licence_kept")
    [error] = form.errors["business_licence"]
    assert "未能暂存" in error and "重新选择" in error
    assert "mobile" in form.errors
    body = response.content.decode()
    assert 'value="第三次尝试的单位"' in body  # the rest of the input is kept
    assert len(pending_files()) == 2
    # another client is not affected
    form = invalid_registration(client, "203.0.113.6").context["form"]
    assert form.data["business_licence_kept"]
    assert len(pending_files()) == 3


@pytest.mark.django_db
def test_a_kept_upload_sent_again_takes_no_new_place(client, settings):
    settings.PENDING_UPLOADS_PER_CLIENT = 1
    form = invalid_registration(client, "203.0.113.5").context["form"]
    token = form.data["business_licence_kept"]
    for _attempt in range(3):
        response = client.post(
            URL,
            {**form_data(mobile="123"), "business_licence_kept": token},
            REMOTE_ADDR="203.0.113.5",
        )
        form = response.context["form"]
        assert "business_licence" not in form.errors
        assert form.data["business_licence_kept"] == token
    assert len(pending_files()) == 1


@pytest.mark.django_db
def test_pending_uploads_are_capped_in_total(client, settings):
    size = len(licence().read())
    settings.PENDING_UPLOADS_TOTAL_BYTES = 2 * size
    for ip in ("203.0.113.1", "203.0.113.2"):
        assert invalid_registration(client, ip).context["form"].data["business_licence_kept"]
    form = invalid_registration(client, "203.0.113.3").context["form"]
    assert not form.data.get("business_licence_kept")
    assert "未能暂存" in form.errors["business_licence"][0]
    assert len(pending_files()) == 2


@pytest.mark.django_db
def test_pending_uploads_are_capped_in_number(client, settings):
    settings.PENDING_UPLOADS_TOTAL_FILES = 2
    for ip in ("203.0.113.1", "203.0.113.2"):
        assert invalid_registration(client, ip).context["form"].data["business_licence_kept"]
    form = invalid_registration(client, "203.0.113.3").context["form"]
    assert "未能暂存" in form.errors["business_licence"][0]
    assert len(pending_files()) == 2


@pytest.mark.django_db
def test_purge_removes_old_pending_uploads_of_every_client(client):
    import os
    import time

    from django.core.files.base import ContentFile

    default_storage.save("pending/legacy.pdf", ContentFile(b"%PDF-1.4 old"))
    invalid_registration(client, "203.0.113.1")
    invalid_registration(client, "203.0.113.2")
    old, fresh = sorted(path for path in pending_files() if path != "pending/legacy.pdf")
    two_days_ago = time.time() - 2 * 24 * 3600
    for path in (old, "pending/legacy.pdf"):
        os.utime(default_storage.path(path), (two_days_ago, two_days_ago))
    call_command("purge_pending_uploads")
    assert pending_files() == [fresh]
    with time_machine.travel("2099-01-01"):
        call_command("purge_pending_uploads")
    assert pending_files() == []
    assert default_storage.listdir("pending") == ([], [])  # the client folders are gone too
