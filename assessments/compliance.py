"""Art. 7(6) compliance: each station holds at least N activities a year and serves at least M
person-times (人次) a year — N and M from the current policy settings (default 4 and 50).

For a calendar year (default this year) a station's accepted entries
(:func:`assessments.evidence.year_totals`) are set against the minimums and against the
**pace**: the share of the minimum due by today, in whole activities and person-times
(``minimum × days gone ÷ days of the year``, rounded down). In the year a station was certified
the days count from its certification date. While the year runs, a station has *met* the
minimums, is *on pace*, or is *behind* (below the pace in activities or person-times). Once the
year is over it has *met* them or *missed* them; in the year of its certification it owes them
pro rata, for the days from its certification.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.models import Station
from talentstation.dates import today
from talentstation.models import PolicyVersion

from .evidence import YearTotals, year_totals


class Standing(models.TextChoices):
    MET = "met", _("minimums met")
    ON_PACE = "on_pace", _("on pace")
    BEHIND = "behind", _("behind the pace")
    MISSED = "missed", _("minimums not met")

    @classmethod
    def of_year(cls, over):
        """The standings of a year still running (``over`` false) or of a finished one."""
        return [cls.MET, cls.MISSED] if over else [cls.MET, cls.ON_PACE, cls.BEHIND]


@dataclass(frozen=True)
class Minimums:
    activities: int
    person_times: int

    @classmethod
    def current(cls):
        policy = PolicyVersion.current()
        return cls(policy.min_activities_per_year, policy.min_person_times_per_year)


def days_in(year):
    return (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1


def year_over(year, on):
    return on > datetime.date(year, 12, 31)


def days_gone(year, on, counted_from=None):
    """Days of ``year`` from its start (or ``counted_from``, if later) up to ``on`` (included)."""
    start = max(datetime.date(year, 1, 1), counted_from or datetime.date(year, 1, 1))
    end = min(on, datetime.date(year, 12, 31))
    return max(0, (end - start).days + 1)


@dataclass(frozen=True)
class StationCompliance:
    station: Station
    year: int
    totals: YearTotals
    minimums: Minimums
    days: int  # days of the year counted so far
    year_days: int
    over: bool = False  # the year is finished

    @property
    def pro_rata(self):
        """Whether the minimums are owed for part of the year only (so far, or since the
        station was certified in it)."""
        return self.days < self.year_days

    @property
    def share(self):
        """The share of the year counted so far, in per cent (for the page)."""
        return round(100 * self.days / self.year_days)

    @property
    def activities_due(self):
        return self.minimums.activities * self.days // self.year_days

    @property
    def person_times_due(self):
        return self.minimums.person_times * self.days // self.year_days

    @property
    def activities_behind(self):
        return self.totals.activities < self.activities_due

    @property
    def person_times_behind(self):
        return self.totals.person_times < self.person_times_due

    @property
    def met(self):
        return (
            self.totals.activities >= self.minimums.activities
            and self.totals.person_times >= self.minimums.person_times
        )

    @property
    def behind(self):
        return self.activities_behind or self.person_times_behind

    @property
    def standing(self):
        if self.met:
            return Standing.MET
        if self.over:  # owed in full, or pro rata in the year of certification
            return Standing.MISSED if self.behind else Standing.MET
        return Standing.BEHIND if self.behind else Standing.ON_PACE

    @property
    def standing_label(self):
        return Standing(self.standing).label


def _counted_from(station, year):
    certified = station.certified_on
    return certified if certified and certified.year == year else None


def station_compliance(station, year=None, *, on=None, minimums=None, totals=None):
    """The compliance of one station in ``year`` (default this year)."""
    on = on or today()
    year = year or on.year
    if totals is None:
        totals = year_totals(year, [station.pk])[station.pk]
    return StationCompliance(
        station=station,
        year=year,
        totals=totals,
        minimums=minimums or Minimums.current(),
        days=days_gone(year, on, _counted_from(station, year)),
        year_days=days_in(year),
        over=year_over(year, on),
    )


@dataclass(frozen=True)
class DistrictCompliance:
    year: int
    minimums: Minimums
    rows: list  # StationCompliance of the stations shown
    counts: dict  # standing → number of stations (before the standing filter)
    over: bool = False  # the year is finished

    @property
    def standings(self):
        """``[(standing, its number of stations)]`` of the standings the year can have."""
        return [(standing, self.counts[standing]) for standing in Standing.of_year(self.over)]

    @property
    def behind(self):
        """The stations behind the pace, or, in a finished year, that missed the minimums."""
        return [row for row in self.rows if row.standing in (Standing.BEHIND, Standing.MISSED)]


def stations_of(year, station_type=None):
    """The live stations certified by the end of ``year`` (optionally of one type)."""
    stations = Station.objects.certified().filter(
        models.Q(certified_on__isnull=True)
        | models.Q(certified_on__lte=datetime.date(year, 12, 31))
    )
    if station_type:
        stations = stations.filter(station_type=station_type)
    return stations.select_related("host_unit").order_by("name", "pk")


class StationName(NamedTuple):
    """What a standing needs of a station, and its name (cheaper to read than the model)."""

    pk: int
    name: str
    certified_on: datetime.date | None

    def __str__(self):
        return self.name


def district_compliance(year=None, *, station_type=None, standing=None, on=None, names=False):
    """Every live station's compliance in ``year``: four queries whatever their number. With
    ``names``, each row's ``station`` is a :class:`StationName` (for counts and lists of names,
    such as the dashboard's), not the station with its host unit."""
    on = on or today()
    year = year or on.year
    minimums = Minimums.current()
    if names:
        fields = ("pk", "name", "certified_on")
        stations = [
            StationName(*row) for row in stations_of(year, station_type).values_list(*fields)
        ]
    else:
        stations = list(stations_of(year, station_type))
    totals = year_totals(year, stations_of(year, station_type).values("pk"))
    rows = [
        station_compliance(station, year, on=on, minimums=minimums, totals=totals[station.pk])
        for station in stations
    ]
    counts = dict.fromkeys(Standing.values, 0)
    for row in rows:
        counts[row.standing] += 1
    if standing:
        rows = [row for row in rows if row.standing == standing]
    return DistrictCompliance(
        year=year, minimums=minimums, rows=rows, counts=counts, over=year_over(year, on)
    )
