"""Admin of the nominations part: nomination batches with their nominations, the Annex 3
downloads (the same views as the staff pages) and the batch transitions as admin actions."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from talentstation.admin_tools import HistoryAdmin, TransitionLogInline, transition_action
from talentstation.forms_base import CleanTextAdminMixin

from ..models import Nomination, NominationBatch


@admin.display(description=_("Annex 3"))
def annex3_links(batch):
    if batch.pk is None:
        return "—"  # a batch not saved yet has no Annex 3
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
        reverse("awards:nomination_annex3_xlsx", args=[batch.pk]),
        _("Annex 3 (xlsx)"),
        reverse("awards:nomination_annex3_pdf", args=[batch.pk]),
        _("Annex 3 (PDF)"),
        reverse("awards:nomination_batch", args=[batch.pk]),
        _("batch page"),
    )


class NominationInline(CleanTextAdminMixin, admin.StackedInline):
    model = Nomination
    extra = 0
    fields = ("station", "order", "introduction", "reason", "outcome", "outcome_note")
    autocomplete_fields = ("station",)
    readonly_fields = ("outcome", "outcome_note")


@admin.register(NominationBatch)
class NominationBatchAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("title", "level", "programme", "status", "submitted_on", annex3_links)
    list_filter = ("status", "level")
    search_fields = ("title", "programme")
    readonly_fields = (annex3_links, "status", "submitted_on", "created_by", "created_at")
    inlines = [NominationInline, TransitionLogInline]
    actions = [
        transition_action(NominationBatch, "submit"),
        transition_action(NominationBatch, "reopen"),
        transition_action(NominationBatch, "record_outcomes"),
    ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Nomination)
class NominationAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("station", "batch", "order", "outcome")
    list_filter = ("outcome", "batch__level", "batch__status")
    search_fields = ("station__name", "batch__title")
    list_select_related = ("station", "batch")
    readonly_fields = ("outcome_recorded_by",)
    autocomplete_fields = ("station",)
