"""The objection form in the browser when it refuses: the same objection twice, and too many
objections from one network (issue 7 §4). The refusal is in the error summary, which takes the
focus; what was typed stays in the form."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from talentstation.models import Objection

from ..test_objections_abuse import publicity_with
from .conftest import check_accessibility, screenshot_phone
from .test_certification_flow import clock, status_message  # noqa: F401 - a fixture
from .test_registration_flow import tr

REASON = "该驿站实际场地面积与申报材料不符。"


def fill(page: Page, *, entry, reason):
    page.locator("#id_item").select_option(label=entry)
    page.locator("#id_name").fill("王某某")
    page.locator("#id_organisation").fill("某科技公司")
    page.locator("#id_contact").fill("13811112222")
    page.locator("#id_reason").fill(reason)
    page.get_by_role("button", name=tr("Send the objection")).click()


def test_a_duplicate_and_too_many_objections_are_refused_in_place(
    page: Page,
    clock,  # noqa: F811
    settings,
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "objection": ["2/h"]}
    clock.travel("2026-09-29 10:00 +0800")
    publicity = publicity_with(100)
    page.goto(reverse("publicity_detail", args=[publicity.pk]))
    expect(page.locator("#id_item option")).to_have_count(100)

    fill(page, entry="第42号人才驿站", reason=REASON)
    sent = tr("Your objection has been received. Bureau staff will investigate it and contact you.")
    expect(status_message(page, sent)).to_be_visible()

    # the same objection again
    fill(page, entry="第42号人才驿站", reason=REASON)
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("无需重复提交")
    expect(page.locator("#id_reason")).to_have_value(REASON)
    expect(page.locator("#id_item")).to_have_value(str(publicity.items.get(order=42).pk))
    check_accessibility(page)

    # another objection is fine; the third within the hour is too many
    fill(page, entry="第7号人才驿站", reason=REASON)
    expect(status_message(page, sent)).to_be_visible()
    fill(page, entry="第8号人才驿站", reason="另一条理由：人员配备与申报不符。")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("提交次数过多：1小时内最多2次")
    expect(page.locator("#id_reason")).to_have_value("另一条理由：人员配备与申报不符。")
    expect(page.locator("#id_name")).to_have_value("王某某")
    check_accessibility(page)
    screenshot_phone(page, "publicity-objection-limited")
    assert Objection.objects.count() == 2
