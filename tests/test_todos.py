"""Every role's to-do list (talentstation/todos.py and the apps' sources): each item shows while
its condition holds and goes when it is resolved; a constant number of queries per role."""

import datetime
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import cycles
from assessments.models import Activity, ReportSchedule, SelfAssessment, StationReport
from awards.models import NominationBatch, Ranking, RectificationOrder, UsageReport
from talentstation import assignments
from talentstation.models import PolicyVersion
from talentstation.roles import Role
from talentstation.rules import is_staff
from talentstation.todo_sources import lapsed_policy
from talentstation.todos import Todo, for_user
from talentstation.workflow import perform

from . import factories

pytestmark = pytest.mark.django_db

OPEN = "2026-08-01 10:00 +0800"  # the 2026 call (factories) is open
DAY = "2026-12-01 10:00 +0800"  # the policy basis lapsed after 2026-07-01


def urls(user):
    return [todo.url for todo in for_user(user)]


def count_queries(user):
    for_user(user)  # warm the per-user and content type caches
    with CaptureQueriesContext(connection) as context:
        for_user(user)
    return len(context)


def set_status(obj, status):
    """Test data: put ``obj`` straight into ``status`` (the workflows are tested elsewhere)."""
    type(obj).objects.filter(pk=obj.pk).update(status=status)
    obj.refresh_from_db()


# --- the registry ------------------------------------------------------------------------


def test_items_are_sorted_by_due_date_undated_last(monkeypatch):
    from talentstation import todos

    early, late = datetime.date(2026, 1, 1), datetime.date(2026, 5, 1)
    source = todos._Source(
        lambda user: [Todo("c"), Todo("b", due=late), Todo("a", due=early)], 0, is_staff
    )
    monkeypatch.setattr(todos, "sources_for", lambda user: [source])
    assert [t.title for t in todos.for_user(object())] == ["a", "b", "c"]
    assert Todo("x", due=early).overdue(late) and not Todo("x").overdue(late)


def test_anonymous_users_have_no_list(client):
    from django.contrib.auth.models import AnonymousUser

    assert for_user(AnonymousUser()) == []


# --- applicant ---------------------------------------------------------------------------


def test_applicant_draft_then_returned_application(staff_user):
    application = factories.ApplicationFactory()
    applicant = factories.applicant_user(application.host_unit)
    url = reverse("stations:application_detail", args=[application.pk])
    with time_machine.travel(OPEN):
        [todo] = [t for t in for_user(applicant) if t.url == url]
        assert todo.due == application.call.close_date
        perform(application, "submit", by=applicant)
        assert url not in urls(applicant)
        perform(application, "return_for_correction", by=staff_user, reason="请补充场地面积说明")
        [todo] = [t for t in for_user(applicant) if t.url == url]
        assert todo.severity == "warning"
    with time_machine.travel(DAY):  # after the close date a returned application is still due
        [todo] = [t for t in for_user(applicant) if t.url == url]
        assert todo.due is None
        perform(application, "resubmit", by=applicant)
        assert url not in urls(applicant)
    with time_machine.travel(DAY):  # a draft of a closed call is no longer a to-do
        other = factories.ApplicationFactory(host_unit=factories.HostUnitFactory())
        assert reverse("stations:application_detail", args=[other.pk]) not in urls(
            factories.applicant_user(other.host_unit)
        )


def test_applicant_activity_log_of_last_month():
    unit = factories.HostUnitFactory()
    applicant = factories.applicant_user(unit)
    station = factories.live_station(unit)
    url = reverse("assessments:station_operations", args=[station.pk])
    with time_machine.travel(DAY):
        assert url in urls(applicant)
        factories.ActivityFactory(station=station, date=datetime.date(2026, 11, 10))
        assert url not in urls(applicant)


def test_applicant_plan_and_summary_due():
    unit = factories.HostUnitFactory()
    applicant = factories.applicant_user(unit)
    station = factories.live_station(unit)
    ReportSchedule.objects.create(
        year=2026, plan_due=datetime.date(2026, 12, 20), summary_due=datetime.date(2027, 1, 20)
    )
    plan = reverse("assessments:report_file", args=[station.pk, 2026, "plan"])
    summary = reverse("assessments:report_file", args=[station.pk, 2026, "summary"])
    with time_machine.travel(DAY):
        assert {plan, summary} <= set(urls(applicant))
        report = factories.StationReportFactory(station=station, year=2026, kind="plan")
        set_status(report, StationReport.Status.SUBMITTED)
        assert plan not in urls(applicant) and summary in urls(applicant)
        set_status(report, StationReport.Status.RETURNED)
        assert plan in urls(applicant)


