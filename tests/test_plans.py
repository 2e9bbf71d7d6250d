"""Work plans and summaries (Art. 12(6)): due dates set per year by staff, filing through the
workflow, lateness at the due-date boundary, the station's and the district's lists."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments import records
from assessments.models import ReportSchedule, StationReport
from assessments.models.reports import is_late
from talentstation.models import TransitionLog
from talentstation.roles import Role
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

DUE = datetime.date(2026, 3, 31)
D = datetime.timedelta(days=1)


@pytest.fixture
def schedule(db):
    return ReportSchedule.objects.create(
        year=2026, plan_due=DUE, summary_due=datetime.date(2027, 1, 31)
    )


@pytest.fixture
def station(unit):
    return factories.live_station(unit, certified_on=datetime.date(2025, 11, 17))


def file_url(station, year=2026, kind="plan"):
    return reverse("assessments:report_file", args=[station.pk, year, kind])


# --- lateness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filed", "on", "late"),
    [
        (DUE, DUE + 30 * D, False),  # filed on the due date
        (DUE + D, DUE + 30 * D, True),  # the day after
        (DUE - D, DUE + 30 * D, False),
        (None, DUE, False),  # not filed, still the due date
        (None, DUE + D, True),  # not filed once it has passed
    ],
)
def test_lateness_at_the_due_date_boundary(filed, on, late):
    assert is_late(DUE, filed, on=on) is late


def test_no_due_date_is_never_late_and_a_station_not_expected_is_not_late_unfiled():
    assert not is_late(None, None, on=DUE + 100 * D)
    assert not is_late(DUE, None, expected=False, on=DUE + 100 * D)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "late"),
    [("2026-03-31 23:59 +0800", False), ("2026-04-01 00:01 +0800", True)],
)
def test_filing_is_judged_by_the_day_in_shanghai(station, applicant, schedule, moment, late):
    report = factories.StationReportFactory(station=station)
    with time_machine.travel(moment):
        perform(report, "submit", by=applicant)
    assert report.is_late() is late
    assert report.filed_on == (DUE if not late else DUE + D)


@pytest.mark.django_db
def test_a_resubmission_after_a_return_keeps_the_filing_date(
    station, applicant, staff_user, schedule
):
    report = factories.StationReportFactory(station=station)
    with time_machine.travel("2026-03-30 10:00 +0800"):
        perform(report, "submit", by=applicant)
    with pytest.raises(Refused):
        perform(report, "return_report", by=staff_user)  # a reason is needed
    perform(report, "return_report", by=staff_user, reason="请补充活动预算")
    with time_machine.travel("2026-04-15 10:00 +0800"):
        perform(report, "submit", by=applicant)
    assert report.filed_on == datetime.date(2026, 3, 30) and not report.is_late()
    perform(report, "accept", by=staff_user)
    assert [log.transition for log in TransitionLog.objects.for_object(report).order_by("pk")] == [
        "submit",
        "return_report",
        "submit",
        "accept",
    ]


@pytest.mark.django_db
def test_staff_decide_and_the_station_submits(station, applicant, staff_user):
    report = factories.StationReportFactory(station=station)
    with pytest.raises(Refused):
        perform(report, "submit", by=staff_user)
    with pytest.raises(Refused):
        perform(report, "submit", by=factories.applicant_user())
    perform(report, "submit", by=applicant)
    with pytest.raises(Refused):
        perform(report, "accept", by=applicant)


@pytest.mark.django_db
def test_an_empty_report_cannot_be_submitted_but_is_saved(client, applicant, station, schedule):
    client.force_login(applicant)
    response = client.post(file_url(station), {"text": "", "submit": "1"}, follow=True)
    assert any("正文" in str(m) or "文件" in str(m) for m in response.context["messages"])
    assert StationReport.objects.get().status == StationReport.Status.DRAFT


# --- the station's pages ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_station_files_its_plan_with_a_document(client, applicant, station, schedule):
    client.force_login(applicant)
    with time_machine.travel("2026-04-02 10:00 +0800"):
        before = client.get(reverse("assessments:station_reports", args=[station.pk]))
        rows = {(r.year, r.kind): r for r in before.context["rows"]}
        assert rows[(2026, "plan")].late and not rows[(2026, "summary")].late
        document = SimpleUploadedFile("计划.pdf", factories.TINY_PDF)
        response = client.post(
            file_url(station), {"text": "全年举办活动6场", "document": document, "submit": "1"}
        )
        assert response.status_code == 302
        report = StationReport.objects.get()
        assert report.status == StationReport.Status.SUBMITTED and report.is_late()
        page = client.get(reverse("assessments:station_reports", args=[station.pk]))
    assert "逾期" in page.content.decode()
    assert client.get(reverse("assessments:report_document", args=[report.pk])).status_code == 200
    # Submitted: no longer editable.
    again = client.post(file_url(station), {"text": "改", "save": "1"})
    assert again.status_code == 200
    report.refresh_from_db()
    assert report.text == "全年举办活动6场"


@pytest.mark.django_db
def test_a_bad_document_is_explained_and_the_text_kept(client, applicant, station, schedule):
    client.force_login(applicant)
    fake = SimpleUploadedFile("总结.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    response = client.post(
        file_url(station), {"text": "工作计划正文", "document": fake, "save": "1"}
    )
    assert response.status_code == 400
    assert "document" in response.context["form"].errors
    assert "工作计划正文" in response.content.decode()
    assert not StationReport.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("year", "kind"), [(1999, "plan"), (2026, "annual"), (3000, "plan")])
def test_a_wrong_year_or_kind_in_the_address_is_not_found(client, applicant, station, year, kind):
    client.force_login(applicant)
    with time_machine.travel("2026-04-02 10:00 +0800"):
        assert client.get(file_url(station, year, kind)).status_code == 404


@pytest.mark.django_db
def test_each_role_on_the_report_pages(client, applicant, station, schedule):
    report = factories.StationReportFactory(station=station)
    pages = {
        "list": reverse("assessments:station_reports", args=[station.pk]),
        "file": file_url(station),
        "detail": reverse("assessments:report_detail", args=[report.pk]),
        "district": reverse("assessments:staff_reports"),
    }
    expected = {
        "own": {"list": 200, "file": 200, "detail": 200, "district": 403},
        "other": {"list": 404, "file": 404, "detail": 404, "district": 403},
        "staff": {"list": 200, "file": 403, "detail": 200, "district": 200},
        "official": {"list": 200, "file": 403, "detail": 200, "district": 200},
        "expert": {"list": 404, "file": 404, "detail": 404, "district": 403},
    }
    users = {
        "own": applicant,
        "other": factories.applicant_user(),
        "staff": factories.UserFactory(role=Role.STAFF),
        "official": factories.UserFactory(role=Role.OFFICIAL),
        "expert": factories.UserFactory(role=Role.EXPERT),
    }
    for who, statuses in expected.items():
        client.force_login(users[who])
        got = {name: client.get(url).status_code for name, url in pages.items()}
        assert got == statuses, who


@pytest.mark.django_db
def test_staff_accept_on_the_report_page(client, applicant, station, staff_user, official_user):
    report = factories.StationReportFactory(station=station)
    perform(report, "submit", by=applicant)
    detail = reverse("assessments:report_detail", args=[report.pk])
    accept = reverse("run_transition", args=["assessments.stationreport", report.pk, "accept"])
    client.force_login(official_user)
    assert accept not in client.get(detail).content.decode()
    client.force_login(staff_user)
    assert accept in client.get(detail).content.decode()
    client.post(accept, {"next": detail})
    report.refresh_from_db()
    assert report.status == StationReport.Status.ACCEPTED


# --- the district list ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_district_list_shows_who_is_late(client, staff_user, schedule):
    staff = factories.UserFactory(role=Role.STAFF)
    on_time, late_filed, _unfiled = (
        factories.live_station(name=name, staff=staff) for name in ("甲驿站", "乙驿站", "丙驿站")
    )
    # Certified after the plan was due: not expected to file this year's plan.
    factories.live_station(name="丁驿站", staff=staff, certified_on=DUE + D)
    for station, day in (
        (on_time, "2026-03-31 20:00 +0800"),
        (late_filed, "2026-04-03 10:00 +0800"),
    ):
        report = factories.StationReportFactory(station=station)
        with time_machine.travel(day):
            perform(report, "submit", by=factories.applicant_user(station.host_unit))
    client.force_login(staff_user)
    url = reverse("assessments:staff_reports")
    with time_machine.travel("2026-04-10 10:00 +0800"):
        every = client.get(url, {"year": "2026", "kind": "plan"})
        late = client.get(url, {"year": "2026", "kind": "plan", "late": "yes"})
        not_late = client.get(url, {"year": "2026", "kind": "plan", "late": "no"})
    names = lambda response: sorted(s.name for s in response.context["page"])  # noqa: E731
    assert names(every) == ["丁驿站", "丙驿站", "乙驿站", "甲驿站"]
    assert names(late) == ["丙驿站", "乙驿站"]
    assert names(not_late) == ["丁驿站", "甲驿站"]
    assert every.context["result"].columns[0].late_count == 2
    cells = {s.name: s.report_cells[0] for s in every.context["page"]}
    assert cells["乙驿站"].late and cells["乙驿站"].filed_on == datetime.date(2026, 4, 3)
    assert not cells["丁驿站"].late and cells["丁驿站"].report_id is None


@pytest.mark.django_db
def test_a_wrong_filter_shows_the_list_without_it(client, staff_user, schedule):
    factories.live_station()
    client.force_login(staff_user)
    response = client.get(
        reverse("assessments:staff_reports"), {"year": "二〇二六", "late": "maybe"}
    )
    assert response.status_code == 400
    assert len(response.context["page"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [10, 60])
def test_the_district_list_queries_do_not_grow(
    client, staff_user, schedule, django_assert_max_num_queries, rows
):
    staff = factories.UserFactory(role=Role.STAFF)
    for n in range(rows):
        station = factories.live_station(staff=staff)
        if n % 2:
            factories.StationReportFactory(station=station)
    client.force_login(staff_user)
    with time_machine.travel("2026-04-10 10:00 +0800"), django_assert_max_num_queries(14):
        response = client.get(reverse("assessments:staff_reports"), {"year": "2026", "late": "yes"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows


@pytest.mark.django_db
def test_the_station_list_shows_the_years_since_its_certification(station, schedule):
    ReportSchedule.objects.create(
        year=2024, plan_due=datetime.date(2024, 3, 31), summary_due=datetime.date(2025, 1, 31)
    )
    ReportSchedule.objects.create(
        year=2025, plan_due=datetime.date(2025, 3, 31), summary_due=datetime.date(2026, 1, 31)
    )
    rows = records.station_report_rows(station, on=datetime.date(2026, 4, 10))
    assert [(r.year, r.kind) for r in rows] == [
        (2026, "plan"),
        (2026, "summary"),
        (2025, "plan"),
        (2025, "summary"),
    ]
    late = {(r.year, r.kind): r.late for r in rows}
    # Certified in November 2025: the 2025 plan was due before, the 2025 summary after.
    assert late == {
        (2026, "plan"): True,
        (2026, "summary"): False,
        (2025, "plan"): False,
        (2025, "summary"): True,
    }


@pytest.mark.django_db
def test_the_demo_district_has_station_records(settings):
    """Every live demo station has its profile, last year's summary and this year's plan (one
    late); the profiles vary and two referrals show both a selection and a pending one."""
    from django.core.management import call_command

    from assessments.models import StationProfile, TalentReferral
    from stations.models import Station

    settings.DEBUG = True
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 0, tzinfo=datetime.UTC)):
        call_command("load_demo")
        live = Station.objects.filter(status__in=Station.LIVE_STATES)
        assert live.count() >= 3
        profiles = StationProfile.objects.filter(station__in=live)
        assert profiles.count() == live.count()
        measures = [p.measures() for p in profiles]
        assert {m["rules_complete"] for m in measures} >= {4, 1}
        assert {m["display_area"] for m in measures} == {0, 1}
        assert TalentReferral.objects.filter(
            status="confirmed", outcome="selected", level="provincial"
        ).exists()
        assert TalentReferral.objects.filter(status="recorded", outcome="pending").exists()
        plans = StationReport.objects.filter(year=2026, kind="plan")
        assert plans.count() == live.count()
        assert [p.is_late() for p in plans].count(True) == 1
        assert StationReport.objects.filter(
            year=2025, kind="summary", status="accepted"
        ).count() == (live.count())
