from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from talentstation.admin_tools import ReadOnlyAdminMixin

from .models import PolicyVersion, TransitionLog, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "full_name", "email", "mobile", "is_staff", "is_active")
    list_filter = ("groups", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email", "mobile")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email", "mobile")}),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "full_name",
                    "mobile",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Versions are immutable: "editing" the rules means adding a version prefilled from the
    newest one. Calls and cycles keep the version they pinned."""

    list_display = (
        "version",
        "title",
        "effective_from",
        "publicity_working_days",
        "pass_mark",
        "upload_max_mb",
        "stamped_scan_required",
        "created_by",
        "created_at",
    )
    readonly_fields = ("version", "created_by", "created_at")

    def get_changeform_initial_data(self, request):
        initial = PolicyVersion.current().rule_values()
        initial.update(super().get_changeform_initial_data(request))
        return initial

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(TransitionLog)
class TransitionLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "at",
        "content_type",
        "object_repr",
        "transition",
        "from_state",
        "to_state",
        "actor",
        "reason",
    )
    list_filter = ("content_type", "transition", "to_state")
    search_fields = ("object_repr", "reason", "actor__full_name", "actor__email")
    list_select_related = ("content_type", "actor")
    date_hierarchy = "at"


# --- Working-day calendar (工作日历): staff-entered holidays and make-up working days ---------

from django.db.models import Count  # noqa: E402
from django.utils.formats import date_format  # noqa: E402
from django.utils.html import format_html, format_html_join  # noqa: E402
from simple_history.admin import SimpleHistoryAdmin  # noqa: E402

from .calendar import year_summary  # noqa: E402
from .models import CalendarDay, CalendarYear  # noqa: E402


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    extra = 3
    fields = ("date", "kind", "name")


@admin.register(CalendarYear)
class CalendarYearAdmin(SimpleHistoryAdmin):
    """A year's public holidays and make-up working days, entered from the State Council notice.
    The preview lists what the portal makes of the saved data, to check against the notice."""

    list_display = ("year", "complete", "day_count", "source", "updated_at", "updated_by")
    list_filter = ("complete",)
    list_select_related = ("updated_by",)
    search_fields = ("year", "source", "note")
    fields = (
        "year",
        "complete",
        "source",
        "note",
        "arrangement_preview",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    )
    readonly_fields = (
        "arrangement_preview",
        "created_by",
        "created_at",
        "updated_by",
        "updated_at",
    )
    inlines = [CalendarDayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_day_count=Count("days"))

    @admin.display(description=_("days entered"), ordering="_day_count")
    def day_count(self, obj):
        return obj._day_count

    @admin.display(description=_("check against the official notice"))
    def arrangement_preview(self, obj):
        if obj is None or obj.pk is None:
            return _("Shown after the year is saved.")
        summary = year_summary(obj.year)
        basis = {
            "staff": _(
                "Marked complete: the portal uses the data entered here for every day of this year."
            ),
            "package": _(
                "Not marked complete: the portal uses the built-in official calendar "
                "for this year; the days entered here override single days."
            ),
            "staff_incomplete": _(
                "Not marked complete and unknown to the built-in official "
                "calendar: publicity periods that touch this year are refused. "
                "Shown as it will be once the year is marked complete."
            ),
        }[summary["basis"]]

        def day_list(days):
            if not days:
                return format_html("<p>{}</p>", _("none"))
            return format_html(
                "<ul>{}</ul>",
                format_html_join(
                    "",
                    "<li>{} {}</li>",
                    ((date_format(day, "Y-m-d l"), name) for day, name in days),
                ),
            )

        return format_html(
            "<p>{}</p><p><strong>{}</strong></p>{}<p><strong>{}</strong></p>{}",
            basis,
            _("Weekdays off (%(count)s)") % {"count": len(summary["weekdays_off"])},
            day_list(summary["weekdays_off"]),
            _("Weekend days worked (%(count)s)") % {"count": len(summary["weekend_workdays"])},
            day_list(summary["weekend_workdays"]),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ("date", "weekday", "kind", "name", "year")
    list_filter = ("year", "kind")
    list_select_related = ("year",)
    search_fields = ("name",)
    date_hierarchy = "date"

    @admin.display(description=_("day of the week"))
    def weekday(self, obj):
        return date_format(obj.date, "l")


# --- Notifications: inbox rows, the e-mail outbox, mass notices to selected users ------------

from django import forms  # noqa: E402
from django.contrib import messages  # noqa: E402
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME  # noqa: E402
from django.template.response import TemplateResponse  # noqa: E402
from django.utils.translation import gettext, ngettext  # noqa: E402

from . import notifications as notification_service  # noqa: E402
from .models import Notification, OutboxEmail  # noqa: E402


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
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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
class OutboxEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
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


class MassNoticeForm(forms.Form):
    subject = forms.CharField(
        label=_("subject"), max_length=Notification._meta.get_field("subject").max_length
    )
    body = forms.CharField(
        label=_("message"),
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

from . import admin_publicity  # noqa: E402,F401  (registers the publicity admin)
