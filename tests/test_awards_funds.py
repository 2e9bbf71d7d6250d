"""Award payments and the reports on the use of the money (Art. 18–19): the one payment, the
payee, the report's lines within the amount paid, return and resubmission, lateness at the
Shanghai due-date boundary, the reminders (a source of send_reminders), who sees and does what,
uploads, lists."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from openpyxl import load_workbook

from awards import funds
from awards.models import Award, UsageLine, UsageReport
from talentstation.dates import SHANGHAI
from talentstation.models import Notification, TransitionLog
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

PAID_ON = datetime.date(2026, 3, 2)


def _voucher(name="凭证.pdf", content=factories.TINY_PDF):
    return SimpleUploadedFile(name, content)


def _pay(award, staff, *, amount=None, reason="", paid_on=PAID_ON):
    return funds.pay(
        award,
        by=staff,
        paid_on=paid_on,
        amount=award.amount_due if amount is None else amount,
        voucher_reference="榕高新财拨〔2026〕018号",
        voucher_file=_voucher(),
        payee_name="福州某依托机构",
        payee_credit_code=factories.valid_code(7),
        reason=reason,
    )


@pytest.fixture
def award(unit, staff_user):
    return factories.published_award(unit, staff=staff_user)


@pytest.fixture
def paid(award, staff_user):
    return _pay(award, staff_user)


@pytest.fixture
def report(paid):
    return paid.usage_report


def _line(report, amount, purpose="roadshow"):
    return UsageLine.objects.create(
        report=report,
        purpose=purpose,
        description="项目路演场地",
        spent_on=datetime.date(2026, 5, 1),
        amount=Decimal(amount),
    )


def _ready(report):
    UsageReport.objects.filter(pk=report.pk).update(
        work_summary="全年举办活动8场。", attachment="usage-reports/2026/x.pdf"
    )
    report.refresh_from_db()
    return report


# --- the payment ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_paying_records_it_opens_the_report_and_tells_the_unit(award, staff_user, applicant):
    paid = _pay(award, staff_user)
    assert paid.status == "paid" and paid.amount_paid == Decimal("50000.00")
    assert paid.report_due == datetime.date(2027, 12, 31)  # Art. 19: end of the next year
    assert paid.paid_by == staff_user and paid.voucher_file
    assert paid.usage_report.status == "draft"
    assert Notification.objects.filter(recipient=applicant, link=reverse("awards:mine")).exists()


@pytest.mark.django_db
def test_a_second_payment_is_refused(paid, staff_user):
    with pytest.raises(Refused):
        _pay(paid, staff_user)
    assert TransitionLog.objects.filter(transition="pay").count() == 1
    # The database refuses a second report of the award, and a paid award without payment.
    with pytest.raises(IntegrityError), transaction.atomic():
        UsageReport.objects.create(award=paid)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.filter(pk=paid.pk).update(paid_on=None)


@pytest.mark.django_db
def test_a_different_amount_needs_a_reason_which_is_recorded(award, staff_user):
    with pytest.raises(Refused, match="理由|reason"):
        _pay(award, staff_user, amount=Decimal("45000.00"))
    award.refresh_from_db()
    assert award.status == "due"
    _pay(award, staff_user, amount=Decimal("45000.00"), reason="扣减未整改部分")
    award.refresh_from_db()
    assert award.amount_paid == Decimal("45000.00") and award.amount_reason == "扣减未整改部分"
    assert TransitionLog.objects.get(transition="pay").reason == "扣减未整改部分"


@pytest.mark.django_db
def test_payment_before_publication_is_refused(unit, staff_user):
    award = factories.published_award(unit, staff=staff_user, published=False)
    with pytest.raises(Refused, match="公布|published"):
        _pay(award, staff_user)


@pytest.mark.django_db
def test_a_payment_date_in_the_future_is_refused(award, staff_user):
    with pytest.raises(Refused):
        _pay(award, staff_user, paid_on=datetime.date.today() + datetime.timedelta(days=3))


@pytest.mark.django_db
def test_the_payee_is_the_host_institution_of_the_certifying_application(unit, staff_user):
    from stations.models import Application

    award = factories.published_award(unit, staff=staff_user)
    station = award.station
    # A legacy station without an application: its host unit.
    assert funds.payee_of(station) == (unit.name, unit.credit_code)
    application = factories.ApplicationFactory(
        host_unit=unit,
        station=station,
        relies_on_host=True,
        host_institution_name="福州大学",
        host_institution_credit_code=factories.valid_code(99),
    )
    Application.objects.filter(pk=application.pk).update(status="certified")
    assert funds.payee_of(station) == ("福州大学", factories.valid_code(99))
    Application.objects.filter(pk=application.pk).update(relies_on_host=False)
    assert funds.payee_of(station) == (unit.name, unit.credit_code)


@pytest.mark.django_db
def test_the_pay_form_prefills_and_records_the_payment(client, award, staff_user):
    client.force_login(staff_user)
    url = reverse("awards:award_pay", args=[award.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["payee_name"] == award.station.host_unit.name
    data = {
        "payee_name": "福州某依托机构",
        "payee_credit_code": factories.valid_code(5),
        "paid_on": "2026-03-02",
        "amount": "40000.00",
        "voucher_reference": "018号",
        "voucher_file": _voucher(),
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "reason" in refused.context["form"].errors
    assert refused.context["form"]["payee_name"].value() == "福州某依托机构"
    data.update(voucher_file=_voucher(), reason="部分拨付")
    assert client.post(url, data).status_code == 302
    award.refresh_from_db()
    assert award.status == "paid" and award.amount_paid == Decimal("40000.00")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [("凭证.exe", b"MZ\x90\x00" + b"\x00" * 200), ("凭证.png", factories.TINY_PDF)],
)
def test_the_voucher_upload_is_checked(client, award, staff_user, name, content):
    client.force_login(staff_user)
    response = client.post(
        reverse("awards:award_pay", args=[award.pk]),
        {
            "payee_name": "福州某依托机构",
            "payee_credit_code": factories.valid_code(5),
            "paid_on": "2026-03-02",
            "amount": str(award.amount_due),
            "voucher_reference": "018号",
            "voucher_file": _voucher(name, content),
        },
    )
    assert response.status_code == 400 and "voucher_file" in response.context["form"].errors
    award.refresh_from_db()
    assert award.status == "due"


@pytest.mark.django_db
def test_a_too_large_receipt_is_refused(client, report, applicant, settings):
    from talentstation.models import PolicyVersion

    PolicyVersion.objects.update(upload_max_mb=1)
    client.force_login(applicant)
    big = factories.TINY_PDF + b"0" * (1024 * 1024)
    response = client.post(
        reverse("awards:usage_line_add", args=[report.pk]),
        {
            "purpose": "roadshow",
            "description": "路演",
            "spent_on": "2026-05-01",
            "amount": "100.00",
            "receipt": SimpleUploadedFile("发票.pdf", big),
        },
    )
    assert response.status_code == 400 and "receipt" in response.context["form"].errors


# --- the usage report -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_report_over_the_award_is_refused(report, applicant):
    _ready(report)
    _line(report, "30000.00")
    _line(report, "20000.01", purpose="infrastructure")
    with pytest.raises(Refused, match="50000.01") as refusal:
        perform(report, "submit", by=applicant)
    assert "50000.00" in refusal.value.message
    report.refresh_from_db()
    assert report.status == "draft"


@pytest.mark.django_db
def test_the_line_form_refuses_a_line_over_the_amount_paid(client, report, applicant):
    _line(report, "45000.00")
    client.force_login(applicant)
    data = {
        "purpose": "networking",
        "description": "对接活动",
        "spent_on": "2026-05-01",
        "amount": "5000.01",
        "receipt": _voucher("发票.pdf"),
    }
    response = client.post(reverse("awards:usage_line_add", args=[report.pk]), data)
    assert response.status_code == 400
    assert "50000.01" in str(response.context["form"].errors["amount"])
    assert response.context["form"]["description"].value() == "对接活动"
    data.update(amount="5000.00", receipt=_voucher("发票.pdf"))
    assert client.post(reverse("awards:usage_line_add", args=[report.pk]), data).status_code == 302
    assert report.spent_total() == Decimal("50000.00")


@pytest.mark.django_db
def test_the_unit_files_the_report_through_its_pages(client, report, applicant):
    client.force_login(applicant)
    edit = reverse("awards:usage_report_edit", args=[report.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"work_summary": "举办活动8场。", "attachment": _voucher("报告.pdf")}
    )
    assert response.status_code == 302
    _line(report, "1000.00")
    line = _line(report, "2000.00")
    delete = reverse("awards:usage_line_delete", args=[report.pk, line.pk])
    assert client.post(delete).status_code == 302
    assert report.lines.count() == 1
    client.post(reverse("awards:usage_report_submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == "submitted" and report.submitted_at
    # Submitted: no more changes.
    assert client.get(edit).status_code == 403
    assert client.post(reverse("awards:usage_line_add", args=[report.pk])).status_code == 403


@pytest.mark.django_db
def test_return_with_a_reason_then_resubmit_and_accept(report, applicant, staff_user):
    _ready(report)
    _line(report, "10000.00")
    perform(report, "submit", by=applicant)
    with pytest.raises(Refused, match="理由|reason"):
        perform(report, "return_report", by=staff_user)
    perform(report, "return_report", by=staff_user, reason="缺少发票")
    report.refresh_from_db()
    assert report.status == "returned" and report.return_reason == "缺少发票"
    assert Notification.objects.filter(recipient=applicant, body__contains="缺少发票").exists()
    _line(report, "500.00")  # the unit corrects it
    perform(report, "submit", by=applicant)
    perform(report, "accept", by=staff_user)
    report.refresh_from_db()
    assert report.status == "accepted" and report.decided_by == staff_user


@pytest.mark.django_db
def test_late_at_the_due_date_boundary_in_shanghai(report):
    assert report.award.report_due == datetime.date(2027, 12, 31)
    with time_machine.travel("2027-12-31 23:59 +0800"):
        assert not report.is_late()
    with time_machine.travel("2027-12-31 16:01 +0000"):  # 2028-01-01 00:01 in Shanghai
        assert report.is_late()
    UsageReport.objects.filter(pk=report.pk).update(
        work_summary="x", attachment="usage-reports/x.pdf"
    )
    report.refresh_from_db()
    with time_machine.travel("2027-12-31 23:58 +0800"):
        perform(report, "submit", by=factories.applicant_user(report.award.station.host_unit))
    report.refresh_from_db()
    with time_machine.travel("2028-03-01 10:00 +0800"):
        assert not report.is_late()  # submitted in time


@pytest.mark.django_db
def test_late_shows_in_the_lists(client, report, staff_user):
    with time_machine.travel("2028-01-02 10:00 +0800"):
        client.force_login(staff_user)
        response = client.get(reverse("awards:usage_report_list"))
        awards_page = client.get(reverse("awards:award_list"))
    assert response.context["rows"] == [(report, True)]
    assert awards_page.context["rows"][0].late


def _late_in_sql(day):
    return {a.pk for a in funds.report_late(Award.objects.all(), day)}


@pytest.mark.django_db
def test_the_late_filter_is_is_late_in_sql_at_the_shanghai_boundaries(report, applicant):
    """Due 2027-12-31: not filed is late from 1 January (Shanghai); filed at 23:58 Shanghai
    on the due day is in time, filed at 00:01 the next day (16:01 UTC of the due day) is late."""
    award = report.award
    assert _late_in_sql(datetime.date(2027, 12, 31)) == set()
    assert _late_in_sql(datetime.date(2028, 1, 1)) == {award.pk}
    _ready(report)
    with time_machine.travel("2027-12-31 23:58 +0800"):
        perform(report, "submit", by=applicant)
    assert _late_in_sql(datetime.date(2028, 3, 1)) == set()
    UsageReport.objects.filter(pk=report.pk).update(
        submitted_at=datetime.datetime(2027, 12, 31, 16, 1, tzinfo=datetime.UTC)
    )
    report.refresh_from_db()
    with time_machine.travel("2028-03-01 10:00 +0800"):
        assert report.is_late()
    assert _late_in_sql(datetime.date(2028, 3, 1)) == {award.pk}
    assert {a.pk for a in funds.report_to_file(Award.objects.all())} == set()


@pytest.mark.django_db
def test_staff_list_and_export_the_late_reports_and_those_to_file(client, unit, staff_user):
    cycle = factories.closed_cycle({"甲驿站": None, "乙驿站": None}, staff=staff_user, unit=unit)
    paid = factories.published_award(cycle=cycle, name="甲驿站", staff=staff_user)
    report = _pay(paid, staff_user).usage_report
    unpaid = factories.published_award(cycle=cycle, name="乙驿站", rank=2, staff=staff_user)
    with time_machine.travel("2028-01-02 10:00 +0800"):
        client.force_login(staff_user)
        late = client.get(reverse("awards:award_list"), {"report": "late"})
        to_file = client.get(reverse("awards:award_list"), {"report": "to_file"})
        export = client.get(reverse("awards:award_list_xlsx"), {"report": "late"})
    assert [row.award for row in late.context["rows"]] == [report.award]
    assert [row.award for row in to_file.context["rows"]] == [report.award]
    assert unpaid not in [row.award for row in to_file.context["rows"]]
    assert '<option value="late" selected>逾期</option>' in late.content.decode()
    sheet = load_workbook(io.BytesIO(export.content)).active
    texts = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value]
    assert "筛选条件：经费使用情况报告：逾期" in texts
    with time_machine.travel("2028-01-02 10:05 +0800"):
        bad = client.get(reverse("awards:award_list"), {"report": "soon"})
    assert bad.status_code == 400 and report.award in [row.award for row in bad.context["rows"]]


# --- reminders --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_usage_report_reminders_come_from_send_reminders(report, applicant):
    """The reminders of the report are a source of ``send_reminders`` (lead times 30, 7, 1 days
    before the due date 2027-12-31 and 1 and 7 days after it): each is sent once."""
    from talentstation.models import Reminder

    inbox = Notification.objects.filter(recipient=applicant, link__contains="usage-reports")
    with time_machine.travel("2027-11-30 09:00 +0800"):  # 31 days before: not yet
        call_command("send_reminders")
    assert inbox.count() == 0
    with time_machine.travel("2027-12-01 09:00 +0800"):  # 30 days before
        call_command("send_reminders")
        call_command("send_reminders")
    assert inbox.count() == 1
    with time_machine.travel("2027-12-10 09:00 +0800"):  # nothing new between the lead times
        call_command("send_reminders")
    assert inbox.count() == 1
    with time_machine.travel("2028-01-01 09:00 +0800"):  # the 7- and 1-day ones were missed
        call_command("send_reminders")
    assert inbox.count() == 2
    assert list(
        Reminder.objects.filter(recipient=applicant, kind="usage_report_due")
        .order_by("sent_at")
        .values_list("lead_days", flat=True)
    ) == [30, -1]
    _ready(report)
    perform(report, "submit", by=applicant)
    filed = inbox.count()  # the notice of the submission
    with time_machine.travel("2028-01-07 09:00 +0800"):  # filed: no 7-days-overdue reminder
        call_command("send_reminders")
    assert inbox.count() == filed


# --- who sees and does what -------------------------------------------------------------------


@pytest.mark.django_db
def test_an_applicant_of_another_unit_gets_404(client, report, other_unit):
    client.force_login(factories.applicant_user(other_unit))
    for url in (
        reverse("awards:usage_report", args=[report.pk]),
        reverse("awards:usage_report_edit", args=[report.pk]),
        reverse("awards:usage_report_attachment", args=[report.pk]),
        reverse("awards:award_voucher", args=[report.award.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("awards:usage_report_submit", args=[report.pk])).status_code == 404
    mine = client.get(reverse("awards:mine"))
    assert mine.context["funds_rows"] == []
    assert client.get(reverse("awards:award_list")).status_code == 403


@pytest.mark.django_db
def test_an_official_reads_but_neither_pays_nor_decides(client, award, official_user, staff_user):
    client.force_login(official_user)
    assert client.get(reverse("awards:award_list")).status_code == 200
    assert client.get(reverse("awards:award_pay", args=[award.pk])).status_code == 403
    with pytest.raises(Refused):
        _pay(award, official_user)
    paid = _pay(award, staff_user)
    report = _ready(paid.usage_report)
    perform(report, "submit", by=factories.applicant_user(paid.station.host_unit))
    page = client.get(reverse("awards:usage_report", args=[report.pk]))
    assert page.status_code == 200 and "50000.00" in page.content.decode()
    assert client.get(reverse("awards:award_voucher", args=[paid.pk])).status_code == 403
    with pytest.raises(Refused):
        perform(report, "accept", by=official_user)
    transition_url = reverse("run_transition", args=["awards.usagereport", report.pk, "accept"])
    client.post(transition_url, {"next": "/"})
    report.refresh_from_db()
    assert report.status == "submitted"


@pytest.mark.django_db
def test_roles_on_the_report_page(client, report, applicant, staff_user, expert_user):
    url = reverse("awards:usage_report", args=[report.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(expert_user)
    assert client.get(url).status_code == 404
    client.force_login(applicant)
    page = client.get(url)
    assert page.status_code == 200 and page.context["may_edit"]
    assert client.get(reverse("awards:award_voucher", args=[report.award.pk])).status_code == 200
    assert client.get(reverse("awards:award_pay", args=[report.award.pk])).status_code == 403
    with pytest.raises(Refused):
        perform(_ready(report), "accept", by=applicant)
    client.force_login(staff_user)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_unit_sees_its_award_and_what_to_do_next(client, report, applicant):
    client.force_login(applicant)
    response = client.get(reverse("awards:mine"))
    assert response.status_code == 200
    assert [row.award for row in response.context["funds_rows"]] == [report.award]
    assert reverse("awards:usage_report", args=[report.pk]) in response.content.decode()


@pytest.mark.django_db
def test_the_hub_shows_the_awards(client, award, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("awards:index"))
    assert response.status_code == 200 and response.context["funds_due_count"] == 1


# --- lists ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 6])
def test_the_list_queries_do_not_grow(client, staff_user, django_assert_max_num_queries, count):
    names = [f"驿站{n}" for n in range(count)]
    cycle = factories.closed_cycle(dict.fromkeys(names), staff=staff_user)
    for n, name in enumerate(names):
        award = factories.published_award(cycle=cycle, name=name, rank=n + 1)
        if n % 2:
            _pay(award, staff_user)
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("awards:award_list"))
    assert len(response.context["rows"]) == count
    with django_assert_max_num_queries(12):
        response = client.get(reverse("awards:usage_report_list"))
    assert len(response.context["rows"]) == count // 2
    with django_assert_max_num_queries(30):
        assert client.get(reverse("awards:index")).status_code == 200


@pytest.mark.django_db
def test_the_official_lists_hide_the_pay_button(client, award, official_user):
    client.force_login(official_user)
    response = client.get(reverse("awards:award_list"))
    assert reverse("awards:award_pay", args=[award.pk]) not in response.content.decode()


# --- admin and the demo step ------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_pays_through_the_service_and_is_chinese(client, award, staff_user):
    from .test_admin_i18n import english_on

    client.force_login(staff_user)
    url = reverse("admin:awards_award_pay", args=[award.pk])
    page = client.get(url)
    assert page.status_code == 200 and not english_on(page.content.decode())
    response = client.post(
        url,
        {
            "payee_name": "福州某依托机构",
            "payee_credit_code": factories.valid_code(5),
            "paid_on": "2026-03-02",
            "amount": str(award.amount_due),
            "voucher_reference": "018号",
            "voucher_file": _voucher(),
        },
    )
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == "paid"
    for page_url in (
        reverse("admin:awards_award_changelist"),
        reverse("admin:awards_award_change", args=[award.pk]),
        reverse("admin:awards_usagereport_changelist"),
        reverse("admin:awards_usagereport_change", args=[award.usage_report.pk]),
    ):
        page = client.get(page_url)
        assert page.status_code == 200, page_url
        assert not english_on(page.content.decode()), page_url


@pytest.mark.django_db
def test_the_demo_step_pays_two_awards_and_files_one_report(unit, staff_user):
    import contextlib

    from awards.demo_funds import load_funds

    factories.applicant_user(unit)
    names = ["一号驿站", "二号驿站", "三号驿站"]
    cycle = factories.closed_cycle(dict.fromkeys(names), staff=staff_user, unit=unit)
    for rank, name in enumerate(names, start=1):
        award = factories.published_award(cycle=cycle, name=name, rank=rank)
        published = datetime.datetime(2026, 1, 5, 8, 0, tzinfo=SHANGHAI)
        Award.objects.filter(pk=award.pk).update(created_at=published)

    class District:  # the parts of stations.demo.District the step uses
        staff = staff_user

        @staticmethod
        def admin_of(unit):
            return unit.members.select_related("user").get(is_admin=True).user

        @staticmethod
        def set_demo_password(user):
            user.set_password("Demo-2026-pass")
            user.save(update_fields=["password"])

        @staticmethod
        def text(value):
            return value.format(year=2026, previous=2025, earlier=2024)

        @staticmethod
        @contextlib.contextmanager
        def at(day, hour=10, minute=0):
            with time_machine.travel(f"{day.isoformat()} {hour:02d}:{minute:02d} +0800"):
                yield

    load_funds(District())
    awards = {a.entry.rank: a for a in Award.objects.select_related("entry", "usage_report")}
    assert awards[1].status == "paid" and awards[1].usage_report.status == "submitted"
    assert 3 <= awards[1].usage_report.lines.count() <= 4
    assert awards[1].usage_report.spent_total() < awards[1].amount_paid
    assert awards[2].status == "paid" and awards[2].usage_report.status == "draft"
    assert awards[3].status == "due"
    for award in (awards[1], awards[2]):  # the voucher of the year it was paid
        assert f"〔{award.paid_on.year}〕" in award.voucher_reference
