"""Admin of the station records: due dates of plans and summaries (rules as data, edited by
bureau staff), station profiles, talent referrals and the plans and summaries themselves
(decided by the transition actions)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from talentstation.access_log import AccessLoggedAdminMixin
from talentstation.admin_tools import HistoryAdmin, TransitionLogInline, transition_action
from talentstation.forms_base import CleanTextAdminMixin

from ..models import ReportSchedule, StationProfile, StationReport, TalentReferral
from ..models.profile import RULE_FIELDS


class CreatedByStationMixin:
    """Records a station creates in the portal: staff correct them here but never add one."""

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportSchedule)
class ReportScheduleAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("year", "plan_due", "summary_due")
    ordering = ("-year",)


@admin.register(StationProfile)
class StationProfileAdmin(CleanTextAdminMixin, CreatedByStationMixin, HistoryAdmin):
    list_display = (
        "station",
        "area_m2",
        "has_display_area",
        "has_publicity_area",
        "has_management_team",
        "full_time_staff",
        "part_time_staff",
        "updated_at",
    )
    list_filter = ("has_display_area", "has_publicity_area", "has_management_team", *RULE_FIELDS)
    search_fields = ("station__name", "station__host_unit__name", "manager_name")
    list_select_related = ("station",)
    exclude = tuple(f"{name}_document" for name in RULE_FIELDS)
    # The rules' states go with their documents: the station changes both in the portal.
    readonly_fields = ("station", *RULE_FIELDS, "documents", "updated_at", "updated_by")

    @admin.display(description=_("documents of the rules"))
    def documents(self, obj):
        links = [
            (reverse("assessments:profile_document", args=[obj.station_id, name]), label)
            for label, _state, name, document in obj.rules()
            if document
        ]
        if not links:
            return "—"
        return format_html_join(mark_safe("<br>"), '<a href="{}">{}</a>', links)


@admin.register(TalentReferral)
class TalentReferralAdmin(
    AccessLoggedAdminMixin, CleanTextAdminMixin, CreatedByStationMixin, HistoryAdmin
):
    list_display = ("person_name", "station", "programme", "level", "year", "outcome", "status")
    list_filter = ("status", "level", "outcome", "year")
    search_fields = ("person_name", "employer", "programme", "station__name")
    list_select_related = ("station",)
    exclude = ("evidence",)
    readonly_fields = ("station", "status", "evidence_link", "created_at", "created_by")
    inlines = [TransitionLogInline]
    actions = [
        transition_action(TalentReferral, "confirm"),
        transition_action(TalentReferral, "reject"),
    ]

    @admin.display(description=_("evidence"))
    def evidence_link(self, obj):
        if not obj.evidence:
            return "—"
        url = reverse("assessments:referral_evidence", args=[obj.station_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))


@admin.register(StationReport)
class StationReportAdmin(CleanTextAdminMixin, CreatedByStationMixin, HistoryAdmin):
    list_display = ("station", "year", "kind", "status", "filed_on")
    list_filter = ("year", "kind", "status")
    search_fields = ("station__name", "station__host_unit__name")
    list_select_related = ("station",)
    fields = ("station", "year", "kind", "status", "filed_on", "text", "document_link")
    readonly_fields = ("station", "year", "kind", "status", "filed_on", "text", "document_link")
    inlines = [TransitionLogInline]
    actions = [
        transition_action(StationReport, "accept"),
        transition_action(StationReport, "return_report"),
    ]

    @admin.display(description=_("document"))
    def document_link(self, obj):
        if not obj.document:
            return "—"
        url = reverse("assessments:report_document", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))
