"""Chinese where Django and the packages only give English: names computed at start-up.

- simple-history names its history models "historical <name>" with an untranslatable format
  string; admin shows that name as a content type (state change filter, permission list) and
  in page titles. :func:`translate_historical_models` makes the format string translatable.
- The role groups are named by their codes (``bureau_staff``: the code is the key the portal
  looks them up by); :func:`group_label` shows them by the role's label.
- Django names permissions in English at migrate time ("Can add user") and admin shows the
  stored name: :func:`translate_permission_names` (run after every migrate, by the role sync)
  stores them in the portal's language instead.

- The rows of the user–group and permission links are shown as "User_groups object (4)"
  (e.g. in the list of what deleting a user deletes): :func:`name_link_rows` names them by
  their group or permission.

``talentstation.apps`` applies all but the permission names in ``ready()``.
"""

from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

PERMISSION_NAMES = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def label_value(label, value):
    """“label: value” with the language's colon (「评分表：…」, "Score sheet: …")."""
    # Translators: a label and its value, e.g. 评分表：人才驿站建站专家评审评分表.
    return _("%(label)s: %(value)s") % {"label": label, "value": value}


def translate_historical_models():
    for model in apps.get_models():
        original = getattr(model, "instance_type", None)
        if original is None or not hasattr(model, "history_id"):
            continue  # not a simple-history model
        opts, original_opts = model._meta, original._meta
        if str(opts.original_attrs.get("verbose_name", "")).startswith("historical "):
            opts.verbose_name = format_lazy(_("historical {}"), original_opts.verbose_name)
            opts.verbose_name_plural = format_lazy(
                _("historical {}"), original_opts.verbose_name_plural
            )


def name_link_rows():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model()
    user.groups.through.__str__ = lambda link: str(link.group)
    user.user_permissions.through.__str__ = lambda link: str(link.permission)
    Group.permissions.through.__str__ = lambda link: str(link.permission)


def group_label(group):
    """A role group by its role's label (区人社局工作人员), any other group by its name."""
    from .roles import Role

    if group.name in Role.values:
        return str(Role(group.name).label)
    return group.name


def translate_permission_names(using="default"):
    """Give the default (add/change/delete/view) and the models' own permissions their names
    in the portal's language. Idempotent: only names that differ are saved."""
    from django.contrib.auth.models import Permission

    changed = []
    with translation.override(settings.LANGUAGE_CODE):
        for permission in Permission.objects.using(using).select_related("content_type"):
            name = _permission_name(permission)
            if name and name != permission.name:
                permission.name = name
                changed.append(permission)
    Permission.objects.using(using).bulk_update(changed, ["name"], batch_size=500)


def _permission_name(permission):
    model = permission.content_type.model_class()
    if model is None:
        return None
    for codename, name in model._meta.permissions:
        if codename == permission.codename:
            return str(name)[:255]
    action, _sep, model_name = permission.codename.partition("_")
    if action not in PERMISSION_NAMES or model_name != model._meta.model_name:
        return None
    return str(PERMISSION_NAMES[action] % {"model": model._meta.verbose_name})[:255]
