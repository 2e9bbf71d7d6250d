"""A station's user logs an activity with a photo in the browser; bureau staff accept it from
the acceptance queue; the station's compliance counts it (axe on every page)."""

import re

import time_machine
from playwright.sync_api import Page, expect

from assessments.models import Activity
from talentstation.roles import Role
from tests import factories
from tests.factories import TINY_PNG

from .conftest import check_accessibility, screenshot_phone
from .test_registration_flow import log_in, navbar, tr


def test_a_station_logs_an_activity_with_a_photo_and_staff_accept_it(page: Page, tmp_path):
    traveller = time_machine.travel("2026-06-15 09:30 +0800", tick=True)
    traveller.start()
    try:
        _log_and_accept(page, tmp_path)
    finally:
        traveller.stop()


def _log_and_accept(page: Page, tmp_path):
    station = factories.live_station(name="高新区光电产业人才驿站")
    keeper = factories.applicant_user(station.host_unit)
    staff = factories.UserFactory(role=Role.STAFF)
    photo = tmp_path / "活动照片.png"
    photo.write_bytes(TINY_PNG)

    # The station's user: 「驿站运营」 in the navbar leads to the station's hub.
    log_in(page, keeper.username)
    navbar(page).get_by_role("link", name=tr("Station operations")).click()
    expect(page).to_have_url(re.compile(rf"/operations/stations/{station.pk}/$"))
    check_accessibility(page)
    screenshot_phone(page, "operations-hub")
    page.get_by_role("link", name=tr("Log an activity")).click()
    check_accessibility(page)

    # A mistake first: the error summary, nothing lost.
    page.get_by_label(tr("date")).fill("2026-05-20")
    page.get_by_label(tr("title")).fill("新能源产业专家交流会")
    page.get_by_label(tr("kind of activity")).select_option("exchange")
    page.get_by_label(tr("person-times served")).fill("30")
    page.get_by_label(tr("of them high-level talents")).fill("40")
    page.get_by_label(tr("short report")).fill("高校专家与企业技术骨干交流对接。")
    page.get_by_role("button", name=tr("Save")).click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.get_by_label(tr("title"))).to_have_value("新能源产业专家交流会")
    check_accessibility(page)

    page.get_by_label(tr("of them high-level talents")).fill("6")
    page.get_by_label(tr("place")).fill("驿站会议室")
    page.get_by_label(tr("photos")).set_input_files(str(photo))
    page.get_by_role("button", name=tr("Save")).click()
    activity = Activity.objects.get(station=station)
    expect(page).to_have_url(re.compile(rf"/operations/activities/{activity.pk}/$"))
    expect(page.get_by_role("link", name=re.compile("活动照片"))).to_be_visible()
    check_accessibility(page)
    assert activity.status == Activity.Status.SUBMITTED and activity.files.count() == 1

    # Bureau staff accept it from the queue.
    page.context.clear_cookies()
    log_in(page, staff.username)
    navbar(page).get_by_role("link", name=tr("Operation log")).click()
    expect(page.get_by_role("link", name="新能源产业专家交流会")).to_be_visible()
    check_accessibility(page)
    screenshot_phone(page, "operations-queue")
    page.get_by_role("button", name=re.compile("^确认")).click()
    expect(page.get_by_role("status").first).to_be_visible()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.ACCEPTED and activity.reviewed_by == staff

    # It counts: the station's hub and the district's compliance page show it.
    page.goto(f"/operations/stations/{station.pk}/")
    expect(page.get_by_role("cell", name=tr("accepted")).first).to_be_visible()
    page.goto("/operations/compliance/")
    expect(page.get_by_role("link", name=station.name)).to_be_visible()
    check_accessibility(page)
