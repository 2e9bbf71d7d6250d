"""The dashboard's panels of outcomes (registered in apps.py): the awards paid by the end of
the year against the usage reports filed for them (counts and amounts), and the rectification
orders of the year by state. Two queries and one query."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from talentstation.dashboard import Chart, Series, register_panel
from talentstation.dates import end_of_day

from .models import Award, RectificationOrder, UsageLine, UsageReport

ZERO = 0


def _of_type(queryset, filters, path="station__station_type"):
    return queryset.filter(**{path: filters.station_type}) if filters.station_type else queryset


def awards_and_reports(filters):
    """As at the end of the year: the awards decided and not yet paid, the awards paid, and of
    those the ones whose usage report was filed and accepted; with the amounts."""
    end = end_of_day(filters.last_day)
    awards = _of_type(Award.objects.all(), filters)
    paid = Q(status=Award.Status.PAID, paid_on__lte=filters.last_day)
    due = Q(created_at__lte=end) & ~paid
    filed = paid & Q(
        usage_report__status__in=UsageReport.FILED, usage_report__submitted_at__lte=end
    )
    accepted = paid & Q(
        usage_report__status=UsageReport.Status.ACCEPTED, usage_report__decided_at__lte=end
    )
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
            report__award__status=Award.Status.PAID, report__award__paid_on__lte=filters.last_day
        ),
        filters,
        "report__award__station__station_type",
    ).aggregate(
        filed=Sum(
            "amount",
            filter=Q(report__status__in=UsageReport.FILED, report__submitted_at__lte=end),
        ),
        accepted=Sum(
            "amount",
            filter=Q(report__status=UsageReport.Status.ACCEPTED, report__decided_at__lte=end),
        ),
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
                unit=pgettext("dashboard unit", "yuan"),
            ),
        ],
        unit=pgettext("dashboard unit", "awards"),
        label_header=_("category"),
        note=_(
            "As at the end of %(year)s: the awards decided, paid, and the reports on the use of "
            "the money filed for them (the amount of a report: what it says was spent)."
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
        unit=pgettext("dashboard unit", "orders"),
        label_header=_("status"),
        note=_("Orders issued in %(year)s (or being prepared, if created in it).")
        % {"year": filters.year},
    )


def register():
    register_panel("awards", awards_and_reports, order=60)
    register_panel("rectifications", rectifications_by_state, order=80)
