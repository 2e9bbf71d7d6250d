"""Rectification orders and revocation (Art. 14): drafting from a closed cycle (the pass-mark
boundary on the stored score), issuing (the station under rectification), the unit's report
(late or in time), re-inspection, revocation (never automatic: the overdue command only flags),
revoking a certified station for another reason, the public pages, each role, the PDF."""

import datetime
import subprocess
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from awards import rectification
from awards.models import RectificationOrder
from stations.models import Station
from talentstation.dates import SHANGHAI, today
from talentstation.models import Notification
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

WEAK = {"场地配备": 0, "人员配备": 9, "制度建设": 9, "开展活动": 18, "人才服务": 0}  # 36


def at(day):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI), tick=False
    )


def evidence():
    return SimpleUploadedFile("evidence.pdf", factories.TINY_PDF, content_type="application/pdf")


@pytest.fixture
def cycle(staff_user):
    return factories.closed_cycle({"弱站": WEAK, "好站": None}, staff=staff_user)


@pytest.fixture
def order(staff_user):
    """A draft order made by hand (a closed cycle is slow to build: only the drafting tests
    use one)."""
    station = factories.live_station(staff=staff_user)
    return rectification.create_order(
        station, by=staff_user, reason="日常监督发现问题", problem="未配备服务人员"
    )


@pytest.fixture
def issued(order, staff_user):
    rectification.issue(order, by=staff_user, issued_on=today())
    order.refresh_from_db()
    return order


def _correct(cycle, name, score, staff):
    assessment = cycle.assessments.get(station__name=name)
    perform(assessment, "correct", by=staff, reason="复核更正", score=Decimal(score))


# --- drafting ---------------------------------------------------------------------------------


def test_orders_drafted_only_below_the_pass_mark_boundary(staff_user):
    cycle = factories.closed_cycle({"甲站": WEAK, "乙站": WEAK, "丙站": None}, staff=staff_user)
    assert cycle.policy_version.pass_mark == Decimal("60")
    _correct(cycle, "甲站", "59.99", staff_user)
    _correct(cycle, "乙站", "60.00", staff_user)
    orders = rectification.draft_orders(cycle, by=staff_user)
    assert [o.station.name for o in orders] == ["甲站"]
    assert orders[0].score == Decimal("59.99")
    # idempotent
    assert rectification.draft_orders(cycle, by=staff_user) == []
    assert RectificationOrder.objects.count() == 1


def test_drafting_needs_staff(official_user):
    with pytest.raises(Refused):
        rectification.draft_orders(None, by=official_user)


# --- issue, report, re-inspection -------------------------------------------------------------


def test_issue_puts_the_station_under_rectification_and_tells_the_unit(order, staff_user):
    unit_user = factories.applicant_user(order.station.host_unit)
    rectification.issue(order, by=staff_user, issued_on=today())
    order.refresh_from_db()
    order.station.refresh_from_db()
    assert order.status == "issued"
    assert order.deadline == today() + datetime.timedelta(days=90)  # the policy's period
    assert order.notice_number.startswith("榕高新区人社整改〔")
    assert order.station.status == Station.Status.RECTIFYING
    assert Notification.objects.filter(recipient=unit_user).exists()


def test_pass_in_time_certifies_again(issued, staff_user):
    user = factories.applicant_user(issued.station.host_unit)
    rectification.file_report(issued, by=user, text="已完成整改", evidence=evidence())
    issued.refresh_from_db()
    assert issued.status == "reported" and not issued.report_late
    rectification.inspect(
        issued, by=staff_user, passed=True, inspected_on=today(), findings="复查合格"
    )
    issued.refresh_from_db()
    issued.station.refresh_from_db()
    assert issued.status == "passed"
    assert issued.station.status == Station.Status.CERTIFIED


def test_report_after_the_deadline_is_late_and_cannot_pass(issued, staff_user):
    user = factories.applicant_user(issued.station.host_unit)
    with at(issued.deadline + datetime.timedelta(days=1)):
        rectification.file_report(issued, by=user, text="整改报告", evidence=evidence())
        issued.refresh_from_db()
        assert issued.status == "reported" and issued.report_late
        with pytest.raises(Refused, match="截止|deadline|期限"):
            rectification.inspect(
                issued, by=staff_user, passed=True, inspected_on=today(), findings="复查"
            )
        rectification.revoke(issued, by=staff_user, reason="逾期整改", on=today())
    issued.refresh_from_db()
    assert issued.status == "revoked"


