"""The working-day calendar (工作日历) and publicity periods (公示期).

Working days follow the official PRC arrangements: public holidays are days off, make-up
working days (调休上班) on weekends are worked. For a date in year Y:

1. a staff entry for that date (:class:`~talentstation.models.CalendarDay`) wins;
2. else, if staff marked year Y complete, Monday–Friday are working days;
3. else, if the ``chinesecalendar`` package has data for Y, its answer;
4. else the portal does not know the day and refuses with :class:`CalendarIncomplete`.

Staff entries for a year that is not complete still override single days of a year the package
covers, and a complete staff year replaces the package for that year. A year that is neither
complete nor in the package is refused as a whole, even on the days already entered: a
period touching it is refused, so a half-entered arrangement is never used.

Publicity period: day 1 is the start date if it is a working day, else the next working day;
the period ends at 23:59 Shanghai time on working day N (the policy setting
``publicity_working_days``); publication is allowed from the next calendar day.
"""

import datetime
from dataclasses import dataclass

import chinese_calendar
from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import ngettext

from .dates import end_of_day
from .models import CalendarDay, CalendarYear

ONE_DAY = datetime.timedelta(days=1)


class CalendarIncomplete(Exception):
    """The calendar has no complete data for a year a computation needs."""

    def __init__(self, years):
        self.years = tuple(sorted(set(years)))
        super().__init__(self.message)

    @property
    def message(self) -> str:
        # Built when shown, so it is in the language active then.
        years = ", ".join(str(year) for year in self.years)
        return ngettext(
            "The working-day calendar has no complete data for %(years)s. Bureau staff: in "
            "admin → %(section)s, enter that year's public holidays and make-up working days "
            "from the State Council notice and mark the year's arrangement complete.",
            "The working-day calendar has no complete data for %(years)s. Bureau staff: in "
            "admin → %(section)s, enter those years' public holidays and make-up working days "
            "from the State Council notices and mark each year's arrangement complete.",
            len(self.years),
        ) % {"years": years, "section": admin_section()}

    def __str__(self):
        return self.message


def admin_section() -> str:
    """Where staff enter the calendar in admin, e.g. "Portal → Working-day calendar"."""
    app = apps.get_app_config(CalendarYear._meta.app_label)
    return f"{capfirst(app.verbose_name)} → {capfirst(CalendarYear._meta.verbose_name_plural)}"


def package_is_working_day(day: datetime.date) -> bool | None:
    """The ``chinesecalendar`` package's answer, or None for a year it has no data for."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


def package_holiday_name(day: datetime.date) -> str:
    """The Chinese name of the holiday ``day`` belongs to in the package, or ""."""
    try:
        _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return ""
    if not name:
        return ""
    try:
        return chinese_calendar.Holiday(name).chinese
    except ValueError:
        return name


class _Calendar:
    """The calendar for one computation: staff data loaded once for a window of dates."""

    def __init__(self, first: datetime.date, last: datetime.date):
        self._complete_years: set[int] = set()
        self._staff_days: dict[datetime.date, bool] = {}
        self._loaded_until = first - ONE_DAY
        self._load(first, last)

    def _load(self, first: datetime.date, last: datetime.date):
        years = range(first.year, last.year + 1)
        self._complete_years.update(
            CalendarYear.objects.filter(year__in=years, complete=True).values_list(
                "year", flat=True
            )
        )
        days = CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
        self._staff_days.update((date, kind == CalendarDay.Kind.WORKDAY) for date, kind in days)
        self._loaded_until = last

    def is_working_day(self, day: datetime.date) -> bool:
        if day > self._loaded_until:
            # Rare: a long period or a long run of days off. Load the next stretch at once.
            first = self._loaded_until + ONE_DAY
            self._load(first, max(day, first + datetime.timedelta(days=60)))
        complete = day.year in self._complete_years
        package = None if complete else package_is_working_day(day)
        if not complete and package is None:
            # Entries of a year still being entered are not used, not even single days.
            raise CalendarIncomplete([day.year])
        if day in self._staff_days:
            return self._staff_days[day]
        if complete:
            return day.weekday() < 5
        return package


def is_working_day(day: datetime.date) -> bool:
    """Whether ``day`` is a working day; raises :class:`CalendarIncomplete` if unknown."""
    return _Calendar(day, day).is_working_day(day)


def working_days_from(start: datetime.date, n: int) -> list[datetime.date]:
    """The first ``n`` working days on or after ``start``.

    Raises :class:`CalendarIncomplete` when a day to be looked at is in a year without complete
    data (neither in the package nor completed by staff).
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    # A generous window: N working days plus weekends and the longest holidays.
    calendar = _Calendar(start, start + datetime.timedelta(days=2 * n + 30))
    days = []
    day = start
    while len(days) < n:
        if calendar.is_working_day(day):
            days.append(day)
        day += ONE_DAY
    return days


