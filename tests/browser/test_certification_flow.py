"""Certification in the browser (Art. 10): the formal check, the expert panel, the leadership
decision, publicity with an objection, publication, the directory, the certificate and the page
its QR code leads to.

The steps before (a unit registering and submitting) are set up with factories: they have their
own browser test. The clock of the test and of the live server's thread is moved with
time_machine (they share the process clock); a jump of days ends the 8-hour sessions, so staff
log in again after one. Admin pages are Django's own and are not checked with axe.
"""

import datetime
import io
import re
from pathlib import Path

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats, translation
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from stations import publication
from stations.documents import verification_url
from stations.models import Application, HostUnit, LeadershipMeeting, Station, StationType
from talentstation import publicity as publicity_service
from talentstation.models import Objection, Publicity
from talentstation.models.scoring import ScoreItem, ScoreSheet, ScoreSheetTemplate
from talentstation.roles import Role
from talentstation.scoring import aggregate
from talentstation.workflow import perform
from tests import factories
from tests.conftest import seed_shipped_score_sheets
from tests.factories import TINY_PDF

from .conftest import check_accessibility, screenshot_phone
from .test_registration_flow import UI_LANGUAGE, expect_field_error, log_in, navbar, tr

REVIEW = ScoreSheetTemplate.Purpose.APPLICATION_REVIEW
NOTICE_NUMBER = "榕高新区人社〔2026〕8号"
PUBLICITY_TITLE = "2026年度福州高新区人才驿站拟认定名单公示"
PUBLICITY_CONTACT = "联系电话：0591-00000000；地址：福州高新区人社局"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


class Clock:
    """The process clock (test thread and live server thread): travel, and travel on."""

    def __init__(self):
        self._traveller = None

    def travel(self, when):
        self.stop()
        self._traveller = time_machine.travel(when, tick=True)
        self._traveller.start()

    def stop(self):
        if self._traveller is not None:
            self._traveller.stop()
            self._traveller = None


@pytest.fixture
def clock():
    clock = Clock()
    yield clock
    clock.stop()


def ensure_score_sheets():
    """The seeded score sheets (data migrations) are gone once an earlier transactional test
    has flushed the database: seed them again, with the migrations' own code and models."""
    seed_shipped_score_sheets()
    assert ScoreSheetTemplate.active_for(REVIEW) is not None


def text(msgid, **values):
    """A msgid with %-placeholders as the portal shows it."""
    with translation.override(UI_LANGUAGE):
        message = translation.gettext(msgid)
        return message % values if values else message


def number(value):
    """A number as the templates render it (localized)."""
    with translation.override(UI_LANGUAGE):
        return formats.localize(value)


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def status_message(page: Page, message):
    return page.get_by_role("status").filter(has_text=message)


def button(page: Page, label):
    return page.get_by_role("main").get_by_role("button", name=tr(label), exact=True)


def log_out(page: Page):
    page.locator("#account-menu").click()  # the account menu holds "log out"
    navbar(page).get_by_role("button", name=tr("Log out")).click()
    expect(navbar(page).get_by_role("link", name=tr("Log in"))).to_be_visible()


def period_text(publicity):
    with translation.override(UI_LANGUAGE):
        month_day = translation.pgettext("month and day", "n/j")
        return translation.gettext(
            "Publicity period: %(start)s to %(end)s (%(days)s working days)"
        ) % {
            "start": formats.date_format(publicity.first_day, month_day),
            "end": formats.date_format(publicity.last_day, month_day),
            "days": publicity.working_days,
        }


def run_admin_action(page: Page, changelist, objects, action, fields=None):
    """Select ``objects`` on an admin changelist and run ``action`` (its function name); on the
    intermediate page fill ``fields`` ({selector: value}) and confirm. Returns the messages."""
    page.goto(changelist)
    for obj in objects:
        page.locator(f"input[name=_selected_action][value='{obj.pk}']").check()
    page.locator("select[name=action]").select_option(action)
    page.locator("button[name=index]").click()
    if fields is not None:
        expect(page.locator("#content form input[name=confirm]")).to_have_count(1)
        for selector, value in fields.items():
            page.locator(selector).fill(value)
        page.locator("#content form input[type=submit]").click()
    return page.locator("ul.messagelist")


def expect_admin_success(messages):
    expect(messages.locator("li.success")).to_have_count(1)
    expect(messages.locator("li.error")).to_have_count(0)


