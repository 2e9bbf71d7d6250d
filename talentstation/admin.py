from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from talentstation.admin_tools import ReadOnlyAdminMixin

from .forms_base import CleanTextAdminMixin, CleanTextMixin
from .models import PolicyVersion, TransitionLog, User


class UserChangeForm(CleanTextMixin, auth_forms.UserChangeForm):
    pass


class UserCreationForm(CleanTextMixin, auth_forms.AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(CleanTextAdminMixin, BaseUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
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
class PolicyVersionAdmin(CleanTextAdminMixin, admin.ModelAdmin):
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
class TransitionLogAdmin(CleanTextAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
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


# Other apps' admins (groups, django-axes' login records) clean text input like ours.
for _model in (Group, AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        _other = type(admin.site.get_model_admin(_model))
        admin.site.unregister(_model)
        admin.site.register(_model, type(_other.__name__, (CleanTextAdminMixin, _other), {}))

# The admin of the shared pieces, one module each.
from . import admin_calendar, admin_notifications, admin_publicity  # noqa: E402,F401
