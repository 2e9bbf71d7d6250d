from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from talentstation.admin_tools import (
    HistoryAdmin,
    ReadOnlyAdminMixin,
    TransitionLogInline,
    transition_action,
)
from talentstation.forms_base import CleanTextAdminMixin

from .models.scoring import (
    ScoreEntry,
    ScoreItem,
    ScoreSheet,
    ScoreSheetTemplate,
    ScoreTier,
    ScoreTierCondition,
    format_points,
)


class DraftOnlyInlineMixin:
    """Inline rows of a template (or of one of its items) change only while it is a draft."""

    def _editable(self, obj):
        if obj is None:
            return True
        template = obj if isinstance(obj, ScoreSheetTemplate) else obj.template
        return template.is_editable

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class ScoreItemInline(CleanTextAdminMixin, DraftOnlyInlineMixin, admin.TabularInline):
    model = ScoreItem
    extra = 0
    fields = ("order", "title", "kind", "weight", "max_points", "tiers_summary")
    readonly_fields = ("tiers_summary",)
    show_change_link = True
    verbose_name_plural = _("items (open an item to edit its tiers)")

    @admin.display(description=_("tiers"))
    def tiers_summary(self, obj):
        if not obj.pk:
            return "—"
        return (
            format_html_join("", "<div>{}</div>", ((str(tier),) for tier in obj.tiers.all())) or "—"
        )


@admin.register(ScoreSheetTemplate)
class ScoreSheetTemplateAdmin(CleanTextAdminMixin, HistoryAdmin):
    """Versions of the score sheets. Only a draft is edited; "editing" an active version is the
    action "new draft version", and activating the draft retires the old one."""

    def get_fieldsets(self, request, obj=None):
        description = _(
            "The points of each tier, and the conditions on the evidence that propose a tier, "
            "are the bureau's to set: make a new draft version, edit it, activate it. A version "
            "a cycle or a call has used stays as it was."
        )
        return [(None, {"fields": self.get_fields(request, obj), "description": description})]

    list_display = (
        "name",
        "purpose",
        "version",
        "status",
        "maximum",
        "activated_at",
        "created_by",
        "created_at",
    )
    list_filter = ("purpose", "status")
    search_fields = ("name", "note")
    fields = (
        "name",
        "purpose",
        "version",
        "status",
        "maximum",
        "note",
        "based_on",
        "created_by",
        "created_at",
        "activated_at",
    )
    readonly_fields = (
        "version",
        "status",
        "maximum",
        "based_on",
        "created_by",
        "created_at",
        "activated_at",
    )
    inlines = [ScoreItemInline, TransitionLogInline]
    actions = [
        "new_draft_version",
        transition_action(ScoreSheetTemplate, "activate"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items__tiers")

    @admin.display(description=_("maximum possible total"))
    def maximum(self, obj):
        return format_points(obj.max_total()) if obj.pk else "—"

    def get_readonly_fields(self, request, obj=None):
        # The version number counts per purpose: a saved version keeps its purpose.
        return (*self.readonly_fields, "purpose") if obj is not None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        # An active or retired version is shown read-only (the actions still apply to it).
        return (obj is None or obj.is_editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return (obj is None or obj.is_editable) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(
        description=_("new draft version (to edit the items and points)"), permissions=["change"]
    )
    def new_draft_version(self, request, queryset):
        for template in queryset:
            draft = template.new_version(request.user)
            url = reverse("admin:talentstation_scoresheettemplate_change", args=[draft.pk])
            messages.success(
                request,
                format_html(
                    gettext('Draft {draft} created from {template}: <a href="{url}">edit it</a>.'),
                    draft=draft,
                    template=template,
                    url=url,
                ),
            )


class ScoreTierInline(CleanTextAdminMixin, DraftOnlyInlineMixin, admin.TabularInline):
    model = ScoreTier
    extra = 0
    fields = ("order", "label", "points", "conditions_summary")
    readonly_fields = ("conditions_summary",)
    show_change_link = True
    verbose_name_plural = _("tiers (open a tier to edit the conditions that propose it)")

    @admin.display(description=_("proposed when"))
    def conditions_summary(self, obj):
        if not obj.pk:
            return "—"
        return "；".join(str(condition) for condition in obj.conditions.all()) or "—"


class ScoreTierConditionInline(CleanTextAdminMixin, DraftOnlyInlineMixin, admin.TabularInline):
    model = ScoreTierCondition
    extra = 0
    fields = ("measure", "operator", "value")

    def _editable(self, obj):
        return obj is None or obj.item.template.is_editable


@admin.register(ScoreTier)
class ScoreTierAdmin(CleanTextAdminMixin, HistoryAdmin):
    """A tier with the conditions on the evidence that propose it (all must hold; a tier
    without conditions is proposed when no better tier is). The points and conditions are the
    bureau's to set, in a draft version."""

    list_display = ("label", "item", "points")
    list_filter = ("item__template__purpose", "item__template")
    list_select_related = ("item__template",)
    search_fields = ("label",)
    fields = ("item", "order", "label", "points")
    readonly_fields = ("item",)
    inlines = [ScoreTierConditionInline]

    def has_add_permission(self, request):
        return False  # tiers are added on their item's page

    def has_change_permission(self, request, obj=None):
        allowed = obj is None or obj.item.template.is_editable
        return allowed and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = obj is None or obj.item.template.is_editable
        return allowed and super().has_delete_permission(request, obj)


@admin.register(ScoreItem)
class ScoreItemAdmin(CleanTextAdminMixin, HistoryAdmin):
    """An item with its tiers (reached from its template's page)."""

    list_display = ("title", "template", "order", "kind", "weight", "max_points")
    list_filter = ("template__purpose", "template")
    list_select_related = ("template",)
    search_fields = ("title", "description")
    fields = ("template", "order", "title", "description", "kind", "weight", "max_points")
    inlines = [ScoreTierInline]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "template":
            kwargs["queryset"] = ScoreSheetTemplate.objects.filter(
                status=ScoreSheetTemplate.Status.DRAFT
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ("template",) if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        allowed = obj is None or obj.template.is_editable
        return allowed and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        allowed = obj is None or obj.template.is_editable
        return allowed and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            super().save_model(request, obj, form, change)
        except ValidationError as error:  # pragma: no cover - the form is read-only then
            messages.error(request, " ".join(error.messages))


class ScoreEntryInline(CleanTextAdminMixin, admin.TabularInline):
    model = ScoreEntry
    extra = 0
    can_delete = False
    fields = ("item", "tier", "points", "weighted", "comment")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "tier")

    @admin.display(description=_("counts"))
    def weighted(self, obj):
        value = obj.value()
        return "—" if value is None else format_points(value)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(CleanTextAdminMixin, ReadOnlyAdminMixin, HistoryAdmin):
    """Filled sheets are the scorers' own: staff read them here, nobody edits them."""

    list_display = ("subject_display", "template", "scorer", "status", "total", "submitted_at")
    list_filter = ("template__purpose", "status", "template")
    search_fields = ("scorer__full_name", "scorer__username", "template__name")
    list_select_related = ("template", "scorer", "content_type")
    fields = (
        "template",
        "content_type",
        "object_id",
        "subject_display",
        "scorer",
        "status",
        "total",
        "created_at",
        "updated_at",
        "submitted_at",
    )
    readonly_fields = fields
    inlines = [ScoreEntryInline, TransitionLogInline]

    @admin.display(description=pgettext_lazy("what a score sheet scores", "subject"))
    def subject_display(self, obj):
        return str(obj.subject) if obj.subject is not None else "—"
