"""The login lock-outs in admin (django-axes), with translatable messages.

Bureau staff lift a lock-out by deleting the user's access attempt. Axes' own admin builds two
texts untranslatably (the remaining attempts, the clean-up message); the rest of its admin is
translated by our catalogue (``package_strings``).
"""

from axes.admin import AccessAttemptAdmin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms_base import CleanTextAdminMixin


class PortalAccessAttemptAdmin(CleanTextAdminMixin, AccessAttemptAdmin):
    actions = ["cleanup_expired_attempts"]

    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            ngettext(
                "Cleaned up %(count)d expired access attempt.",
                "Cleaned up %(count)d expired access attempts.",
                count,
            )
            % {"count": count},
        )

    @admin.display(description=_("status"))
    def status(self, obj):
        remaining = axes_settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining > 0:
            return ngettext("%(count)d attempt left", "%(count)d attempts left", remaining) % {
                "count": remaining
            }
        return _("Locked Out")


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
    admin.site.register(AccessAttempt, PortalAccessAttemptAdmin)