def test_applicant_usage_report_and_rectification_due(staff_user):
    unit = factories.HostUnitFactory()
    applicant = factories.applicant_user(unit)
    award = factories.published_award(unit, staff=staff_user)
    award.report_due = datetime.date(2027, 12, 31)
    award.save(update_fields=["report_due"])
    report = UsageReport.objects.create(award=award)
    order = RectificationOrder.objects.create(
        station=award.station,
        status=RectificationOrder.Status.ISSUED,
        issued_on=datetime.date(2026, 10, 1),
        deadline=datetime.date(2026, 12, 30),
    )
    report_url = reverse("awards:usage_report", args=[report.pk])
    order_url = reverse("awards:rectification_detail", args=[order.pk])
    with time_machine.travel(DAY):
        todos = {t.url: t for t in for_user(applicant)}
        assert todos[report_url].due == datetime.date(2027, 12, 31)
        assert todos[order_url].due == datetime.date(2026, 12, 30)
        set_status(report, UsageReport.Status.SUBMITTED)
        set_status(order, RectificationOrder.Status.REPORTED)
        assert not {report_url, order_url} & set(urls(applicant))


def test_applicant_self_assessment_in_an_open_cycle(staff_user):
    unit = factories.HostUnitFactory()
    applicant = factories.applicant_user(unit)
    factories.live_station(unit, certified_on=datetime.date(2024, 6, 1))
    cycle = factories.open_cycle(staff_user, first_year=2025)
    assessment = cycle.assessments.get()
    url = reverse("assessments:self_assessment_edit", args=[assessment.pk])
    with time_machine.travel(DAY):
        [todo] = [t for t in for_user(applicant) if t.url == url]
        assert todo.due == cycle.self_assessment_due
        SelfAssessment.objects.create(assessment=assessment, status=SelfAssessment.Status.SUBMITTED)
        assert url not in urls(applicant)


def test_applicant_queries_are_constant():
    def applicant_with(stations):
        unit = factories.HostUnitFactory()
        for _n in range(stations):
            factories.live_station(unit)
        return factories.applicant_user(unit)

    ReportSchedule.objects.create(
        year=2026, plan_due=datetime.date(2026, 12, 20), summary_due=datetime.date(2027, 1, 20)
    )
    small, large = applicant_with(1), applicant_with(5)
    with time_machine.travel(DAY):
        assert len(for_user(large)) > len(for_user(small))
        assert count_queries(small) == count_queries(large)


# --- expert ------------------------------------------------------------------------------


def accepted_application(staff_user):
    with time_machine.travel(OPEN):
        application = factories.ApplicationFactory()
        applicant = factories.applicant_user(application.host_unit)
        perform(application, "submit", by=applicant)
        perform(application.host_unit, "verify", by=staff_user)
        perform(application, "accept", by=staff_user)
    return application


def test_expert_review_declaration_visit_and_sheet(staff_user, expert_user):
    from talentstation.models.scoring import ScoreSheetTemplate
    from talentstation.scoring import sheet_for, submit_sheet

    from .test_certification import score_everything

    application = accepted_application(staff_user)
    assignment = assignments.assign_scorer(
        application, expert_user, by=staff_user, due_date=datetime.date(2026, 12, 10)
    )
    url = reverse("stations:expert_assignment", args=[assignment.pk])
    with time_machine.travel(DAY):
        [todo] = [t for t in for_user(expert_user) if t.url == url]
        assert (todo.due, todo.severity) == (datetime.date(2026, 12, 10), "warning")
        assignments.declare_no_conflict(assignment, by=expert_user)
        assignments.record_visit(
            assignment, by=expert_user, visit_date=datetime.date(2026, 11, 20), notes="场地齐全"
        )
        [todo] = [t for t in for_user(expert_user) if t.url == url]
        assert todo.severity == "info"  # the sheet to fill
        template = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
        submit_sheet(score_everything(sheet_for(template, expert_user, application)), expert_user)
        assert url not in urls(expert_user)


