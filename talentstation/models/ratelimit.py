"""Counters of the rate limits of anonymous forms (see :mod:`talentstation.ratelimit`).

They live in the shared database, so every app server sees the same counts.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateLimitCounter(models.Model):
    """How often one client used one form in one fixed time window."""

    scope = models.CharField(_("form"), max_length=40)
    client = models.CharField(_("client"), max_length=64)
    period = models.PositiveIntegerField(_("window length (seconds)"))
    window_start = models.DateTimeField(_("window start"))
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    hits = models.PositiveIntegerField(_("uses"), default=0)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "client", "period", "window_start"], name="one_counter_a_window"
            )
        ]

    def __str__(self):
        return f"{self.scope} · {self.client[:8]} · {self.window_start:%Y-%m-%d %H:%M}"
