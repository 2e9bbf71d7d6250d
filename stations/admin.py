import io
import zipfile

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from talentstation.access_log import DOWNLOAD, AccessLoggedAdminMixin, mark
from talentstation.admin_tools import (
    HistoryAdmin,
    ProtectedFileInput,
    ReadOnlyAdminMixin,
    TransitionLogInline,
    form_action,
    transition_action,
)
from talentstation.documents import pdf_response
from talentstation.forms_base import CleanTextAdminMixin, PortalForm
from talentstation.i18n import label_value
from talentstation.models import Publicity
from talentstation.publicity import start as start_publicity

from . import publication
from .documents import annex1_filename, annex1_pdf
from .imports import LegacyStationImportMixin
from .models import (
    Application,
    Attachment,
    Call,
    CallDocument,
    HostUnit,
    LeadershipMeeting,
    PlaqueSequence,
    Station,
    SubmittedRevision,
    UnitMember,
)


class UnitMemberInline(CleanTextAdminMixin, admin.TabularInline):
    model = UnitMember
    fk_name = "unit"
    extra = 0
    fields = ("user", "is_admin", "invited_by", "joined_at")
    readonly_fields = ("invited_by", "joined_at")
    raw_id_fields = ("user",)


@admin.register(HostUnit)
class HostUnitAdmin(AccessLoggedAdminMixin, CleanTextAdminMixin, HistoryAdmin):
    list_display = (
        "name",
        "credit_code",
        "code_state",
        "verification",
        "contact_name",
        "created_at",
    )
    list_filter = ("verification", "code_state")
    search_fields = ("name", "credit_code", "contact_name")
    readonly_fields = ("code_state", "verification", "created_at", "licence_link")
    fields = (
        "name",
        "credit_code",
        "code_state",
        "verification",
        "address",
        "contact_name",
        "contact_mobile",
        "contact_email",
        "business_licence",
        "licence_link",
        "created_at",
    )
    inlines = [UnitMemberInline, TransitionLogInline]
    formfield_overrides = {models.FileField: {"widget": ProtectedFileInput}}
    actions = [
        transition_action(HostUnit, "verify"),
        transition_action(HostUnit, "reject_licence"),
        transition_action(HostUnit, "confirm_code"),
    ]

    @admin.display(description=_("business licence"))
    def licence_link(self, obj):
        if not obj.pk or not obj.business_licence:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("stations:licence", args=[obj.pk]), _("download")
        )