def test_expert_assessment_declaration_and_sheets(staff_user, expert_user):
    factories.live_station(certified_on=datetime.date(2024, 6, 1))
    cycle = factories.open_cycle(staff_user, first_year=2025)
    assessment = cycle.assessments.get()
    cycles.assign(assessment, expert_user, by=staff_user)
    declare = reverse("assessments:assessment_declare", args=[assessment.pk])
    score = reverse("assessments:assessment_score", args=[assessment.pk])
    with time_machine.travel(DAY):
        assert declare in urls(expert_user)
        assignments.declare_no_conflict(
            assignments.ScorerAssignment.objects.get(scorer=expert_user), by=expert_user
        )
        assert score in urls(expert_user) and declare not in urls(expert_user)
    factories.score_station(assessment, expert_user)
    with time_machine.travel(DAY):
        assert score not in urls(expert_user)


def test_expert_queries_are_constant(staff_user):
    def expert_with(reviews):
        expert = factories.UserFactory(role=Role.EXPERT)
        for _n in range(reviews):
            assignments.assign_scorer(accepted_application(staff_user), expert, by=staff_user)
        return expert

    small, large = expert_with(2), expert_with(4)
    with time_machine.travel(DAY):
        assert len(for_user(large)) > len(for_user(small))
        assert count_queries(small) == count_queries(large)


# --- staff -------------------------------------------------------------------------------

ADD_POLICY = reverse("admin:talentstation_policyversion_add")


def test_the_2024_policy_runs_two_years():
    first = PolicyVersion.objects.get(version=1)
    assert first.valid_until == datetime.date(2026, 7, 1)
    assert not first.lapsed(datetime.date(2026, 7, 1)) and first.lapsed(datetime.date(2026, 7, 2))


def test_lapsed_policy_item_and_banner_until_a_new_version(client, staff_user):
    client.force_login(staff_user)
    board = reverse("stations:staff_todo")
    with time_machine.travel(DAY):
        [todo] = [t for t in for_user(staff_user) if t.url == ADD_POLICY]
        assert todo.severity == "danger" and todo.overdue()
        response = client.get(board)
        assert response.context["lapsed_policy"].version == 1
        assert ADD_POLICY.encode() in response.content
        # an extension whose validity also passed does not lift it
        values = PolicyVersion.current().rule_values()
        PolicyVersion.objects.create(
            **values,
            effective_from=datetime.date(2026, 7, 2),
            valid_until=datetime.date(2026, 11, 30),
        )
        assert ADD_POLICY in urls(staff_user)
        PolicyVersion.objects.create(
            **{**values, "title": "榕高新区人社规〔2026〕1号"},
            valid_until=datetime.date(2028, 11, 30),
        )
        assert ADD_POLICY not in urls(staff_user)
        assert lapsed_policy() is None
        assert client.get(board).context["lapsed_policy"] is None
    with time_machine.travel("2028-12-01 10:00 +0800"):
        assert ADD_POLICY in urls(staff_user)


def test_a_version_with_no_end_date_lifts_the_lapse(client, staff_user):
    client.force_login(staff_user)
    with time_machine.travel(DAY):
        response = client.get(ADD_POLICY)
        form = response.context["adminform"].form
        assert form.initial.get("valid_until") is None  # each version states its own validity
        data = {name: value for name, value in form.initial.items() if value is not None}
        data.update(
            title="榕高新区人社规〔2026〕1号",
            effective_from="2026-12-01",
            valid_until="2026-11-30",
            stamped_scan_required="on",
            awards=form["awards"].value(),
            reminder_lead_days=form["reminder_lead_days"].value(),  # as the form shows them
        )
        refused = client.post(ADD_POLICY, data)
        assert refused.status_code == 200  # the validity cannot end before it takes effect
        assert "valid_until" in refused.context["adminform"].form.errors
        data["valid_until"] = ""
        assert client.post(ADD_POLICY, data).status_code == 302
        assert ADD_POLICY not in urls(staff_user)


