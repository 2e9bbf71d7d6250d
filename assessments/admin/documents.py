"""Links from the admin of cycles and assessments to the Annex 2 downloads (the same views as
the staff pages: staff and officials; a cycle in preparation has no sheets yet)."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


@admin.display(description=_("Annex 2"))
def cycle_documents(cycle):
    if not cycle.rubric_id:
        return "—"
    return format_html(
        '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
        reverse("assessments:cycle_annex2", args=[cycle.pk]),
        _("Annex 2 sheets of all stations (PDF)"),
        reverse("assessments:cycle_annex2_xlsx", args=[cycle.pk]),
        _("Summary of all stations (xlsx)"),
        reverse("assessments:cycle_board", args=[cycle.pk]),
        _("Board"),
    )


@admin.display(description=_("Annex 2"))
def assessment_annex2(assessment):
    return format_html(
        '<a href="{}">{}</a>',
        reverse("assessments:assessment_annex2", args=[assessment.pk]),
        _("PDF"),
    )
