"""A double click or Enter pressed twice sends a form once (static/js/portal.js); the server
side is tests/test_double_submit.py. The form's POST is held back, as if the server were busy,
so the second click or key press lands on the same page."""

import time_machine
from playwright.sync_api import Page

from assessments.models import Activity
from tests import factories

from .test_registration_flow import log_in, tr


def _activity_form(page: Page):
    """The filled form, with its POSTs held back (the server "busy") until released."""
    station = factories.live_station()
    keeper = factories.applicant_user(station.host_unit)
    log_in(page, keeper.username)
    url = f"/operations/stations/{station.pk}/activities/add/"
    page.goto(url)
    page.get_by_label(tr("date")).fill("2026-05-20")
    page.get_by_label(tr("title")).fill("新能源产业专家交流会")
    page.get_by_label(tr("kind of activity")).select_option("exchange")
    page.get_by_label(tr("place")).fill("驿站会议室")
    page.get_by_label(tr("person-times served")).fill("30")
    page.get_by_label(tr("of them high-level talents")).fill("6")
    page.get_by_label(tr("short report")).fill("高校专家与企业技术骨干交流对接。")
    held = []

    def hold(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route(f"**{url}", hold)
    return held


def _release(page: Page, held):
    page.wait_for_timeout(300)  # time for a second request, if one were sent
    assert len(held) == 1, [r.request.url for r in held]
    page.unroute("**")
    held[0].continue_()
    page.wait_for_url("**/operations/activities/*/")
    assert Activity.objects.count() == 1


def test_a_double_click_sends_the_form_once(page: Page):
    with time_machine.travel("2026-06-15 09:30 +0800", tick=True):
        held = _activity_form(page)
        save = page.get_by_role("button", name=tr("Save"))
        save.dblclick()
        _release(page, held)


def test_enter_pressed_twice_sends_the_form_once(page: Page):
    with time_machine.travel("2026-06-15 09:30 +0800", tick=True):
        held = _activity_form(page)
        save = page.get_by_role("button", name=tr("Save"))
        save.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(100)
        page.keyboard.press("Enter")  # the focus is still on the button
        _release(page, held)
