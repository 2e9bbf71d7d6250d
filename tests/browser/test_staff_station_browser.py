"""The staff station page in the browser (with axe at desktop and phone width): an official
filters the station list, downloads it as xlsx, opens a station's whole record and reads its
sections, offered no admin link."""

import datetime
import io

import openpyxl
from django.urls import reverse
from playwright.sync_api import Page, expect

from awards import rectification
from stations.models import StationType
from talentstation.dates import today
from talentstation.roles import Role
from tests import factories

from .conftest import check_accessibility_at_both_widths
from .test_registration_flow import log_in, tr


def test_an_official_reads_a_station_record_and_exports_the_list(page: Page):
    staff = factories.UserFactory(role=Role.STAFF)
    official = factories.UserFactory(role=Role.OFFICIAL)
    station = factories.live_station(
        staff=staff, name="海西智能制造人才驿站", station_type=StationType.SERVICE
    )
    factories.live_station(staff=staff, name="南屿创业人才驿站")
    factories.ActivityFactory(
        station=station, status="accepted", date=datetime.date(today().year, 1, 5)
    )
    rectification.create_order(station, by=staff, reason="日常监督发现问题", problem="台账缺失")

    log_in(page, official.username)
    page.goto(reverse("stations:staff_stations") + "?type=service")
    with page.expect_download() as download_info:
        page.get_by_role("link", name=tr("Export to Excel (xlsx)")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read())).active
    names = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert names == ["海西智能制造人才驿站"]

    page.get_by_role("link", name="海西智能制造人才驿站").click()
    expect(page.get_by_role("heading", name="海西智能制造人才驿站", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name=tr("Activities and compliance"))).to_be_visible()
    expect(page.get_by_role("heading", name=tr("Rectification"), exact=True)).to_be_visible()
    expect(page.get_by_text(station.plaque_number)).to_be_visible()
    assert page.locator("a[href*='/admin/']").count() == 0
    check_accessibility_at_both_widths(page)
