"""The site-wide admin action 「导出为 Excel」: every admin list exports its selected rows (with
"select all", the whole filtered list) as xlsx, with the columns of its ``list_display`` — the
column labels as headers and the values as the list shows them, in Chinese — through the
shared workbook builder (:func:`talentstation.spreadsheets.official_workbook`). Bureau staff
only (the admin site lets nobody else in; the action checks it again).

Register it once with :func:`register` (``admin.site.add_action``); a ModelAdmin that sets
``actions = None`` has no actions at all, so none of the portal's does.
"""

import html
from decimal import Decimal

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.utils import display_for_field, label_for_field, lookup_field
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import HttpResponse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .dates import today
from .rules import is_staff
from .spreadsheets import XLSX_CONTENT_TYPE, Column, official_workbook

ACTION_NAME = "export_xlsx"
MIN_WIDTH, MAX_WIDTH = 8, 50


def _text(value):
    return html.unescape(strip_tags(str(value))).strip()


def _columns(modeladmin, request):
    names = [n for n in modeladmin.get_list_display(request) if n != "action_checkbox"]
    labels = [_text(label_for_field(n, modeladmin.model, modeladmin)) for n in names]
    return names, labels


def cell_value(modeladmin, obj, name):
    """What the changelist shows for ``name`` of ``obj``: text, a number, or 是/否."""
    empty = modeladmin.get_empty_value_display()
    try:
        field, attr, value = lookup_field(name, obj, modeladmin)
    except ObjectDoesNotExist:
        return _text(empty)
    if (
        isinstance(value, bool)
        or getattr(attr, "boolean", False)
        or (field is not None and isinstance(field, models.BooleanField))
    ):
        return {True: _("Yes"), False: _("No")}.get(value, _text(empty))
    if value is None:
        return _text(empty)
    plain_number = isinstance(value, (int, Decimal, float))
    if plain_number and (field is None or not field.choices):
        return value
    if field is None or field.auto_created:
        return _text(value)
    if isinstance(field.remote_field, models.ManyToOneRel):
        return _text(getattr(obj, field.name))
    return _text(display_for_field(value, field, empty))


def _width(label, values):
    longest = max([len(label) * 2, *(len(str(v)) * 2 for v in values)], default=MIN_WIDTH)
    return max(MIN_WIDTH, min(MAX_WIDTH, longest))


def export_workbook(modeladmin, request, queryset):
    """The xlsx bytes of ``queryset`` with ``modeladmin``'s list columns, in Chinese."""
    with translation.override(settings.LANGUAGE_CODE):
        names, labels = _columns(modeladmin, request)
        rows = [[cell_value(modeladmin, obj, n) for n in names] for obj in queryset]
        columns = [
            Column(label, _width(label, [row[i] for row in rows[:200]]))
            for i, label in enumerate(labels)
        ]
        title = str(modeladmin.model._meta.verbose_name_plural)
        return title, official_workbook(title, columns, rows, sheet_title=title)


def export_xlsx(modeladmin, request, queryset):
    if not is_staff(request.user):
        raise PermissionDenied
    title, data = export_workbook(modeladmin, request, queryset)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    filename = f"{title}-{today():%Y%m%d}.xlsx".replace("/", "-")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    from .access_log import EXPORT, mark

    return mark(response, None, EXPORT, filename)


export_xlsx.short_description = gettext_lazy("Export to Excel")
export_xlsx.allowed_permissions = ("view",)


def register(site=None):
    """Offer the action on every admin list of ``site`` (default: the portal's)."""
    site = site or admin.site
    if ACTION_NAME not in dict(site.actions):
        site.add_action(export_xlsx, ACTION_NAME)
