"""Admin of the ranking part: the results of each closed cycle with their entries (read-only:
the ranking is computed on the staff page), and its transitions as actions through the
workflow."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from talentstation.admin_tools import (
    HistoryAdmin,
    ReadOnlyAdminMixin,
    TransitionLogInline,
    form_action,
    transition_action,
)
from talentstation.forms_base import CleanTextAdminMixin

from .. import ranking
from ..forms.ranking import ApproveForm
from ..models import Ranking, RankingEntry


class RankingEntryInline(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.TabularInline):
    model = RankingEntry
    fields = (
        "position",
        "station",
        "score",
        "exclusion",
        "tie_group",
        "tie_decision",
        "tie_note",
        "rank",
        "award_amount",
        "withdrawn_reason",
        "certificate_number",
    )
    readonly_fields = fields
    extra = 0


def _approve(request, queryset, *, meeting_date, meeting_reference):
    for obj in queryset:
        ranking.approve(
            obj, by=request.user, meeting_date=meeting_date, meeting_reference=meeting_reference
        )


@admin.register(Ranking)
class RankingAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("__str__", "status", "meeting_date", "notice_number", "page")
    list_filter = ("status",)
    readonly_fields = (
        "cycle",
        "policy_version",
        "status",
        "confirmation_reason",
        "meeting_date",
        "meeting_reference",
        "notice_number",
        "notice_date",
        "created_by",
        "created_at",
        "page",
    )
    fields = readonly_fields
    inlines = [RankingEntryInline, TransitionLogInline]
    actions = [
        transition_action(Ranking, "propose"),
        form_action(ApproveForm, Ranking.TRANSITION_LABELS["approve"], _approve),
        transition_action(Ranking, "reopen"),
    ]

    @admin.display(description=_("ranking page"))
    def page(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("awards:ranking_detail", args=[obj.pk]), _("open")
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
