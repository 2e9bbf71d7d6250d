"""The one place that says what day it is in Shanghai.

Policy dates (call windows, publicity periods, deadlines) are calendar dates in Asia/Shanghai;
every comparison with "today" goes through :func:`today`, so tests pin it with time-machine.
"""

import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now():
    """The current aware datetime in Shanghai time."""
    return timezone.now().astimezone(SHANGHAI)


def today() -> datetime.date:
    """Today's date in Shanghai, whatever the server's or the user's time zone."""
    return now().date()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """23:59:59.999999 Shanghai time on ``day``: the inclusive end of a policy date."""
    return datetime.datetime.combine(day, datetime.time.max, tzinfo=SHANGHAI)


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def validate_not_in_future(day):
    """For dates of what has already happened (built, visited, met, decided, certified): not
    after today in Shanghai. Used by the model fields, so forms, admin and imports share it."""
    if day is not None and day > today():
        raise ValidationError(
            _("This date is in the future: enter a date up to today (%(today)s)."),
            code="future",
            params={"today": today().isoformat()},
        )
