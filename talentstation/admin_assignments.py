"""Admin of scorer assignments (expert panels, assessment scorers) and expert affiliations.

Assignments are made on the staff pages, where conflicts are checked; here staff read them.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import assignments
from .admin_tools import HistoryAdmin
from .forms_base import CleanTextAdminMixin
from .models import ExpertAffiliation, ScorerAssignment, SiteVisitPhoto


@admin.register(ExpertAffiliation)
class ExpertAffiliationAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("expert", "organisation", "credit_code", "relation")
    search_fields = ("expert__full_name", "expert__email", "organisation", "credit_code")
    autocomplete_fields = ("expert",)


class SiteVisitPhotoInline(CleanTextAdminMixin, admin.TabularInline):
    model = SiteVisitPhoto
    extra = 0
    fields = ("download", "uploaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("visit_photo", args=[obj.pk]), obj.original_name
        )


class LateFilter(admin.SimpleListFilter):
    title = _("score sheet late")
    parameter_name = "late"

    def lookups(self, request, model_admin):
        return [("yes", _("past the due date, sheet not submitted"))]

    def queryset(self, request, queryset):
        from .dates import today

        if self.value() == "yes":
            return queryset.filter(pk__in=assignments.late(today()))
        return queryset


@admin.register(ScorerAssignment)
class ScorerAssignmentAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = (
        "subject_display",
        "scorer",
        "due_date",
        "no_conflict_declared_at",
        "visit_date",
    )
    list_filter = ("content_type", LateFilter, "due_date")
    search_fields = ("scorer__full_name", "scorer__username")
    list_select_related = ("content_type", "scorer")
    readonly_fields = (
        "content_type",
        "object_id",
        "subject_display",
        "scorer",
        "assigned_by",
        "assigned_at",
        "no_conflict_declared_at",
        "visit_date",
        "visit_notes",
    )
    exclude = ("due_date",)
    inlines = [SiteVisitPhotoInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("subject")

    @admin.display(description=_("assigned to"))
    def subject_display(self, obj):
        return str(obj.subject) if obj.subject is not None else "—"

    def has_add_permission(self, request):
        return False  # scorers are assigned on the staff pages, where conflicts are checked
