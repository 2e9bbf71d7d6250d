"""Admin of the rectification part: orders with their problems inline (edited while the order
is a draft), the transitions as actions through the workflow, and the files as links."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from talentstation.admin_tools import HistoryAdmin, TransitionLogInline, transition_action
from talentstation.forms_base import CleanTextAdminMixin

from ..models import RectificationOrder, RectificationProblem


class RectificationProblemInline(CleanTextAdminMixin, admin.TabularInline):
    model = RectificationProblem
    extra = 0
    fields = ("order_in_notice", "item", "points", "problem", "requirement")
    autocomplete_fields = ()

    def _editable(self, obj):
        return obj is None or obj.status == RectificationOrder.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(RectificationOrder)
class RectificationOrderAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = (
        "station",
        "score",
        "notice_number",
        "issued_on",
        "deadline",
        "status",
        "overdue_flagged_at",
        "report_late",
    )
    list_filter = ("status", "report_late", "assessment__cycle")
    search_fields = ("station__name", "station__host_unit__name", "notice_number")
    list_select_related = ("station",)
    inlines = [RectificationProblemInline, TransitionLogInline]
    fields = (
        "station",
        "assessment",
        "score",
        "status",
        "reason",
        "summary",
        "notice_number",
        "issued_on",
        "deadline",
        "overdue_flagged_at",
        "report_text",
        "evidence_link",
        "reported_at",
        "report_late",
        "inspected_on",
        "inspection_note",
        "revoked_on",
        "notice_link",
    )
    actions = [
        transition_action(RectificationOrder, name)
        for name in RectificationOrder.TRANSITION_LABELS
        if name != "file_report"
    ]

    def get_readonly_fields(self, request, obj=None):
        always = (
            "status",
            "overdue_flagged_at",
            "report_text",
            "evidence_link",
            "reported_at",
            "report_late",
            "inspected_on",
            "inspection_note",
            "revoked_on",
            "notice_link",
            "score",
            "assessment",
        )
        if obj is None:
            return always
        if obj.status == RectificationOrder.Status.DRAFT:
            return ("station", *always)
        return ("station", "reason", "summary", "notice_number", "issued_on", "deadline", *always)

    def has_add_permission(self, request):
        return False  # made from a cycle or on the staff page (with a reason)

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj):
        if not obj.report_file:
            return "—"
        url = reverse("awards:rectification_evidence", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))

    @admin.display(description=_("rectification notice"))
    def notice_link(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("awards:rectification_notice", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("PDF"))
