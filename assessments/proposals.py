"""The arithmetic of the biennial assessment, as pure functions (no database).

- :func:`months_certified` — how many months of a calendar year a station held its plaque;
- :func:`counted_years` — the years of a cycle that count for a station;
- :func:`evidence_date` — the day a year's evidence is read at (its end, or today if earlier);
- :func:`mean_points` — an item's cycle points, or a scorer's cycle total, from yearly values;
- :func:`combine` — the station's score from its scorers' cycle totals (mean or median), in cents.

Points are :class:`~decimal.Decimal` throughout; means are kept exact until :func:`combine`
rounds the station's score half-up to two places, before anything ranks or compares it.
"""

import datetime
import statistics
from decimal import Decimal

from talentstation.models.scoring import to_cents

MEAN = "mean"
MEDIAN = "median"


def months_certified(year: int, certified_on: datetime.date | None) -> int:
    """The whole calendar months of ``year`` from the certification date to 31 December.

    Certified before the year: 12. Certified in the year: its remaining months, counting the
    month of certification only when certified on its first day (1 July → 6, 2 July → 5).
    Certified after the year, or never: 0.
    """
    if certified_on is None or certified_on.year > year:
        return 0
    if certified_on.year < year:
        return 12
    return 12 - certified_on.month + (1 if certified_on.day == 1 else 0)


def counted_years(years, certified_on, min_months: int) -> list[int]:
    """The years (of ``years``) in which the station was certified at least ``min_months``."""
    return [year for year in years if months_certified(year, certified_on) >= min_months]


def evidence_date(year: int, today: datetime.date) -> datetime.date:
    """The day the evidence of ``year`` is read at: 31 December, or ``today`` if earlier."""
    return min(datetime.date(year, 12, 31), today)


def mean_points(values) -> Decimal | None:
    """The exact mean of yearly points (an item's cycle points, a scorer's cycle total); None
    when no year counts."""
    values = [Decimal(v) for v in values]
    if not values:
        return None
    return sum(values, Decimal("0")) / len(values)


def combine(totals, how: str = MEAN) -> Decimal | None:
    """The station's score from its scorers' cycle totals: their mean (or median), rounded
    half-up to cents; None without totals."""
    totals = [Decimal(t) for t in totals]
    if not totals:
        return None
    if how == MEDIAN:
        return to_cents(statistics.median(totals))
    if how != MEAN:
        raise ValueError(how)
    return to_cents(sum(totals, Decimal("0")) / len(totals))
