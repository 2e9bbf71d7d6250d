"""The dashboard's panels of outcomes (registered in setup_funds.py): the awards paid in the
year against the usage reports filed for them (counts and amounts), and the rectification
orders of the year by state. Two queries and one query."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from talentstation.dashboard import Chart, Series, register_panel

from .models import Award, RectificationOrder, UsageLine, UsageReport

ZERO = 0


def _of_type(queryset, filters, path="station__station_type"):
    return queryset.filter(**{path: filters.station_type}) if filters.station_type else queryset


def awards_and_reports(filters):
    """Awards still to be paid (decided in the year), paid in the year, and of those paid the
    ones whose usage report is filed and accepted; with the amounts."""
    awards = _of_type(Award.objects.all(), filters)
    due = Q(status=Award.Status.DUE, created_at__year=filters.year)
    paid = Q(status=Award.Status.PAID, paid_on__year=filters.year)
    filed = paid & Q(usage_report__status__in=UsageReport.FILED)
    accepted = paid & Q(usage_report__status=UsageReport.Status.ACCEPTED)
    totals = awards.aggregate(
        due_n=Count("pk", filter=due),
        due_amount=Sum("amount_due", filter=due),
        paid_n=Count("pk", filter=paid),
        paid_amount=Sum("amount_paid", filter=paid),
        filed_n=Count("pk", filter=filed),
        accepted_n=Count("pk", filter=accepted),
    )
    lines = _of_type(
        UsageLine.objects.filter(
            report__award__status=Award.Status.PAID, report__award__paid_on__year=filters.year
        ),
        filters,
        "report__award__station__station_type",
    ).aggregate(
        filed=Sum("amount", filter=Q(report__status__in=UsageReport.FILED)),
        accepted=Sum("amount", filter=Q(report__status=UsageReport.Status.ACCEPTED)),
    )
    return Chart(
        title=_("Awards paid and usage reports filed"),
        labels=[
            _("awards to be paid"),
            _("awards paid"),
            _("usage reports filed"),
            _("usage reports accepted"),
        ],
        series=[
            Series(
                _("number"),
                [totals["due_n"], totals["paid_n"], totals["filed_n"], totals["accepted_n"]],
            ),
            Series(
                _("amount"),
                [
                    totals["due_amount"] or ZERO,
                    totals["paid_amount"] or ZERO,
                    lines["filed"] or ZERO,
                    lines["accepted"] or ZERO,
                ],
                drawn=False,
                unit=_("yuan"),
            ),
        ],
        unit=_("awards"),
        label_header=_("item"),
        note=_(
            "Awards paid in %(year)s, and the reports on the use of the money filed for them "
            "(the amount of a report: what it says was spent)."
        )
        % {"year": filters.year},
    )


def rectifications_by_state(filters):
    """Rectification orders issued in the year (or being prepared since it began), by state."""
    orders = _of_type(RectificationOrder.objects.all(), filters).filter(
        Q(issued_on__year=filters.year) | Q(issued_on__isnull=True, created_at__year=filters.year)
    )
    counts = dict(orders.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    statuses = list(RectificationOrder.Status)
    return Chart(
        title=_("Rectification orders by state"),
        labels=[status.label for status in statuses],
        series=[Series(_("orders"), [counts.get(status, 0) for status in statuses])],
        unit=_("orders"),
        label_header=_("state"),
        note=_("Orders issued in %(year)s (or being prepared, if created in it).")
        % {"year": filters.year},
    )


def register():
    register_panel("awards", awards_and_reports, order=60)
    register_panel("rectifications", rectifications_by_state, order=80)
