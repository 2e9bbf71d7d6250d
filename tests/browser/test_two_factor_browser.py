"""Two-factor login in a real browser: a bureau staff member whose role requires it is sent to
set it up right after the password, scans (here: reads) the key, confirms with a code, saves
the recovery codes, logs out and logs in again with a code (talentstation/two_factor.py).

The codes are computed from the device's key with django_otp.oath.totp, as the phone would.
"""

import re
import time

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from talentstation.forms_two_factor import CodeForm
from talentstation.roles import Role
from tests import factories

from .conftest import check_accessibility_at_both_widths, screenshot_phone
from .test_session_flow import field, log_in, tr


def code_for(device, drift=0):
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def code_field(page: Page):
    return field(page, CodeForm, "code")


def setup_code_field(page: Page):
    return page.get_by_label(re.compile(rf"^\s*{re.escape(tr('Code from the app'))}\s*\*?\s*$"))


def heading(page: Page):
    return page.get_by_role("heading", level=1)


@pytest.fixture
def staff(transactional_db):
    return factories.UserFactory(role=Role.STAFF, full_name="林工作")


@override_settings(TWO_FACTOR_REQUIRED_ROLES=["bureau_staff", "official"])
def test_staff_sets_up_two_factor_login_and_logs_in_with_a_code(page: Page, staff):
    page.goto("/accounts/login/?next=/dashboard/")
    log_in(page, staff.email)

    # Sent to the set-up page; no other page is reachable yet.
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/$"))
    expect(heading(page)).to_have_text(tr("Set up two-factor login"))
    expect(page.get_by_role("img", name=tr("QR code for the authenticator app"))).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert secret.replace(" ", "") in device.config_url
    check_accessibility_at_both_widths(page)
    screenshot_phone(page, "two-factor-setup")
    page.goto("/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/setup/$"))

    # A wrong code: the error is on the field and the summary links to it.
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    setup_code_field(page).fill(wrong)
    page.get_by_role("button", name=tr("Confirm and turn on")).click()
    expect(setup_code_field(page)).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error-summary")).to_contain_text("验证码不正确")
    time.sleep(1.2)  # django-otp waits a second after a wrong code

    setup_code_field(page).fill(code_for(device))
    page.get_by_role("button", name=tr("Confirm and turn on")).click()
    expect(heading(page)).to_have_text(tr("Recovery codes"))
    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    check_accessibility_at_both_widths(page)
    screenshot_phone(page, "two-factor-recovery-codes")
    # On to the page last asked for (admin, refused before the set-up).
    page.get_by_role("link", name=tr("I have saved them: continue")).click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # Log out, log in again: the password, then a code.
    page.goto("/dashboard/")
    page.locator("#account-menu").click()
    page.get_by_role("navigation", name=tr("Main navigation")).get_by_role(
        "button", name=tr("Log out")
    ).click()
    page.goto("/accounts/login/?next=/dashboard/")
    log_in(page, staff.email)
    expect(page).to_have_url(re.compile(r"/accounts/login/code/$"))
    expect(heading(page)).to_have_text(tr("Two-factor login"))
    expect(code_field(page)).to_be_focused()
    check_accessibility_at_both_widths(page)
    screenshot_phone(page, "two-factor-login-code")
    # The code of the next time step (the one used to confirm cannot be used twice).
    code_field(page).fill(code_for(device, drift=1))
    page.get_by_role("main").get_by_role("button", name=tr("Log in"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
