"""Admin of the generic publicity: lists, their entries, objections; start and publication."""

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .admin_tools import (
    HistoryAdmin,
    ProtectedFileInput,
    TransitionLogInline,
    form_action,
    transition_action,
)
from .dates import validate_not_in_future
from .forms_base import CleanTextAdminMixin, PortalForm
from .models import Objection, Publicity, PublicityItem
from .publicity import conclude, start


class StartForm(PortalForm):
    start_date = forms.DateField(
        label=_("start date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Day 1 is this date if it is a working day, else the next working day."),
    )


class PublishForm(PortalForm):
    notice_number = forms.CharField(
        label=_("notice number"), max_length=100, help_text=_("e.g. 榕高新区人社〔2026〕8号")
    )
    notice_date = forms.DateField(
        label=_("notice date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_not_in_future],
    )


def start_publicity(request, queryset, *, start_date):
    for publicity in queryset:
        start(publicity, by=request.user, start_date=start_date)


def publish(request, queryset, *, notice_number, notice_date):
    for publicity in queryset:
        conclude(publicity, by=request.user, notice_number=notice_number, notice_date=notice_date)


class PublicityItemInline(CleanTextAdminMixin, admin.TabularInline):
    model = PublicityItem
    extra = 0
    can_delete = False
    fields = ("order", "name", "description", "status")
    readonly_fields = ("name", "description", "status")

    def has_add_permission(self, request, obj=None):
        return False


class ObjectionInline(CleanTextAdminMixin, admin.TabularInline):
    model = Objection
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("received_at", "channel", "item", "status")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Publicity)
class PublicityAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("title", "purpose", "status", "first_day", "last_day", "notice_number")
    list_filter = ("purpose", "status")
    search_fields = ("title", "notice_number")
    readonly_fields = (
        "status",
        "start_date",
        "working_days",
        "first_day",
        "last_day",
        "notice_number",
        "notice_date",
        "created_by",
        "created_at",
    )
    inlines = [PublicityItemInline, ObjectionInline, TransitionLogInline]
    actions = [
        form_action(StartForm, _("start the publicity"), start_publicity),
        form_action(PublishForm, _("publish the notice (conclude)"), publish),
    ]


@admin.register(Objection)
class ObjectionAdmin(CleanTextAdminMixin, HistoryAdmin):
    """Staff record objections made by telephone or letter here, and resolve every one."""

    list_display = ("publicity", "item", "channel", "received_at", "status")
    list_filter = ("status", "channel", "publicity")
    search_fields = ("name", "organisation", "reason")
    readonly_fields = ("status", "resolution", "recorded_by", "evidence_link")
    formfield_overrides = {models.FileField: {"widget": ProtectedFileInput}}

    @admin.display(description=_("open the supporting file"))
    def evidence_link(self, obj):
        if not obj.pk or not obj.evidence:
            return "—"
        url = reverse("objection_evidence", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))

    inlines = [TransitionLogInline]
    actions = [transition_action(Objection, "uphold"), transition_action(Objection, "dismiss")]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
