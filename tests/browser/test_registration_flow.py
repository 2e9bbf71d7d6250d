"""A unit registers itself, users log in and out, staff see their to-do list, the language
switches: the flows of the portal so far, in a real browser.

Fields are found by their label (``page.get_by_label``), which also proves each has one. The
expected texts are computed with Django's own translation machinery for the language the
browser asks for, so the tests hold whether or not the Chinese catalogue is complete.
"""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from playwright.sync_api import Page, expect

from stations.forms import RegistrationForm
from stations.models import HostUnit, UnitMember
from talentstation.forms import LoginForm
from tests import factories
from tests.factories import PASSWORD, TINY_PDF, valid_code

from .conftest import check_accessibility, screenshot_phone

# The browser context sends Accept-Language: zh-CN, which Django serves as zh-hans.
UI_LANGUAGE = "zh-hans"
# A real early Fujian code whose check character does not match (see talentstation.credit_code).
PILOT_CODE = "91350211M0000XUF46"
MOBILE = "13912340000"


def tr(text, language=UI_LANGUAGE):
    """``text`` (a msgid or a lazy translation) as the portal shows it in ``language``."""
    with translation.override(language):
        return translation.gettext(text) if type(text) is str else str(text)


def field(page: Page, form_class, name):
    """The input of ``form_class``'s field ``name``, found by its label text.

    Asserts that a <label for=id_<name>> exists and that the label finds exactly that input.
    """
    expect(page.locator(f"label[for=id_{name}]")).to_have_count(1)
    label = tr(form_class.base_fields[name].label)
    # crispy-forms appends "*" to the labels of required fields.
    locator = page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))
    expect(locator).to_have_id(f"id_{name}")
    return locator


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def spaced_lower(code):
    """A code as people type it from a paper licence: in groups, lower case."""
    return f"{code[:2]} {code[2:8]} {code[8:17]} {code[17:]}".lower()


@pytest.fixture
def licence_pdf(tmp_path):
    path = tmp_path / "licence.pdf"
    path.write_bytes(TINY_PDF)
    return path


def fill_registration(
    page: Page,
    licence,
    *,
    unit_name,
    code,
    email,
    mobile=MOBILE,
    contact="王小明",
    password=PASSWORD,
):
    field(page, RegistrationForm, "unit_name").fill(unit_name)
    field(page, RegistrationForm, "credit_code").fill(code)
    field(page, RegistrationForm, "business_licence").set_input_files(licence)
    field(page, RegistrationForm, "contact_name").fill(contact)
    field(page, RegistrationForm, "mobile").fill(mobile)
    field(page, RegistrationForm, "email").fill(email)
    fill_passwords(page, password)


def fill_passwords(page: Page, password=PASSWORD):
    field(page, RegistrationForm, "password1").fill(password)
    field(page, RegistrationForm, "password2").fill(password)


def submit_registration(page: Page):
    page.get_by_role("button", name=tr("Register"), exact=True).click()


def expect_field_error(page: Page, name, containing=None):
    """The field is marked invalid and its error message is tied to it: inside the field's
    container and named in the input's aria-describedby."""
    control = page.locator(f"#id_{name}")
    expect(control).to_have_attribute("aria-invalid", "true")
    error = page.locator(f"#div_id_{name} .invalid-feedback")
    expect(error).to_be_visible()
    if containing:
        expect(error).to_contain_text(containing)
    error_id = error.get_attribute("id")
    assert error_id, f"the error of {name} has no id to refer to"
    described_by = (control.get_attribute("aria-describedby") or "").split()
    assert error_id in described_by, (
        f"#id_{name} aria-describedby={described_by} does not name its error #{error_id}"
    )
    return error


def log_in(page: Page, username, password=PASSWORD):
    page.goto("/accounts/login/")
    field(page, LoginForm, "username").fill(username)
    field(page, LoginForm, "password").fill(password)
    page.get_by_role("main").get_by_role("button", name=tr("Log in"), exact=True).click()


def navbar(page: Page):
    return page.get_by_role("navigation", name=tr("Main navigation"))


# ---------------------------------------------------------------------------------------------
# a. A unit registers itself
# ---------------------------------------------------------------------------------------------


