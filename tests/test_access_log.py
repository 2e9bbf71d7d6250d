"""The access log: who viewed, downloaded or exported personal data and licence files."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stations.models import Station
from talentstation.models import AccessLog, PolicyAnnex
from talentstation.roles import Role

from . import factories

pytestmark = pytest.mark.django_db


def only_record():
    assert AccessLog.objects.count() == 1
    return AccessLog.objects.get()


def test_licence_download_records_user_object_and_address(client, staff_user, unit):
    client.force_login(staff_user)
    response = client.get(reverse("stations:licence", args=[unit.pk]), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    record = only_record()
    assert record.user == staff_user
    assert staff_user.username in record.user_label
    assert record.kind == AccessLog.Kind.DOWNLOAD
    assert record.subject == unit
    assert unit.credit_code in record.label
    assert record.client_ip == "203.0.113.7"
    assert record.url == reverse("stations:licence", args=[unit.pk])


def test_refused_download_records_nothing(client, other_unit, unit):
    client.force_login(factories.applicant_user(other_unit))
    assert client.get(reverse("stations:licence", args=[unit.pk])).status_code in (403, 404)
    assert not AccessLog.objects.exists()


def test_annex1_pdf_records_the_application(client, applicant, unit):
    application = factories.ApplicationFactory(host_unit=unit)
    client.force_login(applicant)
    response = client.get(reverse("stations:application_pdf", args=[application.pk]))
    assert response.status_code == 200
    record = only_record()
    assert (record.user, record.kind, record.subject) == (
        applicant,
        AccessLog.Kind.DOWNLOAD,
        application,
    )
    assert record.label.endswith(".pdf")


def test_export_records_one_row(client, staff_user):
    factories.live_station(staff=staff_user)
    client.force_login(staff_user)
    response = client.get(reverse("stations:staff_stations_xlsx"))
    assert response.status_code == 200
    record = only_record()
    assert (record.user, record.kind, record.subject) == (staff_user, AccessLog.Kind.EXPORT, None)
    assert record.label.endswith(".xlsx")


def test_staff_pages_with_contact_persons_record_a_view(client, staff_user, unit, applicant):
    application = factories.ApplicationFactory(host_unit=unit)
    client.force_login(staff_user)
    assert client.get(reverse("stations:unit_detail", args=[unit.pk])).status_code == 200
    assert (
        client.get(reverse("stations:staff_application", args=[application.pk])).status_code == 200
    )
    assert client.get(reverse("admin:stations_hostunit_change", args=[unit.pk])).status_code == 200
    views = AccessLog.objects.filter(kind=AccessLog.Kind.VIEW, user=staff_user)
    assert sorted(str(r.subject) for r in views) == sorted([str(unit), str(application), str(unit)])
    # The unit's own users looking at their own unit are not logged.
    client.force_login(applicant)
    before = AccessLog.objects.count()
    assert client.get(reverse("stations:unit_detail", args=[unit.pk])).status_code == 200
    assert AccessLog.objects.count() == before


def test_anonymous_public_pages_record_nothing(client):
    station = factories.live_station()
    annex = PolicyAnnex.objects.first()
    urls = [
        reverse("home"),
        reverse("stations:directory"),
        reverse("stations:directory_station", args=[station.pk]),
        reverse("stations:call_list"),
        reverse("policy_text"),
    ]
    if annex is not None:
        urls.append(reverse("policy_annex", args=[annex.pk]))
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert not AccessLog.objects.exists()


def test_one_insert_per_request_whatever_the_log_holds(client, staff_user, unit):
    client.force_login(staff_user)
    url = reverse("stations:licence", args=[unit.pk])
    client.get(url)  # warm the caches (content types, session)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [q["sql"] for q in captured]

    first = queries()
    for _ in range(5):
        client.get(url)
    later = queries()
    assert len(first) == len(later)
    writes = [sql for sql in later if "talentstation_accesslog" in sql]
    assert len(writes) == 1
    assert writes[0].lstrip().upper().startswith("INSERT")


def test_admin_list_is_read_only_and_searchable(client, staff_user, unit):
    searcher = factories.UserFactory(role=Role.STAFF, full_name="查阅人甲")
    client.force_login(searcher)
    client.get(reverse("stations:licence", args=[unit.pk]))
    client.force_login(staff_user)
    client.get(reverse("stations:licence", args=[unit.pk]))
    changelist = reverse("admin:talentstation_accesslog_changelist")

    found = client.get(changelist, {"q": "查阅人甲"})
    assert found.status_code == 200
    assert [r.user for r in found.context["cl"].result_list] == [searcher]
    by_label = client.get(changelist, {"q": unit.credit_code})
    assert len(by_label.context["cl"].result_list) == 2
    by_kind = client.get(changelist, {"kind": "export"})
    assert list(by_kind.context["cl"].result_list) == []

    record = AccessLog.objects.first()
    assert client.get(reverse("admin:talentstation_accesslog_add")).status_code == 403
    change = reverse("admin:talentstation_accesslog_change", args=[record.pk])
    assert client.post(change, {"label": "改写"}).status_code == 403
    delete = reverse("admin:talentstation_accesslog_delete", args=[record.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert AccessLog.objects.count() == 2  # the admin pages of the log are not logged


def test_station_directory_not_logged_for_logged_in_visitor(client, applicant):
    """Public pages record nothing for logged-in users either."""
    station = factories.live_station()
    assert Station.objects.filter(pk=station.pk).exists()
    client.force_login(applicant)
    assert client.get(reverse("stations:directory_station", args=[station.pk])).status_code == 200
    assert not AccessLog.objects.exists()
