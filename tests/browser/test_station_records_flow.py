"""Station records in the browser (with axe on every page): a station fills in its profile,
records a talent referral and files its work plan; staff confirm the referral and see the
district list of plans and summaries."""

import datetime

from django.urls import reverse
from playwright.sync_api import Page, expect

from assessments.models import ReportSchedule, StationProfile, StationReport, TalentReferral
from talentstation.roles import Role
from tests import factories

from .conftest import check_accessibility, check_accessibility_at_both_widths
from .test_registration_flow import log_in, tr


def test_a_station_keeps_its_records_and_staff_decide(page: Page):
    unit = factories.HostUnitFactory()
    station = factories.live_station(unit, area_m2=180)
    applicant = factories.applicant_user(unit)
    staff = factories.UserFactory(role=Role.STAFF)
    year = datetime.date.today().year
    ReportSchedule.objects.create(
        year=year,
        plan_due=datetime.date(year, 12, 31),
        summary_due=datetime.date(year + 1, 1, 31),
    )

    log_in(page, applicant.username)
    page.goto(reverse("assessments:station_profile", args=[station.pk]))
    check_accessibility(page)
    page.get_by_role("link", name=tr("Fill in the profile")).click()
    check_accessibility(page)
    page.get_by_label(tr("station manager")).fill("陈一鸣")
    page.get_by_label(tr("full-time service staff")).fill("2")
    page.get_by_role("button", name=tr("Save the profile")).click()
    expect(page.get_by_text(tr("The station profile is saved."))).to_be_visible()
    check_accessibility(page)
    assert StationProfile.objects.get(station=station).manager_name == "陈一鸣"

    page.get_by_role("link", name=tr("Talent referrals"), exact=True).click()
    check_accessibility(page)
    page.get_by_role("link", name=tr("Record a referral")).click()
    page.get_by_label(tr("person's name")).fill("郑海峰")
    page.get_by_label(tr("employer")).fill("福州闽光光电科技有限公司")
    page.get_by_label(tr("programme level")).select_option("provincial")
    page.get_by_label(tr("talent programme")).fill("福建省引进高层次人才（B类）")
    page.get_by_label(tr("outcome")).select_option("selected")
    check_accessibility(page)
    page.get_by_role("button", name=tr("Save the referral")).click()
    expect(page.get_by_role("cell", name="郑海峰", exact=True)).to_be_visible()

    page.get_by_role("link", name=tr("Plans and summaries"), exact=True).click()
    check_accessibility_at_both_widths(page)
    page.goto(reverse("assessments:report_file", args=[station.pk, year, "plan"]))
    page.get_by_label(tr("text")).fill("全年举办活动6场。")
    page.get_by_role("button", name=tr("Submit to bureau staff")).click()
    expect(page.get_by_text(tr("Submitted to bureau staff."))).to_be_visible()
    assert StationReport.objects.get().status == StationReport.Status.SUBMITTED

    page.context.clear_cookies()
    log_in(page, staff.username)
    page.goto(reverse("assessments:staff_referrals"))
    check_accessibility(page)
    page.get_by_role("button", name=tr("confirm the referral"), exact=True).click()
    expect(page.get_by_role("cell", name=tr("confirmed"), exact=True)).to_be_visible()
    assert TalentReferral.objects.get().status == TalentReferral.Status.CONFIRMED
    page.goto(reverse("assessments:staff_reports"))
    check_accessibility(page)
    page.get_by_role("link", name=tr("submitted")).click()
    check_accessibility(page)
    page.get_by_role("button", name=tr("accept"), exact=True).click()
    assert StationReport.objects.get().status == StationReport.Status.ACCEPTED
