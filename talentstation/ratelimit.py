"""Rate limits of the anonymous forms: one mechanism for objections, registration, password reset.

``settings.RATE_LIMITS`` maps a form's scope to its rules, each ``"N/period"`` with the period
in ``s``, ``m``, ``h`` or ``d`` and an optional multiple (``"3/h"``, ``"10/d"``, ``"20/15m"``).
A form that passes every other check counts one use in each window of its scope; when a window
is full the form is refused with a message that says when to try again, nothing of it is done,
and the refused attempt is not counted. Forms with errors count nothing: a typo costs no quota.

Windows are fixed (aligned to the epoch). The counters (:class:`RateLimitCounter`) live in the
shared database, so several app servers see the same counts, and are incremented in one
``UPDATE … SET hits = hits + 1`` under the row lock, so concurrent posts cannot slip through.
Counters of windows that have ended are deleted as new ones are written.
"""

import datetime
import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .clients import UNKNOWN, ClientFormMixin

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RULE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


def duration(seconds):
    """``seconds`` in the largest whole unit, e.g. "1 hour", "15 minutes", "2 days"."""
    if seconds % 86400 == 0:
        n = seconds // 86400
        return ngettext("%(n)d day", "%(n)d days", n) % {"n": n}
    if seconds % 3600 == 0:
        n = seconds // 3600
        return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
    if seconds % 60 == 0:
        n = seconds // 60
        return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}


def wait_time(seconds):
    """How long to wait, rounded up to what a person reads: minutes below an hour, else hours."""
    minutes = max(1, math.ceil(seconds / 60))
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = math.ceil(minutes / 60)
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


@dataclass(frozen=True)
class Rule:
    count: int
    period: int  # seconds

    @classmethod
    def parse(cls, text):
        match = RULE.match(text)
        if not match or int(match[1]) < 1:
            raise ImproperlyConfigured(
                f"Rate limit {text!r}: write it as N/period, e.g. 3/h, 10/d or 20/15m."
            )
        return cls(int(match[1]), int(match[2] or 1) * PERIODS[match[3]])

    def window_start(self, now):
        start = math.floor(now.timestamp() / self.period) * self.period
        return datetime.datetime.fromtimestamp(start, tz=datetime.UTC)


def rules_for(scope):
    try:
        texts = settings.RATE_LIMITS[scope]
    except KeyError:
        raise ImproperlyConfigured(f"settings.RATE_LIMITS has no entry {scope!r}.") from None
    return [Rule.parse(text) for text in texts]


@dataclass(frozen=True)
class Limited:
    """A refusal: the rule whose window is full and the seconds until it starts anew."""

    rule: Rule
    retry_after: int

    @property
    def message(self):
        return _(
            "Too many submissions from your network: at most %(count)s in %(period)s. "
            "Please try again in %(wait)s; what you typed is kept below."
        ) % {
            "count": self.rule.count,
            "period": duration(self.rule.period),
            "wait": wait_time(self.retry_after),
        }


def hit(scope, client, *, now=None):
    """Count one use of ``scope`` by ``client``; a :class:`Limited` if a window is full."""
    from .models.ratelimit import RateLimitCounter

    now = now or timezone.now()
    limited = None
    with transaction.atomic():
        for rule in rules_for(scope):
            start = rule.window_start(now)
            end = start + datetime.timedelta(seconds=rule.period)
            window = {"scope": scope, "client": client, "period": rule.period}
            RateLimitCounter.objects.bulk_create(
                [RateLimitCounter(**window, window_start=start, expires_at=end)],
                ignore_conflicts=True,
            )
            counter = RateLimitCounter.objects.filter(**window, window_start=start)
            counter.update(hits=F("hits") + 1)
            if counter.values_list("hits", flat=True).get() > rule.count:
                retry_after = math.ceil((end - now).total_seconds())
                if limited is None or retry_after > limited.retry_after:
                    limited = Limited(rule, retry_after)
        if limited is not None:
            transaction.set_rollback(True)  # a refused attempt uses no quota
    RateLimitCounter.objects.filter(expires_at__lt=now).delete()
    return limited


class RateLimitedFormMixin(ClientFormMixin):
    """A form limited by ``settings.RATE_LIMITS[rate_limit]`` per client.

    The view passes ``client=client_key(request)`` and answers 429 when ``form.limited``.
    """

    rate_limit = ""
    limited = None

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self._errors:
            return
        self.limited = hit(self.rate_limit, self.client or UNKNOWN)
        if self.limited is not None:
            self.add_error(None, ValidationError(self.limited.message, code="rate_limited"))
