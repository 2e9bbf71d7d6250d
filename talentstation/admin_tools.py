"""Admin pieces every app uses: transition actions, the read-only transition history and the
field history (simple-history) with readable values."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .forms import ReasonForm
from .forms_base import CleanTextAdminMixin
from .i18n import label_value
from .models import TransitionLog
from .rules import Refused
from .workflow import perform


def _reason_required(model, name):
    meta = getattr(model, name)._django_fsm
    return any(spec.custom.get("reason_required") for spec in meta.transitions.values())


def _ask(modeladmin, request, queryset, form, label):
    """The intermediate page of an admin action: the selected objects and a form to confirm."""
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": label,
        "objects": queryset,
        "form": form,
        "action": request.POST.get("action"),
        "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
        "opts": modeladmin.model._meta,
        "checkbox_name": ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/form_action.html", context)


def transition_action(model, name):
    """An admin action running transition ``name`` through the workflow on each selected object.

    When the transition needs a reason, an intermediate page asks for it first. Refusals are
    reported per object; the others go ahead.
    """
    label = model.TRANSITION_LABELS[name]

    def action(modeladmin, request, queryset):
        reason = ""
        if _reason_required(model, name):
            form = ReasonForm(request.POST if "confirm" in request.POST else None)
            if not form.is_valid():
                return _ask(modeladmin, request, queryset, form, label)
            reason = form.cleaned_data["reason"]
        done = 0
        for obj in queryset:
            try:
                perform(obj, name, by=request.user, reason=reason)
                done += 1
            except Refused as refusal:
                messages.error(request, label_value(obj, refusal.message))
        if done:
            messages.success(
                request,
                _("“%(action)s” done for %(count)d item(s).") % {"action": label, "count": done},
            )
        return None

    action.__name__ = f"transition_{name}"
    action.short_description = label
    action.allowed_permissions = ("change",)
    return action


class TransitionLogInline(CleanTextAdminMixin, GenericTabularInline):
    model = TransitionLog
    ct_field = "content_type"
    ct_fk_field = "object_id"
    extra = 0
    can_delete = False
    fields = ("at", "transition_label", "from_label", "to_label", "actor", "reason")
    readonly_fields = fields
    verbose_name = gettext_lazy("state change")
    verbose_name_plural = gettext_lazy("state changes (transition history)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("transition"))
    def transition_label(self, obj):
        return obj.transition_label

    @admin.display(description=gettext_lazy("from state"))
    def from_label(self, obj):
        return obj.from_label

    @admin.display(description=gettext_lazy("to state"))
    def to_label(self, obj):
        return obj.to_label


class ProtectedFileInput(forms.ClearableFileInput):
    """A file input for admin that never links to the storage: uploads have no public URL and
    are downloaded through the access-checked views instead."""

    template_name = "admin/widgets/protected_file.html"


def form_action(form_class, label, handler, *, permissions=("change",)):
    """An admin action that first asks for the values of ``form_class`` on an intermediate page,
    then calls ``handler(request, queryset, **cleaned_data)``; a :class:`Refused` from it is
    shown as an error message."""

    def action(modeladmin, request, queryset):
        form = form_class(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            return _ask(modeladmin, request, queryset, form, label)
        try:
            result = handler(request, queryset, **form.cleaned_data)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return None
        messages.success(request, _("“%(action)s” done.") % {"action": label})
        return result

    action.__name__ = f"form_action_{handler.__name__}"
    action.short_description = label
    action.allowed_permissions = permissions
    return action


class ReadOnlyAdminMixin:
    """For records nobody edits by hand (logs, sequences, sent notices): view only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadableHistoryValues(HistoricalRecordContextHelper):
    """The field history shows values as the forms do: a choice by its label (草稿, not
    ``draft``), yes/no, and a dash for empty values (not ``None``)."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's admin (the 历史 button) with readable values in the list of changes.

    The history is view only: reverting to an old version (simple-history saves the form of
    the historical page on POST even with the revert button hidden) would change an object
    around its workflow and its checks, so a POST there is refused."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryValues(self.model, historical_record)
