"""Annex 3 「人才驿站推荐汇总表」: the xlsx as the official form (title merged across the
columns, header lines, headings, borders, wrapped text, A4 landscape, print title rows), the PDF
(its text holds the rows; a long list repeats the column headings on every page), and the same
layout for the year's applicants and the certified stations."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from awards import annex3, nominations
from awards.models import Nomination
from talentstation.roles import Role
from talentstation.workflow import perform

from . import factories
from .test_awards_nominations import make_batch
from .test_document_layout import page_count, pages_text

HEADINGS = [
    "序号",
    "驿站名称",
    "类型",
    "驿站简介（场所、制度、配备人员、开展活动情况）",
    "推荐理由",
]


@pytest.fixture
def staff(db):
    return factories.UserFactory(role=Role.STAFF, full_name="林雅琴")


@pytest.fixture
def batch(staff):
    batch = make_batch(staff, filled_by_name="林雅琴", fill_date="2026-11-20")
    for name, station_type in (
        ("海西智能制造人才驿站", "industry"),
        ("南屿创业人才驿站", "entrepreneurship"),
    ):
        station = factories.live_station(staff=staff, name=name, station_type=station_type)
        nomination = nominations.add_station(batch, station, by=staff)
        Nomination.objects.filter(pk=nomination.pk).update(
            introduction=f"场所：{name}的场地。\n开展活动情况：开展活动12场。",
            reason=f"{name}表现突出",
        )
    perform(batch, "submit", by=staff)
    batch.refresh_from_db()
    return batch


def test_annex3_xlsx_is_the_official_form(batch):
    book = openpyxl.load_workbook(io.BytesIO(annex3.annex3_xlsx(annex3.batch_annex3(batch))))
    sheet = book.active
    assert sheet["A1"].value == "人才驿站推荐汇总表"
    assert "A1:E1" in {str(r) for r in sheet.merged_cells.ranges}
    assert sheet["A2"].value == "报送单位（盖章）：福州高新区人力资源和社会保障局"
    assert sheet["A3"].value == "填报人：林雅琴"
    assert sheet["A4"].value == "填报日期：2026年11月20日"
    assert [c.value for c in sheet[5]] == HEADINGS
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    assert [row[:3] for row in rows] == [
        [1, "海西智能制造人才驿站", "行业型"],
        [2, "南屿创业人才驿站", "创业型"],
    ]
    assert rows[0][3].startswith("场所：海西智能制造人才驿站的场地。\n")
    assert rows[1][4] == "南屿创业人才驿站表现突出"
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"
            assert cell.alignment.wrap_text
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.print_title_rows == "$1:$5"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["B"].width


def test_annex3_pdf_holds_the_rows(batch):
    pdf = annex3.annex3_pdf(annex3.batch_annex3(batch))
    text = "".join(pages_text(pdf))
    for expected in (
        "人才驿站推荐汇总表",
        "报送单位（盖章）：福州高新区人力资源和社会保障局",
        "填报人：林雅琴",
        "填报日期：2026年11月20日",
        "驿站简介（场所、制度、配备人员、开展活动情况）",
        "海西智能制造人才驿站",
        "南屿创业人才驿站表现突出",
        "开展活动12场",
    ):
        assert expected in text


def test_long_annex3_pdf_repeats_the_headings(db):
    rows = [
        annex3.Annex3Row(n, f"测试人才驿站{n:03d}", "服务型", "场所：……。" * 8, "推荐理由")
        for n in range(1, 101)
    ]
    pdf = annex3.annex3_pdf(annex3.Annex3(rows=rows, fill_date=datetime.date(2026, 11, 20)))
    pages = pages_text(pdf)
    assert page_count(pdf) > 3
    for page in pages:
        assert "驿站简介（场所、制度、配备人员、开展活动情况）" in page and "推荐理由" in page
    text = "".join(pages)
    assert all(f"测试人才驿站{n:03d}" in text for n in (1, 50, 100))


def test_applicants_list(client, staff):
    call = factories.CallFactory(year=2026)
    submitted = factories.ApplicationFactory(
        call=call, station_name="上街人才驿站", station_type="service", activities="开展沙龙5场"
    )
    from stations.models import Application

    Application.objects.filter(pk=submitted.pk).update(status="submitted")
    factories.ApplicationFactory(call=call, station_name="草稿驿站")
    sheet = annex3.applicants_annex3(call, filled_by="林雅琴")
    assert [r.station_name for r in sheet.rows] == ["上街人才驿站"]
    assert sheet.rows[0].type_label == "服务型"
    assert "开展活动情况：开展沙龙5场" in sheet.rows[0].introduction
    assert sheet.rows[0].reason.endswith("已提交")
    client.force_login(factories.UserFactory(role=Role.OFFICIAL))
    response = client.get(reverse("awards:annex3_applicants_xlsx"), {"applicants-call": call.pk})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.active["B6"].value == "上街人才驿站"
    response = client.get(reverse("awards:annex3_applicants_pdf"), {"applicants-call": "x"})
    assert response.status_code == 400


def test_stations_list_filtered_by_type_and_status(client, staff):
    factories.live_station(staff=staff, name="行业驿站", station_type="industry")
    factories.live_station(staff=staff, name="服务驿站", station_type="service")
    rectifying = factories.live_station(staff=staff, name="整改驿站", station_type="service")
    perform(rectifying, "start_rectification", by=staff, reason="活动不足")
    names = lambda **kw: [r.station_name for r in annex3.stations_annex3(**kw).rows]  # noqa: E731
    assert sorted(names()) == sorted(["服务驿站", "整改驿站", "行业驿站"])
    assert sorted(names(station_type="service")) == sorted(["服务驿站", "整改驿站"])
    assert names(station_type="service", status="certified") == ["服务驿站"]
    client.force_login(factories.UserFactory(role=Role.OFFICIAL))
    page = client.get(reverse("awards:annex3_lists"))
    assert page.status_code == 200
    response = client.get(
        reverse("awards:annex3_stations_pdf"),
        {"stations-station_type": "service", "stations-status": "rectifying"},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(pages_text(response.content))
    assert "整改驿站" in text and "服务驿站" not in text.replace("整改驿站", "")
    bad = client.get(reverse("awards:annex3_stations_xlsx"), {"stations-status": "revoked"})
    assert bad.status_code == 400


def test_existing_callers_of_the_builder_keep_their_layout():
    from talentstation.spreadsheets import Column, official_workbook

    sheet = openpyxl.load_workbook(
        io.BytesIO(official_workbook("表", [Column("名称"), Column("值")], [["a", 1]]))
    ).active
    assert [c.value for c in sheet[2]] == ["名称", "值"]
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.freeze_panes == "A3"
