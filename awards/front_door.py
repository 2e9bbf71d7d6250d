"""The blank Annex 3 「人才驿站推荐汇总表」 of the public policy page (talentstation.front_door):
the official layout with no rows, as xlsx."""

from django.utils.translation import gettext_lazy as _

from talentstation.spreadsheets import XLSX_CONTENT_TYPE

from .annex3 import TITLE, Annex3, annex3_xlsx


def blank_annex3():
    return annex3_xlsx(Annex3(rows=[])), XLSX_CONTENT_TYPE, f"附件3-{TITLE}.xlsx"


def register():
    from talentstation.front_door import register_annex_form

    register_annex_form("annex3", _("blank Annex 3 summary sheet (xlsx)"), blank_annex3, "xlsx")
