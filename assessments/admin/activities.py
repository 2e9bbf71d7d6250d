"""Admin of the operation log: activities (with their files) and service records. Values are
read only here: the station edits on its pages and staff correct with a reason on the entry's
page (linked), so every change has its transition and reason; accept and reject are actions."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from talentstation.admin_tools import HistoryAdmin, TransitionLogInline, transition_action
from talentstation.forms_base import CleanTextAdminMixin

from ..models import Activity, ActivityFile, ServiceRecord


class ActivityFileInline(CleanTextAdminMixin, admin.TabularInline):
    model = ActivityFile
    extra = 0
    can_delete = False
    fields = ("kind", "download", "size", "uploaded_by", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("assessments:activity_file", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class EntryAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_filter = ("status", "kind", "station__station_type", "date")
    list_select_related = ("station",)
    date_hierarchy = "date"
    inlines = [TransitionLogInline]

    def get_readonly_fields(self, request, obj=None):
        return [
            "station",
            *self.model.VALUE_FIELDS,
            "status",
            "recorded_by",
            "recorded_at",
            "reviewed_by",
            "reviewed_at",
            "page_link",
        ]

    def get_fields(self, request, obj=None):
        return self.get_readonly_fields(request, obj)

    def has_add_permission(self, request):
        return False  # the station logs its entries on its pages

    @admin.display(description=_("entry page (edit, correct)"))
    def page_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("open"))


@admin.register(Activity)
class ActivityAdmin(EntryAdmin):
    list_display = ("date", "title", "station", "kind", "person_times", "status")
    search_fields = ("title", "station__name", "station__host_unit__name")
    inlines = [ActivityFileInline, TransitionLogInline]
    actions = [transition_action(Activity, "accept"), transition_action(Activity, "reject")]


@admin.register(ServiceRecord)
class ServiceRecordAdmin(EntryAdmin):
    list_display = ("date", "kind", "served", "station", "person_times", "status")
    search_fields = ("served", "station__name", "station__host_unit__name")
    actions = [
        transition_action(ServiceRecord, "accept"),
        transition_action(ServiceRecord, "reject"),
    ]
