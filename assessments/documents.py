"""Annex 2 「福州高新区人才驿站考核表」 of an assessment cycle: one sheet per station (PDF, in
the official layout, through :func:`talentstation.documents.render_pdf`), the whole cycle as
one PDF (a sheet a page), and an xlsx of all its stations.

A sheet lists every tier of every item of the rubric the cycle pinned (so a rubric activated
later changes nothing), marks the tier reached and gives the points in the 考核结果 column:

- the tier *reached* in a counted year is the one most of the station's complete scorers chose
  for that year (every tier so chosen, if they are split evenly); when the counted years differ,
  each mark names its year;
- the points are the item's cycle points and the total the station's score: stored at closing
  (the total as corrected by staff since, if it was), or — while the cycle is open — what the
  complete scorers' sheets give so far, and the sheet says it is provisional.

Everything is read for all the sheets at once, in a constant number of queries.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType

from stations.documents import STATION_TYPE_LABELS, chinese_date
from talentstation.documents import render_pdf
from talentstation.models import ScoreEntry, ScoreSheet
from talentstation.models.scoring import format_points
from talentstation.spreadsheets import Column, official_workbook

from . import scoring
from .models import AssessmentYear, ItemScore

ANNEX2_TEMPLATE = "assessments/documents/annex2.html"
SHEET_TITLE = "福州高新区人才驿站考核表"
MARK = "√"


@dataclass
class TierLine:
    tier: object  # talentstation.ScoreTier
    marks: list = field(default_factory=list)  # "√", or "√ 2025年" per year when they differ

    @property
    def reached(self):
        return bool(self.marks)


@dataclass
class ItemBlock:
    item: object  # talentstation.ScoreItem
    tiers: list  # [TierLine], best first
    points: Decimal | None

    @property
    def points_text(self):
        return "" if self.points is None else f"{format_points(self.points)}分"


@dataclass
class Annex2Sheet:
    """What one station's sheet shows."""

    assessment: object
    items: list  # [ItemBlock]
    total: Decimal | None
    counted_years: list  # [int]
    scorers: int  # complete scorers whose sheets give the points
    assigned: int
    provisional: bool  # the cycle is still open: the points are not final

    @property
    def station(self):
        return self.assessment.station

    @property
    def type_label(self):
        return STATION_TYPE_LABELS.get(self.station.station_type, "")

    @property
    def total_text(self):
        return "" if self.total is None else f"{format_points(self.total)}分"

    @property
    def years_text(self):
        cycle = self.assessment.cycle
        return f"{cycle.first_year}年、{cycle.second_year}年"

    @property
    def counted_text(self):
        return "、".join(f"{year}年" for year in self.counted_years) or "无"

    @property
    def corrected(self):
        a = self.assessment
        return a.computed_score is not None and a.score is not None and a.score != a.computed_score

    @property
    def footer(self):
        note = "（得分暂定）" if self.provisional else ""
        cycle = self.assessment.cycle
        return f"{cycle.first_year}—{cycle.second_year}年度考核 · {self.station.name}{note}"


def _marks(chosen_by_year, tier_pk, counted_years):
    """The marks of one tier: the years in which it was reached; one plain mark when it was
    reached in every counted year."""
    years = [year for year in counted_years if tier_pk in chosen_by_year.get(year, ())]
    if not years:
        return []
    if len(years) == len(counted_years) and all(
        len(chosen_by_year.get(year, ())) == 1 for year in counted_years
    ):
        return [MARK]
    return [f"{MARK} {year}年" for year in years]


def _reached(counter):
    """The tiers most scorers chose (all of them when tied)."""
    if not counter:
        return set()
    most = max(counter.values())
    return {tier_pk for tier_pk, count in counter.items() if count == most}


def _yearly_choices(cycle, assessments, complete):
    """``{(assessment_pk, year, item_pk): Counter(tier_pk)}`` of the complete scorers'
    submitted yearly sheets; and ``{assessment_pk: [counted years]}``. Two queries."""
    year_of, counted = {}, defaultdict(list)
    for pk, assessment_id, year in (
        AssessmentYear.objects.filter(assessment__in=assessments, counted=True)
        .order_by("year")
        .values_list("pk", "assessment_id", "year")
    ):
        year_of[pk] = (assessment_id, year)
        counted[assessment_id].append(year)
    sheets = ScoreSheet.objects.filter(
        template_id=cycle.rubric_id,
        content_type=ContentType.objects.get_for_model(AssessmentYear),
        object_id__in=list(year_of),
        status=ScoreSheet.Status.SUBMITTED,
    )
    choices = defaultdict(Counter)
    for object_id, scorer_id, item_id, tier_id in ScoreEntry.objects.filter(
        sheet__in=sheets, tier__isnull=False
    ).values_list("sheet__object_id", "sheet__scorer_id", "item_id", "tier_id"):
        assessment_id, year = year_of[object_id]
        if scorer_id in complete.get(assessment_id, ()):
            choices[(assessment_id, year, item_id)][tier_id] += 1
    return choices, counted


