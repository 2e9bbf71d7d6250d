"""Annex 3 「人才驿站推荐汇总表」 as xlsx (:func:`talentstation.spreadsheets.official_workbook`)
and PDF (:func:`talentstation.documents.render_pdf`), in the official layout: the title, the
header lines 报送单位（盖章）：, 填报人：, 填报日期：, and the columns 序号 · 驿站名称 · 类型 ·
驿站简介（场所、制度、配备人员、开展活动情况） · 推荐理由, on A4 landscape with the column
headings repeated on every page.

Three lists are set in this layout: a nomination batch; the year's applicants (the
applications of a call, Annex 1's texts as the introduction, their state as the reason column);
and the certified stations (filterable by type and status, the introduction prefilled as for a
nomination). Each is read in a constant number of queries.
"""

from dataclasses import dataclass

from django.utils import translation

from assessments.evidence import year_totals
from stations.documents import STATION_TYPE_LABELS, chinese_date
from stations.models import Application, Station
from talentstation.dates import today
from talentstation.documents import render_pdf
from talentstation.spreadsheets import Column, official_workbook

from . import nominations

TITLE = "人才驿站推荐汇总表"
ANNEX3_TEMPLATE = "awards/documents/annex3.html"
DEFAULT_UNIT = "福州高新区人力资源和社会保障局"
INTRODUCTION_HEADING = "驿站简介（场所、制度、配备人员、开展活动情况）"
COLUMNS = [
    Column("序号", 6),
    Column("驿站名称", 24),
    Column("类型", 10),
    Column(INTRODUCTION_HEADING, 64),
    Column("推荐理由", 36),
]
HEADINGS = [column.header for column in COLUMNS]
# Rows per PDF page, roughly, for the renderer's bounds (a long introduction fills a page).
ROWS_PER_PAGE = 3


@dataclass(frozen=True)
class Annex3Row:
    number: int
    station_name: str
    type_label: str
    introduction: str
    reason: str

    def values(self):
        return [self.number, self.station_name, self.type_label, self.introduction, self.reason]


@dataclass(frozen=True)
class Annex3:
    """One Annex 3 sheet: its header values and rows."""

    rows: list
    submitting_unit: str = DEFAULT_UNIT
    filled_by: str = ""
    fill_date: object = None  # a date, or None (left blank)
    subtitle: str = ""  # what the list is, for the file name and the PDF's title
    note: str = ""  # a line under the table (e.g. the filter of a list)

    @property
    def title(self):
        return TITLE

    @property
    def header_lines(self):
        return [
            f"报送单位（盖章）：{self.submitting_unit}",
            f"填报人：{self.filled_by}",
            f"填报日期：{chinese_date(self.fill_date) or ''}",
        ]

    @property
    def document_title(self):
        return f"{TITLE}（{self.subtitle}）" if self.subtitle else TITLE

    def filename(self, extension):
        name = f"附件3-{TITLE}"
        if self.subtitle:
            name += f"-{self.subtitle}"
        return f"{name}.{extension}".replace("/", "-")


def _type_label(station_type):
    return STATION_TYPE_LABELS.get(station_type, "")


# --- the three lists --------------------------------------------------------------------------


def batch_annex3(batch) -> Annex3:
    """A nomination batch: its stations in their order, the texts staff wrote. One query."""
    rows = [
        Annex3Row(
            number,
            n.station.name,
            _type_label(n.station.station_type),
            n.introduction,
            n.reason,
        )
        for number, n in enumerate(nominations.batch_nominations(batch), start=1)
    ]
    return Annex3(
        rows=rows,
        submitting_unit=batch.submitting_unit,
        filled_by=batch.filled_by_name,
        fill_date=batch.fill_date,
        subtitle=batch.title,
    )


def _application_introduction(application):
    parts = [
        ("场所", application.address),
        ("制度和硬件配置", application.rules_and_hardware),
        ("配备人员", application.staffing),
        ("开展活动情况", application.activities),
    ]
    return "\n".join(f"{label}：{text.strip()}" for label, text in parts if text and text.strip())


def applications_of(call):
    """The applications of ``call`` that were submitted (not drafts), by number."""
    return (
        call.applications.exclude(status=Application.Status.DRAFT)
        .select_related("host_unit")
        .order_by("number")
    )


def applicants_annex3(call, *, filled_by="") -> Annex3:
    """The year's applicants: each submitted application of ``call`` with Annex 1's station
    name, type and texts, and its state as the reason column. One query."""
    with translation.override("zh-hans"):
        rows = [
            Annex3Row(
                number,
                application.station_name or application.host_unit.name,
                _type_label(application.station_type),
                _application_introduction(application),
                f"申报编号{application.number}，{application.get_status_display()}",
            )
            for number, application in enumerate(applications_of(call), start=1)
        ]
    return Annex3(
        rows=rows, filled_by=filled_by, fill_date=today(), subtitle=f"{call.year}年度申报单位"
    )


def certified_stations(*, station_type="", status=""):
    """The live stations (certified, or under rectification), by name, filtered by type and
    status; their profiles loaded with them."""
    stations = Station.objects.certified().select_related("host_unit", "profile")
    if station_type:
        stations = stations.filter(station_type=station_type)
    if status:
        stations = stations.filter(status=status)
    return stations.order_by("name", "pk")


def stations_annex3(*, station_type="", status="", filled_by="") -> Annex3:
    """The certified stations (filtered), each with its introduction prefilled from its profile
    and its accepted activities of the last calendar year, and its reason (its place among the
    excellent stations, or its certification). Four queries."""
    stations = list(certified_stations(station_type=station_type, status=status))
    year = today().year - 1
    totals = year_totals(year, [s.pk for s in stations])
    excellent = nominations.excellent_entries()
    rows = []
    for number, station in enumerate(stations, start=1):
        profile = getattr(station, "profile", None)
        rows.append(
            Annex3Row(
                number,
                station.name,
                _type_label(station.station_type),
                nominations.introduction_text(
                    station, profile=profile, totals=totals[station.pk], year=year
                ),
                nominations.reason_text(station, excellent=excellent.get(station.pk)),
            )
        )
    notes = []
    if station_type:
        notes.append(f"类型：{_type_label(station_type)}")
    if status:
        with translation.override("zh-hans"):
            notes.append(f"状态：{Station.Status(status).label}")
    return Annex3(
        rows=rows,
        filled_by=filled_by,
        fill_date=today(),
        subtitle="已认定驿站",
        note="；".join(notes),
    )


# --- the two formats --------------------------------------------------------------------------


def annex3_xlsx(sheet: Annex3) -> bytes:
    return official_workbook(
        sheet.title,
        COLUMNS,
        [row.values() for row in sheet.rows],
        sheet_title=TITLE,
        header_lines=sheet.header_lines,
    )


def annex3_context(sheet: Annex3):
    return {
        "sheet": sheet,
        "title": sheet.title,
        "headings": HEADINGS,
        "fill_date": chinese_date(sheet.fill_date),
    }


def annex3_pdf(sheet: Annex3) -> bytes:
    pages = 1 + len(sheet.rows) // ROWS_PER_PAGE
    return render_pdf(ANNEX3_TEMPLATE, annex3_context(sheet), pages=pages)
