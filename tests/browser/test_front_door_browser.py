"""The public front door in the browser (axe at desktop and phone width): a visitor sees the
open call with its countdown, the stations by type and follows one into the directory, opens a
question of the FAQ with the keyboard, reads the policy text from an article's link, downloads
Annex 3 and Annex 1, and reads the service guide."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from stations.models import StationType
from tests import factories

from .conftest import check_accessibility_at_both_widths, screenshot_phone
from .test_certification_flow import Clock
from .test_registration_flow import tr

PDF_TIMEOUT = 60_000


@pytest.fixture
def clock():
    clock = Clock()
    yield clock
    clock.stop()


def test_a_visitor_uses_the_front_door(page: Page, clock, staff_user):
    clock.travel("2026-08-20 10:00 +0800")
    factories.CallFactory(year=2026, title="2026年度福州高新区人才驿站申报通知")
    for name in ("海西智能制造人才驿站", "南屿产业人才驿站"):
        factories.live_station(staff=staff_user, name=name, station_type=StationType.INDUSTRY)
    factories.live_station(
        staff=staff_user, name="旗山服务人才驿站", station_type=StationType.SERVICE
    )

    page.goto("/")
    expect(page.get_by_role("link", name=tr("Log in")).first).to_be_visible()
    call = page.get_by_role("region", name=tr("Call for applications"))
    expect(call).to_contain_text("2026年度福州高新区人才驿站申报通知")
    expect(call.get_by_test_id("call-countdown")).to_contain_text("41")
    stations = page.get_by_role("region", name=tr("Certified stations"))
    expect(stations.get_by_test_id("count-industry")).to_have_text("2")
    expect(stations.get_by_test_id("count-total")).to_have_text("3")
    check_accessibility_at_both_widths(page)
    screenshot_phone(page, "front-door-home")

    # A question of the FAQ opens with the keyboard.
    question = page.locator("#front-door-faq ~ details summary").first
    question.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#front-door-faq ~ details").first).to_have_attribute("open", "")

    # The industry count leads into the directory filtered by that type.
    stations.get_by_role("link", name=tr(StationType.INDUSTRY.label)).click()
    expect(page).to_have_url(re.compile(r"/directory/\?type=industry$"))
    expect(page.get_by_text("海西智能制造人才驿站")).to_be_visible()
    expect(page.get_by_text("旗山服务人才驿站")).to_have_count(0)
    page.go_back()

    # The policy text, and an article's own link.
    page.get_by_role("region", name=tr("Policy text")).get_by_role(
        "link", name="福州高新区人才驿站管理办法（试行）"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("福州高新区人才驿站管理办法（试行）")
    page.locator("a[href='#art-10']").first.click()
    expect(page).to_have_url(re.compile(r"/policy/#art-10$"))
    expect(page.locator("#art-10")).to_contain_text("公示期为5个工作日")
    check_accessibility_at_both_widths(page)
    screenshot_phone(page, "front-door-policy")

    downloads = page.get_by_role("region", name=tr("Annexes as blank forms"))
    with page.expect_download() as download_info:
        downloads.get_by_role("link", name="附件3 人才驿站推荐汇总表").click()
    with open(download_info.value.path(), "rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read())).active
    assert sheet["A1"].value == "人才驿站推荐汇总表"
    with page.expect_download(timeout=PDF_TIMEOUT) as download_info:
        downloads.get_by_role("link", name="附件1 福州高新区“人才驿站”建站申报表").click()
    assert download_info.value.suggested_filename.endswith(".pdf")
    with open(download_info.value.path(), "rb") as file:
        assert file.read(5) == b"%PDF-"

    page.goto(reverse("service_guide"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Service guide"))
    expect(page.get_by_role("region", name="办理时限")).to_contain_text("公示期：5个工作日")
    check_accessibility_at_both_widths(page)
    screenshot_phone(page, "front-door-guide")