def _points(cycle, assessments):
    """``{assessment_pk: (total, {item_pk: points})}``: stored at closing, computed so far while
    the cycle is open."""
    if cycle.is_closed:
        stored = defaultdict(dict)
        for score in ItemScore.objects.filter(assessment__in=assessments):
            stored[score.assessment_id][score.item_id] = score.points
        return {a.pk: (a.score, stored[a.pk]) for a in assessments}
    wanted = {a.pk for a in assessments}
    return {
        result.assessment.pk: (result.score, result.items)
        for result in scoring.final_results(cycle)
        if result.assessment.pk in wanted
    }


def annex2_sheets(cycle, assessments=None) -> list[Annex2Sheet]:
    """The sheets of ``assessments`` (default: every station of the cycle, by name)."""
    if assessments is None:
        assessments = list(
            cycle.assessments.select_related("station__host_unit").order_by("station__name", "pk")
        )
    for assessment in assessments:
        assessment.cycle = cycle
    if not assessments or cycle.rubric_id is None:
        return []
    items = list(cycle.rubric.items.prefetch_related("tiers"))
    progress = {p.assessment.pk: p for p in scoring.scoring_progress(cycle, assessments)}
    complete = {pk: p.complete for pk, p in progress.items()}
    choices, counted = _yearly_choices(cycle, assessments, complete)
    points = _points(cycle, assessments)
    sheets = []
    for assessment in assessments:
        years = counted[assessment.pk]
        total, item_points = points.get(assessment.pk, (None, {}))
        blocks = []
        for item in items:
            chosen = {year: _reached(choices.get((assessment.pk, year, item.pk))) for year in years}
            blocks.append(
                ItemBlock(
                    item=item,
                    tiers=[TierLine(t, _marks(chosen, t.pk, years)) for t in item.tiers.all()],
                    points=item_points.get(item.pk),
                )
            )
        sheets.append(
            Annex2Sheet(
                assessment=assessment,
                items=blocks,
                total=total,
                counted_years=years,
                scorers=len(progress[assessment.pk].complete),
                assigned=len(progress[assessment.pk].assigned),
                provisional=not cycle.is_closed,
            )
        )
    return sheets


def annex2_context(cycle, sheets):
    return {
        "cycle": cycle,
        "sheets": sheets,
        "sheet_title": SHEET_TITLE,
        "result_date": chinese_date(cycle.result_date) if cycle.is_closed else None,
        "document_title": f"{SHEET_TITLE} {cycle.first_year}—{cycle.second_year}年度",
    }


def annex2_pdf(cycle, assessments=None) -> bytes:
    """The Annex 2 sheets of the cycle (or of ``assessments``), one page each."""
    sheets = annex2_sheets(cycle, assessments)
    return render_pdf(ANNEX2_TEMPLATE, annex2_context(cycle, sheets), pages=len(sheets))


def annex2_filename(cycle, assessment=None) -> str:
    years = f"{cycle.first_year}-{cycle.second_year}"
    if assessment is None:
        return f"附件2-考核表-{years}.pdf"
    return f"附件2-考核表-{years}-{assessment.station.name}.pdf"


# The xlsx of all stations


def _ranked(sheets):
    """Best first once the scores are final; by name while the cycle is open."""
    return sorted(sheets, key=lambda s: (s.total is None, -(s.total or 0)))


def _status_note(sheet, pass_mark):
    notes = []
    if sheet.total is not None and pass_mark is not None and sheet.total < pass_mark:
        notes.append(f"低于合格分{format_points(pass_mark)}分")
    if sheet.corrected:
        notes.append(f"已更正（原{format_points(sheet.assessment.computed_score)}分）")
    if not sheet.counted_years:
        notes.append("考核年度均未满计分月数")
    return "；".join(notes)


def annex2_xlsx(cycle) -> bytes:
    """All stations of the cycle: item points, total, scorers, status (A4 landscape)."""
    from django.utils import translation

    sheets = annex2_sheets(cycle)
    if cycle.is_closed:
        sheets = _ranked(sheets)
    items = list(cycle.rubric.items.all()) if cycle.rubric_id else []
    pass_mark = cycle.policy_version.pass_mark if cycle.policy_version_id else None
    columns = [
        Column("序号", 6),
        Column("驿站名称", 30),
        Column("设站单位", 30),
        Column("类别", 8),
        *[
            Column(f"{item.title}（{format_points(item.max_contribution())}分）", 11, "0.00")
            for item in items
        ],
        Column("总分", 9, "0.00"),
        Column("已提交评分人数", 9),
        Column("指派评分人数", 9),
        Column("状态", 10),
        Column("备注", 26),
    ]
    rows = []
    with translation.override("zh-hans"):
        for number, sheet in enumerate(sheets, start=1):
            by_item = {block.item.pk: block.points for block in sheet.items}
            rows.append(
                [
                    number,
                    sheet.station.name,
                    sheet.station.host_unit.name,
                    sheet.type_label,
                    *[by_item.get(item.pk) for item in items],
                    sheet.total,
                    sheet.scorers,
                    sheet.assigned,
                    str(sheet.assessment.get_status_display()),
                    _status_note(sheet, pass_mark),
                ]
            )
    state = "" if cycle.is_closed else "（考核进行中，得分为暂定）"
    title = f"福州高新区人才驿站{cycle.first_year}—{cycle.second_year}年度考核结果汇总表{state}"
    return official_workbook(title, columns, rows, sheet_title="考核结果汇总")


def annex2_xlsx_filename(cycle) -> str:
    return f"考核结果汇总-{cycle.first_year}-{cycle.second_year}.xlsx"
