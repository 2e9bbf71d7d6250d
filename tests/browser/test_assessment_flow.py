"""The biennial assessment in the browser (with axe on every page): a station files its
self-assessment; a scorer declares and scores with one override (its reason required: the
error is shown when it is missing); staff close the cycle and download the Annex 2 sheets; an
official reads the results.

The cycle (2025–2026) is opened and the scorer assigned through the services; the clock of the
test and of the live server is moved into the scoring window with time_machine.
"""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments import cycles, scoring
from assessments.models import AssessmentCycle, SelfAssessment, TierOverride
from talentstation.roles import Role
from tests import factories

from .conftest import check_accessibility, screenshot_phone
from .test_certification_flow import Clock, ensure_score_sheets, heading, status_message
from .test_registration_flow import log_in, tr

STATION = "福州高新区海西智能制造人才驿站"
REASON = "现场核查：2025年有一场活动为线上转播，不计入现场活动，按1-4场档评定。"


def button(page: Page, label):
    return page.get_by_role("main").get_by_role("button", name=tr(label), exact=True)


def test_self_assessment_scoring_with_an_override_closing_and_results(page: Page):
    clock = Clock()
    try:
        run_the_cycle(page, clock)
    finally:
        clock.stop()


def run_the_cycle(page, clock):
    ensure_score_sheets()
    staff = factories.UserFactory(role=Role.STAFF)
    station = factories.live_station(name=STATION, certified_on=datetime.date(2024, 6, 1))
    member = factories.applicant_user(station.host_unit)
    for year in (2025, 2026):
        for n in range(5):
            factories.ActivityFactory(
                station=station, date=datetime.date(year, 3, 1 + n), status="accepted"
            )
    cycle = factories.open_cycle(staff)  # self-assessments due 2027-01-31
    assessment = cycle.assessments.get()
    expert = factories.UserFactory(role=Role.EXPERT, full_name="陈建华")
    cycles.assign(assessment, expert, by=staff)
    clock.travel("2027-01-20 10:00 +0800")

    # --- the station files its self-assessment ---------------------------------------------
    log_in(page, member.username)
    page.goto(reverse("assessments:self_assessment_edit", args=[assessment.pk]))
    expect(heading(page)).to_contain_text(STATION)
    check_accessibility(page)
    items = list(cycle.rubric.items.prefetch_related("tiers"))
    for item in items:
        page.locator(f"#id_claim_{item.pk}_0").check()
        page.locator(f"#id_explanation_{item.pk}").fill("见驿站运营台账。")
    page.locator("#id_summary").fill("两年来共举办人才活动10场，服务人才200人次。")
    button(page, "Save and submit").click()
    expect(status_message(page, tr("Self-assessment submitted."))).to_be_visible()
    check_accessibility(page)
    assert SelfAssessment.objects.get().status == SelfAssessment.Status.SUBMITTED
    page.context.clear_cookies()

    # --- the scorer declares and scores, overriding one proposal ---------------------------
    log_in(page, expert.username)
    page.goto(reverse("assessments:assessment_sheets"))
    check_accessibility(page)
    page.get_by_role("link", name=STATION).first.click()
    check_accessibility(page)
    page.locator("input[name=declare]").check()
    button(page, "Declare and score").click()
    expect(status_message(page, tr("Declaration recorded."))).to_be_visible()
    activities = next(item for item in items if item.title == "开展活动")
    proposed = page.locator(f"#id_{scoring.field_name(2025, activities)}_0")
    expect(proposed).to_be_checked()  # 5 accepted activities propose the best tier
    check_accessibility(page)
    screenshot_phone(page, "assessment-scoring")

    page.locator(f"#id_{scoring.field_name(2025, activities)}_1").check()
    button(page, "Save and submit").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    reason = page.locator(f"#id_{scoring.reason_name(2025, activities)}")
    expect(page.get_by_role("main")).to_contain_text(
        tr("Say why you chose another tier than the evidence proposes.")
    )
    check_accessibility(page)
    assert not TierOverride.objects.exists()

    reason.fill(REASON)
    button(page, "Save and submit").click()
    expect(status_message(page, tr("Score sheets submitted."))).to_be_visible()
    check_accessibility(page)
    override = TierOverride.objects.get()
    assert override.reason == REASON and override.chosen_tier.points == 18
    page.context.clear_cookies()

    # --- staff close the cycle and download the Annex 2 sheets -----------------------------
    clock.travel("2027-03-02 09:30 +0800")
    log_in(page, staff.username)
    page.goto(reverse("assessments:cycle_board", args=[cycle.pk]))
    expect(page.get_by_role("row").filter(has_text=STATION)).to_contain_text(tr("fully scored"))
    check_accessibility(page)
    page.goto(reverse("assessments:cycle_detail", args=[cycle.pk]))
    button(page, AssessmentCycle.TRANSITION_LABELS["close"]).click()
    expect(status_message(page, tr(AssessmentCycle.TRANSITION_LABELS["close"]))).to_be_visible()
    cycle.refresh_from_db()
    assert cycle.is_closed
    assessment.refresh_from_db()
    # No profile: venue, staffing and rules 0; person-times 100 (25); activities 18, then 30.
    assert assessment.score == Decimal("49.00")

    page.get_by_role("main").get_by_role("link", name=tr("Results"), exact=True).click()
    expect(heading(page)).to_contain_text(str(cycle))
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=tr("Annex 2 sheets of all stations (PDF)")).click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf[:5] == b"%PDF-"
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = re.sub(r"\s+", "", reader.pages[0].extract_text())
    assert STATION in text and "福州高新区人才驿站考核表" in text and "49分" in text
    page.context.clear_cookies()

    # --- an official reads the results ----------------------------------------------------
    official = factories.UserFactory(role=Role.OFFICIAL)
    log_in(page, official.username)
    page.goto(reverse("assessments:cycle_results", args=[cycle.pk]))
    row = page.get_by_role("row").filter(has_text=STATION)
    expect(row).to_contain_text("49.00")
    expect(page.get_by_role("main")).to_contain_text(tr("Final scores, best first"))
    check_accessibility(page)
    screenshot_phone(page, "assessment-results")
