"""The four roles, as Django groups with permissions.

| role         | sees                                         | admin |
|--------------|----------------------------------------------|-------|
| applicant    | only its own unit's data                     | no    |
| bureau staff | everything                                   | yes   |
| expert       | only what is assigned to him                 | no    |
| official     | read-only staff pages and exports            | no    |

Object-level checks live in each app's ``access.py``; the groups carry the model permissions.
"""

from django.apps import apps as global_apps
from django.db import models
from django.utils.translation import gettext_lazy as _

PORTAL_APPS = ("talentstation", "stations", "assessments", "awards")


class Role(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    STAFF = "bureau_staff", _("bureau staff")
    EXPERT = "expert", _("expert")
    OFFICIAL = "official", _("official")


def _permissions_for(role):
    from django.contrib.auth.models import Permission

    portal = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    if role == Role.STAFF:
        # Everything in the portal's own apps, plus managing users and the login lock-outs.
        extra = Permission.objects.filter(
            content_type__app_label__in=("auth", "axes"),
        )
        # Django's admin history, read in the admin (talentstation.admin_audit).
        history = Permission.objects.filter(
            content_type__app_label="admin", codename="view_logentry"
        )
        return portal | extra | history
    if role == Role.OFFICIAL:
        return portal.filter(codename__startswith="view_").exclude(
            content_type__model__in=("user", "policyversion", "transitionlog", "accesslog")
        )
    return Permission.objects.none()


def sync_roles(**kwargs):
    """Create the role groups and give them their permissions (idempotent)."""
    from django.contrib.auth.models import Group

    for role in Role:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_permissions_for(role))


def sync_roles_after_migrate(app_config=None, using="default", apps=global_apps, **kwargs):
    if not global_apps.is_installed("django.contrib.auth"):
        return
    from django.contrib.auth.management import create_permissions

    from .i18n import translate_permission_names

    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    # Django creates permission names in English ("Can add user"); admin shows them as stored.
    translate_permission_names(using=using)
    sync_roles()


def roles_of(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) & set(Role.values)
        user._portal_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role.value in roles_of(user)


def is_bureau_staff(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or (user.is_staff and has_role(user, Role.STAFF)))
    )


def is_official(user) -> bool:
    return user.is_authenticated and user.is_active and has_role(user, Role.OFFICIAL)


def is_expert(user) -> bool:
    return user.is_authenticated and user.is_active and has_role(user, Role.EXPERT)


def grant_role(user, role: Role):
    """Give ``user`` a role; bureau staff also get ``is_staff`` (only they use admin)."""
    from django.contrib.auth.models import Group

    user.groups.add(Group.objects.get(name=role.value))
    if role == Role.STAFF and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user._portal_roles = None


def primary_role(user):
    """The role a page is shown for, in order of reach."""
    if is_bureau_staff(user):
        return Role.STAFF
    for role in (Role.OFFICIAL, Role.EXPERT, Role.APPLICANT):
        if has_role(user, role):
            return role
    return None
