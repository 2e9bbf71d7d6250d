"""Admin of the rate-limit counters of the anonymous forms: to see them, and to lift a limit."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .admin_tools import ReadOnlyAdminMixin
from .forms_base import CleanTextAdminMixin
from .models import RateLimitCounter
from .ratelimit import duration


@admin.register(RateLimitCounter)
class RateLimitCounterAdmin(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Written by talentstation.ratelimit. Deleting a counter lifts that client's limit (for
    example an office whose colleagues share one address)."""

    list_display = ("scope", "client", "window", "window_start", "hits", "expires_at")
    list_filter = ("scope",)
    date_hierarchy = "window_start"

    @admin.display(description=_("window"), ordering="period")
    def window(self, counter):
        return duration(counter.period)

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("talentstation.delete_ratelimitcounter")