@admin.register(Station)
class StationAdmin(CleanTextAdminMixin, LegacyStationImportMixin, HistoryAdmin):
    list_display = ("name", "station_type", "host_unit", "status", "certified_on")
    list_filter = ("station_type", "status")
    search_fields = ("name", "host_unit__name", "host_unit__credit_code")
    list_select_related = ("host_unit",)
    readonly_fields = ("status", "whole_record")
    autocomplete_fields = ("host_unit",)
    inlines = [TransitionLogInline]
    actions = [
        transition_action(Station, "start_rectification"),
        transition_action(Station, "end_rectification"),
        transition_action(Station, "revoke"),
    ]
    # Pausing the deadline reminders (talentstation.reminders): the two fields of the form,
    # who paused and when shown beside them; the list shows which stations are paused.
    list_display += ("reminders_paused",)
    list_filter += ("reminders_paused",)
    readonly_fields += ("reminders_paused_by", "reminders_paused_at")
    actions += ["resume_reminders"]

    @admin.action(description=_("Resume the reminders of the selected stations"))
    def resume_reminders(self, request, queryset):
        from .reminder_sources import set_reminders_paused

        for station in queryset.filter(reminders_paused=True):
            set_reminders_paused(station, paused=False, by=request.user)

    def save_model(self, request, obj, form, change):
        if {"reminders_paused", "reminders_paused_reason"} & set(form.changed_data):
            from .reminder_sources import record_pause

            record_pause(obj, by=request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("station page"))
    def whole_record(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("stations:staff_station", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("View the station's whole record"))


class CallDocumentInline(CleanTextAdminMixin, admin.TabularInline):
    model = CallDocument
    extra = 1
    fields = ("order", "title", "file")
    formfield_overrides = {models.FileField: {"widget": ProtectedFileInput}}


@admin.register(Call)
class CallAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("title", "year", "open_date", "close_date", "status", "policy_version")
    list_filter = ("year", "status")
    search_fields = ("title",)
    readonly_fields = ("status", "published_at", "created_by", "created_at")
    inlines = [CallDocumentInline, TransitionLogInline]
    actions = [transition_action(Call, "publish"), transition_action(Call, "close")]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


class AttachmentInline(CleanTextAdminMixin, admin.TabularInline):
    model = Attachment
    extra = 0
    can_delete = False
    fields = ("kind", "download", "size", "revision", "uploaded_by", "uploaded_at")
    readonly_fields = fields
    verbose_name_plural = _("attachments (the stamped scan beside the current revision)")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("stations:attachment_download", args=[obj.application_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class SubmittedRevisionInline(CleanTextAdminMixin, admin.TabularInline):
    model = SubmittedRevision
    extra = 0
    can_delete = False
    fields = ("revision", "submitted_at", "submitted_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PublicityForm(PortalForm):
    """The list's texts, prefilled from the policy settings (see ``publicity_defaults``)."""

    title = forms.CharField(label=_("title"), max_length=200)
    basis = forms.CharField(
        label=_("basis"),
        max_length=Publicity._meta.get_field("basis").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact = forms.CharField(
        label=_("how to object"),
        max_length=Publicity._meta.get_field("contact").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where and how to object (telephone, address); objections need a real name."),
    )
    start_date = forms.DateField(
        label=_("start date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Day 1 is this date if it is a working day, else the next working day."),
    )

    def __init__(self, *args, **kwargs):
        from talentstation.models import PolicyVersion

        super().__init__(*args, **kwargs)
        defaults = publication.publicity_defaults(PolicyVersion.current())
        for name, value in defaults.items():
            self.fields[name].initial = value


class PanelForm(PortalForm):
    experts = forms.ModelMultipleChoiceField(label=_("experts"), queryset=None)
    due_date = forms.DateField(
        label=_("due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        from talentstation.roles import Role

        super().__init__(*args, **kwargs)
        self.fields["experts"].queryset = (
            get_user_model()
            .objects.filter(groups__name=Role.EXPERT, is_active=True)
            .order_by("full_name")
        )


def assign_panel(request, queryset, *, experts, due_date):
    """Bulk: the same experts on the panel of every selected application; affiliated experts
    are refused for the applications they are tied to, the rest go ahead."""
    from django.contrib import messages

    from talentstation.assignments import assign_scorer
    from talentstation.rules import Refused

    for application in queryset.select_related("host_unit"):
        for expert in experts:
            try:
                assign_scorer(application, expert, by=request.user, due_date=due_date)
            except Refused as refusal:
                messages.warning(request, label_value(application.number, refusal.message))


def put_under_publicity(request, queryset, *, title, basis, contact, start_date):
    """Bulk: the approved applications selected go on one list, and its publicity starts."""
    from django.db import transaction

    with transaction.atomic():
        publicity = publication.publicity_for(
            queryset.select_related("host_unit").order_by("number"),
            by=request.user,
            title=title,
            basis=basis,
            contact=contact,
        )
        start_publicity(publicity, by=request.user, start_date=start_date)


@admin.register(Application)
class ApplicationAdmin(AccessLoggedAdminMixin, CleanTextAdminMixin, HistoryAdmin):
    list_display = (
        "number",
        "station_name",
        "host_unit",
        "call",
        "station_type",
        "status",
        "submitted_at",
        "pdf_link",
    )
    list_filter = (
        "call",
        "station_type",
        "status",
        "host_unit__verification",
        "host_unit__code_state",
    )
    search_fields = ("number", "station_name", "host_unit__name", "host_unit__credit_code")
    list_select_related = ("host_unit", "call", "station")
    readonly_fields = (
        "number",
        "revision",
        "status",
        "submitted_at",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
        "pdf_link",
        "decision_meeting",
    )
    autocomplete_fields = ("host_unit", "station")
    inlines = [AttachmentInline, SubmittedRevisionInline, TransitionLogInline]
    actions = [
        transition_action(Application, "accept"),
        transition_action(Application, "return_for_correction"),
        transition_action(Application, "reject"),
        transition_action(Application, "shortlist"),
        transition_action(Application, "not_select"),
        form_action(PanelForm, _("assign experts to the selected applications"), assign_panel),
        form_action(
            PublicityForm,
            _("put the selected approved applications under publicity"),
            put_under_publicity,
        ),
        "download_pdfs",
    ]

    @admin.display(description=_("Annex 1 PDF"))
    def pdf_link(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("stations:application_pdf", args=[obj.pk]), _("PDF")
        )

    @admin.action(description=_("Download the Annex 1 PDFs"), permissions=["view"])
    def download_pdfs(self, request, queryset):
        applications = list(queryset.select_related("host_unit", "call"))
        if len(applications) == 1:
            application = applications[0]
            return pdf_response(
                annex1_pdf(application), annex1_filename(application), subject=application
            )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for application in applications:
                archive.writestr(annex1_filename(application), annex1_pdf(application))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename="附件1-建站申报表.zip"
        )
        return mark(response, None, DOWNLOAD, f"附件1-建站申报表.zip ({len(applications)})")


@admin.register(LeadershipMeeting)
class LeadershipMeetingAdmin(CleanTextAdminMixin, HistoryAdmin):
    list_display = ("date", "reference", "recorded_by")
    search_fields = ("reference", "note")
    readonly_fields = ("minutes_link",)
    formfield_overrides = {models.FileField: {"widget": ProtectedFileInput}}

    @admin.display(description=_("open the minutes"))
    def minutes_link(self, obj):
        if not obj.pk or not obj.minutes:
            return "—"
        url = reverse("stations:meeting_minutes", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(PlaqueSequence)
class PlaqueSequenceAdmin(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the sequence only moves when plaques are issued."""

    list_display = ("year", "last")