@dataclass(frozen=True)
class PublicityPeriod:
    """A publicity period of ``working_days`` working days from the date staff started it."""

    start: datetime.date
    days: tuple[datetime.date, ...]

    @property
    def working_days(self) -> int:
        return len(self.days)

    @property
    def first_day(self) -> datetime.date:
        """Day 1: the start date if it is a working day, else the next working day."""
        return self.days[0]

    @property
    def last_day(self) -> datetime.date:
        """Working day N, the last day of the period."""
        return self.days[-1]

    @property
    def ends_at(self) -> datetime.datetime:
        """23:59:59.999999 Shanghai time on the last day."""
        return end_of_day(self.last_day)

    @property
    def publication_allowed_from(self) -> datetime.date:
        """The day after the last day: the list may be published from then on."""
        return self.last_day + ONE_DAY


def publicity_period(start: datetime.date, working_days: int) -> PublicityPeriod:
    """The publicity period started on ``start`` lasting ``working_days`` working days.

    ``working_days`` is the pinned policy version's ``publicity_working_days`` (5 in the 2024
    rules). Raises :class:`CalendarIncomplete` (its message tells staff what to enter) when the
    period touches a year without complete calendar data.
    """
    return PublicityPeriod(start=start, days=tuple(working_days_from(start, working_days)))


def year_summary(year: int) -> dict:
    """What staff check against the official notice: the year's weekdays off and weekend days
    worked as the portal currently sees them, and where the data comes from.

    Returns ``{"basis": "staff" | "package" | "staff_incomplete", "weekdays_off": [...],
    "weekend_workdays": [...]}``; the lists hold ``(date, name)`` pairs.
    """
    record = CalendarYear.objects.filter(year=year).first()
    entries = {d.date: d for d in CalendarDay.objects.filter(date__year=year).order_by("date")}
    complete = record is not None and record.complete
    package_known = package_is_working_day(datetime.date(year, 1, 1)) is not None
    if complete:
        basis = "staff"
    elif package_known:
        basis = "package"
    else:
        basis = "staff_incomplete"
    weekdays_off, weekend_workdays = [], []
    day = datetime.date(year, 1, 1)
    while day.year == year:
        weekend = day.weekday() >= 5
        entry = entries.get(day)
        if entry is not None:
            working, name = entry.is_working_day, entry.name
        elif basis == "package":
            working, name = package_is_working_day(day), package_holiday_name(day)
        else:
            working, name = not weekend, ""
        if weekend and working:
            weekend_workdays.append((day, name))
        elif not weekend and not working:
            weekdays_off.append((day, name))
        day += ONE_DAY
    return {"basis": basis, "weekdays_off": weekdays_off, "weekend_workdays": weekend_workdays}


__all__ = [
    "CalendarIncomplete",
    "PublicityPeriod",
    "is_working_day",
    "package_is_working_day",
    "publicity_period",
    "working_days_from",
    "year_summary",
]
