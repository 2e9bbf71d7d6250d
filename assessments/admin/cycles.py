"""Admin of the assessment cycles, the stations' assessments and their self-assessments. State
changes are admin actions running the same transitions as the pages."""

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from talentstation.admin_tools import (
    HistoryAdmin,
    ProtectedFileInput,
    ReadOnlyAdminMixin,
    TransitionLogInline,
    transition_action,
)
from talentstation.forms_base import CleanTextAdminMixin

from ..models import (
    Assessment,
    AssessmentCycle,
    AssessmentYear,
    ItemScore,
    SelfAssessment,
    SelfAssessmentClaim,
    TierOverride,
)


@admin.register(AssessmentCycle)
class AssessmentCycleAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("__str__", "first_year", "status", "self_assessment_due", "scoring_closes")
    list_filter = ("status",)
    search_fields = ("title",)
    readonly_fields = (
        "status",
        "policy_version",
        "rubric",
        "opened_at",
        "closed_at",
        "created_by",
        "created_at",
    )
    inlines = [TransitionLogInline]
    actions = [
        transition_action(AssessmentCycle, "open"),
        transition_action(AssessmentCycle, "close"),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # An opened cycle is kept for the record.
        if obj is not None and obj.status != AssessmentCycle.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)


class AssessmentYearInline(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = AssessmentYear
    fields = ("year", "months_certified", "counted", "evidence")
    readonly_fields = fields
    extra = 0


class ItemScoreInline(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = ItemScore
    fields = ("item", "points")
    readonly_fields = fields
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(CleanTextAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ("station", "cycle", "station_status", "status", "score")
    list_filter = ("cycle", "status")
    search_fields = ("station__name", "station__host_unit__name")
    list_select_related = ("station", "cycle")
    inlines = [AssessmentYearInline, ItemScoreInline, TransitionLogInline]


class SelfAssessmentClaimInline(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = SelfAssessmentClaim
    fields = ("item", "tier", "explanation")
    readonly_fields = fields
    extra = 0


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(CleanTextAdminMixin, HistoryAdmin):
    """Read-only (the station files it on its pages); staff may return it for correction."""

    list_display = ("assessment", "status", "submitted_at")
    readonly_fields = (
        "assessment",
        "status",
        "summary",
        "attachment",
        "attachment_name",
        "submitted_at",
        "submitted_by",
    )
    list_filter = ("assessment__cycle", "status")
    search_fields = ("assessment__station__name",)
    list_select_related = ("assessment__station", "assessment__cycle")
    formfield_overrides = {models.FileField: {"widget": ProtectedFileInput}}
    inlines = [SelfAssessmentClaimInline, TransitionLogInline]
    actions = [transition_action(SelfAssessment, "return_for_correction")]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TierOverride)
class TierOverrideAdmin(CleanTextAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    list_display = ("sheet", "item", "proposed_tier", "chosen_tier", "short_reason", "recorded_at")
    search_fields = ("reason",)
    list_select_related = ("sheet__scorer", "item", "proposed_tier", "chosen_tier")

    @admin.display(description=_("reason for the other tier"))
    def short_reason(self, obj):
        return obj.reason[:80]
