"""The award money (Art. 18–19): who the award is paid to, recording its one payment, the
unit's report on the use of the money (text, signed report, spending lines), the lists of
staff and officials, and this part's sections of the outcomes hub and of the unit's outcomes
page (the reminders of reports due are a source of ``send_reminders``: awards.reminder_sources).
Every state change runs through :func:`talentstation.workflow.perform`; who may do what is asked
of :mod:`awards.rules`."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from stations.models import Application
from talentstation.dates import SHANGHAI, today
from talentstation.rules import Refused, refuse_unless
from talentstation.workflow import perform

from . import rules
from .models import Award, UsageReport

# --- the payment ------------------------------------------------------------------------------


def payee_of(station):
    """(name, credit code) the award of ``station`` is paid to: the host institution of its
    certifying application (the unit itself when the station is not hosted); a station
    without an application (certified before the portal) is paid to its host unit."""
    application = (
        Application.objects.filter(station=station, status=Application.Status.CERTIFIED)
        .select_related("host_unit")
        .order_by("-pk")
        .first()
    )
    unit = station.host_unit
    if application is not None and application.relies_on_host:
        return application.host_institution_name, application.host_institution_credit_code
    return unit.name, unit.credit_code


def pay(award, *, by, paid_on, amount, voucher_reference, voucher_file, payee_name,
        payee_credit_code, reason=""):  # fmt: skip
    """Record the one payment of ``award`` (reason: why the amount differs from the award)."""
    refuse_unless(rules.pay_awards, by, award)
    if paid_on > today():
        raise Refused(_("The payment date is in the future."))
    perform(
        award,
        "pay",
        by=by,
        reason=reason,
        paid_on=paid_on,
        amount=amount,
        voucher_reference=voucher_reference,
        voucher_file=voucher_file,
        payee_name=payee_name,
        payee_credit_code=payee_credit_code,
    )
    award.refresh_from_db()
    return award


# --- the usage report -------------------------------------------------------------------------


def save_report(form, *, by):
    """Save the unit's text and signed report of a draft or returned report."""
    report = form.instance
    refuse_unless(rules.edit_usage_report, by, report)
    with transaction.atomic():
        locked = UsageReport.objects.select_for_update().get(pk=report.pk)
        refuse_unless(rules.edit_usage_report, by, locked)
        report = form.save(commit=False)
        report._history_user = by
        report.save(update_fields=["work_summary", "attachment"])
    return report


def add_line(form, *, by):
    """Add a valid spending line to a draft or returned report (the form checked the total;
    it is checked again under the report's row lock)."""
    line = form.instance
    with transaction.atomic():
        report = (
            UsageReport.objects.select_for_update()
            .select_related("award__station")
            .get(pk=line.report_id)
        )
        refuse_unless(rules.edit_usage_report, by, report)
        check_total(report, line.amount)
        line = form.save(commit=False)
        line.report = report
        line._history_user = by
        line.save()
    return line


def check_total(report, amount):
    """Refuse a line of ``amount`` that brings the report's lines above the amount paid."""
    total = report.spent_total() + amount
    paid = report.award.amount_paid or Decimal("0.00")
    if total > paid:
        raise Refused(over_award_message(total, paid))


def over_award_message(total, paid):
    return _(
        "With this line the spending lines would total %(total)s yuan, more than the "
        "%(paid)s yuan paid."
    ) % {"total": total, "paid": paid}


def delete_line(line, *, by):
    with transaction.atomic():
        report = (
            UsageReport.objects.select_for_update()
            .select_related("award__station")
            .get(pk=line.report_id)
        )
        refuse_unless(rules.edit_usage_report, by, report)
        line._history_user = by
        line.delete()


def submit_report(report, *, by):
    perform(report, "submit", by=by)
    report.refresh_from_db()
    return report


# --- lists ------------------------------------------------------------------------------------


def awards():
    """Every award with what its list rows show (no query per row)."""
    return Award.objects.select_related(
        "station__host_unit", "entry__ranking__cycle", "usage_report"
    ).order_by("-entry__ranking__cycle__first_year", "entry__rank", "pk")


def report_late(queryset, day=None):
    """The paid awards of ``queryset`` whose usage report is late (as
    :meth:`UsageReport.is_late`, in SQL): filed after its due day (Shanghai date), or not filed
    and the due day passed."""
    day = day or today()
    filed = UsageReport.FILED
    return (
        queryset.filter(status=Award.Status.PAID, report_due__isnull=False)
        .annotate(report_filed_on=TruncDate("usage_report__submitted_at", tzinfo=SHANGHAI))
        .filter(
            Q(usage_report__status__in=filed, report_filed_on__gt=F("report_due"))
            | (~Q(usage_report__status__in=filed) & Q(report_due__lt=day))
        )
    )


def report_to_file(queryset):
    """The paid awards of ``queryset`` whose usage report is not filed (a draft or returned)."""
    return queryset.filter(status=Award.Status.PAID).exclude(
        usage_report__status__in=UsageReport.FILED
    )


def usage_reports():
    return UsageReport.objects.select_related("award__station__host_unit", "award__entry").order_by(
        "award__report_due", "pk"
    )


@dataclass(frozen=True)
class AwardRow:
    award: Award
    report: UsageReport | None
    late: bool


def award_rows(queryset):
    rows = []
    for award in queryset:
        report = getattr(award, "usage_report", None) if award.is_paid else None
        if report is not None:
            report.award = award  # the award is loaded already
        rows.append(AwardRow(award, report, bool(report and report.is_late())))
    return rows


# --- the outcomes hub and the unit's outcomes page ---------------------------------------------


def hub_context(user):
    """The context of this part's section of the outcomes hub (awards/_hub_funds.html)."""
    rows = award_rows(awards()[:10])
    return {
        "funds_rows": rows,
        "funds_due_count": Award.objects.filter(status=Award.Status.DUE).count(),
        "funds_submitted_count": UsageReport.objects.filter(
            status=UsageReport.Status.SUBMITTED
        ).count(),
    }


def mine_context(unit, user):
    """The context of its section of a unit's outcomes page (awards/_mine_funds.html)."""
    queryset = awards().filter(station__host_unit=unit)
    return {"funds_rows": award_rows(queryset)}
