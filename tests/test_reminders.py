"""``manage.py send_reminders``: each reminder once (twice the same day, after an interrupted
run), a missed day caught up once, nothing beyond the overdue window, the lead times on their
boundaries, paused stations, the outbox, the lead-time settings, and the recipients of every
deadline source."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.models import ReportSchedule
from stations.models import Application
from stations.reminder_sources import set_reminders_paused
from talentstation import reminders
from talentstation.models import Notification, OutboxEmail, PolicyVersion, Publicity, Reminder
from talentstation.models.fields import parse_lead_days
from talentstation.reminders import lead_due, send_reminders

from . import factories

CLOSE = datetime.date(2026, 9, 30)  # the factories' call closes on 30 September
DAY = datetime.timedelta(days=1)


def _policy(**changes):
    """A new policy version: the current rules with ``changes``."""
    return PolicyVersion.objects.create(**{**PolicyVersion.current().rule_values(), **changes})


def _only(kind, days, window=7):
    """Lead times for ``kind`` only (the other sources send nothing)."""
    return _policy(reminder_lead_days={kind: days}, reminder_overdue_window_days=window)


@pytest.fixture
def call_drafts(db):
    """Two units with a draft application each in the call closing on CLOSE; two users per
    unit."""
    _only("call_close", [7, 1, -1])
    call = factories.CallFactory()
    users = []
    for _index in range(2):
        unit = factories.HostUnitFactory()
        factories.ApplicationFactory(call=call, host_unit=unit)
        users += [factories.applicant_user(unit), factories.applicant_user(unit)]
    return users


def _leads(user=None):
    rows = Reminder.objects.all() if user is None else Reminder.objects.filter(recipient=user)
    return sorted(rows.values_list("lead_days", flat=True))


# --- the rule of the latest lead time ---------------------------------------------------------


def test_lead_due_picks_the_latest_reached_lead_time_within_the_window():
    due = datetime.date(2026, 9, 30)
    leads = [7, 1, -1]
    assert lead_due(leads, due, due - 8 * DAY, 7) is None  # too early
    assert lead_due(leads, due, due - 7 * DAY, 7) == 7
    assert lead_due(leads, due, due - 2 * DAY, 7) == 7
    assert lead_due(leads, due, due - DAY, 7) == 1
    assert lead_due(leads, due, due, 7) == 1  # the 1-day one, late
    assert lead_due(leads, due, due + DAY, 7) == -1
    assert lead_due(leads, due, due + 7 * DAY, 7) == -1  # the window's last day
    assert lead_due(leads, due, due + 8 * DAY, 7) is None  # beyond the window


# --- once, whatever happens -------------------------------------------------------------------


def test_the_command_twice_gives_one_reminder_each_with_its_email(
    call_drafts, django_capture_on_commit_callbacks
):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # each reminder's commit
        call_command("send_reminders", "--date", str(CLOSE - 7 * DAY), stdout=out)
        call_command("send_reminders", "--date", str(CLOSE - 7 * DAY), stdout=out)
    assert Reminder.objects.count() == 4
    for user in call_drafts:
        reminder = Reminder.objects.get(recipient=user)
        assert reminder.lead_days == 7 and reminder.due == CLOSE
        assert reminder.notification.recipient == user
        assert Notification.objects.filter(recipient=user).count() == 1
        mail = OutboxEmail.objects.get(notification=reminder.notification)
        assert mail.to == user.email
        assert mail.status == OutboxEmail.Status.SENT  # by its task, queued at the commit
    assert "4 reminder(s) sent" in out.getvalue()
    assert "0 reminder(s) sent, 4 already sent" in out.getvalue()
    assert "4 e-mail(s) queued" in out.getvalue()


def test_a_dry_run_sends_nothing(call_drafts):
    report = send_reminders(CLOSE - DAY, dry_run=True)
    assert report.sent == 4
    assert not Reminder.objects.exists() and not Notification.objects.exists()


def test_a_failure_for_one_reminder_leaves_it_to_the_next_run(call_drafts, monkeypatch):
    real_notify = reminders.notify
    calls = []

    def notify_failing_the_third(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise ConnectionError("mail template server gone")
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(reminders, "notify", notify_failing_the_third)
    first = send_reminders(CLOSE - DAY)
    assert (first.sent, first.failed) == (3, 1)
    assert Reminder.objects.count() == 3 == Notification.objects.count()  # none half-written
    monkeypatch.setattr(reminders, "notify", real_notify)
    second = send_reminders(CLOSE - DAY)
    assert (second.sent, second.already_sent, second.failed) == (1, 3, 0)
    assert Reminder.objects.count() == 4 == Notification.objects.count()
    for user in call_drafts:
        assert Notification.objects.filter(recipient=user).count() == 1


def test_a_crash_mid_run_leaves_the_rest_to_the_next_run(call_drafts, monkeypatch):
    real_notify = reminders.notify
    calls = []

    def notify_then_crash(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is killed: nothing catches it
        return real_notify(*args, **kwargs)

    monkeypatch.setattr(reminders, "notify", notify_then_crash)
    with pytest.raises(KeyboardInterrupt):
        send_reminders(CLOSE - DAY)
    assert Reminder.objects.count() == 1 == Notification.objects.count()
    monkeypatch.setattr(reminders, "notify", real_notify)
    assert send_reminders(CLOSE - DAY).sent == 3
    assert Reminder.objects.count() == 4 == Notification.objects.count()


def test_a_failing_source_does_not_stop_the_others(call_drafts, monkeypatch):
    _policy(reminder_lead_days={"call_close": [1], "publicity_end": [1]})
    source = reminders._sources["publicity_end"]

    def broken(on):
        raise RuntimeError("broken source")

    monkeypatch.setattr(source, "fn", broken)
    out = io.StringIO()
    with pytest.raises(CommandError, match="failed"):
        call_command("send_reminders", "--date", str(CLOSE - DAY), stdout=out)
    assert Reminder.objects.count() == 4  # the call's reminders went out
    assert "1 failed" in out.getvalue()


# --- missed days, the window, the boundaries --------------------------------------------------


def test_lead_times_on_their_boundaries(call_drafts):
    user = call_drafts[0]
    expected = {
        CLOSE - 8 * DAY: [],  # 8 days before: nothing
        CLOSE - 7 * DAY: [7],
        CLOSE - 6 * DAY: [7],
        CLOSE - DAY: [1, 7],
        CLOSE: [1, 7],  # the deadline itself
        CLOSE + DAY: [-1, 1, 7],  # the day after: overdue
        CLOSE + 2 * DAY: [-1, 1, 7],
    }
    for day, leads in expected.items():
        send_reminders(day)
        assert _leads(user) == leads, day


def test_a_missed_day_is_sent_once_late_and_only_the_latest(call_drafts):
    user = call_drafts[0]
    send_reminders(CLOSE)  # the runs of the last 7 days were missed
    assert _leads(user) == [1]  # not the 7-day one as well
    send_reminders(CLOSE)
    assert _leads(user) == [1]
    send_reminders(CLOSE + 3 * DAY)  # missed the day after
    assert _leads(user) == [-1, 1]


def test_the_overdue_window_edge(call_drafts):
    send_reminders(CLOSE + 7 * DAY)  # the last day of the window: still sent, once
    assert _leads(call_drafts[0]) == [-1]
    Reminder.objects.all().delete()
    send_reminders(CLOSE + 8 * DAY)  # beyond it: not sent
    assert not Reminder.objects.exists()


def test_a_paused_station_gets_nothing_until_resumed(call_drafts, staff_user):
    paused = Application.objects.get(host_unit__members__user=call_drafts[0]).station
    set_reminders_paused(paused, paused=True, by=staff_user, reason="单位已书面说明情况")
    paused.refresh_from_db()
    assert paused.reminders_paused_by == staff_user and paused.reminders_paused_at
    report = send_reminders(CLOSE - DAY)
    assert (report.sent, report.paused) == (2, 1)
    assert not Reminder.objects.filter(recipient__in=call_drafts[:2]).exists()
    set_reminders_paused(paused, paused=False, by=staff_user)
    assert send_reminders(CLOSE - DAY).sent == 2
    with pytest.raises(ValidationError):
        set_reminders_paused(paused, paused=True, by=staff_user, reason="  ")


def test_an_inactive_user_gets_no_reminder(call_drafts):
    call_drafts[0].is_active = False
    call_drafts[0].save()
    assert send_reminders(CLOSE - DAY).sent == 3


# --- the settings -----------------------------------------------------------------------------


def test_lead_times_are_parsed_and_validated(db):
    assert parse_lead_days("call_close = 7, 1, -1\n\n审核截止 : 3") == {
        "call_close": [7, 1, -1],
        "审核截止": [3],
    }
    labels = reminders.kind_labels()
    assert parse_lead_days(f"{labels['call_close']} = 7")["call_close"] == [7]
    with pytest.raises(ValidationError):
        parse_lead_days("call_close = seven")
    with pytest.raises(ValidationError):
        parse_lead_days("call_close = 7\ncall_close = 1")
    field = PolicyVersion._meta.get_field("reminder_lead_days")
    for bad in ({"no_such_kind": [1]}, {"call_close": [1, 1]}, {"call_close": [400]}):
        with pytest.raises(ValidationError):
            field.run_validators(bad)
    policy = PolicyVersion(
        **{
            **PolicyVersion.current().rule_values(),
            "reminder_lead_days": {"call_close": [-10]},
            "reminder_overdue_window_days": 7,
        }
    )
    with pytest.raises(ValidationError, match="永远不会发送"):
        policy.clean()


def test_the_shipped_lead_times_name_every_registered_kind(db):
    policy = PolicyVersion.current()
    assert set(policy.reminder_lead_days) == set(reminders.kind_labels())
    assert policy.reminder_overdue_window_days == 7
    assert policy.lead_days("usage_report_due") == [30, 7, 1, -1, -7]


def test_staff_set_lead_times_in_admin_one_line_per_kind(client, staff_user):
    client.force_login(staff_user)
    add = reverse("admin:talentstation_policyversion_add")
    page = client.get(add)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {
        name: form[name].value() if form[name].value() is not None else "" for name in form.fields
    }
    data["reminder_lead_days"] = "call_close = 5, -2\nno_such_kind = 1"
    refused = client.post(add, data)
    assert refused.status_code == 200 and refused.context["adminform"].form.errors
    data["reminder_lead_days"] = "call_close = 5, -2"
    data["note"] = "提前5天提醒"
    assert client.post(add, data).status_code == 302
    saved = PolicyVersion.current()
    assert saved.reminder_lead_days == {"call_close": [5, -2]}
    detail = client.get(reverse("admin:talentstation_policyversion_change", args=[saved.pk]))
    assert detail.status_code == 200


def test_staff_see_the_reminders_in_admin(client, staff_user, call_drafts):
    send_reminders(CLOSE - DAY)
    client.force_login(staff_user)
    changelist = reverse("admin:talentstation_reminder_changelist")
    assert client.get(changelist).status_code == 200
    assert client.get(changelist, {"kind": "call_close", "when": "overdue"}).status_code == 200
    found = client.get(changelist, {"q": call_drafts[0].username})
    assert found.context["cl"].result_count == 1
    reminder = Reminder.objects.get(recipient=call_drafts[0])
    page = client.get(reverse("admin:talentstation_reminder_change", args=[reminder.pk]))
    assert page.status_code == 200
    notice = client.get(
        reverse("admin:talentstation_notification_change", args=[reminder.notification_id])
    )
    assert reverse("admin:talentstation_reminder_change", args=[reminder.pk]) in (
        notice.content.decode()
    )


def test_staff_pause_a_station_in_admin(client, staff_user):
    station = factories.live_station(staff=staff_user)
    client.force_login(staff_user)
    changelist = reverse("admin:stations_station_changelist")
    assert client.get(changelist, {"reminders_paused__exact": "1"}).status_code == 200
    set_reminders_paused(station, paused=True, by=staff_user, reason="暂停")
    client.post(
        changelist,
        {"action": "resume_reminders", "_selected_action": [station.pk]},
    )
    station.refresh_from_db()
    assert not station.reminders_paused and station.reminders_paused_by is None


# --- the sources ------------------------------------------------------------------------------


def _recipients(kind, on):
    return {user.pk for deadline in reminders._sources[kind].fn(on) for user in deadline.recipients}


def test_call_close_goes_to_units_with_a_draft_or_returned_application(db):
    call = factories.CallFactory()
    wanted, other = set(), set()
    for status in ("draft", "returned", "submitted"):
        unit = factories.HostUnitFactory()
        application = factories.ApplicationFactory(call=call, host_unit=unit)
        Application.objects.filter(pk=application.pk).update(status=status)
        user = factories.applicant_user(unit)
        (other if status == "submitted" else wanted).add(user.pk)
    assert _recipients("call_close", CLOSE - DAY) == wanted


def test_review_due_goes_to_the_expert_who_has_not_submitted(staff_user, expert_user):
    from talentstation.assignments import assign_scorer

    application = factories.ApplicationFactory()
    Application.objects.filter(pk=application.pk).update(status="accepted")
    application.refresh_from_db()
    due = datetime.date(2026, 10, 20)
    assign_scorer(application, expert_user, by=staff_user, due_date=due)
    assert _recipients("review_due", due - DAY) == {expert_user.pk}
    assert _recipients("review_due", due - 30 * DAY) == set()


def test_publicity_end_goes_to_staff(staff_user):
    last_day = datetime.date(2026, 10, 9)
    Publicity.objects.create(
        purpose="new_stations",
        title="拟认定名单公示",
        basis="依据",
        contact="电话",
        status=Publicity.Status.RUNNING,
        start_date=datetime.date(2026, 9, 28),
        working_days=5,
        first_day=datetime.date(2026, 9, 28),
        last_day=last_day,
    )
    assert _recipients("publicity_end", last_day) == {staff_user.pk}
    assert _recipients("publicity_end", last_day + DAY) == {staff_user.pk}  # to conclude it


def test_plan_due_goes_to_live_stations_that_have_not_filed(unit, applicant, staff_user):
    factories.live_station(unit, staff=staff_user)
    filed_unit = factories.HostUnitFactory()
    filed_user = factories.applicant_user(filed_unit)
    filed = factories.live_station(filed_unit, staff=staff_user)
    report = factories.StationReportFactory(station=filed, year=2026, kind="plan")
    report.__class__.objects.filter(pk=report.pk).update(filed_on=datetime.date(2026, 2, 1))
    due = datetime.date(2026, 3, 31)
    ReportSchedule.objects.create(year=2026, plan_due=due, summary_due=datetime.date(2027, 1, 31))
    recipients = _recipients("plan_due", due - 7 * DAY)
    assert applicant.pk in recipients and filed_user.pk not in recipients
    assert _recipients("summary_due", due - 7 * DAY) == set()


def test_self_assessment_and_scoring_due(unit, applicant, staff_user):
    factories.live_station(unit, certified_on=datetime.date(2024, 6, 1), staff=staff_user)
    cycle = factories.open_cycle(staff_user)
    assessment = cycle.assessments.get()
    scorer = factories.declared_scorer(assessment, staff=staff_user, due=datetime.date(2027, 2, 20))
    due = cycle.self_assessment_due
    assert _recipients("self_assessment_due", due - DAY) == {applicant.pk}
    assert _recipients("scoring_due", datetime.date(2027, 2, 19)) == {scorer.pk}
    assert _recipients("scoring_due", datetime.date(2027, 1, 1)) == set()


def test_rectification_deadline_goes_to_the_unit_until_it_reports(unit, applicant, staff_user):
    from awards import rectification

    station = factories.live_station(unit, staff=staff_user)
    order = rectification.create_order(
        station, by=staff_user, reason="日常监督发现问题", problem="未配备服务人员"
    )
    rectification.issue(order, by=staff_user, issued_on=datetime.date(2026, 11, 1))
    order.refresh_from_db()
    assert _recipients("rectification_deadline", order.deadline - DAY) == {applicant.pk}
    assert _recipients("rectification_deadline", order.deadline - 30 * DAY) == set()


# --- queries ----------------------------------------------------------------------------------


def _drafts(call, count):
    for _index in range(count):
        unit = factories.HostUnitFactory()
        factories.ApplicationFactory(call=call, host_unit=unit)
        factories.applicant_user(unit)


def test_a_source_and_the_admin_list_take_the_same_queries_for_2_and_8_deadlines(
    client, staff_user
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _only("call_close", [7, 1, -1])
    call = factories.CallFactory()
    client.force_login(staff_user)
    counts = []
    for size in (2, 8):
        _drafts(call, size - len(counts) * 2)  # 2, then 8 in all
        with CaptureQueriesContext(connection) as source_queries:
            deadlines = list(reminders._sources["call_close"].fn(CLOSE - DAY))
            assert sum(len(list(d.recipients)) for d in deadlines) == size
        send_reminders(CLOSE - DAY)
        with CaptureQueriesContext(connection) as page_queries:
            page = client.get(reverse("admin:talentstation_reminder_changelist"))
            assert page.context["cl"].result_count == size
        counts.append((len(source_queries), len(page_queries)))
    assert counts[0] == counts[1]
