"""The audit records in admin: the access log and Django's admin history, view only for
everyone (superusers too) like the state changes (talentstation.admin.TransitionLogAdmin).
Staff search them; nobody adds, changes or deletes one (talentstation.audit)."""

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.utils.translation import gettext_lazy as _

from .admin_tools import ReadOnlyAdminMixin
from .forms_base import CleanTextAdminMixin
from .models import AccessLog


class AuditAdminMixin(ReadOnlyAdminMixin):
    """View only for everyone: without the delete permission the admin offers no delete
    action; the list still exports (the site-wide Excel action, itself access-logged)."""


@admin.register(AccessLog)
class AccessLogAdmin(CleanTextAdminMixin, AuditAdminMixin, admin.ModelAdmin):
    list_display = ("at", "user_label", "kind", "label", "content_type", "client_ip")
    list_filter = ("kind", "at", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("user_label", "user__username", "user__email", "label", "url")
    list_select_related = ("content_type",)
    date_hierarchy = "at"
    fields = (
        "at",
        "user",
        "user_label",
        "kind",
        "content_type",
        "object_id",
        "label",
        "client_ip",
        "url",
    )
    readonly_fields = fields


@admin.register(LogEntry)
class LogEntryAdmin(CleanTextAdminMixin, AuditAdminMixin, admin.ModelAdmin):
    """Django's admin history (the 历史 of every admin page), across all objects."""

    list_display = ("action_time", "user", "action_flag", "content_type", "object_repr")
    list_filter = ("action_flag", "action_time", ("content_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("object_repr", "change_message", "user__username", "user__full_name")
    list_select_related = ("user", "content_type")
    date_hierarchy = "action_time"
    fields = (
        "action_time",
        "user",
        "action_flag",
        "content_type",
        "object_id",
        "object_repr",
        "change_message_text",
    )
    readonly_fields = fields

    @admin.display(description=_("change message"))
    def change_message_text(self, entry):
        return entry.get_change_message()