def test_unit_registers_itself(page: Page, licence_pdf):
    code = valid_code(900)
    page.goto("/register/")
    expect(heading(page)).to_have_text(tr("Register a unit"))
    expect(page.locator("html")).to_have_attribute("lang", UI_LANGUAGE)
    check_accessibility(page)
    screenshot_phone(page, "register")

    # An empty submission: every required field says so, and the errors are accessible too.
    submit_registration(page)
    for name in (
        "unit_name",
        "credit_code",
        "business_licence",
        "contact_name",
        "mobile",
        "email",
        "password1",
        "password2",
    ):
        expect_field_error(page, name)
    check_accessibility(page)
    screenshot_phone(page, "register-errors")

    fill_registration(
        page,
        licence_pdf,
        unit_name="福州测试科技有限公司",
        code=spaced_lower(code),
        email="wang@example.com",
        mobile="+86 139 1234 0000",  # as people type it; normalised to 13912340000
    )
    submit_registration(page)

    unit = HostUnit.objects.get(credit_code=code)
    expect(page).to_have_url(re.compile(rf"/units/{unit.pk}/$"))
    expect(heading(page)).to_have_text("福州测试科技有限公司")
    # The normalised code: no spaces, upper case.
    expect(page.get_by_role("main")).to_contain_text(code)
    expect(
        page.get_by_role("status").filter(
            has_text=tr("Your unit is registered. Bureau staff will check the business licence.")
        )
    ).to_be_visible()
    check_accessibility(page)

    assert unit.code_state == HostUnit.CodeState.CHECKED
    member = UnitMember.objects.get(unit=unit)
    assert member.is_admin
    assert (member.user.email, member.user.mobile) == ("wang@example.com", MOBILE)


# ---------------------------------------------------------------------------------------------
# b. A credit code can be registered once
# ---------------------------------------------------------------------------------------------


def test_registering_a_registered_code_is_refused(page: Page, licence_pdf):
    existing = factories.HostUnitFactory()
    page.goto("/register/")
    fill_registration(
        page,
        licence_pdf,
        unit_name="重复注册的单位",
        code=spaced_lower(existing.credit_code),
        email="again@example.com",
    )
    submit_registration(page)

    expect(page).to_have_url(re.compile(r"/register/$"))
    # The message names where to get help; that part does not depend on the translation.
    expect_field_error(page, "credit_code", containing=settings.BUREAU_CONTACT)
    # What the user typed is kept.
    expect(field(page, RegistrationForm, "unit_name")).to_have_value("重复注册的单位")
    expect(field(page, RegistrationForm, "email")).to_have_value("again@example.com")
    check_accessibility(page)

    assert list(HostUnit.objects.all()) == [existing]
    assert not get_user_model().objects.filter(email="again@example.com").exists()


# ---------------------------------------------------------------------------------------------
# c. A code failing the check character is accepted after confirmation, marked unconfirmed
# ---------------------------------------------------------------------------------------------


def test_pilot_code_is_registered_after_confirmation(page: Page, licence_pdf):
    page.goto("/register/")
    expect(page.locator("#id_confirm_unusual_code")).to_have_attribute("type", "hidden")
    fill_registration(
        page,
        licence_pdf,
        unit_name="福州早期试点有限公司",
        code=PILOT_CODE,
        email="pilot@example.com",
    )
    submit_registration(page)

    # First the warning and a checkbox to confirm; nothing registered yet.
    expect_field_error(page, "credit_code")
    confirm = field(page, RegistrationForm, "confirm_unusual_code")
    expect(confirm).to_have_attribute("type", "checkbox")
    expect(confirm).not_to_be_checked()
    expect(field(page, RegistrationForm, "credit_code")).to_have_value(PILOT_CODE)
    check_accessibility(page)
    assert not HostUnit.objects.exists()

    confirm.check()
    # Browsers do not keep file inputs, and Django does not send passwords back.
    field(page, RegistrationForm, "business_licence").set_input_files(licence_pdf)
    fill_passwords(page)
    submit_registration(page)

    unit = HostUnit.objects.get(credit_code=PILOT_CODE)
    expect(page).to_have_url(re.compile(rf"/units/{unit.pk}/$"))
    assert unit.code_unconfirmed
    with translation.override(UI_LANGUAGE):
        blocker = unit.submission_blocker()
    # The unit page's own warning (the one-off message above it says the same).
    expect(page.locator("main > .alert-warning[role=alert]")).to_have_text(blocker)
    expect(page.get_by_role("main")).to_contain_text(tr(HostUnit.CodeState.UNCONFIRMED.label))
    check_accessibility(page)


