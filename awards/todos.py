"""The to-do items of the outcomes (registered with :mod:`talentstation.todos`):

- applicant: a usage report due (or returned), a rectification report due;
- staff: usage reports to accept, rectifications past their deadline, rectification reports
  to inspect;
- officials: nomination batches submitted (their Annex 3 sheets to export), results published.
"""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from stations.rules import unit_of
from talentstation.dates import today
from talentstation.todos import Severity, Todo, first_rows

from .models import NominationBatch, Ranking, RectificationOrder, UsageReport

FIRST_ROWS = 5
# A published result stays on the officials' list this long.
RESULTS_SHOWN_DAYS = 90


def applicant_todos(user):
    """Two queries: the unit's open usage reports and issued rectification orders."""
    unit = unit_of(user)
    if unit is None:
        return []
    reports = UsageReport.objects.filter(
        award__station__host_unit=unit, status__in=UsageReport.EDITABLE
    ).select_related("award__station")
    todos = [
        Todo(
            (
                _("Correct and resubmit the award usage report: %(station)s")
                if report.status == UsageReport.Status.RETURNED
                else _("File the award usage report: %(station)s")
            )
            % {"station": report.award.station.name},
            _("Art. 19: how the award was used and the station's work."),
            reverse("awards:usage_report", args=[report.pk]),
            due=report.award.report_due,
            severity=Severity.WARNING
            if report.status == UsageReport.Status.RETURNED
            else Severity.INFO,
        )
        for report in reports
    ]
    orders = RectificationOrder.objects.filter(
        station__host_unit=unit, status=RectificationOrder.Status.ISSUED
    ).select_related("station")
    todos += [
        Todo(
            _("File the rectification report: %(station)s") % {"station": order.station.name},
            _("Without a report by the deadline the plaque may be revoked."),
            reverse("awards:rectification_detail", args=[order.pk]),
            due=order.deadline,
            severity=Severity.DANGER,
        )
        for order in orders
    ]
    return todos


def _group(title, queryset, url, severity=Severity.INFO, detail=""):
    """One item for the whole list with its count, or none when it is empty: one query."""
    count = queryset.count()
    if not count:
        return []
    return [Todo(title, detail, url, severity=severity, count=count)]


def staff_todos(user):
    """Two queries: usage reports submitted; rectifications late and reported (one count each
    in one query)."""
    S = RectificationOrder.Status
    orders = RectificationOrder.objects.aggregate(
        late=Count("pk", filter=Q(status=S.ISSUED, deadline__lt=today())),
        reported=Count("pk", filter=Q(status=S.REPORTED)),
    )
    orders_url = reverse("awards:rectification_list")
    todos = _group(
        _("Award usage reports to accept"),
        UsageReport.objects.filter(status=UsageReport.Status.SUBMITTED),
        reverse("awards:usage_report_list"),
    )
    if orders["late"]:
        todos.append(
            Todo(
                _("Rectifications past their deadline without a report"),
                _("Art. 14: decide whether to take back the plaque."),
                orders_url,
                severity=Severity.DANGER,
                count=orders["late"],
            )
        )
    if orders["reported"]:
        todos.append(
            Todo(
                _("Rectification reports to inspect"),
                "",
                orders_url,
                severity=Severity.WARNING,
                count=orders["reported"],
            )
        )
    return todos


def official_todos(user):
    """Submitted nomination batches (Annex 3 to export) and results published lately."""
    count, batches = first_rows(
        NominationBatch.objects.filter(status=NominationBatch.Status.SUBMITTED).order_by(
            "submitted_on", "pk"
        ),
        FIRST_ROWS,
    )
    todos = [
        Todo(
            _("Export the Annex 3 sheet: %(title)s") % {"title": batch.title},
            _("Submitted on %(date)s; recommended to: %(level)s.")
            % {"date": batch.submitted_on or "—", "level": batch.get_level_display()},
            reverse("awards:nomination_batch", args=[batch.pk]),
        )
        for batch in batches
    ]
    if count > len(batches):
        todos.append(
            Todo(
                _("More nomination batches"),
                "",
                reverse("awards:nomination_list"),
                count=count - len(batches),
            )
        )
    since = today() - datetime.timedelta(days=RESULTS_SHOWN_DAYS)
    rankings = (
        Ranking.objects.filter(status=Ranking.Status.PUBLISHED, notice_date__gte=since)
        .select_related("cycle")
        .order_by("-notice_date")[:FIRST_ROWS]
    )
    todos += [
        Todo(
            _("Read the results: %(cycle)s") % {"cycle": ranking.cycle},
            _("Published on %(date)s.") % {"date": ranking.notice_date},
            reverse("awards:ranking_detail", args=[ranking.pk]),
        )
        for ranking in rankings
    ]
    return todos


def register():
    from stations.rules import is_unit_user
    from talentstation.rules import is_official, is_staff
    from talentstation.todos import register_todo_source

    register_todo_source(applicant_todos, order=30, rule=is_unit_user)
    register_todo_source(staff_todos, order=30, rule=is_staff)
    register_todo_source(official_todos, order=30, rule=is_official)
