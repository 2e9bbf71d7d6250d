"""Admin of notifications: inbox rows, the e-mail outbox, mass notices to selected users."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from . import notifications as notification_service
from .admin import UserAdmin
from .admin_tools import ReadOnlyAdminMixin
from .forms_base import CleanTextAdminMixin, PortalForm
from .models import Notification, OutboxEmail


class NotificationReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request, model_admin):
        return (("no", _("unread")), ("yes", _("read")))

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(read_at__isnull=True)
        if self.value() == "yes":
            return queryset.filter(read_at__isnull=False)
        return queryset


@admin.register(Notification)
class NotificationAdmin(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: notifications are written by the workflow and by mass notices."""

    list_display = ("created_at", "recipient", "subject", "is_read", "read_at", "sender")
    list_filter = (NotificationReadFilter,)
    search_fields = (
        "subject",
        "body",
        "recipient__full_name",
        "recipient__email",
        "recipient__username",
    )
    list_select_related = ("recipient", "sender")
    date_hierarchy = "created_at"

    @admin.display(description=_("read"), boolean=True, ordering="read_at")
    def is_read(self, obj):
        return obj.is_read


@admin.register(OutboxEmail)
class OutboxEmailAdmin(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status",)
    search_fields = ("to", "subject", "last_error")
    date_hierarchy = "created_at"
    actions = ["retry_now"]

    def has_retry_permission(self, request):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")

    @admin.action(description=_("Retry sending now"), permissions=["retry"])
    def retry_now(self, request, queryset):
        report = notification_service.retry_now(queryset)
        messages.info(
            request,
            gettext(
                "Sent: %(sent)d. Failed again: %(failed)d. Not tried (server down): %(deferred)d."
            )
            % {
                "sent": report.sent,
                "failed": report.retrying + report.gave_up,
                "deferred": report.deferred,
            },
        )


class MassNoticeForm(PortalForm):
    subject = forms.CharField(
        label=_("subject"), max_length=Notification._meta.get_field("subject").max_length
    )
    body = forms.CharField(
        label=_("message"),
        max_length=Notification._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 12, "class": "vLargeTextField"}),
    )


@admin.action(description=_("Send a notice to the selected users"), permissions=["change"])
def send_notice(modeladmin, request, queryset):
    """Write the notice → preview (recipients and the rendered message) → send."""
    step = request.POST.get("notice_step", "")
    if step in ("preview", "send"):
        form = MassNoticeForm(request.POST)
    else:
        form = MassNoticeForm(
            initial={key: request.POST.get(key, "") for key in ("subject", "body")}
        )
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": gettext("Send a notice to the selected users"),
        "form": form,
        "action": request.POST.get("action", ""),
        "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across", "0"),
        "checkbox_name": ACTION_CHECKBOX_NAME,
    }
    if step in ("preview", "send") and form.is_valid():
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        if step == "send":
            sent = notification_service.send_mass_notice(queryset, subject, body, by=request.user)
            messages.success(
                request,
                ngettext(
                    "The notice was sent to %(count)d user.",
                    "The notice was sent to %(count)d users.",
                    len(sent),
                )
                % {"count": len(sent)},
            )
            return None
        context["title"] = gettext("Check the notice before sending it")
        context["preview"] = notification_service.preview_mass_notice(queryset, subject, body)
        return TemplateResponse(request, "admin/mass_notice_preview.html", context)
    return TemplateResponse(request, "admin/mass_notice_form.html", context)


UserAdmin.actions = (*(UserAdmin.actions or ()), send_notice)
