"""Annex 3 in the browser (with axe on every page): an official opens the outcomes hub, the
nomination batch and downloads its Annex 3 as xlsx and PDF; he is offered no change."""

import io

import openpyxl
from django.urls import reverse
from playwright.sync_api import Page, expect

from awards import nominations
from talentstation.roles import Role
from talentstation.workflow import perform
from tests import factories
from tests.test_awards_nominations import make_batch

from .conftest import check_accessibility, check_accessibility_at_both_widths
from .test_registration_flow import log_in, tr

PDF_TIMEOUT = 60_000


def test_an_official_downloads_annex3(page: Page):
    staff = factories.UserFactory(role=Role.STAFF, full_name="林雅琴")
    official = factories.UserFactory(role=Role.OFFICIAL)
    batch = make_batch(staff)
    for name in ("海西智能制造人才驿站", "南屿创业人才驿站"):
        station = factories.live_station(staff=staff, name=name)
        nominations.add_station(batch, station, by=staff)
    perform(batch, "submit", by=staff)

    log_in(page, official.username)
    page.goto(reverse("awards:index"))
    check_accessibility(page)
    page.get_by_role("link", name=batch.title).first.click()
    expect(page.get_by_role("heading", name=batch.title, level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="海西智能制造人才驿站")).to_be_visible()
    assert page.get_by_role("button", name=tr("Record the outcome")).count() == 0
    assert page.get_by_role("button", name=tr("Add")).count() == 0
    check_accessibility_at_both_widths(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=tr("Annex 3 (xlsx)")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read())).active
    assert sheet["A1"].value == "人才驿站推荐汇总表"
    assert sheet["B6"].value == "海西智能制造人才驿站"

    # Rendering the PDF takes a few seconds (more on a busy machine).
    with page.expect_download(timeout=PDF_TIMEOUT) as download_info:
        page.get_by_role("link", name=tr("Annex 3 (PDF)")).click(timeout=PDF_TIMEOUT)
    assert download_info.value.suggested_filename.endswith(".pdf")
