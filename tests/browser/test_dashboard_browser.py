"""数据概览 in the browser (with axe at both widths): an official logs in and starts on the
dashboard, reads a chart's numbers in its table, filters by type and downloads the chart's
numbers as xlsx, which holds them."""

import datetime
import io
import re

import openpyxl
from playwright.sync_api import Page, expect

from assessments.models import Activity
from talentstation.dates import today
from talentstation.roles import Role
from tests import factories

from .conftest import PHONE, check_accessibility_at_both_widths, screenshot_phone
from .test_registration_flow import log_in, tr


def _activities():
    """Accepted activities this year: two stations of two types, in January (or this month)."""
    this_year = today().year
    day = datetime.date(this_year, 1, 10) if today() > datetime.date(this_year, 1, 10) else today()
    staff = factories.UserFactory(role=Role.STAFF)
    industry = factories.live_station(staff=staff, name="海西智能制造人才驿站")
    service = factories.live_station(staff=staff, name="南屿人才服务驿站", station_type="service")
    for station, count in ((industry, 3), (service, 2)):
        for _index in range(count):
            factories.ActivityFactory(
                station=station, date=day, person_times=10, status=Activity.Status.ACCEPTED
            )
    return day


def test_an_official_opens_the_dashboard_and_downloads_a_charts_numbers(page: Page):
    day = _activities()
    official = factories.UserFactory(role=Role.OFFICIAL)
    log_in(page, official.username)
    # The official's start page is the dashboard.
    expect(page.get_by_role("heading", name=tr("Overview"), level=1)).to_be_visible()
    panel = page.locator("section", has=page.locator("#panel-activities"))
    expect(panel.get_by_role("img")).to_be_visible()
    panel.locator("summary").click()
    table = panel.get_by_role("table")
    expect(table).to_be_visible()
    month_row = table.get_by_role("row").nth(day.month)
    expect(month_row.get_by_role("cell").first).to_have_text("5")
    check_accessibility_at_both_widths(page)
    screenshot_phone(page, "dashboard")
    # On a phone the chart drawn for phones shows, at about its own size (readable text).
    original = page.viewport_size
    page.set_viewport_size(PHONE)
    chart = panel.get_by_role("img")
    expect(chart).to_have_count(1)
    expect(chart).to_have_attribute("viewBox", re.compile(r"^0 0 340 "))
    assert 300 <= chart.bounding_box()["width"] <= 375
    page.set_viewport_size(original)
    expect(panel.get_by_role("img")).to_have_attribute("viewBox", re.compile(r"^0 0 640 "))

    type_filter = page.locator("#f-type")
    expect(page.locator("label[for=f-type]")).to_have_text(tr("station type"), ignore_case=True)
    type_filter.select_option("service")
    page.get_by_role("button", name=tr("Filter")).click()
    expect(page.locator("#f-type")).to_have_value("service")
    panel = page.locator("section", has=page.locator("#panel-activities"))
    with page.expect_download() as download_info:
        panel.locator("a[download]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read())).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    months = rows[-12:]
    assert months[day.month - 1][1] == 2  # the service station's two activities this year
    assert sum(row[1] or 0 for row in months) == 2  # months not reached yet are empty