# ---------------------------------------------------------------------------------------------
# d. Log in (e-mail or mobile number) and out
# ---------------------------------------------------------------------------------------------


def test_applicant_logs_in_and_out(page: Page, applicant, unit):
    applicant.mobile = "13912340001"
    applicant.save(update_fields=["mobile"])

    page.goto("/accounts/login/")
    expect(heading(page)).to_have_text(tr("Log in"))
    check_accessibility(page)

    # A wrong password: an error, still accessible.
    log_in(page, applicant.email, "wrong-password-1")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    expect(page.get_by_role("main").get_by_role("alert")).to_be_visible()
    check_accessibility(page)

    for username in (applicant.email, applicant.mobile):
        log_in(page, username)
        expect(page).to_have_url(re.compile(rf"/units/{unit.pk}/$"))
        expect(heading(page)).to_have_text(unit.name)
        expect(navbar(page).get_by_role("link", name=tr("My unit"))).to_be_visible()

        page.locator("#account-menu").click()  # the account menu holds "log out"
        navbar(page).get_by_role("button", name=tr("Log out")).click()
        expect(navbar(page).get_by_role("link", name=tr("Log in"))).to_be_visible()
        expect(navbar(page).get_by_role("button", name=tr("Log out"))).to_have_count(0)
        # Logged out for real: the unit page asks to log in again.
        page.goto(f"/units/{unit.pk}/")
        expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


# ---------------------------------------------------------------------------------------------
# e. Staff start on their to-do list
# ---------------------------------------------------------------------------------------------


def test_staff_sees_unconfirmed_code_on_todo(page: Page, staff_user):
    unconfirmed = factories.HostUnitFactory(credit_code=PILOT_CODE)
    assert unconfirmed.code_unconfirmed

    log_in(page, staff_user.email)
    expect(page).to_have_url(re.compile(r"/staff/todo/$"))
    expect(heading(page)).to_have_text(tr("Workflow board"))
    codes = page.get_by_role(
        "region", name=re.compile("^" + re.escape(tr("Credit codes to confirm")))
    )
    expect(codes.get_by_role("link", name=unconfirmed.name)).to_be_visible()
    expect(codes).to_contain_text(PILOT_CODE)
    check_accessibility(page)
    screenshot_phone(page, "staff-todo")


# ---------------------------------------------------------------------------------------------
# f. Language switch
# ---------------------------------------------------------------------------------------------


def test_language_switch(page: Page):
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "zh-hans")
    expect(heading(page)).to_have_text(tr(settings.PORTAL_NAME, "zh-hans"))

    for language in ("en", "zh-hans"):
        current = page.locator("html").get_attribute("lang")
        page.get_by_label(tr("Language", current), exact=True).select_option(language)
        page.get_by_role("button", name=tr("Switch", current), exact=True).click()
        expect(html).to_have_attribute("lang", language)
        expect(page).to_have_url(re.compile(r"/$"))
        expect(heading(page)).to_have_text(tr(settings.PORTAL_NAME, language))
        expect(page.get_by_label(tr("Language", language), exact=True)).to_have_value(language)


# ---------------------------------------------------------------------------------------------
# The navigation on a phone (needs Bootstrap's script, i.e. a CSP that lets it run)
# ---------------------------------------------------------------------------------------------


def test_phone_menu_opens(page: Page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto("/")
    register = navbar(page).get_by_role("link", name=tr("Register a unit"))
    expect(register).to_be_hidden()
    toggler = navbar(page).get_by_role("button", name=tr("Show menu"))
    expect(toggler).to_have_attribute("aria-expanded", "false")
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(register).to_be_visible()
    check_accessibility(page)
    register.click()
    expect(heading(page)).to_have_text(tr("Register a unit"))
