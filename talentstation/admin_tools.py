"""Admin pieces every app uses: transition actions and the read-only transition history."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.admin import GenericTabularInline
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms_base import CleanTextAdminMixin, PortalForm
from .models import TransitionLog
from .workflow import TransitionRefused, perform


class ReasonForm(PortalForm):
    reason = forms.CharField(
        label=gettext_lazy("reason"),
        max_length=TransitionLog._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Recorded in the history and shown to the people concerned."),
    )


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
            except TransitionRefused as refusal:
                messages.error(request, f"{obj}: {refusal.message}")
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
    then calls ``handler(request, queryset, **cleaned_data)``; a ``TransitionRefused`` or
    ``ValueError`` from it is shown as an error message."""

    def action(modeladmin, request, queryset):
        form = form_class(request.POST if "confirm" in request.POST else None)
        if not form.is_valid():
            return _ask(modeladmin, request, queryset, form, label)
        try:
            result = handler(request, queryset, **form.cleaned_data)
        except (TransitionRefused, ValueError) as refusal:
            messages.error(request, getattr(refusal, "message", str(refusal)))
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
