"""The operation log: the review lifecycle through the workflow, who sees and does what on
each page, files served only to who may see the entry, the evidence totals (accepted entries
only, by the entry's calendar year, at the Annex 2 boundaries), bad input never a 500."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import operations
from assessments.evidence import YearTotals, year_totals
from assessments.models import Activity, ActivityFile, ServiceRecord
from stations.models import Station
from talentstation.models import Notification, TransitionLog
from talentstation.rules import Refused
from talentstation.workflow import history, perform

from . import factories
from .factories import TINY_PDF, TINY_PNG

TODAY = "2026-06-15 10:00 +0800"
ACTIVITY = {
    "date": datetime.date(2026, 3, 10),
    "title": "人才沙龙",
    "kind": "exchange",
    "mode": "offline",
    "place": "驿站会议室",
    "partners": "福州大学",
    "person_times": 30,
    "high_level_talents": 5,
    "report": "技术交流",
}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def station(db):
    return factories.live_station()


@pytest.fixture
def keeper(station):
    return factories.applicant_user(station.host_unit)


def fresh(entry):
    return type(entry).objects.get(pk=entry.pk)


# -- the lifecycle ------------------------------------------------------------------------------


def test_an_entry_goes_through_the_review_with_its_history(station, keeper, staff_user):
    activity = operations.log_activity(station, ACTIVITY, by=keeper)
    assert activity.status == Activity.Status.SUBMITTED and activity.recorded_by == keeper
    operations.reject(activity, by=staff_user, reason="签到表未上传")
    activity = fresh(activity)
    assert activity.status == Activity.Status.REJECTED and activity.reviewed_by == staff_user
    # The unit is told, with the reason.
    notice = Notification.objects.get(recipient=keeper)
    assert "签到表未上传" in notice.body and notice.link == activity.get_absolute_url()
    assert operations.edit(activity, {**ACTIVITY, "person_times": 28}, by=keeper)
    assert fresh(activity).status == Activity.Status.SUBMITTED
    operations.accept(activity, by=staff_user)
    assert [log.transition for log in history(activity)] == [
        "record",
        "reject",
        "resubmit",
        "accept",
    ]
    assert fresh(activity).person_times == 28


def test_staff_correct_with_a_reason_and_the_history_keeps_the_old_values(
    station, keeper, staff_user
):
    record = operations.log_service(
        station,
        {"date": datetime.date(2026, 5, 1), "kind": "policy", "served": "一名博士"},
        by=keeper,
    )
    operations.accept(record, by=staff_user)
    with pytest.raises(Refused):
        operations.correct(record, {"person_times": 3}, by=staff_user, reason="")
    with pytest.raises(Refused):  # nothing changed
        operations.correct(record, {"person_times": 1}, by=staff_user, reason="核对")
    operations.correct(record, {"person_times": 3}, by=staff_user, reason="按签到表更正")
    record = fresh(record)
    assert record.status == ServiceRecord.Status.ACCEPTED and record.person_times == 3
    log = TransitionLog.objects.for_object(record).get(transition="correct")
    assert "按签到表更正" in log.reason and "1 → 3" in log.reason
    history = record.history.order_by("history_date", "history_id")
    assert [h.person_times for h in history][-2:] == [1, 3]
    assert Notification.objects.filter(recipient=keeper, body__contains="按签到表更正").exists()
    with pytest.raises(Refused):  # the station no longer edits an accepted entry
        operations.edit(record, {"person_times": 9}, by=keeper)


def test_only_live_stations_log_and_only_their_users(station, keeper, staff_user, other_unit):
    with pytest.raises(Refused):
        operations.log_activity(station, ACTIVITY, by=factories.applicant_user(other_unit))
    with pytest.raises(Refused):
        operations.log_activity(station, ACTIVITY, by=staff_user)
    perform(station, "start_rectification", by=staff_user, reason="活动不足")
    assert operations.log_activity(station, ACTIVITY, by=keeper).pk  # still live
    perform(station, "revoke", by=staff_user, reason="整改不到位")
    with pytest.raises(Refused, match="已撤销|revoked"):
        operations.log_activity(station, ACTIVITY, by=keeper)
    applying = factories.StationFactory(host_unit=station.host_unit)
    with pytest.raises(Refused):
        operations.log_service(applying, {"date": datetime.date(2026, 5, 1)}, by=keeper)


def test_the_station_cannot_review_and_staff_cannot_resubmit(station, keeper, staff_user):
    activity = operations.log_activity(station, ACTIVITY, by=keeper)
    with pytest.raises(Refused):
        operations.accept(activity, by=keeper)
    with pytest.raises(Refused):
        perform(fresh(activity), "resubmit", by=staff_user)


def test_values_the_model_refuses(station, keeper):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        operations.log_activity(station, {**ACTIVITY, "high_level_talents": 31}, by=keeper)
    with pytest.raises(ValidationError):
        operations.log_activity(
            station, {**ACTIVITY, "date": datetime.date(2026, 6, 16)}, by=keeper
        )
    with pytest.raises(ValidationError):
        operations.log_service(
            station,
            {"date": datetime.date(2026, 5, 1), "kind": "policy", "served": "350102199001011234"},
            by=keeper,
        )


# -- evidence ---------------------------------------------------------------------------------


def test_rejected_and_waiting_entries_do_not_count(station):
    factories.ActivityFactory(station=station, status="accepted", person_times=10)
    factories.ActivityFactory(station=station, status="rejected", person_times=100)
    factories.ActivityFactory(station=station, person_times=100)  # waiting
    factories.ServiceRecordFactory(station=station, status="accepted", person_times=3)
    factories.ServiceRecordFactory(station=station, status="rejected", person_times=50)
    totals = year_totals(2026)[station.pk]
    assert totals == YearTotals(
        activities=1, activity_person_times=10, service_person_times=3, high_level=2
    )
    assert totals.person_times == 13


def test_entries_count_in_the_calendar_year_of_their_date(station):
    for day in ("2025-12-31", "2026-01-01", "2026-12-31", "2027-01-01"):
        factories.ActivityFactory(
            station=station, status="accepted", date=datetime.date.fromisoformat(day)
        )
    assert year_totals(2025)[station.pk].activities == 1
    assert year_totals(2026)[station.pk].activities == 2
    assert year_totals(2027)[station.pk].activities == 1
    assert year_totals(2024)[station.pk] == YearTotals()


@pytest.mark.parametrize("activities", [4, 5])
@pytest.mark.parametrize(("activity_pt", "service_pt"), [(40, 9), (40, 10), (90, 9), (90, 10)])
def test_evidence_at_the_annex2_boundaries(station, activities, activity_pt, service_pt):
    """4/5 activities; 49/50/99/100 person-times (activities plus service records)."""
    for index in range(activities):
        share = activity_pt // activities + (1 if index < activity_pt % activities else 0)
        factories.ActivityFactory(
            station=station, status="accepted", person_times=share, high_level_talents=0
        )
    factories.ServiceRecordFactory(station=station, status="accepted", person_times=service_pt)
    totals = year_totals(2026, [station.pk])[station.pk]
    assert totals.activities == activities
    assert totals.person_times == activity_pt + service_pt


def test_year_totals_are_two_queries_for_any_number_of_stations(db, django_assert_num_queries):
    stations = [factories.live_station() for _ in range(5)]
    for station in stations:
        factories.ActivityFactory(station=station, status="accepted")
        factories.ServiceRecordFactory(station=station, status="accepted")
    with django_assert_num_queries(2):
        totals = year_totals(2026, [s.pk for s in stations] + [999999])
    assert totals[999999] == YearTotals() and totals[stations[0].pk].activities == 1
    with django_assert_num_queries(2):
        totals = year_totals(2026, Station.objects.values("pk"))
    assert len(totals) == 5


# -- pages: each role on each view ---------------------------------------------------------


@pytest.fixture
def world(station, keeper, staff_user, official_user, expert_user, other_unit):
    activity = factories.ActivityFactory(station=station)
    ActivityFile.objects.create(
        activity=activity,
        kind="photo",
        file=SimpleUploadedFile("p.png", TINY_PNG),
        original_name="活动照片.png",
        size=len(TINY_PNG),
    )
    return {
        "station": station,
        "activity": activity,
        "file": activity.files.get(),
        "record": factories.ServiceRecordFactory(station=station),
        "keeper": keeper,
        "staff": staff_user,
        "official": official_user,
        "expert": expert_user,
        "stranger": factories.applicant_user(other_unit),
    }


def _pages(w):
    s, a, r = w["station"].pk, w["activity"].pk, w["record"].pk
    return {
        "hub": reverse("assessments:station_operations", args=[s]),
        "services": reverse("assessments:station_services", args=[s]),
        "add_activity": reverse("assessments:activity_add", args=[s]),
        "add_service": reverse("assessments:service_add", args=[s]),
        "import": reverse("assessments:activity_import", args=[s]),
        "template": reverse("assessments:activity_import_template", args=[s]),
        "activity": reverse("assessments:activity_detail", args=[a]),
        "edit_activity": reverse("assessments:activity_edit", args=[a]),
        "service": reverse("assessments:service_detail", args=[r]),
        "edit_service": reverse("assessments:service_edit", args=[r]),
        "file": reverse("assessments:activity_file", args=[w["file"].pk]),
        "correct_activity": reverse("assessments:activity_correct", args=[a]),
        "correct_service": reverse("assessments:service_correct", args=[r]),
        "queue": reverse("assessments:queue"),
        "compliance": reverse("assessments:compliance"),
    }


# role → page → status (every page not named: 200)
EXPECTED = {
    "keeper": {"correct_activity": 403, "correct_service": 403, "queue": 403, "compliance": 403},
    "staff": {"add_activity": 403, "add_service": 403, "import": 403, "template": 403},
    "official": {
        "add_activity": 403,
        "add_service": 403,
        "import": 403,
        "template": 403,
        "correct_activity": 403,
        "correct_service": 403,
    },
    "stranger": {"queue": 403, "compliance": 403},
    "expert": {"queue": 403, "compliance": 403},
}
STATION_PAGES = {
    "hub",
    "services",
    "add_activity",
    "add_service",
    "import",
    "template",
    "activity",
    "edit_activity",
    "service",
    "edit_service",
    "file",
    "correct_activity",
    "correct_service",
}


@pytest.mark.parametrize("role", ["keeper", "staff", "official", "stranger", "expert"])
def test_each_role_on_each_page(client, world, role):
    client.force_login(world[role])
    expected = dict(EXPECTED[role])
    if role in ("stranger", "expert"):  # another unit's station: as if it did not exist
        expected.update(dict.fromkeys(STATION_PAGES, 404))
    if role in ("staff", "official"):  # staff and officials read, the station edits
        expected.update({"edit_activity": 302, "edit_service": 302})
    got = {name: client.get(url).status_code for name, url in _pages(world).items()}
    assert got == {name: expected.get(name, 200) for name in got}


def test_anonymous_users_log_in_first(client, world):
    for url in _pages(world).values():
        assert client.get(url).status_code == 302


def test_an_applicant_sees_only_its_own_stations_log(client, world):
    other = factories.live_station(name="别人的人才驿站")
    factories.ActivityFactory(station=other, title="别人的活动")
    client.force_login(world["keeper"])
    hub = client.get(reverse("assessments:station_operations", args=[world["station"].pk]))
    assert world["activity"].title in hub.content.decode()
    assert "别人的活动" not in hub.content.decode()
    assert client.get(reverse("assessments:station_operations", args=[other.pk])).status_code == 404
    activity = other.activities.get()
    assert client.get(activity.get_absolute_url()).status_code == 404
    # The navbar leads the unit to its own station's hub.
    mine = client.get(reverse("assessments:my_operations"))
    assert mine.url == reverse("assessments:station_operations", args=[world["station"].pk])
    assert "驿站运营" in client.get(reverse("home"), follow=True).content.decode()


def test_the_file_is_served_as_an_attachment_to_who_may_see_it(client, world):
    url = reverse("assessments:activity_file", args=[world["file"].pk])
    client.force_login(world["official"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(world["stranger"])
    assert client.get(url).status_code == 404


def test_the_station_logs_an_activity_with_files_on_the_page(client, station, keeper):
    client.force_login(keeper)
    data = {**ACTIVITY, "date": "2026-03-10"}
    data["photos"] = [SimpleUploadedFile("现场.png", TINY_PNG)]
    data["sign_in_sheets"] = [SimpleUploadedFile("签到表.pdf", TINY_PDF)]
    response = client.post(reverse("assessments:activity_add", args=[station.pk]), data)
    activity = station.activities.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert sorted(f.kind for f in activity.files.all()) == ["photo", "sign_in"]
    assert activity.status == Activity.Status.SUBMITTED


@pytest.mark.parametrize(
    "change",
    [
        {"person_times": "0"},
        {"person_times": "abc"},
        {"high_level_talents": "31"},
        {"date": "2026-02-30"},
        {"date": "2026-07-01"},
        {"kind": "party"},
        {"place": "", "mode": "offline"},
        {"title": "x" * 201},
        {"title": "沙龙\u202e"},
    ],
)
def test_bad_input_is_a_400_with_the_reason_never_a_500(client, station, keeper, change):
    client.force_login(keeper)
    url = reverse("assessments:activity_add", args=[station.pk])
    response = client.post(url, {**ACTIVITY, "date": "2026-03-10", **change})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    assert not station.activities.exists()


def test_a_photo_that_is_not_an_image_is_refused(client, station, keeper):
    client.force_login(keeper)
    data = {**ACTIVITY, "date": "2026-03-10", "photos": [SimpleUploadedFile("x.png", TINY_PDF)]}
    response = client.post(reverse("assessments:activity_add", args=[station.pk]), data)
    assert response.status_code == 400 and not station.activities.exists()


def test_staff_accept_from_the_queue_and_reject_with_a_reason(client, world):
    client.force_login(world["staff"])
    queue = client.get(reverse("assessments:queue"))
    assert world["activity"].title in queue.content.decode()
    accept = reverse(
        "run_transition", args=["assessments.activity", world["activity"].pk, "accept"]
    )
    client.post(accept, {"next": reverse("assessments:queue")})
    assert fresh(world["activity"]).status == Activity.Status.ACCEPTED
    reject = reverse(
        "run_transition", args=["assessments.servicerecord", world["record"].pk, "reject"]
    )
    client.post(reject, {"reason": ""})
    assert fresh(world["record"]).status == ServiceRecord.Status.SUBMITTED  # a reason is needed
    client.post(reject, {"reason": "服务对象不清楚"})
    assert fresh(world["record"]).status == ServiceRecord.Status.REJECTED


def test_the_station_cannot_accept_its_own_entry_through_the_endpoint(client, world):
    client.force_login(world["keeper"])
    accept = reverse(
        "run_transition", args=["assessments.activity", world["activity"].pk, "accept"]
    )
    client.post(accept)
    assert fresh(world["activity"]).status == Activity.Status.SUBMITTED
    client.force_login(world["stranger"])
    assert client.post(accept).status_code == 404


def test_staff_correct_on_the_page(client, world):
    client.force_login(world["staff"])
    url = reverse("assessments:service_correct", args=[world["record"].pk])
    data = {"date": "2026-03-10", "kind": "policy", "served": "一名返乡博士", "person_times": "2"}
    assert client.post(url, data).status_code == 400  # no reason
    response = client.post(url, {**data, "reason": "按台账更正"})
    assert response.status_code == 302
    assert fresh(world["record"]).person_times == 2


def test_the_station_edits_a_rejected_entry_and_it_waits_again(client, world):
    activity = world["activity"]
    Activity.objects.filter(pk=activity.pk).update(status="rejected")
    client.force_login(world["keeper"])
    url = reverse("assessments:activity_edit", args=[activity.pk])
    assert "修改并重新提交" in client.get(activity.get_absolute_url()).content.decode()
    data = {f: getattr(activity, f) for f in Activity.VALUE_FIELDS}
    response = client.post(url, {**data, "date": "2026-03-10", "person_times": "25"})
    assert response.status_code == 302
    assert fresh(activity).status == Activity.Status.SUBMITTED
    assert fresh(activity).person_times == 25


def test_bad_filters_are_a_message_and_a_400(client, world):
    client.force_login(world["staff"])
    for query in ("?status=nope", "?year=abc", "?type=x", "?entry=other", "?year=99999"):
        assert client.get(reverse("assessments:queue") + query).status_code == 400
        assert client.get(reverse("assessments:compliance") + query).status_code in (200, 400)
    hub = reverse("assessments:station_operations", args=[world["station"].pk])
    assert client.get(hub + "?year=x").status_code == 400
    assert client.get(hub + "?page=abc").status_code == 200


@pytest.mark.parametrize("rows", [2, 30])
def test_queue_and_hub_queries_do_not_grow(client, world, rows, django_assert_max_num_queries):
    for _ in range(rows):
        factories.ActivityFactory(station=factories.live_station())
        factories.ActivityFactory(station=world["station"])
    client.force_login(world["staff"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("assessments:queue")).status_code == 200
    client.force_login(world["keeper"])
    hub = reverse("assessments:station_operations", args=[world["station"].pk])
    with django_assert_max_num_queries(14):
        assert client.get(hub).status_code == 200
