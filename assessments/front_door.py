"""The blank Annex 2 「福州高新区人才驿站考核表」 of the public policy page
(talentstation.front_door): the items and tiers of the active assessment rubric."""

from django.utils.translation import gettext_lazy as _

from talentstation.documents import PDF_CONTENT_TYPE, render_pdf
from talentstation.models import ScoreSheetTemplate

from .documents import SHEET_TITLE

BLANK_TEMPLATE = "assessments/documents/annex2_blank.html"


def blank_annex2():
    rubric = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.STATION_ASSESSMENT)
    items = list(rubric.items.prefetch_related("tiers")) if rubric else []
    pdf = render_pdf(BLANK_TEMPLATE, {"items": items, "sheet_title": SHEET_TITLE})
    return pdf, PDF_CONTENT_TYPE, f"附件2-{SHEET_TITLE}.pdf"


def register():
    from talentstation.front_door import register_annex_form

    register_annex_form("annex2", _("blank Annex 2 assessment sheet (PDF)"), blank_annex2, "PDF")
