"""The one place that says what day it is in Shanghai.

Policy dates (call windows, publicity periods, deadlines) are calendar dates in Asia/Shanghai;
every comparison with "today" goes through :func:`today`, so tests pin it with time-machine.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

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
