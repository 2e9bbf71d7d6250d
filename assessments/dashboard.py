"""The dashboard's panels of station operations and assessments (registered in apps.py):
accepted activities and person-times per month (the year against the year before), the
stations behind the Art. 7(6) minimums, and the last closed cycle's score distribution with
its pass mark. Each a constant number of aggregate queries."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from talentstation.dashboard import LINE, Chart, Series, register_panel
from talentstation.dates import today

from .compliance import district_compliance
from .models import Activity, Assessment, AssessmentCycle, ServiceRecord

MONTHS = range(1, 13)
# The score bands: from (included) — to (excluded; the last band includes 100).
BANDS = ((Decimal(0), Decimal(60)),) + tuple(
    (Decimal(low), Decimal(low + 10)) for low in range(60, 100, 10)
)


def _month_labels():
    return [_("month %(month)s") % {"month": month} for month in MONTHS]


def _accepted(model, filters):
    """The accepted entries of ``model`` dated in the year or the year before (a date range
    an index can serve; by the entry's own date, a calendar date of Shanghai)."""
    entries = model.objects.filter(
        status=model.Status.ACCEPTED,
        date__gte=datetime.date(filters.year - 1, 1, 1),
        date__lte=filters.last_day,
    )
    if filters.station_type:
        entries = entries.filter(station__station_type=filters.station_type)
    return entries


def _by_month(rows):
    """``{(year, month): total}`` of rows of ``(date, number)`` (a day's totals)."""
    months = defaultdict(int)
    for day, number in rows:
        months[(day.year, day.month)] += number or 0
    return dict(months)


def monthly_count(model, filters):
    """``{(year, month): number}`` of the accepted entries of the year and the year before
    (one query, grouped by day: cheaper than computing the month of every row in SQL)."""
    rows = _accepted(model, filters).values("date").annotate(n=Count("*")).order_by()
    return _by_month(rows.values_list("date", "n"))


def monthly_sum(models, field, filters):
    """``{(year, month): total}`` of ``field`` over the accepted entries of every model of
    ``models`` in the year and the year before (one query: a union of the daily sums)."""
    daily = [
        _accepted(model, filters).values("date").annotate(total=Sum(field)).order_by()
        for model in models
    ]
    first, *others = [rows.values_list("date", "total") for rows in daily]
    return _by_month(first.union(*others, all=True).order_by() if others else first)


def _reached(year, month):
    """Whether the month has begun (Shanghai date): later months have no number yet, not 0."""
    now = today()
    return (year, month) <= (now.year, now.month)


def _year_series(filters, values_of):
    return [
        Series(
            str(year),
            [values_of(year, month) if _reached(year, month) else None for month in MONTHS],
        )
        for year in (filters.year, filters.year - 1)
    ]


def _so_far(filters):
    """The note's sentence on how far the current year is counted."""
    now = today()
    if filters.year != now.year:
        return ""
    # The separating space is the translation's (none between Chinese sentences).
    return _(" Counted up to %(day)s.") % {
        "day": date_format(now, pgettext("month and day, a date format", "F j"))
    }


def activities_per_month(filters):
    counts = monthly_count(Activity, filters)
    return Chart(
        title=_("Accepted activities per month"),
        labels=_month_labels(),
        series=_year_series(filters, lambda y, m: counts.get((y, m), 0)),
        unit=pgettext("dashboard unit", "activities"),
        kind=LINE,
        label_header=_("month"),
        note=_("%(year)s against %(last)s, by the date of the activity.")
        % {"year": filters.year, "last": filters.year - 1}
        + _so_far(filters),
    )


def person_times_per_month(filters):
    """Person-times served: at accepted activities and through accepted service records."""
    totals = monthly_sum((Activity, ServiceRecord), "person_times", filters)

    def total(year, month):
        return totals.get((year, month), 0)

    return Chart(
        title=_("Person-times served per month"),
        labels=_month_labels(),
        series=_year_series(filters, total),
        unit=pgettext("dashboard unit", "person-times"),
        kind=LINE,
        label_header=_("month"),
        note=_(
            "At accepted activities and through accepted service records; %(year)s against "
            "%(last)s."
        )
        % {"year": filters.year, "last": filters.year - 1}
        + _so_far(filters),
    )


def minimums_standing(filters):
    """The live stations against the Art. 7(6) minimums and the pace of the year so far."""
    district = district_compliance(
        filters.year, station_type=filters.station_type or None, names=True
    )
    standings = district.standings
    note = (
        _(
            "Minimums a year: %(activities)s activities and %(person_times)s person-times "
            "(pro rata in the year a station was certified)."
        )
        if district.over
        else _(
            "Minimums a year: %(activities)s activities and %(person_times)s person-times; "
            "behind = below the share due by today."
        )
    )
    return Chart(
        title=_("Stations against the Art. 7(6) minimums"),
        labels=[standing.label for standing, _count in standings],
        series=[Series(_("stations"), [count for _standing, count in standings])],
        unit=pgettext("dashboard unit", "stations"),
        label_header=_("standing"),
        note=note
        % {
            "activities": district.minimums.activities,
            "person_times": district.minimums.person_times,
        },
        items=[
            _(
                "%(station)s: %(activities)s activities (due %(a_due)s), %(person_times)s "
                "person-times (due %(p_due)s)"
            )
            % {
                "station": row.station.name,
                "activities": row.totals.activities,
                "a_due": row.activities_due,
                "person_times": row.totals.person_times,
                "p_due": row.person_times_due,
            }
            for row in district.behind
        ],
        items_title=(
            _("Stations that missed the minimums")
            if district.over
            else _("Stations behind the minimums")
        ),
    )


def last_closed_cycle(year):
    """The last closed cycle that began by ``year``, or None."""
    return (
        AssessmentCycle.objects.closed()
        .filter(first_year__lte=year)
        .select_related("policy_version")
        .order_by("-first_year")
        .first()
    )


def _points(value):
    """``Decimal('60.00')`` → ``60``, ``Decimal('62.50')`` → ``62.5``."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _band_label(low, high):
    if low == 0:
        return _("below %(high)s") % {"high": int(high)}
    return f"{int(low)}–{int(high)}"


def score_distribution(filters):
    """The final scores of the last closed cycle in bands, split at the pass mark (one
    aggregate query)."""
    cycle = last_closed_cycle(filters.year)
    labels = [_band_label(low, high) for low, high in BANDS]
    below, passed = [0] * len(BANDS), [0] * len(BANDS)
    note = _("No assessment cycle closed by %(year)s.") % {"year": filters.year}
    if cycle is not None:
        pass_mark = cycle.policy_version.pass_mark
        scores = Assessment.objects.filter(cycle=cycle, score__isnull=False)
        if filters.station_type:
            scores = scores.filter(station__station_type=filters.station_type)
        aggregates = {}
        for index, (low, high) in enumerate(BANDS):
            band = Q(score__gte=low) & (Q(score__lt=high) if index < len(BANDS) - 1 else Q())
            aggregates[f"below{index}"] = Count("pk", filter=band & Q(score__lt=pass_mark))
            aggregates[f"passed{index}"] = Count("pk", filter=band & Q(score__gte=pass_mark))
        counts = scores.aggregate(**aggregates)
        below = [counts[f"below{index}"] for index in range(len(BANDS))]
        passed = [counts[f"passed{index}"] for index in range(len(BANDS))]
        note = _(
            "%(cycle)s: %(count)s stations scored, %(below)s below the pass mark of %(mark)s "
            "points."
        ) % {
            "cycle": cycle,
            "count": sum(below) + sum(passed),
            "below": sum(below),
            "mark": _points(pass_mark),
        }
    return Chart(
        title=_("Score distribution of the last closed assessment cycle"),
        labels=labels,
        series=[
            Series(_("below the pass mark"), below),
            Series(_("at or above the pass mark"), passed),
        ],
        unit=pgettext("dashboard unit", "stations"),
        label_header=_("score (points)"),
        note=note,
    )


def register():
    register_panel("activities", activities_per_month, order=30)
    register_panel("person-times", person_times_per_month, order=31)
    register_panel("minimums", minimums_standing, order=40)
    register_panel("scores", score_distribution, order=50)
