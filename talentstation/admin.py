from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.text import Truncator, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext

from talentstation.access_log import AccessLoggedAdminMixin
from talentstation.admin_tools import ReadOnlyAdminMixin

from . import two_factor
from .forms_base import CleanTextAdminMixin, CleanTextMixin
from .i18n import group_label
from .models import PolicyVersion, TransitionLog, User
from .roles import Role


class PasswordChangeForm(CleanTextMixin, AdminPasswordChangeForm):
    # Django builds this help text from an untranslatable English sentence.
    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


class UserChangeForm(CleanTextMixin, auth_forms.UserChangeForm):
    pass


class UserCreationForm(CleanTextMixin, auth_forms.AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(AccessLoggedAdminMixin, CleanTextAdminMixin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    change_password_form = PasswordChangeForm
    list_display = (
        "username",
        "full_name",
        "email",
        "mobile",
        "is_staff",
        "is_active",
        "uses_two_factor",
    )
    list_filter = ("groups", "is_staff", "is_active")
    search_fields = ("username", "full_name", "email", "mobile")
    actions = ["reset_two_factor"]

    def get_queryset(self, request):
        from django.db.models import Exists, OuterRef
        from django_otp.plugins.otp_totp.models import TOTPDevice

        devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(devices))

    @admin.display(description=_("two-factor login"), boolean=True, ordering="has_two_factor")
    def uses_two_factor(self, user):
        return user.has_two_factor

    @admin.action(description=_("Reset two-factor login (lost phone)"), permissions=["change"])
    def reset_two_factor(self, request, queryset):
        """Delete the users' authenticator apps and recovery codes; recorded in each user's
        admin history. A user whose role requires it sets up a new app at the next login."""
        users = [user for user in queryset if user.has_two_factor]
        for user in users:
            two_factor.remove_two_factor(user, by=request.user)
            self.log_change(
                request,
                user,
                # Stored in English, shown translated (LogEntry.get_change_message).
                [{"changed": {"fields": [gettext_noop("two-factor login (reset)")]}}],
            )
        self.message_user(
            request,
            ngettext(
                "Two-factor login was reset for %(count)d user.",
                "Two-factor login was reset for %(count)d users.",
                len(users),
            )
            % {"count": len(users)},
        )

    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email", "mobile")}),
        (
            _("Roles and permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_deleted_objects(self, objs, request):
        """A user with audit records is kept (deactivate instead): the records name him."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        from .audit import records_of_users

        return deleted, counts, perms_needed, [*protected, *records_of_users(objs)]

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


class GroupAdmin(CleanTextAdminMixin, BaseGroupAdmin):
    """The role groups are looked up by their code (``bureau_staff``): shown by the role's
    label, never renamed or deleted here. Their permissions may be changed, but the role sync
    sets them again after every migrate (``talentstation.roles``)."""

    list_display = ("__str__",)

    def get_fields(self, request, obj=None):
        if self._is_role(obj):
            return ("role", "permissions")
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return ("role",) if self._is_role(obj) else ()

    def has_delete_permission(self, request, obj=None):
        return not self._is_role(obj) and super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.exclude(name__in=Role.values))

    @admin.display(description=_("role"))
    def role(self, group):
        return group_label(group)

    @staticmethod
    def _is_role(group):
        return group is not None and group.name in Role.values


admin.site.unregister(Group)
admin.site.register(Group, GroupAdmin)


def _unregister_otp_admins():
    """django-otp's own admin pages show the users' secret keys and QR codes: staff reset a
    user's two-factor login with the user list's action instead."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_otp_admins()


@admin.register(PolicyVersion)
class PolicyVersionAdmin(CleanTextAdminMixin, admin.ModelAdmin):
    """Versions are immutable: "editing" the rules means adding a version prefilled from the
    newest one. Calls and cycles keep the version they pinned."""

    list_display = (
        "version",
        "title",
        "effective_from",
        "valid_until",
        "publicity_working_days",
        "pass_mark",
        "upload_max_mb",
        "stamped_scan_required",
        "created_by",
        "created_at",
    )
    readonly_fields = ("version", "created_by", "created_at")

    #: A saved version is read only: these fields are shown as sentences.
    READABLE = {"awards": "awards_text", "reminder_lead_days": "reminder_lead_days_text"}

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if obj is not None:
            fields = [self.READABLE.get(name, name) for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, *self.READABLE.values()) if obj is not None else readonly

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "reminder_lead_days" and field is not None:
            from .reminders import kind_labels

            kinds = "、".join(str(label) for label in kind_labels().values())
            field.help_text = format_lazy("{} {}", db_field.help_text, kinds)
        return field

    @admin.display(description=_("reminder lead times (days)"))
    def reminder_lead_days_text(self, obj):
        from .reminders import kind_label

        return "；".join(
            f"{kind_label(kind)}: {', '.join(str(day) for day in days) or '—'}"
            for kind, days in (obj.reminder_lead_days or {}).items()
        )

    @admin.display(description=_("awards by rank (yuan)"))
    def awards_text(self, obj):
        return "；".join(
            _("rank %(rank)s: %(amount)s yuan") % {"rank": rank, "amount": f"{amount:,.2f}"}
            for rank, amount in enumerate(obj.award_amounts, start=1)
        )

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


class LogValueFilter(admin.SimpleListFilter):
    """Filter the state changes by a code (transition or state), listed by its label."""

    field = None

    def lookups(self, request, model_admin):
        pairs = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list("content_type", self.field)
            .distinct()
        )
        labels = {}
        for content_type_id, code in pairs:
            log = TransitionLog(content_type_id=content_type_id, **{self.field: code})
            labels.setdefault(code, set()).add(str(getattr(log, self.label_attribute)))
        return sorted(
            ((code, " / ".join(sorted(names))) for code, names in labels.items()),
            key=lambda lookup: lookup[1],
        )

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{self.field: self.value()})
        return queryset


class TransitionFilter(LogValueFilter):
    title = _("transition")
    parameter_name = field = "transition"
    label_attribute = "transition_label"


class ToStateFilter(LogValueFilter):
    title = _("to state")
    parameter_name = field = "to_state"
    label_attribute = "to_label"


@admin.register(TransitionLog)
class TransitionLogAdmin(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The state changes of every workflow object, by their labels (never the codes)."""

    # Five columns, so that the list reads at 1280 px beside the navigation and the filters.
    list_display = ("at", "subject_link", "change", "actor", "short_reason")
    list_filter = (
        ("content_type", admin.RelatedOnlyFieldListFilter),
        TransitionFilter,
        ToStateFilter,
    )
    search_fields = ("object_repr", "reason", "actor__full_name", "actor__email")
    list_select_related = ("content_type", "actor")
    date_hierarchy = "at"
    fields = (
        "at",
        "subject_type",
        "subject_link",
        "transition_label",
        "from_label",
        "to_label",
        "actor",
        "reason",
    )
    readonly_fields = fields

    @admin.display(description=_("object type"), ordering="content_type")
    def subject_type(self, log):
        return log.content_type.name

    @admin.display(description=_("object"), ordering="object_repr")
    def subject_link(self, log):
        """The object, linked to its admin page, with its type below."""
        try:
            url = reverse(
                f"admin:{log.content_type.app_label}_{log.content_type.model}_change",
                args=[log.object_id],
            )
        except NoReverseMatch:
            subject = log.object_repr
        else:
            subject = format_html('<a href="{}">{}</a>', url, log.object_repr)
        return format_html('{}<br><span class="quiet">{}</span>', subject, log.content_type.name)

    @admin.display(description=_("transition"), ordering="transition")
    def transition_label(self, log):
        return log.transition_label

    @admin.display(description=_("state change"), ordering="transition")
    def change(self, log):
        """The transition, and from which state to which below."""
        return format_html(
            '{}<br><span class="quiet">{} → {}</span>',
            log.transition_label,
            log.from_label,
            log.to_label,
        )

    @admin.display(description=_("from state"))
    def from_label(self, log):
        return log.from_label

    @admin.display(description=_("to state"))
    def to_label(self, log):
        return log.to_label

    @admin.display(description=_("reason"))
    def short_reason(self, log):
        return Truncator(log.reason).chars(60)


# The admin of the shared pieces, one module each.
from . import (  # noqa: E402,F401
    admin_assignments,
    admin_audit,
    admin_axes,
    admin_calendar,
    admin_front_door,
    admin_notifications,
    admin_publicity,
    admin_ratelimit,
    admin_reminders,
    admin_scoring,
)

# django-axes' other login records clean text input like ours (the attempts' admin is
# talentstation.admin_axes).
for _model in (AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        _other = type(admin.site.get_model_admin(_model))
        admin.site.unregister(_model)
        admin.site.register(_model, type(_other.__name__, (CleanTextAdminMixin, _other), {}))
