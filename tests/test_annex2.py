"""Annex 2 「福州高新区人才驿站考核表」: one A4 page a station with every tier of every item, the
tier reached marked (per year where the years differ) and the points; the whole cycle as one
PDF; the xlsx of all stations; who may download what; the results page."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from assessments import documents
from talentstation.roles import Role
from talentstation.workflow import perform

from . import factories
from .test_document_layout import loose_vertical_rules, page_count, page_images, pages_text

D = datetime.date
STRONG = "福州高新区海西智能制造人才驿站"
WEAK = "福州高新区南屿生物医药人才驿站"
# The weak station's tiers, both years: 0 + 9 + 9 + 18 + 0 = 36.
WEAK_POINTS = {"场地配备": 0, "人员配备": 9, "制度建设": 9, "开展活动": 18, "人才服务": 0}


def text_of(pdf):
    """The text of each page, cell by cell, without whitespace."""
    return pages_text(pdf)


@pytest.fixture
def staff(db):
    return factories.UserFactory(role=Role.STAFF, full_name="林雅琴")


@pytest.fixture
def closed_cycle(staff):
    """A 2025–2026 cycle closed with two scorers: the strong station with 18 points for its
    activities in 2025 and 30 in 2026 (94 in all), the weak one 36."""
    strong = factories.live_station(name=STRONG, certified_on=D(2024, 6, 1), staff=staff)
    factories.live_station(
        name=WEAK, certified_on=D(2024, 6, 1), staff=staff, station_type="service"
    )
    cycle = factories.open_cycle(staff)
    first, second = (factories.UserFactory(role=Role.EXPERT) for _ in range(2))
    for assessment in cycle.assessments.all():
        for scorer in (first, second):
            factories.declared_scorer(assessment, staff=staff, scorer=scorer)
            if assessment.station == strong:
                points = {2025: {"开展活动": 18}}
            else:
                points = {2025: WEAK_POINTS, 2026: WEAK_POINTS}
            factories.score_station(assessment, scorer, points)
    perform(cycle, "close", by=staff)
    cycle.refresh_from_db()
    return cycle


def assessment_of(cycle, name):
    return cycle.assessments.select_related("station__host_unit").get(station__name=name)


@pytest.mark.django_db
def test_a_station_sheet_is_one_page_with_every_tier_the_marks_and_the_points(closed_cycle):
    assessment = assessment_of(closed_cycle, STRONG)

    pdf = documents.annex2_pdf(closed_cycle, [assessment])

    assert page_count(pdf) == 1
    (page,) = text_of(pdf)
    assert "附件2" in page and "福州高新区人才驿站考核表" in page
    assert f"站点名称：{STRONG}" in page and "类别：行业型" in page
    assert all(heading in page for heading in ["考核内容", "考核标准", "考核结果"])
    for item in closed_cycle.rubric.items.prefetch_related("tiers"):
        assert item.title in page
        for tier in item.tiers.all():
            assert re.sub(r"\s+", "", tier.label) in page, tier.label
    # The activities differ between the years: each mark names its year; 18 and 30 → 24.
    assert "√2025年" in page and "√2026年" in page
    assert "24分" in page and "94分" in page
    assert "计分年度：2025年、2026年" in page
    assert not loose_vertical_rules(page_images(pdf)[0])


@pytest.mark.django_db
def test_a_tier_reached_in_every_year_has_one_plain_mark(closed_cycle):
    sheet = documents.annex2_sheets(closed_cycle, [assessment_of(closed_cycle, WEAK)])[0]

    venue = next(b for b in sheet.items if b.item.title == "场地配备")
    assert [line.marks for line in venue.tiers] == [[], ["√"]]
    assert venue.points == Decimal("0.00") and sheet.total == Decimal("36.00")
    assert sheet.scorers == 2 and not sheet.provisional


@pytest.mark.django_db
def test_the_whole_cycle_is_one_pdf_a_page_per_station(closed_cycle, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        sheets = documents.annex2_sheets(closed_cycle)
    assert [s.station.name for s in sheets] == sorted([STRONG, WEAK])

    pdf = documents.annex2_pdf(closed_cycle)

    pages = text_of(pdf)
    assert len(pages) == 2
    assert {next(n for n in (STRONG, WEAK) if n in page) for page in pages} == {STRONG, WEAK}
    assert all("福州高新区人才驿站考核表" in page for page in pages)
    # Each page's footer names its station and the cycle.
    footers = [page.rsplit("考核单位", 1)[1] for page in pages]
    assert all("2025—2026年度考核·" in footer for footer in footers)
    assert all(any(name in footer for name in (STRONG, WEAK)) for footer in footers)
    assert "36分" in "".join(pages)


@pytest.mark.django_db
def test_the_size_bound_grows_with_the_number_of_sheets(closed_cycle, settings):
    """A district's whole cycle is many one-page sheets: the bound on a document's size is per
    sheet, so a long cycle is still made (and one oversized sheet is still refused)."""
    from talentstation.documents import DocumentTooLarge, render_html

    sheets = documents.annex2_sheets(closed_cycle)
    one = render_html(documents.ANNEX2_TEMPLATE, documents.annex2_context(closed_cycle, sheets[:1]))
    settings.DOCUMENT_MAX_HTML_CHARS = len(one) + 200  # one sheet fits, two would not
    assert len(text_of(documents.annex2_pdf(closed_cycle))) == 2
    settings.DOCUMENT_MAX_HTML_CHARS = len(one) // 2
    with pytest.raises(DocumentTooLarge):
        documents.annex2_pdf(closed_cycle, [sheets[0].assessment])


@pytest.mark.django_db
def test_an_open_cycle_gives_provisional_sheets(staff):
    factories.live_station(name=STRONG, certified_on=D(2024, 6, 1), staff=staff)
    cycle = factories.open_cycle(staff)
    assessment = cycle.assessments.get()
    scorer = factories.declared_scorer(assessment, staff=staff)

    blank = documents.annex2_sheets(cycle)[0]
    assert blank.total is None and not any(line.marks for b in blank.items for line in b.tiers)

    factories.score_station(assessment, scorer)
    (page,) = text_of(documents.annex2_pdf(cycle))
    assert "100分" in page and "得分为暂定" in page


@pytest.mark.django_db
def test_the_xlsx_lists_every_station_best_first_in_the_official_layout(closed_cycle):
    book = openpyxl.load_workbook(io.BytesIO(documents.annex2_xlsx(closed_cycle)))
    sheet = book.active

    assert "A1" in {str(r).split(":")[0] for r in sheet.merged_cells.ranges}
    assert sheet["A1"].value == "福州高新区人才驿站2025—2026年度考核结果汇总表"
    headers = [c.value for c in sheet[2]]
    assert headers[:4] == ["序号", "驿站名称", "设站单位", "类别"]
    assert "开展活动（30分）" in headers and "总分" in headers and "备注" in headers
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [row[1] for row in rows] == [STRONG, WEAK]
    total = headers.index("总分")
    assert [row[total] for row in rows] == [94, 36]
    assert rows[0][headers.index("开展活动（30分）")] == 24
    assert rows[1][headers.index("已提交评分人数")] == 2
    assert rows[1][headers.index("状态")]
    assert "低于合格分60分" in rows[1][headers.index("备注")]
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet["B3"].border.left.style == "thin" and sheet["B3"].alignment.wrap_text


def test_a_text_looking_like_a_formula_is_written_as_text():
    from talentstation.spreadsheets import Column, official_workbook

    data = official_workbook("表", [Column("名称")], [["=HYPERLINK(1)"]])
    cell = openpyxl.load_workbook(io.BytesIO(data)).active["A3"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


@pytest.mark.django_db
def test_who_downloads_what(client, staff, closed_cycle):
    assessment = assessment_of(closed_cycle, WEAK)
    member = factories.applicant_user(assessment.station.host_unit)
    other = factories.applicant_user(assessment_of(closed_cycle, STRONG).station.host_unit)
    official = factories.UserFactory(role=Role.OFFICIAL)
    expert = factories.UserFactory(role=Role.EXPERT)
    sheet = reverse("assessments:assessment_annex2", args=[assessment.pk])
    whole = reverse("assessments:cycle_annex2", args=[closed_cycle.pk])
    xlsx = reverse("assessments:cycle_annex2_xlsx", args=[closed_cycle.pk])
    cases = [
        (staff, sheet, 200),
        (official, sheet, 200),
        (member, sheet, 200),
        (other, sheet, 404),
        (expert, sheet, 404),
        (staff, whole, 200),
        (official, whole, 200),
        (member, whole, 403),
        (expert, whole, 403),
        (staff, xlsx, 200),
        (official, xlsx, 200),
        (member, xlsx, 403),
    ]
    for user, url, status in cases:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status, (user, url)
        if status == 200:
            assert response["Content-Disposition"].startswith("attachment")
    client.force_login(member)
    response = client.get(sheet)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    detail = client.get(reverse("assessments:assessment_detail", args=[assessment.pk]))
    assert sheet in detail.content.decode()  # the station's page links its sheet
    client.logout()
    assert client.get(sheet).status_code == 302  # to the login page


@pytest.mark.django_db
def test_the_station_gets_its_sheet_only_once_the_cycle_is_closed(client, staff):
    station = factories.live_station(certified_on=D(2024, 6, 1), staff=staff)
    cycle = factories.open_cycle(staff)
    client.force_login(factories.applicant_user(station.host_unit))

    response = client.get(
        reverse("assessments:assessment_annex2", args=[cycle.assessments.get().pk])
    )

    assert response.status_code == 403
    assert "考核周期结束后" in response.content.decode()


@pytest.mark.django_db
def test_documents_of_a_cycle_in_preparation_or_unknown_are_404(client, staff):
    draft = factories.AssessmentCycleFactory()
    client.force_login(staff)
    for name in ("assessments:cycle_annex2", "assessments:cycle_annex2_xlsx"):
        assert client.get(reverse(name, args=[draft.pk])).status_code == 404
        assert client.get(reverse(name, args=[99999])).status_code == 404
    assert client.get("/assessments/abc/annex2.pdf").status_code == 404


@pytest.mark.django_db
def test_the_results_page_ranks_and_flags_below_the_pass_mark(client, staff, closed_cycle):
    client.force_login(factories.UserFactory(role=Role.OFFICIAL))

    page = client.get(reverse("assessments:cycle_results", args=[closed_cycle.pk]))

    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(r.rank, r.final.station.name, r.below_pass_mark) for r in rows] == [
        (1, STRONG, False),
        (2, WEAK, True),
    ]
    assert rows[0].points[3] == Decimal("24.00")
    html = page.content.decode()
    assert "合格分" in html and "低于合格分" in html
    assert reverse("assessments:cycle_annex2", args=[closed_cycle.pk]) in html
    client.force_login(factories.applicant_user())
    assert (
        client.get(reverse("assessments:cycle_results", args=[closed_cycle.pk])).status_code == 403
    )


@pytest.mark.django_db
def test_the_results_of_an_open_cycle_wait_for_its_close(client, staff):
    factories.live_station(certified_on=D(2024, 6, 1), staff=staff)
    cycle = factories.open_cycle(staff)
    client.force_login(staff)
    response = client.get(reverse("assessments:cycle_results", args=[cycle.pk]))
    assert response.status_code == 302
