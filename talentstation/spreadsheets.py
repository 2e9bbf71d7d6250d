"""Spreadsheets in the official layout (汇总表): one helper for every xlsx the portal exports.

:func:`official_workbook` writes a title row merged across the columns, optional header lines
(e.g. Annex 3's 报送单位（盖章）：… 填报人：… 填报日期：…, each merged across the columns), a header
row, the data rows with thin borders on every cell and wrapped text, set for printing on A4
(landscape by default) with the title, header lines and header row repeated on every printed
page and the columns fitted to the page width. Cells are written as values, never as formulas:
a text starting with ``=`` (or another formula sign) is written as text, so an exported name
cannot run in Excel.
"""

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MONEY_FORMAT = "#,##0.00"  # yuan with thousands separators
DATE_FORMAT = "yyyy-mm-dd"

FONT_NAME = "宋体"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FORMULA_SIGNS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    """A column: its header and its width in characters (a Chinese character counts two)."""

    header: str
    width: float = 12
    number_format: str | None = None


def _cell_value(value):
    if isinstance(value, str) and value.startswith(FORMULA_SIGNS):
        return "'" + value  # shown as typed, never evaluated
    return value


def official_workbook(
    title, columns, rows, *, sheet_title=None, landscape=True, header_lines=()
) -> bytes:
    """The xlsx bytes of one sheet: ``title`` merged over the ``columns`` (:class:`Column`),
    the ``header_lines`` (texts, one merged row each), the columns' headers, then ``rows``
    (sequences of values, one per column)."""
    book = Workbook()
    sheet = book.active
    sheet.title = (sheet_title or title)[:31]
    last = get_column_letter(len(columns))

    sheet.merge_cells(f"A1:{last}1")
    heading = sheet["A1"]
    heading.value = title
    heading.font = Font(name=FONT_NAME, size=16, bold=True)
    heading.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[1].height = 32

    for row_number, line in enumerate(header_lines, start=2):
        sheet.merge_cells(f"A{row_number}:{last}{row_number}")
        cell = sheet.cell(row=row_number, column=1, value=_cell_value(line))
        cell.font = Font(name=FONT_NAME, size=11)
        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True)
        sheet.row_dimensions[row_number].height = 22
    header_row = 2 + len(header_lines)

    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=index, value=column.header)
        cell.font = Font(name=FONT_NAME, size=11, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[header_row].height = 30

    for row_number, values in enumerate(rows, start=header_row + 1):
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row=row_number, column=index, value=_cell_value(value))
            cell.font = Font(name=FONT_NAME, size=11)
            cell.alignment = Alignment(vertical="center", wrap_text=True)
            cell.border = BORDER
            if column.number_format:
                cell.number_format = column.number_format

    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.print_title_rows = f"1:{header_row}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"

    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_template(sheet_title, headers, rows, widths, *, header_colours=None) -> bytes:
    """An xlsx to fill in for an import: the header row in bold (in ``header_colours``, one
    per header, when given: e.g. the required columns marked), example ``rows`` and the
    column ``widths`` in characters."""
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title
    sheet.append(list(headers))
    colours = header_colours or [None] * len(headers)
    for cell, colour in zip(sheet[1], colours, strict=True):
        cell.font = Font(bold=True, color=colour)
    for row in rows:
        sheet.append(row)
    for index, width in zip(range(1, len(headers) + 1), widths, strict=True):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(data, filename, *, subject=None):
    """An HTTP download of the xlsx ``data`` as ``filename`` (a Chinese name is fine), recorded
    in the access log as an export (of ``subject``, or of a list)."""
    from django.http import HttpResponse
    from django.utils.http import content_disposition_header

    from .access_log import EXPORT, mark

    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return mark(response, subject, EXPORT, filename)


def dated_filename(name, on=None):
    """``<name>-<yyyymmdd>.xlsx`` with the Shanghai date (default today)."""
    from .dates import today

    return f"{name}-{(on or today()):%Y%m%d}.xlsx".replace("/", "-")


def list_export(title, columns, rows, *, filters=()):
    """A staff list as xlsx: ``title``, a line saying which filters were applied (texts
    such as ``类型：服务型``; 全部 when none), the ``columns`` and the ``rows`` (numbered by
    the caller)."""
    from django.utils.translation import gettext as _

    line = _("Filters: %(filters)s") % {"filters": "；".join(filters) if filters else _("all")}
    return official_workbook(title, columns, rows, sheet_title=title, header_lines=[line])
