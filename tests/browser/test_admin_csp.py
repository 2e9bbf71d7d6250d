"""Admin under the portal's strict Content-Security-Policy (no 'unsafe-inline' for scripts or
styles): its pages and their JavaScript widgets run without a single CSP violation (the page
fixture fails the test on any, and on any JavaScript error)."""

from playwright.sync_api import Page, expect

from talentstation.roles import Role
from tests import factories

from .test_registration_flow import log_in


def test_admin_pages_and_widgets_raise_no_csp_violation(page: Page):
    staff = factories.UserFactory(role=Role.STAFF, is_staff=True, is_superuser=True)
    station = factories.live_station(staff=staff)
    log_in(page, staff.username)
    expect(page.locator("body")).to_be_visible()
    for path in (
        "/admin/",
        "/admin/stations/station/",
        f"/admin/stations/station/{station.pk}/change/",
        f"/admin/talentstation/user/{staff.pk}/change/",
        "/admin/stations/leadershipmeeting/add/",
        "/admin/talentstation/transitionlog/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("load")
    # the admin's JavaScript: the calendar of a date field, an inline's "add another" row, the
    # changelist's filter and actions
    page.goto("/admin/talentstation/calendaryear/add/")
    page.locator(".datetimeshortcuts [id^='calendarlink']").first.click()
    expect(page.locator("#calendarbox0")).to_be_visible()
    page.locator("#calendarbox0 .calendar-cancel a, #calendarbox0 .calendar-cancel button").click()
    page.locator(".add-row a").first.click()
    expect(page.locator(".dynamic-days").nth(1)).to_be_attached()
    page.goto("/admin/stations/station/")
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_be_visible()
