"""The deadlines of the outcomes for ``manage.py send_reminders`` (talentstation.reminders):

- ``rectification_deadline``: an issued rectification order's deadline → the unit's users,
  until the rectification report is filed;
- ``usage_report_due``: the report on the use of an award (Art. 19) → the unit's users, while
  it is a draft or returned. (This replaces the former ``remind_usage_reports`` command.)
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stations.reminder_sources import unit_users
from talentstation.reminders import Deadline, due_range, register_deadline_source

from .models import RectificationOrder, UsageReport

RECTIFICATION_DEADLINE = "rectification_deadline"
USAGE_REPORT_DUE = "usage_report_due"


def rectification_deadlines(on):
    dates = due_range(RECTIFICATION_DEADLINE, on)
    if dates is None:
        return
    orders = (
        RectificationOrder.objects.filter(
            status=RectificationOrder.Status.ISSUED, deadline__range=dates
        )
        .select_related("station__host_unit")
        .prefetch_related("station__host_unit__members__user")
        .order_by("pk")
    )
    for order in orders:
        values = {"station": order.station.name, "due": order.deadline.isoformat()}
        if order.deadline < on:
            subject = _("The rectification report of %(station)s was due on %(due)s: file it now")
        else:
            subject = _("The rectification report of %(station)s is due on %(due)s")
        yield Deadline(
            kind=RECTIFICATION_DEADLINE,
            recipients=unit_users(order.station.host_unit),
            obj=order,
            due=order.deadline,
            subject=subject % values,
            body=_(
                "Rectify each problem of notice %(number)s and file the rectification report by "
                "the deadline."
            )
            % {"number": order.notice_number},
            link=reverse("awards:rectification_detail", args=[order.pk]),
            station=order.station,
        )


def usage_report_deadlines(on):
    dates = due_range(USAGE_REPORT_DUE, on)
    if dates is None:
        return
    reports = (
        UsageReport.objects.filter(status__in=UsageReport.EDITABLE, award__report_due__range=dates)
        .select_related("award__station__host_unit")
        .prefetch_related("award__station__host_unit__members__user")
        .order_by("pk")
    )
    for report in reports:
        award = report.award
        values = {"station": award.station.name, "due": award.report_due.isoformat()}
        if award.report_due < on:
            subject = _(
                "The report on the use of the award of %(station)s was due on %(due)s: "
                "submit it now"
            )
        else:
            subject = _("The report on the use of the award of %(station)s is due on %(due)s")
        yield Deadline(
            kind=USAGE_REPORT_DUE,
            recipients=unit_users(award.station.host_unit),
            obj=report,
            due=award.report_due,
            subject=subject % values,
            body=_(
                "Write the station's work, add the spending lines (no more than the amount "
                "paid, %(paid)s yuan), attach the signed report and submit it."
            )
            % {"paid": award.amount_paid},
            link=reverse("awards:usage_report", args=[report.pk]),
            station=award.station,
        )


def register():
    register_deadline_source(
        RECTIFICATION_DEADLINE,
        rectification_deadlines,
        label=gettext_lazy("rectification report due"),
    )
    register_deadline_source(
        USAGE_REPORT_DUE, usage_report_deadlines, label=gettext_lazy("award usage report due")
    )
