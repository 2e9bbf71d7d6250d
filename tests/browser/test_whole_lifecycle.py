"""The whole life of a talent station in a real browser (issue 11 §1), as its people do it.

A unit registers and applies (Annex 1) → staff verify the unit, check the application and
return it with a reason → the unit corrects and resubmits → an expert declares no conflict,
records the on-site visit and scores → staff shortlist it and record the leadership group's
decision → the publicity; an anonymous visitor objects on the public page; staff dismiss the
objection → publication, plaque and certificate → the station logs activities → the 2026–2027
assessment cycle is scored → ranking, the three excellent stations, the award paid → the station
under 60 gets a rectification order → an official downloads Annex 3 as xlsx and PDF.

Seeded, as a real district already has them: the staff user, the experts, the official, the
shipped policy settings and score sheets (migrations), and four stations certified in 2025 (one
of them weak) that take part in the cycle. Everything else is done on the pages: the call, the
leadership meeting, the cycle and the 2028 working-day calendar are created by staff in the
administration. Only the clock is moved (time_machine, test and live server share it); each
jump of days ends the 8-hour sessions, so people log in again.

Screenshots: test-artifacts/screenshots/lifecycle-NN-*.png (git-ignored).
"""

import datetime
import io
import re
import time
from pathlib import Path

import openpyxl
import pytest
import time_machine
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from assessments.models import Activity, Assessment, AssessmentCycle
from awards.forms.funds import PayForm
from awards.forms.ranking import ApproveForm, ProposeForm
from awards.models import Award, Ranking, RectificationOrder
from stations.models import Application, Call, HostUnit, LeadershipMeeting, Station
from talentstation.models import Objection, Publicity
from talentstation.models.scoring import ScoreItem, ScoreSheet, ScoreSheetTemplate
from talentstation.roles import Role
from tests import factories
from tests.factories import TINY_PDF, TINY_PNG, valid_code

from .conftest import check_accessibility, screenshot_phone
from .test_certification_flow import (
    Clock,
    button,
    ensure_score_sheets,
    expect_admin_success,
    heading,
    log_out,
    run_admin_action,
    status_message,
)
from .test_outcomes_flow import labelled
from .test_registration_flow import (
    field,
    fill_registration,
    log_in,
    navbar,
    submit_registration,
    tr,
)

UNIT = "福州海峡光电科技有限公司"
STATION = "高新区海峡光电人才驿站"
CODE = valid_code(2611)
EMAIL = "lin.office@example.com"
CALL_TITLE = "2026年度福州高新区人才驿站申报通知"
RETURN_REASON = "场地面积与场地照片不符，请核实后修改并重新上传盖章扫描件。"
OBJECTOR = "匿名群众王某"
DISMISSAL = "经现场核查，场地面积与申报一致，异议不成立。"
PUBLICITY_TITLE = "2026年度福州高新区人才驿站拟认定名单公示"
CONTACT = "联系电话：0591-00000000；地址：福州高新区人社局"
SCORE_REASON = "现场核查：台账、制度与活动记录齐全，按最高档评定。"
PDF_TIMEOUT = 60_000

# The four stations certified in 2025 that the district already has, and their points per
# Annex 2 item in both years of the cycle (factories.closed_cycle's table: items not named get
# their best tier): 90, 76, 66 and 45 — the last one under the pass mark of 60.
OTHERS = {
    "南屿科创人才驿站": {"人才服务": 15},
    "大学城人才驿站": {"开展活动": 18, "制度建设": 9, "人员配备": 9},
    "乌龙江人才服务驿站": {"开展活动": 18, "人才服务": 15, "人员配备": 9, "制度建设": 9},
    "旗山湖人才驿站": {"开展活动": 0, "人才服务": 15, "场地配备": 0, "人员配备": 15},
}
WEAK = "旗山湖人才驿站"


def shot(page: Page, number, name):
    screenshot_phone(page, f"lifecycle-{number:02d}-{name}")


def admin_add(page: Page, model_path, fields, checks=()):
    """Fill the admin's add form of ``model_path`` ("app/model") and save it."""
    page.goto(f"/admin/{model_path}/add/")
    for selector, value in fields.items():
        page.locator(selector).fill(value)
    for selector in checks:
        page.locator(selector).check()
    page.locator("input[name=_save]").click()
    expect(page.locator("ul.messagelist li.success")).to_have_count(1)


