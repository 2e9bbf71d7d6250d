"""The staff-entered part of the working-day calendar (工作日历).

The built-in calendar is the ``chinesecalendar`` package (the official PRC arrangements up to
the year it was released for). Staff add what it does not know — a new year's public holidays
and make-up working days (调休上班), from the State Council General Office's notice — and can
override single days. The rules that combine both live in :mod:`talentstation.calendar`.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .fields import recorded_by


class CalendarYear(models.Model):
    """One year of the working-day calendar as entered by staff.

    ``complete`` means the year's arrangement is entered completely: the portal then trusts the
    staff data for every day of the year (listed days as entered, other days Monday–Friday
    working) and no longer asks the built-in calendar about it.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    complete = models.BooleanField(
        _("arrangement complete"),
        default=False,
        help_text=_(
            "Tick only when every public holiday and every make-up working day of the year is "
            "entered below. Marking the year complete means the portal will trust this data for "
            "every day of the year: days not listed are working days from Monday to Friday and "
            "days off on Saturdays and Sundays, and the built-in official calendar is no longer "
            "used for this year."
        ),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_(
            "The official notice the dates come from, e.g. the State Council General Office "
            "notice on the year's holiday arrangements, with its document number."
        ),
    )
    note = models.TextField(_("note"), max_length=1000, blank=True)
    created_by = recorded_by(_("created by"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_by = recorded_by(_("last edited by"))
    updated_at = models.DateTimeField(_("last edited at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("working-day calendar year")
        verbose_name_plural = _("working-day calendar")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """A date whose status differs from the ordinary week: a public holiday on a weekday, or a
    make-up working day on a weekend — or a staff correction of the built-in calendar."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("public holiday (day off)")
        WORKDAY = "workday", _("make-up working day")

    year = models.ForeignKey(
        CalendarYear,
        on_delete=models.CASCADE,
        related_name="days",
        verbose_name=_("year"),
    )
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind of day"), max_length=16, choices=Kind.choices)
    name = models.CharField(
        _("holiday name"),
        max_length=100,
        blank=True,
        help_text=_("The holiday the day belongs to, e.g. National Day."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_kind_display()}"

    @property
    def is_working_day(self) -> bool:
        return self.kind == self.Kind.WORKDAY

    def _calendar_year(self):
        try:
            return self.year
        except CalendarYear.DoesNotExist:
            return None

    def clean(self):
        year = self._calendar_year()
        if year is None or not isinstance(self.date, datetime.date) or year.year is None:
            return
        if self.date.year != year.year:
            raise ValidationError(
                {
                    "date": _("%(date)s is not in %(year)s.")
                    % {"date": self.date.isoformat(), "year": year.year}
                }
            )
        if self.kind not in self.Kind.values:
            return
        # An entry that gives the day the status it would have anyway changes nothing: most
        # likely a slip (a weekend day of the holiday copied from the notice, a wrong kind).
        from talentstation.calendar import package_is_working_day

        weekend = self.date.weekday() >= 5
        package = None if year.complete else package_is_working_day(self.date)
        wanted = self.kind == self.Kind.WORKDAY
        params = {
            "date": self.date.isoformat(),
            "weekday": date_format(self.date, "l"),
        }
        if package is None:
            if wanted and not weekend:
                message = _(
                    "%(date)s is a %(weekday)s and so a working day anyway: make-up working "
                    "days are Saturdays or Sundays that are worked. Check the date."
                )
            elif not wanted and weekend:
                message = _(
                    "%(date)s is a %(weekday)s and so a day off anyway: enter only the public "
                    "holidays that fall on Monday to Friday."
                )
            else:
                return
        elif package == wanted:
            message = (
                _(
                    "%(date)s (%(weekday)s) is already a working day in the built-in official "
                    "calendar; this entry would change nothing."
                )
                if wanted
                else _(
                    "%(date)s (%(weekday)s) is already a day off in the built-in official "
                    "calendar; this entry would change nothing."
                )
            )
        else:
            return
        raise ValidationError({"kind": message % params})
