"""The applicant's stepper and to-do list in the browser, at desktop and phone width (axe)."""

import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect

from talentstation.roles import Role
from talentstation.workflow import perform
from tests import factories

from .conftest import PHONE, check_accessibility_at_both_widths, horizontal_overflow
from .test_registration_flow import log_in

OPEN = "2026-08-01 10:00 +0800"


def test_the_stepper_of_a_returned_application_at_phone_width(page: Page):
    application = factories.ApplicationFactory()
    applicant = factories.applicant_user(application.host_unit)
    staff = factories.UserFactory(role=Role.STAFF)
    with time_machine.travel(OPEN):
        perform(application, "submit", by=applicant)
        perform(application, "return_for_correction", by=staff, reason="请补充场地面积说明")

    log_in(page, applicant.username)
    page.goto(reverse("stations:application_detail", args=[application.pk]))
    stepper = page.locator("ol.portal-stepper")
    current = stepper.locator('[aria-current="step"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("请补充场地面积说明")
    check_accessibility_at_both_widths(page)

    page.set_viewport_size(PHONE)
    steps = stepper.locator("li")
    first, second = steps.nth(0).bounding_box(), steps.nth(1).bounding_box()
    assert second["y"] >= first["y"] + first["height"]  # one under the other on a phone
    assert horizontal_overflow(page) <= 0

    page.goto(reverse("stations:unit_detail", args=[application.host_unit_id]))
    expect(page.locator("#todos-title")).to_be_visible()
    check_accessibility_at_both_widths(page)