def approved_application(staff_user, **kwargs):
    """An application approved by the leadership group (its earlier steps through the
    services; the review is skipped by setting the state, as tests/test_publicity.py does)."""
    application = factories.ApplicationFactory(**kwargs)
    applicant = factories.applicant_user(application.host_unit)
    perform(application, "submit", by=applicant)
    perform(application.host_unit, "verify", by=staff_user)
    perform(application, "accept", by=staff_user)
    Application.objects.filter(pk=application.pk).update(status="shortlisted")
    application.refresh_from_db()
    meeting = LeadershipMeeting.objects.create(date=datetime.date(2026, 9, 20), reference="R")
    perform(application, "approve", by=staff_user, meeting=meeting)
    return application


# ---------------------------------------------------------------------------------------------
# 1. Staff take an application through the whole certification
# ---------------------------------------------------------------------------------------------


def test_certification_from_formal_check_to_certificate(page: Page, clock, staff_user):
    # Monday 3 August 2026, inside the 2026 call; the publicity runs 3–7 August.
    clock.travel("2026-08-03 09:30 +0800")
    today = datetime.date(2026, 8, 3)
    ensure_score_sheets()
    template = ScoreSheetTemplate.active_for(REVIEW)
    application = factories.ApplicationFactory(
        host_unit__name="福州光电科技有限公司", station__name="高新区光电产业人才驿站"
    )
    applicant = factories.applicant_user(application.host_unit)
    perform(application, "submit", by=applicant)
    assert not application.host_unit.is_verified
    expert = factories.UserFactory(role=Role.EXPERT, full_name="陈教授")
    meeting = LeadershipMeeting.objects.create(
        date=today, reference="2026年第3次区人才工作领导小组联席会议"
    )

    # --- staff: the formal check and the panel ---------------------------------------------
    page.goto("/accounts/login/")
    check_accessibility(page)
    log_in(page, staff_user.username)
    expect(page).to_have_url(re.compile(r"/staff/todo/$"))
    check_accessibility(page)

    navbar(page).get_by_role("link", name=tr("Applications"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/applications/$"))
    expect(heading(page)).to_have_text(tr("Applications"))
    check_accessibility(page)
    screenshot_phone(page, "certification-staff-applications")
    page.get_by_role("link", name=application.number, exact=True).click()

    review_url = reverse("stations:staff_application", args=[application.pk])
    expect(page).to_have_url(re.compile(rf"{re.escape(review_url)}$"))
    expect(heading(page)).to_contain_text(application.number)
    check_accessibility(page)

    button(page, HostUnit.TRANSITION_LABELS["verify"]).click()
    expect(status_message(page, tr(HostUnit.TRANSITION_LABELS["verify"]))).to_be_visible()
    application.host_unit.refresh_from_db()
    assert application.host_unit.is_verified

    button(page, Application.TRANSITION_LABELS["accept"]).click()
    expect(status_message(page, tr(Application.TRANSITION_LABELS["accept"]))).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(tr(Application.Status.ACCEPTED.label))
    check_accessibility(page)

    page.locator("#id_expert").select_option(str(expert.pk))
    page.locator("#id_due_date").fill("2026-08-20")
    button(page, "Assign").click()
    expect(status_message(page, tr("Expert assigned."))).to_be_visible()
    panel = page.get_by_role("region", name=tr("Expert panel"))
    expect(panel.get_by_role("cell", name=str(expert), exact=True)).to_be_visible()
    check_accessibility(page)
    screenshot_phone(page, "certification-staff-panel")
    log_out(page)

    # --- the expert: declaration, visit, score sheet ---------------------------------------
    log_in(page, expert.email)
    expect(page).to_have_url(re.compile(r"/expert/$"))
    expect(heading(page)).to_have_text(tr("My reviews"))
    expect(page.get_by_role("row").filter(has_text=application.number)).to_contain_text(
        tr("declaration needed")
    )
    check_accessibility(page)
    page.get_by_role("link", name=application.number, exact=True).click()

    expect(heading(page)).to_have_text(tr("Declaration of no conflict of interest"))
    check_accessibility(page)
    page.get_by_label(
        tr("I declare that I have no conflict of interest with this application.")
    ).check()
    button(page, "Declare and open the application").click()
    expect(status_message(page, tr("Declaration recorded."))).to_be_visible()
    expect(heading(page)).to_have_text(
        text("Review of application %(number)s", number=application.number)
    )
    check_accessibility(page)

    page.locator("#id_visit-visit_date").fill(today.isoformat())
    page.locator("#id_visit-visit_notes").fill("场地整洁，政策宣传专区和多媒体设备齐全。")
    button(page, "Save the visit").click()
    expect(status_message(page, tr("On-site visit recorded."))).to_be_visible()
    expect(page.locator("#id_visit-visit_date")).to_have_value(today.isoformat())

    items = list(template.items.prefetch_related("tiers"))
    assert items
    for item in items:
        if item.kind == ScoreItem.Kind.TIERS:
            best = page.locator(f"#id_item_{item.pk}_0")  # tiers are listed best first
            best.check()
            expect(best).to_be_checked()
        else:
            page.locator(f"#id_item_{item.pk}").fill(str(item.max_points))
    check_accessibility(page)
    screenshot_phone(page, "certification-expert-score-sheet")
    button(page, "Submit the score sheet").click()
    expect(status_message(page, tr("Score sheet submitted."))).to_be_visible()
    sheet = ScoreSheet.objects.get(scorer=expert)
    assert sheet.status == ScoreSheet.Status.SUBMITTED
    assert sheet.total == template.max_total() == 100
    expect(
        status_message(page, text("Submitted. Total: %(total)s.", total=number(sheet.total)))
    ).to_be_visible()
    expect(page.locator("#score-total")).to_have_text(number(100))
    check_accessibility(page)

    page.goto(reverse("stations:expert_assignments"))
    expect(page.get_by_role("row").filter(has_text=application.number)).to_contain_text(
        tr("score sheet submitted")
    )
    log_out(page)

    # --- staff: scores, shortlist, the leadership group's decision -----------------------
    log_in(page, staff_user.username)
    page.goto(review_url)
    summary = aggregate(application)
    scores = page.get_by_role("region", name=tr("Scores"))
    expect(scores).to_contain_text(
        text(
            "Mean %(mean)s, median %(median)s, spread %(spread)s (%(count)s sheets).",
            mean=number(summary.mean),
            median=number(summary.median),
            spread=number(summary.spread),
            count=summary.submitted,
        )
    )
    check_accessibility(page)

    button(page, Application.TRANSITION_LABELS["shortlist"]).click()
    expect(status_message(page, tr(Application.TRANSITION_LABELS["shortlist"]))).to_be_visible()
    decision = page.get_by_role("region", name=tr("Leadership group decision"))
    expect(decision).to_be_visible()
    check_accessibility(page)
    screenshot_phone(page, "certification-staff-decision")

    page.locator("#id_decision-meeting").select_option(str(meeting.pk))
    decision.get_by_label(tr("approved"), exact=True).check()
    expect(page.locator("#id_decision-approved_0")).to_be_checked()
    page.locator("#id_decision-office_opinion").fill("经审核，同意认定。")
    page.locator("#id_decision-office_opinion_date").fill(today.isoformat())
    button(page, "Record the decision").click()
    recorded = tr("The leadership group's decision is recorded.")
    expect(status_message(page, recorded)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(tr(Application.Status.APPROVED.label))
    check_accessibility(page)
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.decision_meeting == meeting
    assert application.office_opinion == "经审核，同意认定。"
    assert application.office_opinion_date == today

    # --- staff: the publicity, started from the Application changelist -------------------
    messages = run_admin_action(
        page,
        reverse("admin:stations_application_changelist"),
        [application],
        "form_action_put_under_publicity",
        {
            "#id_title": PUBLICITY_TITLE,
            "#id_contact": PUBLICITY_CONTACT,
            "#id_start_date": today.isoformat(),
        },
    )
    expect_admin_success(messages)
    publicity = Publicity.objects.get()
    assert publicity.status == Publicity.Status.RUNNING
    assert (publicity.first_day, publicity.last_day) == (today, datetime.date(2026, 8, 7))
    application.refresh_from_db()
    assert application.status == Application.Status.IN_PUBLICITY
    page.goto("/")
    log_out(page)

    # --- the public: the list under publicity --------------------------------------------
    navbar(page).get_by_role("link", name=tr("Publicity"), exact=True).click()
    expect(heading(page)).to_have_text(tr("Publicity"))
    check_accessibility(page)
    page.get_by_role("link", name=PUBLICITY_TITLE).click()
    expect(page).to_have_url(re.compile(rf"/publicity/{publicity.pk}/$"))
    expect(heading(page)).to_have_text(PUBLICITY_TITLE)
    period = period_text(publicity)
    assert period == "公示时间：8月3日至8月7日（5个工作日）"
    expect(page.locator("main .lead")).to_have_text(period)
    listed = page.get_by_role("table", name=tr("The list"))
    expect(listed).to_contain_text(application.station_name)
    expect(listed).to_contain_text(application.host_unit.name)
    expect(page.get_by_role("region", name=tr("Object online"))).to_be_visible()
    check_accessibility(page)
    screenshot_phone(page, "certification-publicity")

    # --- after the period: publication (admin), certification ----------------------------
    clock.travel("2026-08-10 09:30 +0800")
    log_in(page, staff_user.username)
    expect(page).to_have_url(re.compile(r"/staff/todo/$"))
    messages = run_admin_action(
        page,
        reverse("admin:talentstation_publicity_changelist"),
        [publicity],
        "form_action_publish",
        {"#id_notice_number": NOTICE_NUMBER, "#id_notice_date": "2026-08-10"},
    )
    expect_admin_success(messages)
    publicity.refresh_from_db()
    assert publicity.status == Publicity.Status.CONCLUDED
    station = Station.objects.get(pk=application.station_id)
    assert station.status == Station.Status.CERTIFIED
    assert station.certified_on == datetime.date(2026, 8, 10)
    assert station.plaque_number == "榕高新人才驿站〔2026〕001号"
    page.goto("/")
    log_out(page)

    # --- the unit: its station's page and the certificate ---------------------------------
    log_in(page, applicant.username)
    expect(page).to_have_url(re.compile(rf"/units/{station.host_unit_id}/$"))
    page.get_by_role("main").get_by_role("link", name=station.name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/stations/{station.pk}/$"))
    expect(heading(page)).to_have_text(station.name)
    expect(page.get_by_role("main")).to_contain_text(tr(Station.Status.CERTIFIED.label))
    expect(page.get_by_role("main")).to_contain_text("2026-08-10")
    check_accessibility(page)
    screenshot_phone(page, "certification-station")
    expect(page.get_by_role("main")).to_contain_text(station.plaque_number)
    with page.expect_download() as download_info:
        page.get_by_role("link", name=tr("Download the certificate (PDF)")).click()
    certificate = Path(download_info.value.path()).read_bytes()
    assert certificate[:5] == b"%PDF-"
    certificate_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(certificate)).pages)
    assert station.name in certificate_text, certificate_text
    assert station.plaque_number in certificate_text, certificate_text
    log_out(page)

    # --- the public: the directory and the plaque's verification page ----------------------
    navbar(page).get_by_role("link", name=tr("Directory"), exact=True).click()
    expect(heading(page)).to_have_text(tr("Directory of talent stations"))
    row = page.get_by_role("row").filter(has_text=station.name)
    expect(row).to_contain_text(station.plaque_number)
    expect(row).to_contain_text(station.host_unit.name)
    check_accessibility(page)
    screenshot_phone(page, "certification-directory")
    row.get_by_role("link", name=station.name).click()
    expect(heading(page)).to_have_text(station.name)
    expect(page.get_by_role("main")).to_contain_text(station.plaque_number)
    check_accessibility(page)

    verify = reverse("stations:verify_plaque", args=[station.plaque_number])
    assert verification_url(station).endswith(verify)  # where the certificate's QR code leads
    response = page.goto(verify)
    assert response.status == 200
    expect(page.get_by_role("status")).to_have_text(
        text("Plaque %(number)s is genuine and valid.", number=station.plaque_number)
    )
    expect(page.get_by_role("main")).to_contain_text(station.name)
    check_accessibility(page)
    screenshot_phone(page, "certification-verify")


# ---------------------------------------------------------------------------------------------
# 2. The public objects; staff dismiss the objection in admin; then publication works
# ---------------------------------------------------------------------------------------------


def test_public_objection_then_dismissal_then_publication(page: Page, clock, staff_user, tmp_path):
    # Tuesday 29 September 2026: the publicity started on the 28th runs until 9 October
    # (National Day holidays in between).
    clock.travel("2026-09-29 10:00 +0800")
    applications = [
        approved_application(staff_user, station__name=name)
        for name in ("高新区软件人才驿站", "高新区生物医药人才驿站")
    ]
    publicity = publication.publicity_for(
        applications,
        by=staff_user,
        title=PUBLICITY_TITLE,
        basis="根据《福州高新区人才驿站管理办法（试行）》第十条，经专家评审和领导小组审议，"
        "拟认定以下单位为人才驿站，现予公示。",
        contact=PUBLICITY_CONTACT,
    )
    publicity_service.start(publicity, by=staff_user, start_date=datetime.date(2026, 9, 28))
    assert publicity.last_day == datetime.date(2026, 10, 9)
    evidence = tmp_path / "证明材料.pdf"
    evidence.write_bytes(TINY_PDF)
    objector, objector_contact = "王某某", "13811112222"

    # --- an anonymous visitor objects --------------------------------------------------------
    page.goto(reverse("publicity_detail", args=[publicity.pk]))
    expect(heading(page)).to_have_text(PUBLICITY_TITLE)
    expect(page.locator("main .lead")).to_have_text(period_text(publicity))
    form = page.get_by_role("region", name=tr("Object online"))
    expect(form).to_be_visible()
    check_accessibility(page)

    form.get_by_role("button", name=tr("Send the objection")).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    for name in ("name", "contact", "reason"):
        expect_field_error(page, name)
        # each error in the summary links to its field
        expect(summary.locator(f"a[href='#id_{name}']")).to_have_count(1)
    expect(summary.get_by_role("listitem")).to_have_count(3)
    check_accessibility(page)
    screenshot_phone(page, "publicity-objection-errors")
    assert not Objection.objects.exists()

    second = publicity.items.get(object_id=applications[1].pk)
    page.locator("#id_item").select_option(str(second.pk))
    page.locator("#id_name").fill(objector)
    page.locator("#id_organisation").fill("某科技公司")
    page.locator("#id_contact").fill(objector_contact)
    page.locator("#id_reason").fill("该驿站实际场地面积与申报材料不符。")
    page.locator("#id_evidence").set_input_files(evidence)
    form.get_by_role("button", name=tr("Send the objection")).click()

    expect(page).to_have_url(re.compile(rf"/publicity/{publicity.pk}/$"))
    expect(
        status_message(
            page,
            tr(
                "Your objection has been received. Bureau staff will investigate it and "
                "contact you."
            ),
        )
    ).to_be_visible()
    main = page.get_by_role("main")
    expect(main).not_to_contain_text(objector)
    expect(main).not_to_contain_text(objector_contact)
    expect(page.locator("#error-summary")).to_have_count(0)
    check_accessibility(page)
    screenshot_phone(page, "publicity-objection-sent")
    objection = Objection.objects.get()
    assert (objection.name, objection.contact, objection.item) == (
        objector,
        objector_contact,
        second,
    )
    assert (objection.channel, objection.status) == ("online", "open")
    assert objection.evidence.read() == TINY_PDF

    # a reload: still nothing about the objector
    page.reload()
    expect(page.get_by_role("main")).not_to_contain_text(objector)

    # --- after the period: publication waits for the objection --------------------------
    clock.travel("2026-10-12 09:00 +0800")
    log_in(page, staff_user.username)
    expect(page).to_have_url(re.compile(r"/staff/todo/$"))
    publish_fields = {"#id_notice_number": NOTICE_NUMBER, "#id_notice_date": "2026-10-12"}
    messages = run_admin_action(
        page,
        reverse("admin:talentstation_publicity_changelist"),
        [publicity],
        "form_action_publish",
        publish_fields,
    )
    expect(messages.locator("li.error")).to_have_count(1)
    publicity.refresh_from_db()
    assert publicity.status == Publicity.Status.RUNNING

    # --- staff see the objection in admin and dismiss it with a reason ----------------------
    page.goto(reverse("admin:talentstation_objection_changelist"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(second.name)
    expect(rows.first).to_contain_text(tr(Objection.Status.OPEN.label))
    messages = run_admin_action(
        page,
        reverse("admin:talentstation_objection_changelist"),
        [objection],
        "transition_dismiss",
        {"#id_reason": "经核查，场地面积与申报一致，异议不成立。"},
    )
    expect_admin_success(messages)
    objection.refresh_from_db()
    assert objection.status == Objection.Status.DISMISSED
    assert objection.resolution == "经核查，场地面积与申报一致，异议不成立。"

    # --- now publication works -------------------------------------------------------------
    messages = run_admin_action(
        page,
        reverse("admin:talentstation_publicity_changelist"),
        [publicity],
        "form_action_publish",
        publish_fields,
    )
    expect_admin_success(messages)
    publicity.refresh_from_db()
    assert publicity.status == Publicity.Status.CONCLUDED
    assert sorted(
        Station.objects.filter(status=Station.Status.CERTIFIED).values_list(
            "plaque_number", flat=True
        )
    ) == ["榕高新人才驿站〔2026〕001号", "榕高新人才驿站〔2026〕002号"]

    # the public page says it is published, takes no more objections, names no objector
    page.goto(reverse("publicity_detail", args=[publicity.pk]))
    main = page.get_by_role("main")
    expect(main).to_contain_text(text("Published by notice %(number)s", number=NOTICE_NUMBER))
    expect(page.get_by_role("region", name=tr("Object online"))).to_have_count(0)
    expect(main).not_to_contain_text(objector)
    check_accessibility(page)


# ---------------------------------------------------------------------------------------------
# 3. The page the certificate's QR code leads to
# ---------------------------------------------------------------------------------------------


def test_plaque_verification_page(page: Page, unit):
    valid = Station(
        name="高新区软件人才驿站",
        station_type=StationType.SERVICE,
        host_unit=unit,
        status="certified",
        plaque_number="榕高新人才驿站〔2025〕001号",
        certified_on=datetime.date(2025, 10, 10),
    )
    valid.save()
    revoked = Station(
        name="高新区旧城人才驿站",
        station_type=StationType.INDUSTRY,
        host_unit=unit,
        status="revoked",
        plaque_number="榕高新人才驿站〔2025〕002号",
        certified_on=datetime.date(2025, 10, 10),
    )
    revoked.save()

    response = page.goto(reverse("stations:verify_plaque", args=[valid.plaque_number]))
    assert response.status == 200
    expect(heading(page)).to_have_text(tr("Verify a plaque"))
    expect(page.get_by_role("status")).to_have_text(
        text("Plaque %(number)s is genuine and valid.", number=valid.plaque_number)
    )
    facts = page.locator("main dl")
    expect(facts).to_contain_text(valid.name)
    expect(facts).to_contain_text(unit.name)
    expect(facts).to_contain_text(tr(StationType.SERVICE.label))
    expect(facts).to_contain_text("2025-10-10")
    check_accessibility(page)
    screenshot_phone(page, "verify-valid")

    response = page.goto(reverse("stations:verify_plaque", args=[revoked.plaque_number]))
    assert response.status == 200
    expect(page.get_by_role("alert")).to_have_text(
        text(
            "Plaque %(number)s was issued but is no longer valid: %(status)s.",
            number=revoked.plaque_number,
            status=tr(Station.Status.REVOKED.label),
        )
    )
    expect(page.get_by_role("status")).to_have_count(0)
    expect(page.locator("main dl")).to_contain_text(revoked.name)
    check_accessibility(page)
    screenshot_phone(page, "verify-revoked")

    unknown = "榕高新人才驿站〔2025〕999号"
    response = page.goto(reverse("stations:verify_plaque", args=[unknown]))
    assert response.status == 404
    expect(heading(page)).to_have_text(tr("Verify a plaque"))
    expect(page.get_by_role("alert")).to_have_text(
        text("No plaque with the number %(number)s was issued by the portal.", number=unknown)
    )
    expect(page.locator("main dl")).to_have_count(0)
    check_accessibility(page)
    screenshot_phone(page, "verify-unknown")


# ---------------------------------------------------------------------------------------------
# 4. The staff page's action sections when a unit and its application share a primary key
# ---------------------------------------------------------------------------------------------


def test_staff_application_page_ids_are_unique(page: Page, clock, staff_user):
    # templates/_transitions.html names its section "actions-<pk>" for the unit and for the
    # application alike; with equal primary keys (unit 1 and application 1 in a new database)
    # the page has the id twice and both aria-labelledby point at the first heading.
    clock.travel("2026-08-03 09:30 +0800")
    unit = factories.HostUnitFactory()
    application = factories.ApplicationFactory(host_unit=unit, pk=unit.pk)
    perform(application, "submit", by=factories.applicant_user(unit))

    log_in(page, staff_user.username)
    expect(page).to_have_url(re.compile(r"/staff/todo/$"))
    page.goto(reverse("stations:staff_application", args=[application.pk]))
    expect(heading(page)).to_contain_text(application.number)
    for label in (HostUnit.TRANSITION_LABELS["verify"], Application.TRANSITION_LABELS["reject"]):
        expect(button(page, label)).to_be_visible()
    check_accessibility(page)
    screenshot_phone(page, "certification-staff-formal-check")

    duplicates = page.evaluate(
        """() => {
            const seen = new Map();
            for (const el of document.querySelectorAll('[id]')) {
                seen.set(el.id, (seen.get(el.id) || 0) + 1);
            }
            return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
        }"""
    )
    # axe 4.11 reports duplicate-id-aria only as "needs review", so check ids directly.
    assert not duplicates, duplicates