def test_failed_inspection_then_revoke(issued, staff_user):
    user = factories.applicant_user(issued.station.host_unit)
    rectification.file_report(issued, by=user, text="整改报告", evidence=evidence())
    with pytest.raises(Refused):  # a reason is needed
        rectification.inspect(
            issued, by=staff_user, passed=False, inspected_on=today(), findings=""
        )
    rectification.inspect(
        issued, by=staff_user, passed=False, inspected_on=today(), findings="场地仍未配备"
    )
    issued.refresh_from_db()
    assert issued.status == "failed"
    rectification.revoke(issued, by=staff_user, reason="复查不合格", on=today())
    issued.station.refresh_from_db()
    assert issued.station.status == Station.Status.REVOKED
    assert issued.station.revoked_on == today()


def test_the_unit_files_only_with_text_and_evidence(issued):
    user = factories.applicant_user(issued.station.host_unit)
    with pytest.raises(Refused):
        rectification.file_report(issued, by=user, text="整改报告", evidence=None)
    other = factories.applicant_user()
    with pytest.raises(Refused):
        rectification.file_report(issued, by=other, text="整改报告", evidence=evidence())


# --- deadline, flag, revocation ---------------------------------------------------------------


def test_deadline_passed_flagged_once_never_revoked(issued, staff_user):
    unit_user = factories.applicant_user(issued.station.host_unit)
    with pytest.raises(Refused):  # before the deadline
        rectification.revoke(issued, by=staff_user, reason="未整改", on=today())
    with at(issued.deadline):
        assert rectification.flag_overdue() == []  # the deadline day still counts
    with at(issued.deadline + datetime.timedelta(days=1)):
        call_command("flag_overdue_rectifications")
        issued.refresh_from_db()
        assert issued.overdue_flagged_at is not None
        assert issued.status == "issued"
        name = issued.station.name
        assert Notification.objects.filter(recipient=unit_user).count() == 1
        assert Notification.objects.filter(recipient=staff_user, subject__contains=name).exists()
        call_command("flag_overdue_rectifications")  # once
        assert Notification.objects.filter(recipient=unit_user).count() == 1
    issued.station.refresh_from_db()
    assert issued.station.status == Station.Status.RECTIFYING
    with at(issued.deadline + datetime.timedelta(days=2)):
        rectification.revoke(issued, by=staff_user, reason="逾期未整改", on=today())
    issued.station.refresh_from_db()
    assert issued.station.status == Station.Status.REVOKED


def test_revocation_removes_from_directory_and_pages_say_revoked(issued, staff_user, client):
    station = issued.station
    assert station.name in client.get(reverse("stations:directory")).content.decode()
    verify = client.get(reverse("stations:verify_plaque", args=[station.plaque_number]))
    assert "整改" in verify.content.decode()
    page = client.get(reverse("stations:directory_station", args=[station.pk]))
    assert "整改" in page.content.decode()
    with at(issued.deadline + datetime.timedelta(days=3)):
        rectification.revoke(
            issued,
            by=staff_user,
            reason="逾期未整改",
            on=issued.deadline + datetime.timedelta(days=2),
        )
    revoked_on = (issued.deadline + datetime.timedelta(days=2)).isoformat()
    assert station.name not in client.get(reverse("stations:directory")).content.decode()
    page = client.get(reverse("stations:directory_station", args=[station.pk])).content.decode()
    assert "撤销" in page and revoked_on in page
    verify = client.get(reverse("stations:verify_plaque", args=[station.plaque_number]))
    assert revoked_on in verify.content.decode()


