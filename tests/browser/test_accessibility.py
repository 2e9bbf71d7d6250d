"""Keyboard use that axe cannot check: a visible focus ring (≥ 3:1 against the colours it sits
on, WCAG 2.1 1.4.11) on every control of representative pages, and the phone menu closing on
Escape. Each page also passes axe, and the layouts named in issue 7 fit at 1280 px."""

import datetime
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from stations import publication
from talentstation import publicity as publicity_service
from talentstation.models import Notification
from talentstation.workflow import perform
from tests import factories

from .conftest import PHONE, check_accessibility
from .test_certification_flow import Clock, approved_application
from .test_registration_flow import log_in, tr

FOCUS_CONTRAST = 3.0
MAX_TABS = 150

FOCUS_INDICATOR_JS = (Path(__file__).parent / "focus_indicator.js").read_text(encoding="utf-8")


def tab_through(page: Page, *, within=None):
    """Tab through the page (or until focus leaves ``within``, a CSS selector) and return the
    focus indicators that are below 3:1, and how many controls were reached."""
    page.locator("body").focus()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen, weak = [], []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if within and not page.evaluate(
            "(selector) => !!document.activeElement.closest(selector)", within
        ):
            if seen:
                break
            continue
        found = page.evaluate(FOCUS_INDICATOR_JS)
        if found is None:
            break
        key = page.evaluate("() => document.activeElement.outerHTML")
        if seen and key == seen[0]:
            break  # round the page once
        if key in seen:
            continue  # the same control again (e.g. the parts of a date input)
        seen.append(key)
        if found["ratio"] < FOCUS_CONTRAST:
            weak.append(
                f"{found['label']}: {found['kind']} {found.get('color')} {found['ratio']:.2f}:1"
            )
    return weak, len(seen)


def assert_focus_visible(page: Page, *, within=None, minimum=3):
    weak, reached = tab_through(page, within=within)
    assert reached >= minimum, f"only {reached} controls reached by Tab on {page.url}"
    assert not weak, f"focus rings below {FOCUS_CONTRAST}:1 on {page.url}:\n" + "\n".join(weak)


@pytest.fixture
def clock():
    clock = Clock()
    yield clock
    clock.stop()


def test_visitor_pages_focus_and_axe(page: Page, db):
    for url in ("/", reverse("login"), reverse("stations:register")):
        page.goto(url)
        check_accessibility(page)
        assert_focus_visible(page)


def test_unit_annex1_edit_focus_and_axe(page: Page, clock):
    clock.travel("2026-08-03 09:30 +0800")  # inside the call
    application = factories.ApplicationFactory()
    applicant = factories.applicant_user(application.host_unit)
    log_in(page, applicant.username)
    page.goto(reverse("stations:application_edit", args=[application.pk]))
    check_accessibility(page)
    # Text inputs, selects, radios, checkboxes, file inputs and buttons of every colour.
    assert_focus_visible(page, minimum=20)


def test_staff_board_and_unread_inbox_focus_and_axe(page: Page, staff_user):
    Notification.objects.create(
        recipient=staff_user,
        subject="新的申报书待形式审查",
        body="申报书 2026-0001 已提交。",
        link="/staff/todo/",
    )
    log_in(page, staff_user.username)
    page.goto(reverse("stations:staff_todo"))
    check_accessibility(page)
    assert_focus_visible(page)
    page.goto(reverse("inbox"))
    unread = page.locator(".list-group-item-primary a").first
    expect(unread).to_be_visible()
    check_accessibility(page)  # the unread notice's link was 3.42:1
    assert_focus_visible(page)


def test_publicity_page_with_objection_form_focus_and_axe(page: Page, clock, staff_user):
    clock.travel("2026-09-29 10:00 +0800")
    applications = [approved_application(staff_user) for _ in range(2)]
    publicity = publication.publicity_for(
        applications,
        by=staff_user,
        title="拟认定名单公示",
        basis="根据管理办法第十条。",
        contact="联系电话：0591-0000",
    )
    publicity_service.start(publicity, by=staff_user, start_date=datetime.date(2026, 9, 28))
    page.goto(reverse("publicity_detail", args=[publicity.pk]))
    expect(page.get_by_role("region", name=tr("Object online"))).to_be_visible()
    check_accessibility(page)
    assert_focus_visible(page, minimum=8)


def test_phone_menu_focus_and_escape(page: Page, staff_user):
    page.set_viewport_size(PHONE)
    log_in(page, staff_user.username)
    page.goto("/")
    toggler = page.locator(".navbar-toggler")
    menu = page.locator("#nav")
    toggler.focus()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    check_accessibility(page)
    # The nav links, the account menu, the language select and button, on the red bar.
    assert_focus_visible(page, within="#nav", minimum=5)
    page.locator("#nav .nav-link").first.focus()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggler).to_be_focused()
    expect(toggler).to_have_attribute("aria-expanded", "false")


def test_language_switch_stays_on_one_line_at_1280(page: Page, staff_user):
    log_in(page, staff_user.username)  # the longest menu: staff
    page.goto(reverse("stations:staff_todo"))
    button = page.locator("form[action$='setlang/'] button")
    lines = button.evaluate(
        "(b) => { const r = document.createRange(); r.selectNodeContents(b);"
        " return new Set([...r.getClientRects()].map((q) => Math.round(q.top))).size; }"
    )
    assert lines == 1, f"「{button.inner_text()}」 wraps onto {lines} lines at 1280 px"


def test_state_changes_list_fits_at_1280(page: Page, clock, staff_user):
    clock.travel("2026-08-03 09:30 +0800")
    application = factories.ApplicationFactory(
        station__name="福建海西科技孵化人才驿站（新建）",
        call__title="2026年度福州高新区人才驿站申报通知",
    )
    perform(application, "submit", by=factories.applicant_user(application.host_unit))
    log_in(page, staff_user.username)
    page.goto(reverse("admin:talentstation_transitionlog_changelist"))
    results = page.locator("#changelist .results")
    overflow = results.evaluate("(r) => r.scrollWidth - r.clientWidth")
    assert overflow <= 0, f"the state changes table is cut off by {overflow}px at 1280 px"
    cell = page.locator("#result_list td.field-subject_link").first
    width = cell.evaluate("(c) => c.getBoundingClientRect().width")
    font = cell.evaluate("(c) => parseFloat(getComputedStyle(c).fontSize)")
    assert width >= 10 * font, f"the object column is {width / font:.1f} characters wide"
