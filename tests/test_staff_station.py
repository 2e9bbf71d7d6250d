"""The staff station page (/staff/stations/<pk>/): each role, every section with real data,
the sections registry, the links to it, and a constant number of queries whatever the number
of activities and applications."""

import datetime

import pytest
from django.urls import reverse

from awards import rectification
from awards.models import Nomination, NominationBatch
from stations.models import Application
from stations.staff_station import register_section, sections
from talentstation.dates import today
from talentstation.roles import Role
from talentstation.workflow import perform

from . import factories


def _url(station):
    return reverse("stations:staff_station", args=[station.pk])


def _submitted_application(station, call=None, **kwargs):
    application = factories.ApplicationFactory(
        station=station, host_unit=station.host_unit, call=call or factories.CallFactory(), **kwargs
    )
    # test data: the application workflow itself is tested elsewhere
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SUBMITTED)
    application.refresh_from_db()
    return application


@pytest.fixture
def full_station(staff_user):
    """A station with a record in every section: certified, assessed in a closed cycle, an
    award paid… (the award's station), an application, activities this year and last year,
    a rectification order and a nomination."""
    award = factories.published_award(staff=staff_user)
    station = award.station
    _submitted_application(station)
    this_year, last_year = today().year, today().year - 1
    for _ in range(2):
        factories.ActivityFactory(
            station=station, status="accepted", date=datetime.date(this_year, 2, 3)
        )
    factories.ActivityFactory(
        station=station,
        status="accepted",
        date=datetime.date(last_year, 5, 6),
        person_times=60,
        title="去年的人才沙龙",
    )
    factories.ServiceRecordFactory(station=station, status="accepted", date=today())
    rectification.create_order(
        station, by=staff_user, reason="日常监督发现问题", problem="未配备服务人员"
    )
    batch = NominationBatch.objects.create(
        title="2026年福州市级人才驿站推荐", level="city", submitting_unit="区人社局"
    )
    Nomination.objects.create(batch=batch, station=station, introduction="简介", reason="理由")
    station.refresh_from_db()
    return station


def test_staff_sees_every_section_with_its_data_and_admin_links(client, staff_user, full_station):
    station = full_station
    client.force_login(staff_user)
    response = client.get(_url(station))
    assert response.status_code == 200
    html = response.content.decode()
    application = station.applications.get()
    assessment = station.assessments.get()
    award = station.awards.get()
    order = station.rectification_orders.get()
    nomination = station.nominations.get()
    # host unit and certification
    assert station.host_unit.credit_code in html
    assert station.plaque_number in html
    assert reverse("stations:certificate", args=[station.pk]) in html
    # applications with the review page, and Annex 1
    assert application.number in html
    assert reverse("stations:staff_application", args=[application.pk]) in html
    assert reverse("stations:application_pdf", args=[application.pk]) in html
    # workflow history: the certification of the station is logged
    assert "certify" in [entry.transition for entry in response.context["history"]]
    # activities: this year's two accepted ones with their person-times, last year's one
    years = {row.year: row for row in response.context["years"]}
    assert years[today().year].totals.activities == 2
    assert years[today().year].totals.person_times == 2 * 20 + 1
    assert years[today().year - 1].totals.activities == 1
    assert years[today().year - 1].totals.person_times == 60
    # assessments, awards, rectification, nominations
    assert reverse("assessments:assessment_detail", args=[assessment.pk]) in html
    assert reverse("assessments:assessment_annex2", args=[assessment.pk]) in html
    assert reverse("awards:award_pay", args=[award.pk]) in html
    assert reverse("awards:rectification_detail", args=[order.pk]) in html
    assert reverse("awards:nomination_batch", args=[nomination.batch.pk]) in html
    # links into admin
    for obj in (station, station.host_unit, application, assessment, award, order, nomination):
        meta = obj._meta
        assert reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]) in html


def test_official_reads_without_admin_links_or_actions(client, official_user, full_station):
    station = full_station
    client.force_login(official_user)
    response = client.get(_url(station))
    assert response.status_code == 200
    html = response.content.decode()
    assert "/admin/" not in html
    assert reverse("awards:award_pay", args=[station.awards.get().pk]) not in html
    assert station.plaque_number in html
    assert station.applications.get().number in html