def test_revoke_a_certified_station_for_another_reason(staff_user, client):
    station = factories.live_station(staff=staff_user)
    with pytest.raises(Refused):
        rectification.revoke_station(station, by=staff_user, reason="", on=today())
    client.force_login(staff_user)
    url = reverse("awards:rectification_station_revoke", args=[station.pk])
    assert (
        client.get(reverse("stations:station_detail", args=[station.pk]))
        .content.decode()
        .count(url)
    )
    response = client.post(url, {"notice_date": "", "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"notice_date": today().isoformat(), "reason": "弄虚作假骗取认定"})
    assert response.status_code == 302
    station.refresh_from_db()
    assert station.status == Station.Status.REVOKED and station.revoked_on == today()
    from talentstation.workflow import history

    assert history(station).get(transition="revoke").reason == "弄虚作假骗取认定"


def test_order_by_hand_for_a_certified_station(staff_user, client):
    station = factories.live_station(staff=staff_user)
    client.force_login(staff_user)
    response = client.post(
        reverse("awards:rectification_create"),
        {"station": station.pk, "reason": "日常监督发现问题", "problem": "未开展活动"},
    )
    assert response.status_code == 302
    order = RectificationOrder.objects.get(station=station)
    assert order.assessment is None and order.problems.count() == 1
    response = client.post(
        reverse("awards:rectification_issue", args=[order.pk]),
        {"issue-issued_on": today().isoformat(), "issue-deadline": ""},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == "issued"


# --- pages and roles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", 302),
        ("own", 200),
        ("other", 404),
        ("expert", 404),
        ("staff", 200),
        ("official", 200),
    ],
)
def test_order_page_by_role(issued, client, staff_user, official_user, expert_user, role, expected):
    users = {
        "anonymous": None,
        "own": factories.applicant_user(issued.station.host_unit),
        "other": factories.applicant_user(),
        "expert": expert_user,
        "staff": staff_user,
        "official": official_user,
    }
    if users[role]:
        client.force_login(users[role])
    for name in ("rectification_detail", "rectification_notice"):
        response = client.get(reverse(f"awards:{name}", args=[issued.pk]))
        assert response.status_code == expected, name


def test_official_reads_but_cannot_act(issued, client, official_user):
    client.force_login(official_user)
    assert client.get(reverse("awards:rectification_list")).status_code == 200
    page = client.get(reverse("awards:rectification_detail", args=[issued.pk])).content.decode()
    assert reverse("awards:rectification_revoke", args=[issued.pk]) not in page
    response = client.post(
        reverse("awards:rectification_revoke", args=[issued.pk]),
        {"revoke-notice_date": today().isoformat(), "revoke-reason": "x"},
    )
    assert response.status_code == 403
    assert client.get(reverse("awards:rectification_create")).status_code == 403


def test_unit_sees_its_order_and_files_the_report(issued, client):
    user = factories.applicant_user(issued.station.host_unit)
    client.force_login(user)
    mine = client.get(reverse("awards:mine")).content.decode()
    assert issued.notice_number in mine
    assert reverse("awards:rectification_report", args=[issued.pk]) in mine
    url = reverse("awards:rectification_report", args=[issued.pk])
    response = client.post(url, {"text": "整改完成"})
    assert response.status_code == 400 and "整改完成" in response.content.decode()
    response = client.post(url, {"text": "整改完成", "evidence": evidence()})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert issued.status == "reported"
    assert client.get(reverse("awards:rectification_evidence", args=[issued.pk])).status_code == 200


def test_other_unit_cannot_file(issued, client):
    client.force_login(factories.applicant_user())
    assert client.get(reverse("awards:rectification_report", args=[issued.pk])).status_code == 404


def test_issue_form_errors_are_shown(order, client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("awards:rectification_issue", args=[order.pk]),
        {"issue-issued_on": today().isoformat(), "issue-deadline": today().isoformat()},
    )
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == "draft"


# --- from a cycle: the hub, the prefilled problems, the notice -------------------------------


def test_from_the_hub_prefilled_and_the_notice_pdf(
    cycle, client, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user)
    hub = client.get(reverse("awards:index")).content.decode()
    url = reverse("awards:rectification_draft_cycle", args=[cycle.pk])
    assert url in hub
    assert client.post(url).status_code == 302
    order = RectificationOrder.objects.get(assessment__cycle=cycle)
    assert order.station.name == "弱站" and order.score == Decimal("36.00")
    problems = list(order.problems.select_related("item"))
    assert [p.item.title for p in problems] == [
        "场地配备",
        "人员配备",
        "制度建设",
        "开展活动",
        "人才服务",
    ]
    assert problems[0].points == 0 and "15" in problems[0].problem
    with django_assert_max_num_queries(12):
        assert client.get(reverse("awards:rectification_list")).status_code == 200
    rectification.issue(order, by=staff_user, issued_on=today())
    order.refresh_from_db()
    response = client.get(reverse("awards:rectification_notice", args=[order.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    for expected in (
        "整改通知书",
        order.notice_number,
        order.station.host_unit.name,
        "第十四条",
        "36分",
        "场地配备",
        f"{order.deadline.year}年{order.deadline.month}月{order.deadline.day}日",
        "整改报告",
        "福州高新区人力资源和社会保障局",
    ):
        assert expected in flat, expected


# --- admin ------------------------------------------------------------------------------------


def test_admin_pages_and_issue_action(order, client, staff_user):
    from .test_admin_i18n import english_on

    client.force_login(staff_user)
    for url in (
        reverse("admin:awards_rectificationorder_changelist"),
        reverse("admin:awards_rectificationorder_change", args=[order.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert not english_on(response.content.decode()), url
    response = client.post(
        reverse("admin:awards_rectificationorder_changelist"),
        {"action": "transition_issue", "_selected_action": [order.pk]},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    order.station.refresh_from_db()
    assert order.status == "issued" and order.station.status == Station.Status.RECTIFYING
    response = client.get(reverse("admin:awards_rectificationorder_change", args=[order.pk]))
    assert response.status_code == 200 and not english_on(response.content.decode())


def test_the_unit_does_not_see_a_draft(order, client):
    client.force_login(factories.applicant_user(order.station.host_unit))
    assert client.get(reverse("awards:rectification_detail", args=[order.pk])).status_code == 404
    assert (
        reverse("awards:rectification_detail", args=[order.pk])
        not in client.get(reverse("awards:mine")).content.decode()
    )