def pdf_text(path):
    data = Path(path).read_bytes()
    assert data[:5] == b"%PDF-"
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


@pytest.fixture
def district(transactional_db):
    """What the district has before the story starts."""
    ensure_score_sheets()
    staff = factories.UserFactory(role=Role.STAFF, full_name="林雅琴")
    people = {
        "staff": staff,
        "expert": factories.UserFactory(role=Role.EXPERT, full_name="陈建华"),
        "assessor": factories.UserFactory(role=Role.EXPERT, full_name="黄志远"),
        "official": factories.UserFactory(role=Role.OFFICIAL, full_name="郑处长"),
    }
    with time_machine.travel("2025-06-01 10:00 +0800", tick=True):
        people["others"] = {
            name: factories.live_station(
                name=name, certified_on=datetime.date(2025, 6, 1), staff=staff
            )
            for name in OTHERS
        }
    return people


def test_the_whole_lifecycle_of_a_station(page: Page, district, tmp_path):
    clock = Clock()
    try:
        Lifecycle(page, district, tmp_path, clock).run()
    finally:
        clock.stop()


class Lifecycle:
    def __init__(self, page, district, tmp_path, clock):
        self.page = page
        self.staff = district["staff"]
        self.expert = district["expert"]
        self.assessor = district["assessor"]
        self.official = district["official"]
        self.others = district["others"]
        self.clock = clock
        self.files = {}
        for name, data in (
            ("licence.pdf", TINY_PDF),
            ("盖章扫描件.pdf", TINY_PDF),
            ("场地照片.png", TINY_PNG),
            ("活动照片.png", TINY_PNG),
            ("证明材料.pdf", TINY_PDF),
            ("拨付凭证.pdf", TINY_PDF),
        ):
            path = tmp_path / name
            path.write_bytes(data)
            self.files[name] = path

    def run(self):
        for when, steps in (
            # Monday 3 August 2026: the 2026 call; the publicity runs 3–7 August.
            (
                "2026-08-03 09:00 +0800",
                [
                    self.staff_publish_the_call,
                    self.unit_registers_and_applies,
                    self.staff_return_the_application,
                    self.unit_corrects_and_resubmits,
                    self.staff_accept_and_assign_the_expert,
                    self.expert_reviews,
                    self.staff_shortlist_decide_and_start_the_publicity,
                    self.visitor_objects,
                ],
            ),
            # Monday 10 August: after the period.
            (
                "2026-08-10 09:30 +0800",
                [self.staff_dismiss_the_objection_and_publish, self.unit_downloads_the_certificate],
            ),
            # 2027: the station at work.
            ("2027-05-20 10:00 +0800", [self.station_logs_activities]),
            # Tuesday 4 January 2028: the 2026–2027 assessment.
            ("2028-01-04 09:30 +0800", [self.staff_open_the_cycle, self.assessor_scores]),
            # Wednesday 1 March 2028: the results.
            ("2028-03-01 09:30 +0800", [self.staff_close_rank_and_start_the_publicity]),
            # Wednesday 8 March 2028: the ranking's publicity (1–7 March) is over.
            (
                "2028-03-08 09:30 +0800",
                [
                    self.staff_publish_the_ranking_pay_and_order_rectification,
                    self.official_downloads_annex3,
                ],
            ),
        ):
            self.clock.travel(when)
            for step in steps:
                started = time.monotonic()
                step()
                # Shown with -s, or with the output of a failure: where the time goes.
                print(f"{step.__name__}: {time.monotonic() - started:.1f} s")

    # --- 2026: the call, the application, its return --------------------------------------

    def staff_publish_the_call(self):
        page = self.page
        log_in(page, self.staff.username)
        expect(page).to_have_url(re.compile(r"/staff/todo/$"))
        check_accessibility(page)
        shot(page, 1, "staff-todo")
        admin_add(
            page,
            "stations/call",
            {
                "#id_year": "2026",
                "#id_title": CALL_TITLE,
                "#id_open_date": "2026-08-03",
                "#id_close_date": "2026-09-30",
                "#id_description": "符合《福州高新区人才驿站管理办法（试行）》条件的单位均可申报。",
            },
        )
        call = Call.objects.get()
        expect_admin_success(
            run_admin_action(
                page, reverse("admin:stations_call_changelist"), [call], "transition_publish"
            )
        )
        call.refresh_from_db()
        assert call.is_open()
        self.call = call
        page.goto("/")
        log_out(page)

    def unit_registers_and_applies(self):
        page = self.page
        page.goto("/")
        navbar(page).get_by_role("link", name=tr("Register a unit")).click()
        fill_registration(page, self.files["licence.pdf"], unit_name=UNIT, code=CODE, email=EMAIL)
        submit_registration(page)
        unit = HostUnit.objects.get(credit_code=CODE)
        self.unit = unit
        expect(page).to_have_url(re.compile(rf"/units/{unit.pk}/$"))
        expect(heading(page)).to_have_text(UNIT)
        expect(page.get_by_text(CALL_TITLE)).to_be_visible()
        check_accessibility(page)
        shot(page, 2, "unit")

        page.get_by_role("button", name=tr("Start an application")).click()
        application = Application.objects.get(host_unit=unit)
        self.application = application
        expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/edit/$"))
        page.locator("#id_station_name").fill(STATION)
        page.locator("#id_station_type").select_option("industry")
        page.locator("#id_leader_name").fill("林光明")
        page.locator("#id_leader_mobile").fill("139 0000 2611")
        page.locator("#id_leader_email").fill("lin@example.com")
        page.locator("#id_area_m2").fill("120")
        page.get_by_label(tr("no"), exact=True).check()
        page.locator("#id_address").fill("福州市闽侯县高新大道8号光电园B座2层")
        page.locator("#id_built_on").fill("2025-03-01")
        page.locator("#id_staffing").fill("专职人员2名，兼职人员2名")
        page.locator("#id_rules_and_hardware").fill(
            "资产管理、考勤、经费使用及活动制度齐全；配备投影、网络"
        )
        page.locator("#id_activities").fill("2025年举办人才沙龙5场，服务人才150人次")
        page.get_by_role("button", name=tr("Save draft")).click()
        expect(status_message(page, tr("Draft saved."))).to_be_visible()
        page.locator("#id_attachment-kind").select_option("venue_photo")
        page.locator("#id_attachment-file").set_input_files(self.files["场地照片.png"])
        page.get_by_role("button", name=tr("Upload"), exact=True).click()
        expect(page.get_by_role("link", name="场地照片.png")).to_be_visible()
        with page.expect_download(timeout=PDF_TIMEOUT) as download:
            page.get_by_role("link", name=tr("Download the Annex 1 PDF")).click(timeout=PDF_TIMEOUT)
        assert STATION in pdf_text(download.value.path())
        self.upload_the_scan()
        check_accessibility(page)
        shot(page, 3, "application-edit")
        page.get_by_role("button", name=tr("Submit the application")).click()
        expect(page).to_have_url(re.compile(rf"/applications/{application.pk}/$"))
        expect(page.get_by_role("main")).to_contain_text(tr(Application.Status.SUBMITTED.label))
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED
        log_out(page)

    def upload_the_scan(self):
        page = self.page
        page.locator("#id_scan-file").set_input_files(self.files["盖章扫描件.pdf"])
        page.get_by_role(
            "button", name=re.compile(f"^({tr('Upload the scan')}|{tr('Replace the scan')})$")
        ).click()
        expect(status_message(page, tr("Stamped scan uploaded."))).to_be_visible()

    def open_the_application_as_staff(self):
        page = self.page
        navbar(page).get_by_role("link", name=tr("Applications"), exact=True).click()
        page.get_by_role("link", name=self.application.number, exact=True).click()
        expect(heading(page)).to_contain_text(self.application.number)

    def staff_return_the_application(self):
        page = self.page
        log_in(page, self.staff.username)
        self.open_the_application_as_staff()
        check_accessibility(page)
        shot(page, 4, "staff-formal-check")
        button(page, HostUnit.TRANSITION_LABELS["verify"]).click()
        expect(status_message(page, tr(HostUnit.TRANSITION_LABELS["verify"]))).to_be_visible()
        label = Application.TRANSITION_LABELS["return_for_correction"]
        form = page.locator("form").filter(
            has=page.get_by_role("button", name=tr(label), exact=True)
        )
        form.get_by_label(tr("reason")).fill(RETURN_REASON)
        button(page, label).click()
        expect(status_message(page, tr(label))).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text(tr(Application.Status.RETURNED.label))
        self.application.refresh_from_db()
        assert self.application.status == Application.Status.RETURNED
        assert self.application.host_unit.is_verified
        log_out(page)

    def unit_corrects_and_resubmits(self):
        page = self.page
        log_in(page, EMAIL)
        expect(page).to_have_url(re.compile(rf"/units/{self.unit.pk}/$"))
        page.get_by_role("link", name=re.compile(re.escape(self.application.number))).first.click()
        expect(page).to_have_url(re.compile(rf"/applications/{self.application.pk}/$"))
        expect(page.get_by_role("main")).to_contain_text(RETURN_REASON)
        check_accessibility(page)
        shot(page, 5, "application-returned")
        page.get_by_role("link", name=tr("Edit the application")).click()
        page.locator("#id_area_m2").fill("260")
        page.get_by_role("button", name=tr("Save draft")).click()
        expect(status_message(page, tr("Draft saved."))).to_be_visible()
        self.upload_the_scan()
        page.get_by_role("button", name=tr("Submit again")).click()
        expect(page).to_have_url(re.compile(rf"/applications/{self.application.pk}/$"))
        self.application.refresh_from_db()
        assert self.application.status == Application.Status.SUBMITTED
        assert self.application.area_m2 == 260
        log_out(page)

    # --- the review and the decision ------------------------------------------------------

    def staff_accept_and_assign_the_expert(self):
        page = self.page
        log_in(page, self.staff.username)
        self.open_the_application_as_staff()
        # The change the unit made is shown.
        expect(
            page.get_by_role("region", name=tr("Changed in the last resubmission"))
        ).to_contain_text("260")
        button(page, Application.TRANSITION_LABELS["accept"]).click()
        expect(status_message(page, tr(Application.TRANSITION_LABELS["accept"]))).to_be_visible()
        page.locator("#id_expert").select_option(str(self.expert.pk))
        page.locator("#id_due_date").fill("2026-08-20")
        button(page, "Assign").click()
        expect(status_message(page, tr("Expert assigned."))).to_be_visible()
        log_out(page)

    def expert_reviews(self):
        page = self.page
        log_in(page, self.expert.email)
        expect(page).to_have_url(re.compile(r"/expert/$"))
        page.get_by_role("link", name=self.application.number, exact=True).click()
        expect(heading(page)).to_have_text(tr("Declaration of no conflict of interest"))
        page.get_by_label(
            tr("I declare that I have no conflict of interest with this application.")
        ).check()
        button(page, "Declare and open the application").click()
        expect(status_message(page, tr("Declaration recorded."))).to_be_visible()
        page.locator("#id_visit-visit_date").fill("2026-08-03")
        page.locator("#id_visit-visit_notes").fill("场地整洁，政策宣传专区和多媒体设备齐全。")
        button(page, "Save the visit").click()
        expect(status_message(page, tr("On-site visit recorded."))).to_be_visible()
        template = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
        for item in template.items.prefetch_related("tiers"):
            if item.kind == ScoreItem.Kind.TIERS:
                page.locator(f"#id_item_{item.pk}_0").check()  # tiers are listed best first
            else:
                page.locator(f"#id_item_{item.pk}").fill(str(item.max_points))
        check_accessibility(page)
        shot(page, 6, "expert-score-sheet")
        button(page, "Submit the score sheet").click()
        expect(status_message(page, tr("Score sheet submitted."))).to_be_visible()
        assert ScoreSheet.objects.get(scorer=self.expert).status == ScoreSheet.Status.SUBMITTED
        log_out(page)

    def staff_shortlist_decide_and_start_the_publicity(self):
        page = self.page
        log_in(page, self.staff.username)
        self.open_the_application_as_staff()
        button(page, Application.TRANSITION_LABELS["shortlist"]).click()
        expect(status_message(page, tr(Application.TRANSITION_LABELS["shortlist"]))).to_be_visible()
        # The meeting is recorded in the administration first, as the page says.
        admin_add(
            page,
            "stations/leadershipmeeting",
            {"#id_date": "2026-08-03", "#id_reference": "2026年第3次区人才工作领导小组联席会议"},
        )
        meeting = LeadershipMeeting.objects.get()
        page.goto(reverse("stations:staff_application", args=[self.application.pk]))
        decision = page.get_by_role("region", name=tr("Leadership group decision"))
        page.locator("#id_decision-meeting").select_option(str(meeting.pk))
        decision.get_by_label(tr("approved"), exact=True).check()
        page.locator("#id_decision-office_opinion").fill("经审核，同意认定。")
        page.locator("#id_decision-office_opinion_date").fill("2026-08-03")
        check_accessibility(page)
        shot(page, 7, "staff-decision")
        button(page, "Record the decision").click()
        expect(
            status_message(page, tr("The leadership group's decision is recorded."))
        ).to_be_visible()
        expect(page.get_by_role("main")).to_contain_text(tr(Application.Status.APPROVED.label))

        expect_admin_success(
            run_admin_action(
                page,
                reverse("admin:stations_application_changelist"),
                [self.application],
                "form_action_put_under_publicity",
                {
                    "#id_title": PUBLICITY_TITLE,
                    "#id_contact": CONTACT,
                    "#id_start_date": "2026-08-03",
                },
            )
        )
        self.publicity = Publicity.objects.get()
        assert self.publicity.last_day == datetime.date(2026, 8, 7)
        page.goto("/")
        log_out(page)

    def visitor_objects(self):
        page = self.page
        navbar(page).get_by_role("link", name=tr("Publicity"), exact=True).click()
        page.get_by_role("link", name=PUBLICITY_TITLE).click()
        expect(heading(page)).to_have_text(PUBLICITY_TITLE)
        expect(page.get_by_role("table", name=tr("The list"))).to_contain_text(STATION)
        form = page.get_by_role("region", name=tr("Object online"))
        page.locator("#id_name").fill(OBJECTOR)
        page.locator("#id_contact").fill("13811112222")
        page.locator("#id_reason").fill("该驿站实际场地面积与申报材料不符。")
        page.locator("#id_evidence").set_input_files(self.files["证明材料.pdf"])
        check_accessibility(page)
        form.get_by_role("button", name=tr("Send the objection")).click()
        expect(
            status_message(
                page,
                tr(
                    "Your objection has been received. Bureau staff will investigate it and "
                    "contact you."
                ),
            )
        ).to_be_visible()
        expect(page.get_by_role("main")).not_to_contain_text(OBJECTOR)
        check_accessibility(page)
        shot(page, 8, "publicity-objection-sent")
        assert Objection.objects.get().status == Objection.Status.OPEN

    # --- certification ---------------------------------------------------------------------

    def staff_dismiss_the_objection_and_publish(self):
        page = self.page
        log_in(page, self.staff.username)
        expect(page).to_have_url(re.compile(r"/staff/todo/$"))
        objection = Objection.objects.get()
        expect_admin_success(
            run_admin_action(
                page,
                reverse("admin:talentstation_objection_changelist"),
                [objection],
                "transition_dismiss",
                {"#id_reason": DISMISSAL},
            )
        )
        objection.refresh_from_db()
        assert objection.status == Objection.Status.DISMISSED
        expect_admin_success(
            run_admin_action(
                page,
                reverse("admin:talentstation_publicity_changelist"),
                [self.publicity],
                "form_action_publish",
                {"#id_notice_number": "榕高新区人社〔2026〕8号", "#id_notice_date": "2026-08-10"},
            )
        )
        station = Station.objects.get(pk=self.application.station_id)
        assert station.status == Station.Status.CERTIFIED
        assert station.certified_on == datetime.date(2026, 8, 10)
        assert station.plaque_number
        self.station = station
        page.goto("/")
        log_out(page)

    def unit_downloads_the_certificate(self):
        page = self.page
        station = self.station
        log_in(page, EMAIL)
        page.get_by_role("main").get_by_role("link", name=STATION, exact=True).click()
        expect(page).to_have_url(re.compile(rf"/stations/{station.pk}/$"))
        expect(page.get_by_role("main")).to_contain_text(station.plaque_number)
        check_accessibility(page)
        shot(page, 9, "station")
        with page.expect_download(timeout=PDF_TIMEOUT) as download:
            page.get_by_role("link", name=tr("Download the certificate (PDF)")).click(
                timeout=PDF_TIMEOUT
            )
        text = pdf_text(download.value.path())
        assert STATION in text and station.plaque_number in text, text
        # The public directory lists it with its plaque.
        navbar(page).get_by_role("link", name=tr("Directory"), exact=True).click()
        expect(page.get_by_role("row").filter(has_text=STATION)).to_contain_text(
            station.plaque_number
        )
        log_out(page)

    # --- 2027: operations ------------------------------------------------------------------

    def station_logs_activities(self):
        page = self.page
        log_in(page, EMAIL)
        titles = ("光电产业人才沙龙", "高校博士企业行")
        for n, title in enumerate(titles):
            navbar(page).get_by_role("link", name=tr("Station operations")).click()
            expect(page).to_have_url(re.compile(rf"/operations/stations/{self.station.pk}/$"))
            page.get_by_role("link", name=tr("Log an activity")).click()
            page.get_by_label(tr("date")).fill(f"2027-05-1{n}")
            page.get_by_label(tr("title")).fill(title)
            page.get_by_label(tr("kind of activity")).select_option("exchange")
            page.get_by_label(tr("place")).fill("驿站会议室")
            page.get_by_label(tr("person-times served")).fill("40")
            page.get_by_label(tr("of them high-level talents")).fill("5")
            page.get_by_label(tr("short report")).fill("邀请高校专家与企业技术骨干交流对接。")
            page.get_by_label(tr("photos")).set_input_files(str(self.files["活动照片.png"]))
            if n == 0:
                check_accessibility(page)
                shot(page, 10, "activity-form")
            page.get_by_role("button", name=tr("Save")).click()
            expect(page).to_have_url(re.compile(r"/operations/activities/\d+/$"))
        assert Activity.objects.filter(station=self.station).count() == 2
        log_out(page)

        log_in(page, self.staff.username)
        navbar(page).get_by_role("link", name=tr("Operation log")).click()
        for title in titles:
            expect(page.get_by_role("link", name=title)).to_be_visible()
        check_accessibility(page)
        shot(page, 11, "operations-queue")
        accept = page.get_by_role("button", name=re.compile("^确认"))
        for remaining in (2, 1):
            expect(accept).to_have_count(remaining)
            accept.first.click()
            expect(page.get_by_role("status").first).to_be_visible()
        expect(accept).to_have_count(0)
        accepted = Activity.objects.filter(station=self.station, status=Activity.Status.ACCEPTED)
        assert accepted.count() == 2
        page.goto("/")
        log_out(page)

    # --- 2028: the assessment of 2026–2027 -------------------------------------------------

    def staff_open_the_cycle(self):
        page = self.page
        log_in(page, self.staff.username)
        navbar(page).get_by_role("link", name=tr("Assessment cycles")).click()
        page.get_by_role("link", name=tr("Create a cycle")).click()
        # The cycle includes the stations certified in 2026.
        admin_add(
            page,
            "assessments/assessmentcycle",
            {
                "#id_first_year": "2026",
                "#id_inclusion_date": "2026-12-31",
                "#id_self_assessment_due": "2028-01-31",
                "#id_scoring_opens": "2028-01-04",
                "#id_scoring_closes": "2028-02-28",
            },
        )
        cycle = AssessmentCycle.objects.get()
        self.cycle = cycle
        page.goto(reverse("assessments:cycle_list"))
        page.get_by_role("link", name=str(cycle)).click()
        button(page, AssessmentCycle.TRANSITION_LABELS["open"]).click()
        expect(status_message(page, tr(AssessmentCycle.TRANSITION_LABELS["open"]))).to_be_visible()
        for name in (STATION, *OTHERS):
            expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
        cycle.refresh_from_db()
        assert cycle.is_open
        check_accessibility(page)
        shot(page, 12, "cycle-open")

        page.get_by_role("link", name=STATION).click()
        page.locator("#id_assign-scorer").select_option(str(self.assessor.pk))
        button(page, "Assign").click()
        expect(status_message(page, tr("Scorer assigned."))).to_be_visible()
        log_out(page)

        # The four other stations: their scorers' sheets through the domain services
        # (assessments.cycles.assign, declare_no_conflict, assessments.scoring) with the same
        # staff and expert users; scoring each of them on the page is the same form as below.
        for assessment in cycle.assessments.exclude(station=self.station).select_related("station"):
            factories.declared_scorer(assessment, staff=self.staff, scorer=self.expert)
            points = OTHERS[assessment.station.name]
            factories.score_station(assessment, self.expert, dict.fromkeys(cycle.years, points))

    def assessor_scores(self):
        page = self.page
        assessment = Assessment.objects.get(cycle=self.cycle, station=self.station)
        log_in(page, self.assessor.username)
        navbar(page).get_by_role("link", name=tr("My assessment sheets")).click()
        page.get_by_role("link", name=STATION).first.click()
        page.locator("input[name=declare]").check()
        button(page, "Declare and score").click()
        expect(status_message(page, tr("Declaration recorded."))).to_be_visible()
        # Only 2027 counts (certified in August 2026: four months of 2026).
        expect(page.locator("#score-year-2027")).to_be_visible()
        expect(page.locator("#score-year-2026")).to_have_count(0)
        for item in self.cycle.rubric.items.all():
            page.locator(f"#id_y2027_item_{item.pk}_0").check()  # the best tier
            page.locator(f"#id_y2027_reason_{item.pk}").fill(SCORE_REASON)
        check_accessibility(page)
        shot(page, 13, "assessment-scoring")
        button(page, "Save and submit").click()
        expect(status_message(page, tr("Score sheets submitted."))).to_be_visible()
        # One sheet: the year that counts.
        sheets = ScoreSheet.objects.filter(scorer=self.assessor)
        assert [sheet.status for sheet in sheets] == [ScoreSheet.Status.SUBMITTED]
        assert assessment.station == self.station
        log_out(page)

    def staff_close_rank_and_start_the_publicity(self):
        page = self.page
        cycle = self.cycle
        log_in(page, self.staff.username)
        # The publicity needs the working-day calendar of 2028 (the State Council's notice).
        admin_add(
            page,
            "talentstation/calendaryear",
            {"#id_year": "2028", "#id_source": "国务院办公厅关于2028年部分节假日安排的通知"},
            checks=["#id_complete"],
        )
        page.goto(reverse("assessments:cycle_detail", args=[cycle.pk]))
        button(page, AssessmentCycle.TRANSITION_LABELS["close"]).click()
        expect(status_message(page, tr(AssessmentCycle.TRANSITION_LABELS["close"]))).to_be_visible()
        scores = dict(cycle.assessments.values_list("station__name", "score"))
        assert scores[STATION] == 100 and scores[WEAK] < 60, scores

        page.get_by_role("main").get_by_role("link", name=tr("Results"), exact=True).click()
        expect(page.get_by_role("row").filter(has_text=STATION)).to_contain_text("100")
        check_accessibility(page)
        shot(page, 14, "cycle-results")
        page.get_by_role("link", name=tr("Ranking and excellent stations")).click()
        page.get_by_role("button", name=tr("Compute the ranking")).click()
        expect(page.get_by_role("cell", name=STATION)).to_be_visible()
        labelled(page, ProposeForm, "reason", "propose").fill("按考核得分排序，无同分。")
        page.get_by_role("button", name=tr("Propose the ranking")).click()
        labelled(page, ApproveForm, "meeting_date", "approve").fill("2028-03-01")
        labelled(page, ApproveForm, "meeting_reference", "approve").fill(
            "2028年第1次区人才工作领导小组联席会议"
        )
        page.get_by_role("button", name=tr("Record the approval")).click()
        page.locator("#id_publicity-contact").fill(CONTACT)
        check_accessibility(page)
        shot(page, 15, "ranking")
        page.get_by_role("button", name=tr("Prepare the publicity")).click()
        expect(page.get_by_role("button", name=tr("Prepare the publicity"))).to_have_count(0)
        ranking = Ranking.objects.get(cycle=cycle)
        assert ranking.status == Ranking.Status.APPROVED
        ranks = dict(ranking.entries.values_list("station__name", "rank"))
        assert ranks[STATION] == 1 and sorted(r for r in ranks.values() if r) == [1, 2, 3]
        assert ranks[WEAK] is None
        self.ranking = ranking
        self.ranking_publicity = Publicity.objects.exclude(pk=self.publicity.pk).get()
        expect_admin_success(
            run_admin_action(
                page,
                reverse("admin:talentstation_publicity_changelist"),
                [self.ranking_publicity],
                "form_action_start_publicity",
                {"#id_start_date": "2028-03-01"},
            )
        )
        self.ranking_publicity.refresh_from_db()
        assert self.ranking_publicity.last_day == datetime.date(2028, 3, 7)
        page.goto("/")
        log_out(page)

    def staff_publish_the_ranking_pay_and_order_rectification(self):
        page = self.page
        log_in(page, self.staff.username)
        expect_admin_success(
            run_admin_action(
                page,
                reverse("admin:talentstation_publicity_changelist"),
                [self.ranking_publicity],
                "form_action_publish",
                {"#id_notice_number": "榕高新区人社〔2028〕3号", "#id_notice_date": "2028-03-08"},
            )
        )
        self.ranking.refresh_from_db()
        assert self.ranking.status == Ranking.Status.PUBLISHED

        # The award of rank 1 is paid.
        page.goto("/")
        navbar(page).get_by_role("link", name=tr("Outcomes")).click()
        check_accessibility(page)
        shot(page, 16, "outcomes-hub")
        page.goto(reverse("awards:award_list"))
        award = Award.objects.get(station=self.station)
        page.locator(f"a[href='{reverse('awards:award_pay', args=[award.pk])}']").click()
        expect(field(page, PayForm, "payee_name")).to_have_value(UNIT)
        field(page, PayForm, "voucher_reference").fill("榕高新财拨〔2028〕018号")
        page.set_input_files("#id_voucher_file", str(self.files["拨付凭证.pdf"]))
        check_accessibility(page)
        page.get_by_role("button", name=tr("Record the payment")).click()
        expect(page.locator("#id_voucher_reference")).to_have_count(0)
        award.refresh_from_db()
        assert award.status == Award.Status.PAID and award.amount_paid == award.amount_due

        # The station under 60: its draft order from the cycle, then the notice.
        navbar(page).get_by_role("link", name=tr("Outcomes")).click()
        page.get_by_role("button", name=tr("Draft their orders")).click()
        page.get_by_role("link", name=WEAK).first.click()
        order = RectificationOrder.objects.get()
        assert order.station == self.others[WEAK]
        expect(heading(page)).to_contain_text(WEAK)
        button(page, "Issue the notice").click()
        expect(
            status_message(
                page, tr("The rectification notice is issued; the station is under rectification.")
            )
        ).to_be_visible()
        check_accessibility(page)
        shot(page, 17, "rectification")
        order.refresh_from_db()
        assert order.status == RectificationOrder.Status.ISSUED
        page.goto("/")
        log_out(page)

    def official_downloads_annex3(self):
        page = self.page
        log_in(page, self.official.username)
        navbar(page).get_by_role("link", name=tr("Outcomes")).click()
        page.get_by_role(
            "link", name=tr("Annex 3 lists of applicants and certified stations")
        ).click()
        check_accessibility(page)
        shot(page, 18, "annex3-lists")
        section = page.get_by_role("region", name=tr("Certified stations"))
        with page.expect_download() as download:
            section.get_by_role("button", name=tr("Download (xlsx)")).click()
        assert download.value.suggested_filename.endswith(".xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
        assert sheet["A1"].value == "人才驿站推荐汇总表"
        rows = {row[1]: row for row in sheet.iter_rows(values_only=True) if row[1]}
        # The station, its two accepted activities of 2027 and its result in the reason.
        assert STATION in rows, list(rows)
        assert "2027年开展活动2场" in rows[STATION][3], rows[STATION]
        assert "考核得分100分，排名第1" in rows[STATION][4], rows[STATION]
        assert WEAK in rows
        with page.expect_download(timeout=PDF_TIMEOUT) as download:
            section.get_by_role("button", name=tr("Download (PDF)")).click(timeout=PDF_TIMEOUT)
        assert download.value.suggested_filename.endswith(".pdf")
        text = pdf_text(download.value.path())
        assert STATION in text and WEAK in text, text