@pytest.mark.parametrize("role", [Role.APPLICANT, Role.EXPERT])
def test_others_are_refused_and_learn_nothing(client, db, role):
    station = factories.live_station()
    if role == Role.APPLICANT:
        user = factories.applicant_user(station.host_unit)  # even the station's own unit
    else:
        user = factories.UserFactory(role=role)
    client.force_login(user)
    existing = client.get(_url(station))
    missing = client.get(reverse("stations:staff_station", args=[station.pk + 1000]))
    assert existing.status_code == missing.status_code == 404
    assert station.name not in existing.content.decode()


def test_anonymous_is_sent_to_log_in(client, db):
    station = factories.live_station()
    response = client.get(_url(station))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_station_without_records_shows_each_section_empty(client, staff_user):
    station = factories.StationFactory()
    client.force_login(staff_user)
    response = client.get(_url(station))
    assert response.status_code == 200
    keys = [section.key for section in response.context["sections"]]
    assert keys == [section.key for section in sections()]


def test_paused_reminders_are_said_with_their_reason(client, staff_user):
    station = factories.StationFactory()
    client.force_login(staff_user)
    assert "暂停" not in client.get(_url(station)).content.decode()
    station.reminders_paused = True
    station.reminders_paused_reason = "驿站负责人更换，暂停提醒"
    station.reminders_paused_at = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=datetime.UTC)
    station.save()
    page = client.get(_url(station)).content.decode()
    assert "2026-11-20" in page and "驿站负责人更换，暂停提醒" in page


def test_an_app_adds_a_section(client, staff_user, db):
    from stations import staff_station

    station = factories.StationFactory()
    register_section(
        "zz_test",
        "Test section",
        lambda s, viewer: {"documents": [("测试文件", "/x/")]},
        order=999,
        template="stations/staff/station/documents.html",
    )
    try:
        client.force_login(staff_user)
        html = client.get(_url(station)).content.decode()
        assert "测试文件" in html
        assert html.index('id="section-documents"') < html.index('id="section-zz_test"')
    finally:
        staff_station._sections.pop("zz_test")


def test_linked_from_the_staff_list_and_admin(client, staff_user):
    station = factories.live_station()
    client.force_login(staff_user)
    listed = client.get(reverse("stations:staff_stations"))
    assert _url(station) in listed.content.decode()
    change = client.get(reverse("admin:stations_station_change", args=[station.pk]))
    assert change.status_code == 200
    assert _url(station) in change.content.decode()


def _station_with(count, staff):
    station = factories.live_station(staff=staff)
    call = factories.CallFactory()
    for index in range(count):
        factories.ActivityFactory(
            station=station, status="accepted", date=today() - datetime.timedelta(days=index)
        )
        factories.ServiceRecordFactory(station=station, status="accepted", date=today())
        application = _submitted_application(station, call=call if index == 0 else None)
        perform(application, "return_for_correction", by=staff, reason="材料不全")
    return station


@pytest.mark.parametrize("user_fixture", ["staff_user", "official_user"])
def test_queries_do_not_grow_with_rows(
    client, request, staff_user, user_fixture, django_assert_num_queries
):
    user = request.getfixturevalue(user_fixture)
    client.force_login(user)
    few = _station_with(2, staff_user)
    many = _station_with(12, staff_user)
    client.get(_url(few))  # warm the caches (content types, policy)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(few)).status_code == 200
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(_url(many))
    assert len(response.context["history"]) >= 12


@pytest.mark.django_db
def test_a_finished_year_of_certification_is_met_pro_rata_or_missed(client, staff_user):
    """Certified on 17 November of last year: that year owed its minimums for 45 days only."""
    last_year = today().year - 1
    station = factories.live_station(certified_on=datetime.date(last_year, 11, 17))
    client.force_login(staff_user)
    row = _activities_row(client.get(_url(station)).content.decode(), last_year)
    assert "<strong>未达最低要求</strong>" in row and "年中认定" in row
    factories.ActivityFactory(
        station=station, status="accepted", date=datetime.date(last_year, 12, 1), person_times=9
    )
    row = _activities_row(client.get(_url(station)).content.decode(), last_year)
    assert "已达最低要求" in row and "年中认定，计全年的12%" in row and "进度" not in row


def _activities_row(page, year):
    return page.split(f'data-label="年度">{year}</th>', 1)[1].split("</tr>", 1)[0]
