"""Uploads on an S3-compatible bucket (issue 11 §5): moto's S3 server started on loopback, the
storage configured as talentstation.settings does from the environment, and the portal's own
views uploading, serving (after their access checks) and deleting the files."""

import datetime
import socket
import uuid

import boto3
import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from stations.models import HostUnit
from talentstation.settings import media_storage

from . import factories
from .test_applications import OPEN
from .test_registration import URL, form_data, licence

ACCESS_KEY = "test-access-key"
SECRET_KEY = "test-secret-key"  # noqa: S105 - moto's server accepts any key


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A new bucket, and the portal's default storage on it as the settings make it from
    these environment variables."""
    name = f"talentstation-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=name)
    for variable, value in {
        "AWS_STORAGE_BUCKET_NAME": name,
        "AWS_S3_ENDPOINT_URL": s3_endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_LOCATION": "media",
    }.items():
        monkeypatch.setenv(variable, value)
    settings.STORAGES = {**settings.STORAGES, "default": media_storage()}
    assert default_storage.bucket_name == name
    client.bucket = name
    return client


def keys(bucket, prefix="media/"):
    listing = bucket.list_objects_v2(Bucket=bucket.bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_the_settings_choose_s3_only_when_a_bucket_is_named(monkeypatch, tmp_path):
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    assert media_storage()["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "bureau-media")
    storage = media_storage()
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False
    assert options["endpoint_url"] is None  # AWS itself unless an endpoint is given
    monkeypatch.setenv("AWS_DEFAULT_ACL", "")
    assert media_storage()["OPTIONS"]["default_acl"] is None


@pytest.mark.django_db
def test_a_licence_kept_registered_downloaded_by_staff_and_purged_on_s3(client, bucket, staff_user):
    # The first attempt has an error: the licence is kept in the bucket under pending/.
    response = client.post(
        URL, {**form_data(mobile="123"), "business_licence": licence()}, REMOTE_ADDR="203.0.113.9"
    )
    token = response.context["form"].data["business_licence_kept"]
    [pending] = keys(bucket, "media/pending/")
    assert pending.startswith("media/pending/") and pending.endswith(".pdf")
    # The second attempt uses the kept file: the unit's licence is stored in the bucket.
    response = client.post(
        URL, {**form_data(), "business_licence_kept": token}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 302
    unit = HostUnit.objects.get()
    stored = f"media/{unit.business_licence.name}"
    assert stored in keys(bucket, "media/licences/")
    body = bucket.get_object(Bucket=bucket.bucket, Key=stored)["Body"].read()
    assert body == factories.TINY_PDF
    # Private: the object's only grant is its owner's.
    grants = bucket.get_object_acl(Bucket=bucket.bucket, Key=stored)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all("URI" not in grant["Grantee"] for grant in grants)

    # Staff download it through the portal's access-checked view.
    client.logout()
    client.force_login(staff_user)
    download = client.get(reverse("stations:licence", args=[unit.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == factories.TINY_PDF
    # Anonymous visitors are sent to the login page, not to the bucket.
    client.logout()
    assert client.get(reverse("stations:licence", args=[unit.pk])).status_code == 302

    # A day later the kept file is purged from the bucket; the licence stays.
    call_command("purge_pending_uploads")
    assert keys(bucket, "media/pending/") == [pending]  # younger than a day
    with time_machine.travel(datetime.timedelta(days=2)):
        call_command("purge_pending_uploads")
    assert keys(bucket, "media/pending/") == []
    assert stored in keys(bucket)


@pytest.mark.django_db
def test_pending_uploads_are_capped_from_the_buckets_listing(client, bucket, settings):
    settings.PENDING_UPLOADS_PER_CLIENT = 2
    settings.PENDING_UPLOADS_TOTAL_FILES = 3

    def attempt(ip):
        response = client.post(
            URL, {**form_data(mobile="123"), "business_licence": licence()}, REMOTE_ADDR=ip
        )
        return bool(response.context["form"].data.get("business_licence_kept"))

    assert [attempt("203.0.113.5") for _ in range(3)] == [True, True, False]  # per client
    assert [attempt("203.0.113.6") for _ in range(2)] == [True, False]  # in all
    assert len(keys(bucket, "media/pending/")) == 3


@time_machine.travel(OPEN)
@pytest.mark.django_db
def test_an_attachment_uploaded_downloaded_and_removed_on_s3(client, bucket, unit, applicant):
    call = factories.CallFactory(year=2026)
    draft = factories.ApplicationFactory(call=call, host_unit=unit, stamped_scan=False)
    client.force_login(applicant)
    response = client.post(
        reverse("stations:attachment_upload", args=[draft.pk]),
        {
            "attachment-kind": "venue_photo",
            "attachment-file": SimpleUploadedFile("场地.png", factories.TINY_PNG),
        },
    )
    assert response.status_code == 302
    attachment = draft.attachments.get()
    key = f"media/{attachment.file.name}"
    assert key in keys(bucket, "media/applications/")

    download = client.get(reverse("stations:attachment_download", args=[draft.pk, attachment.pk]))
    assert download["Content-Type"] == "image/png"
    assert "filename*=utf-8''%E5%9C%BA%E5%9C%B0.png" in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == factories.TINY_PNG
    assert int(download["Content-Length"]) == len(factories.TINY_PNG)

    client.post(reverse("stations:attachment_delete", args=[draft.pk, attachment.pk]))
    assert not draft.attachments.exists()
    assert key not in keys(bucket)
