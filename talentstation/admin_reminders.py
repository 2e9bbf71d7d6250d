"""Admin of the reminders sent by ``manage.py send_reminders``: what was sent to whom and when
(read only), linked both ways with the inbox items they created."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .admin_notifications import NotificationAdmin
from .admin_tools import ReadOnlyAdminMixin
from .forms_base import CleanTextAdminMixin
from .models import Reminder
from .reminders import kind_label, kind_labels


class KindFilter(admin.SimpleListFilter):
    title = _("kind of deadline")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return sorted(kind_labels().items(), key=lambda pair: str(pair[1]))

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class LeadFilter(admin.SimpleListFilter):
    title = _("before or after the deadline")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return (("before", _("before the deadline")), ("overdue", _("overdue")))

    def queryset(self, request, queryset):
        if self.value() == "before":
            return queryset.filter(lead_days__gte=0)
        if self.value() == "overdue":
            return queryset.filter(lead_days__lt=0)
        return queryset


@admin.register(Reminder)
class ReminderAdmin(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the daily command writes them."""

    list_display = (
        "sent_at",
        "recipient",
        "kind_display",
        "due",
        "lead_display",
        "email_status",
        "subject",  # last: the long column
    )
    list_filter = (
        KindFilter,
        LeadFilter,
        "due",
        "run_date",
        "sent_at",
        ("recipient", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = (
        "recipient__username",
        "recipient__full_name",
        "recipient__email",
        "notification__subject",
    )
    list_select_related = ("recipient", "notification", "content_type")
    date_hierarchy = "sent_at"
    fields = (
        "recipient",
        "kind_display",
        "object_link",
        "due",
        "lead_display",
        "run_date",
        "sent_at",
        "notification_link",
        "email_status",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("notification__emails")

    @admin.display(description=_("kind of deadline"), ordering="kind")
    def kind_display(self, obj):
        return kind_label(obj.kind)

    @admin.display(description=_("lead time"), ordering="lead_days")
    def lead_display(self, obj):
        if obj.lead_days > 0:
            return _("%(days)s day(s) before") % {"days": obj.lead_days}
        if obj.lead_days < 0:
            return _("%(days)s day(s) overdue") % {"days": -obj.lead_days}
        return _("on the day")

    @admin.display(description=_("subject"))
    def subject(self, obj):
        return obj.notification.subject if obj.notification else "—"

    @admin.display(description=_("e-mail"))
    def email_status(self, obj):
        emails = list(obj.notification.emails.all()) if obj.notification else []
        return ", ".join(str(email.get_status_display()) for email in emails) or "—"

    @admin.display(description=_("about"))
    def object_link(self, obj):
        target = obj.obj
        if target is None:
            return "—"
        opts = target._meta
        try:
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[target.pk])
        except Exception:  # a model without an admin page
            return str(target)
        return format_html('<a href="{}">{}</a>', url, target)

    @admin.display(description=_("inbox item"))
    def notification_link(self, obj):
        if obj.notification is None:
            return "—"
        url = reverse("admin:talentstation_notification_change", args=[obj.notification.pk])
        return format_html('<a href="{}">{}</a>', url, obj.notification.subject)


def _reminders_of_notification(self, obj):
    """On a notification's page: the reminder that created it, if one did."""
    reminder = obj.reminders.first() if obj else None
    if reminder is None:
        return "—"
    url = reverse("admin:talentstation_reminder_change", args=[reminder.pk])
    return format_html('<a href="{}">{}</a>', url, kind_label(reminder.kind))


_reminders_of_notification.short_description = _("reminder")
NotificationAdmin.reminder = _reminders_of_notification
NotificationAdmin.readonly_fields = (*NotificationAdmin.readonly_fields, "reminder")
