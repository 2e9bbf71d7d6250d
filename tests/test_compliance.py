"""Art. 7(6) compliance: accepted entries against the policy's minimums and the pace to date,
per station and for the district, with a query count that does not grow with the stations."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from assessments.compliance import (
    Minimums,
    Standing,
    days_gone,
    district_compliance,
    station_compliance,
)
from stations.models import StationType
from talentstation.models import PolicyVersion

from . import factories


def accepted(station, activities, person_times, *, year=2026):
    """``activities`` accepted activities sharing ``person_times`` (at least one each)."""
    day = datetime.date(year, 1, 5)
    for index in range(activities):
        share = person_times // activities + (1 if index < person_times % activities else 0)
        factories.ActivityFactory(
            station=station, status="accepted", date=day, person_times=share, high_level_talents=0
        )
    if not activities and person_times:
        factories.ServiceRecordFactory(
            station=station, status="accepted", date=day, person_times=person_times
        )


def test_the_pace_counts_days_of_the_year():
    assert days_gone(2026, datetime.date(2026, 1, 1)) == 1
    assert days_gone(2026, datetime.date(2026, 12, 31)) == 365
    assert days_gone(2026, datetime.date(2027, 3, 1)) == 365  # a past year: all of it
    assert days_gone(2026, datetime.date(2025, 12, 31)) == 0  # a future year: none yet
    assert days_gone(2026, datetime.date(2026, 12, 31), datetime.date(2026, 11, 17)) == 45


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("activities", "person_times", "standing"),
    [
        (4, 50, Standing.MET),
        (3, 60, Standing.ON_PACE),  # at mid-year 2 activities and 25 person-times are due
        (2, 25, Standing.ON_PACE),
        (1, 60, Standing.BEHIND),
        (3, 24, Standing.BEHIND),
    ],
)
def test_a_station_against_the_minimums_and_the_pace(activities, person_times, standing):
    station = factories.live_station()
    accepted(station, activities, person_times)
    factories.ActivityFactory(station=station, status="rejected", date=datetime.date(2026, 2, 1))
    on = datetime.date(2026, 7, 2)  # day 183 of 365: half of the minimums are due
    result = station_compliance(station, 2026, on=on)
    assert (result.activities_due, result.person_times_due) == (2, 25)
    assert result.minimums == Minimums(4, 50)
    assert result.standing == standing
    # A finished year owes the whole minimum: met or missed, no longer a pace.
    assert station_compliance(station, 2026, on=datetime.date(2027, 1, 2)).standing == (
        Standing.MET if standing == Standing.MET else Standing.MISSED
    )


@pytest.mark.django_db
def test_the_minimums_come_from_the_current_policy_settings(staff_user):
    current = PolicyVersion.current()
    fields = {
        f.name: getattr(current, f.name)
        for f in PolicyVersion._meta.concrete_fields
        if f.name not in ("id", "created_at", "created_by", "version")
    }
    fields.update(min_activities_per_year=6, min_person_times_per_year=100)
    PolicyVersion.objects.create(**fields)
    assert PolicyVersion.current().min_activities_per_year == 6
    station = factories.live_station()
    accepted(station, 5, 99)
    result = station_compliance(station, 2026, on=datetime.date(2026, 12, 31))
    assert result.minimums == Minimums(6, 100) and result.standing == Standing.BEHIND


@pytest.mark.django_db
def test_the_year_of_certification_counts_from_the_certification_date():
    station = factories.live_station(certified_on=datetime.date(2026, 11, 17))
    result = station_compliance(station, 2026, on=datetime.date(2026, 12, 31))
    assert (result.days, result.activities_due, result.person_times_due) == (45, 0, 6)
    assert result.standing == Standing.BEHIND
    accepted(station, 0, 6)
    result = station_compliance(station, 2026, on=datetime.date(2026, 12, 31))
    assert result.standing == Standing.ON_PACE


@pytest.mark.django_db
def test_a_finished_year_of_certification_owes_the_minimums_pro_rata():
    """Certified on 17 November: 45 days of 2026, so 0 activities and 6 person-times were owed
    once the year is over — met with them, missed below them; never "on pace" after the year."""
    station = factories.live_station(certified_on=datetime.date(2026, 11, 17))
    after = datetime.date(2027, 1, 5)
    result = station_compliance(station, 2026, on=after)
    assert result.over and result.pro_rata and result.standing == Standing.MISSED
    accepted(station, 1, 6)
    result = station_compliance(station, 2026, on=after)
    assert not result.met and result.standing == Standing.MET
    district = district_compliance(2026, on=after)
    assert [standing for standing, _n in district.standings] == ["met", "missed"]
    assert district.counts["met"] == 1 and district.behind == []


@pytest.mark.django_db
def test_the_district_lists_live_stations_and_who_is_behind(staff_user):
    behind = factories.live_station(name="A驿站")
    met = factories.live_station(name="B驿站", station_type=StationType.SERVICE)
    accepted(met, 4, 50)
    factories.StationFactory(name="申报中驿站")  # not live: not listed
    later = factories.live_station(name="明年驿站", certified_on=datetime.date(2027, 1, 5))
    result = district_compliance(2026, on=datetime.date(2026, 12, 1))
    assert [row.station for row in result.rows] == [behind, met]
    assert [row.station for row in result.behind] == [behind]
    assert result.counts == {"met": 1, "on_pace": 0, "behind": 1, "missed": 0}
    assert [standing for standing, _n in result.standings] == ["met", "on_pace", "behind"]
    only = district_compliance(
        2026, station_type=StationType.SERVICE, on=datetime.date(2026, 12, 1)
    )
    assert [row.station for row in only.rows] == [met]
    standing = district_compliance(2026, standing="behind", on=datetime.date(2026, 12, 1))
    assert [row.station for row in standing.rows] == [behind]
    assert later not in [row.station for row in result.rows]
    assert later in [row.station for row in district_compliance(2027).rows]


def _add_stations(n):
    """``n`` certified stations of one unit (three with accepted entries), in bulk."""
    from stations.models import Station

    unit = factories.HostUnitFactory()
    start = Station.objects.count()
    Station.objects.bulk_create(
        Station(
            name=f"驿站{start + i:04d}",
            station_type=StationType.INDUSTRY,
            host_unit=unit,
            status=Station.Status.CERTIFIED,
            certified_on=datetime.date(2025, 1, 15),
        )
        for i in range(n)
    )
    for station in Station.objects.filter(host_unit=unit)[:3]:
        accepted(station, 2, 30)


def _page_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with time_machine.travel("2026-06-15 10:00 +0800"), CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_the_compliance_page_queries_are_the_same_at_10_and_500_stations(client, staff_user):
    client.force_login(staff_user)
    url = reverse("assessments:compliance") + "?year=2026&page=1"
    _add_stations(10)
    client.get(url)  # warm the caches (policy settings, content types)
    at_10 = _page_queries(client, url)
    _add_stations(490)
    assert _page_queries(client, url) == at_10
    assert at_10 <= 8


@pytest.mark.django_db
def test_the_compliance_page_for_each_role(client, staff_user, official_user, applicant):
    behind = factories.live_station(name="落后驿站")
    url = reverse("assessments:compliance")
    with time_machine.travel("2026-12-01 10:00 +0800"):
        for user, status in ((staff_user, 200), (official_user, 200), (applicant, 403)):
            client.force_login(user)
            response = client.get(url + "?standing=behind")
            assert response.status_code == status
            if status == 200:
                body = response.content.decode()
                assert behind.name in body and "进度滞后" in body


@pytest.mark.django_db
def test_the_hub_shows_the_station_its_compliance(client):
    station = factories.live_station()
    keeper = factories.applicant_user(station.host_unit)
    accepted(station, 4, 50, year=2026)
    client.force_login(keeper)
    with time_machine.travel("2026-12-01 10:00 +0800"):
        body = client.get(
            reverse("assessments:station_operations", args=[station.pk])
        ).content.decode()
    assert "已达最低要求" in body and "2026年度最低要求" in body


@pytest.mark.django_db
def test_the_compliance_page_of_a_finished_year(client, staff_user):
    missed = factories.live_station(name="A驿站", certified_on=datetime.date(2025, 3, 1))
    client.force_login(staff_user)
    page = client.get(reverse("assessments:compliance"), {"year": 2025}).content.decode()
    assert "2025年（已结束）" in page and "活动场次（应完成）" in page and "截至今天" not in page
    assert '<option value="missed">未达最低要求 (1)</option>' in page
    assert '<option value="on_pace"' not in page
    listed = client.get(reverse("assessments:compliance"), {"year": 2025, "standing": "missed"})
    assert missed.name in listed.content.decode()
