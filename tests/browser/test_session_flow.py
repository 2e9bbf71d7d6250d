"""The idle timeout in a real browser: the warning dialog before it, and a form sent after it
that survives the new login (talentstation/middleware.py, static/js/session.js).

The timeout is shortened to a few seconds through the settings (the live server runs in this
process, so ``settings`` overrides reach it).
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation
from playwright.sync_api import Page, expect

from stations.forms import InviteMemberForm
from talentstation.forms import LoginForm
from tests import factories

from .conftest import check_accessibility, screenshot_phone

# Generous next to the few-second timeouts below, short next to a hang.
DIALOG_WAIT = 15_000


def tr(text):
    with translation.override("zh-hans"):
        return translation.gettext(text) if type(text) is str else str(text)


def field(page: Page, form_class, name):
    label = tr(form_class.base_fields[name].label)
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def log_in(page: Page, login, password=factories.PASSWORD):
    field(page, LoginForm, "username").fill(login)
    field(page, LoginForm, "password").fill(password)
    page.get_by_role("main").get_by_role("button", name=tr("Log in"), exact=True).click()


def session_left(page: Page):
    """Seconds left as the server sees them (asking does not count as activity)."""
    return page.request.get("/session/status/").json()


@pytest.fixture
def unit_admin(transactional_db):
    return factories.applicant_user(factories.HostUnitFactory())


def unit_page(user):
    return f"/units/{user.unit_membership.unit.pk}/"


def test_the_warning_dialog_keeps_the_session_and_is_keyboard_operable(
    page: Page, unit_admin, settings
):
    settings.SESSION_IDLE_TIMEOUT = 8
    settings.SESSION_TIMEOUT_WARNING = 6  # the dialog opens about 2 seconds after a request
    page.goto("/accounts/login/")
    log_in(page, unit_admin.email)
    page.goto(unit_page(unit_admin))
    name = field(page, InviteMemberForm, "full_name")
    name.fill("王五")  # typing alone sends no request

    dialog = page.get_by_role("alertdialog", name=tr("You will be logged out soon"))
    expect(dialog).to_be_visible(timeout=DIALOG_WAIT)
    keep = dialog.get_by_role("button", name=tr("Keep using the portal"))
    expect(keep).to_be_focused()
    expect(dialog).to_contain_text("秒")  # the countdown
    expect(dialog).to_have_accessible_description(re.compile("自动退出登录"))
    check_accessibility(page)
    screenshot_phone(page, "session-timeout-warning")

    # Escape means "keep using": the session is extended and focus goes back to the field.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(name).to_be_focused()
    expect(name).to_have_value("王五")
    state = session_left(page)
    assert state["authenticated"] and state["remaining"] > 6

    # The button does the same, from the keyboard.
    expect(dialog).to_be_visible(timeout=DIALOG_WAIT)
    expect(keep).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    assert session_left(page)["remaining"] > 6

    # Ignored, it says the session has ended; the page and what was typed stay.
    ended = page.get_by_role("alertdialog", name=tr("You have been logged out"))
    expect(ended).to_be_visible(timeout=DIALOG_WAIT)
    expect(ended.get_by_role("link", name=tr("Log in again"))).to_be_focused()
    assert session_left(page)["authenticated"] is False
    page.keyboard.press("Escape")
    expect(ended).to_be_hidden()
    expect(name).to_have_value("王五")


def test_polling_alone_does_not_keep_the_session_alive(page: Page, unit_admin, settings):
    settings.SESSION_IDLE_TIMEOUT = 5
    settings.SESSION_TIMEOUT_WARNING = 4
    page.goto("/accounts/login/")
    log_in(page, unit_admin.email)
    page.goto(unit_page(unit_admin))
    ended = page.get_by_role("alertdialog", name=tr("You have been logged out"))
    expect(ended).to_be_visible(timeout=DIALOG_WAIT)
    page.goto(unit_page(unit_admin))
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_a_form_sent_after_the_timeout_is_kept_through_the_new_login(
    page: Page, unit_admin, settings
):
    settings.SESSION_IDLE_TIMEOUT = 4
    settings.SESSION_TIMEOUT_WARNING = 2
    page.goto("/accounts/login/")
    log_in(page, unit_admin.email)
    page.goto(unit_page(unit_admin))
    field(page, InviteMemberForm, "full_name").fill("王五")
    field(page, InviteMemberForm, "email").fill("wangwu@example.com")
    field(page, InviteMemberForm, "mobile").fill("13700001111")

    ended = page.get_by_role("alertdialog", name=tr("You have been logged out"))
    expect(ended).to_be_visible(timeout=DIALOG_WAIT)
    ended.get_by_role("button", name=tr("Close")).click()
    page.get_by_role("button", name=tr("Send the invitation")).click()

    # The login page says why, and that the form is kept.
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/session/restore/"))
    alerts = page.get_by_role("main")
    expect(alerts).to_contain_text("您因长时间未操作")
    expect(alerts).to_contain_text("您填写的内容已保留")
    log_in(page, unit_admin.email)

    expect(page.get_by_role("heading", level=1)).to_have_text("您的登录已过期，填写的内容已保留")
    check_accessibility(page)
    page.get_by_role("button", name=tr("Send again")).click()

    expect(page).to_have_url(re.compile(re.escape(unit_page(unit_admin))))
    invited = get_user_model().objects.get(email="wangwu@example.com")
    assert (invited.full_name, invited.mobile) == ("王五", "13700001111")