def test_staff_reports_entries_and_rectifications(staff_user):
    queue = reverse("assessments:queue")
    reports = reverse("assessments:staff_reports")
    usage = reverse("awards:usage_report_list")
    orders = reverse("awards:rectification_list")
    activity = factories.ActivityFactory()
    report = factories.StationReportFactory()
    set_status(report, StationReport.Status.SUBMITTED)
    station = factories.live_station()
    order = RectificationOrder.objects.create(
        station=station,
        status=RectificationOrder.Status.ISSUED,
        issued_on=datetime.date(2026, 8, 1),
        deadline=datetime.date(2026, 11, 1),
    )
    with time_machine.travel(DAY):
        todos = {t.url: t for t in for_user(staff_user)}
        assert todos[queue].count == 1 and todos[reports].count == 1
        assert todos[orders].severity == "danger"
        assert usage not in todos
        set_status(activity, Activity.Status.ACCEPTED)
        set_status(report, StationReport.Status.ACCEPTED)
        set_status(order, RectificationOrder.Status.REPORTED)
        todos = {t.url: t for t in for_user(staff_user)}
        assert queue not in todos and reports not in todos
        assert todos[orders].severity == "warning"  # now a report to inspect
        set_status(order, RectificationOrder.Status.PASSED)
        assert orders not in urls(staff_user)


def test_staff_see_their_other_items_on_the_board(client, staff_user):
    factories.ActivityFactory()
    client.force_login(staff_user)
    with time_machine.travel(DAY):
        response = client.get(reverse("stations:staff_todo"))
    assert response.status_code == 200
    assert reverse("assessments:queue").encode() in response.content
    assert b'id="todos-title"' in response.content


def test_staff_queries_are_constant(staff_user):
    def items(n):
        for _n in range(n):
            factories.ActivityFactory()
            set_status(factories.StationReportFactory(), StationReport.Status.SUBMITTED)

    items(1)
    with time_machine.travel(DAY):
        small = count_queries(staff_user)
    items(6)
    with time_machine.travel(DAY):
        assert count_queries(staff_user) == small


# --- officials ---------------------------------------------------------------------------


def batch(n=0):
    return NominationBatch.objects.create(
        title=f"2026年度市级人才驿站推荐{n}",
        level=NominationBatch.Level.CITY,
        programme="福州市级人才驿站",
        status=NominationBatch.Status.SUBMITTED,
        submitted_on=datetime.date(2026, 11, 20),
    )


def test_official_batches_to_export_and_results(client, official_user, staff_user):
    submitted = batch()
    url = reverse("awards:nomination_batch", args=[submitted.pk])
    award = factories.published_award(staff=staff_user)
    ranking = award.entry.ranking
    Ranking.objects.filter(pk=ranking.pk).update(notice_date=datetime.date(2026, 11, 25))
    results = reverse("awards:ranking_detail", args=[ranking.pk])
    with time_machine.travel(DAY):
        assert {url, results} <= set(urls(official_user))
        set_status(submitted, NominationBatch.Status.DECIDED)
        assert url not in urls(official_user)
        client.force_login(official_user)
        page = client.get(reverse("dashboard"))
        assert page.status_code == 200 and results.encode() in page.content
    with time_machine.travel("2027-06-01 10:00 +0800"):  # old results drop off
        assert results not in urls(official_user)


def test_official_queries_are_constant(official_user):
    for n in range(6):
        batch(n)
    with time_machine.travel(DAY):
        small = count_queries(official_user)
    for n in range(6, 15):
        batch(n)
    with time_machine.travel(DAY):
        assert count_queries(official_user) == small
        assert len(for_user(official_user)) == 6  # five batches and "more"


# --- where the lists show ----------------------------------------------------------------


def test_start_pages_show_the_list(client, expert_user):
    unit = factories.HostUnitFactory()
    applicant = factories.applicant_user(unit)
    station = factories.live_station(unit)
    client.force_login(applicant)
    with time_machine.travel(DAY):
        page = client.get(reverse("stations:unit_detail", args=[unit.pk]))
    assert page.status_code == 200
    assert reverse("assessments:station_operations", args=[station.pk]).encode() in page.content
    client.force_login(expert_user)
    page = client.get(reverse("stations:expert_assignments"))
    assert page.status_code == 200 and b'id="todos-title"' in page.content


# --- the demo district -------------------------------------------------------------------

DEMO_LOGINS = (
    "applicant",
    "lin.zhiyuan@demo.local",
    "huang.haixin@demo.local",
    "chen.jiahui@demo.local",
    "expert",
    "staff",
    "official",
)


def test_every_demo_login_has_something_to_do(settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db.models import Q

    settings.DEBUG = True
    with time_machine.travel(DAY):
        call_command("load_demo", stdout=io.StringIO())
        users = get_user_model().objects
        for login in DEMO_LOGINS:
            user = users.get(Q(username=login) | Q(email=login))
            assert for_user(user), login
