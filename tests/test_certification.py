"""Certification workflow (Art. 10): formal check, expert panel, leadership decision."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from stations import services
from stations.models import Application, LeadershipMeeting, Station
from talentstation import assignments
from talentstation.models import ExpertAffiliation
from talentstation.roles import Role
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

OPEN = "2026-08-01 10:00 +0800"


@pytest.fixture
def submitted(db):
    application = factories.ApplicationFactory()
    applicant = factories.applicant_user(application.host_unit)
    with time_machine.travel(OPEN):
        perform(application, "submit", by=applicant)
    return application


@pytest.fixture
def expert(db):
    return factories.UserFactory(role=Role.EXPERT, full_name="陈教授")


def accepted(application, staff_user):
    if not application.host_unit.is_verified:
        perform(application.host_unit, "verify", by=staff_user)
    perform(application, "accept", by=staff_user)
    return application


def test_formal_check_needs_a_verified_unit(submitted, staff_user):
    with pytest.raises(Refused, match="营业执照|licence"):
        perform(submitted, "accept", by=staff_user)
    perform(submitted.host_unit, "verify", by=staff_user)
    submitted.host_unit.refresh_from_db()
    perform(submitted, "accept", by=staff_user)
    assert submitted.status == Application.Status.ACCEPTED


def test_rejection_needs_a_reason_and_frees_the_station_for_a_later_call(submitted, staff_user):
    with pytest.raises(Refused):
        perform(submitted, "reject", by=staff_user)
    perform(submitted, "reject", by=staff_user, reason="不符合第七条条件")
    submitted.station.refresh_from_db()
    assert submitted.status == Application.Status.REJECTED
    assert submitted.station.status == Station.Status.NOT_SELECTED


def test_resubmission_is_a_revision_and_staff_see_what_changed(submitted, staff_user):
    perform(submitted, "return_for_correction", by=staff_user, reason="补充场地面积")
    submitted.area_m2 = 320
    submitted.activities = "新增两场活动"
    submitted.save()
    applicant = factories.applicant_user(submitted.host_unit, is_admin=False)
    perform(submitted, "resubmit", by=applicant)
    changes = {
        str(label): (before, after) for label, before, after in services.revision_changes(submitted)
    }
    assert changes["场地面积（m²）"] == ("260.00", "320.00")
    assert "活动开展情况及效果" in changes and len(changes) == 2


@pytest.mark.parametrize("transition", ["shortlist", "approve", "not_select", "resubmit", "submit"])
def test_illegal_transitions_from_submitted_are_refused(submitted, staff_user, transition):
    with pytest.raises(Refused):
        perform(submitted, transition, by=staff_user, reason="x")


def test_illegal_transitions_by_role(submitted, official_user, expert):
    applicant = factories.applicant_user(submitted.host_unit)
    for user in (official_user, expert, applicant):
        for name in ("accept", "reject", "return_for_correction"):
            with pytest.raises(Refused):
                perform(submitted, name, by=user, reason="x")


def test_affiliated_expert_cannot_be_assigned(submitted, staff_user, expert):
    application = accepted(submitted, staff_user)
    ExpertAffiliation.objects.create(
        expert=expert, organisation="某单位", credit_code=application.host_unit.credit_code
    )
    with pytest.raises(assignments.Refused, match="某单位"):
        assignments.assign_scorer(application, expert, by=staff_user)


def test_expert_affiliated_with_host_institution_cannot_be_assigned(db, staff_user, expert):
    host = factories.valid_code(777)
    application = factories.ApplicationFactory(
        relies_on_host=True, host_institution_name="依托机构", host_institution_credit_code=host
    )
    applicant = factories.applicant_user(application.host_unit)
    with time_machine.travel(OPEN):
        perform(application, "submit", by=applicant)
    accepted(application, staff_user)
    ExpertAffiliation.objects.create(expert=expert, organisation="依托机构", credit_code=host)
    with pytest.raises(assignments.Refused):
        assignments.assign_scorer(application, expert, by=staff_user)


def test_only_experts_on_accepted_applications(submitted, staff_user, official_user, expert):
    with pytest.raises(assignments.Refused):
        assignments.assign_scorer(submitted, expert, by=staff_user)  # not accepted yet
    accepted(submitted, staff_user)
    with pytest.raises(assignments.Refused):
        assignments.assign_scorer(submitted, official_user, by=staff_user)  # not an expert
    with pytest.raises(assignments.Refused):
        assignments.assign_scorer(submitted, expert, by=official_user)  # not staff
    assignments.assign_scorer(submitted, expert, by=staff_user)
    with pytest.raises(assignments.Refused):
        assignments.assign_scorer(submitted, expert, by=staff_user)  # twice


def test_expert_opens_the_application_only_after_declaring(client, submitted, staff_user, expert):
    application = accepted(submitted, staff_user)
    other = factories.ApplicationFactory()
    assignment = assignments.assign_scorer(application, expert, by=staff_user)
    client.force_login(expert)
    url = reverse("stations:application_detail", args=[application.pk])
    response = client.get(url)
    assert response.status_code == 403  # he is assigned: told to declare first
    assert "声明" in response.content.decode()
    assignments.declare_no_conflict(assignment, by=expert)
    assert client.get(url).status_code == 200
    assert client.get(reverse("stations:application_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("stations:application_pdf", args=[application.pk])).status_code == 200
    # but experts never edit, and never see the unit's licence
    assert (
        client.get(reverse("stations:licence", args=[application.host_unit.pk])).status_code == 404
    )


def test_declaration_refused_when_affiliated_after_assignment(submitted, staff_user, expert):
    application = accepted(submitted, staff_user)
    assignment = assignments.assign_scorer(application, expert, by=staff_user)
    ExpertAffiliation.objects.create(
        expert=expert, organisation="新任职单位", credit_code=application.host_unit.credit_code
    )
    with pytest.raises(assignments.Refused):
        assignments.declare_no_conflict(assignment, by=expert)


def test_leadership_decision_needs_a_meeting(submitted, staff_user):
    accepted(submitted, staff_user)
    # skip the review: staff may shortlist only with complete reviews, so force the state
    Application.objects.filter(pk=submitted.pk).update(status="shortlisted")
    submitted.refresh_from_db()
    with pytest.raises(Refused):
        perform(submitted, "approve", by=staff_user)
    meeting = LeadershipMeeting.objects.create(
        date=datetime.date(2026, 9, 20), reference="2026年第3次联席会议"
    )
    services.record_leadership_decision(
        submitted,
        by=staff_user,
        meeting=meeting,
        approved=True,
        office_opinion="同意推荐",
        office_opinion_date=datetime.date(2026, 9, 21),
    )
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.APPROVED
    assert submitted.decision_meeting == meeting
    assert submitted.office_opinion == "同意推荐"


def test_not_approved_gives_the_unit_a_reason(client, submitted, staff_user):
    accepted(submitted, staff_user)
    Application.objects.filter(pk=submitted.pk).update(status="shortlisted")
    submitted.refresh_from_db()
    meeting = LeadershipMeeting.objects.create(date=datetime.date(2026, 9, 20), reference="R1")
    services.record_leadership_decision(
        submitted, by=staff_user, meeting=meeting, approved=False, reason="本年度名额已满"
    )
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.NOT_SELECTED
    applicant = submitted.host_unit.members.first().user
    client.force_login(applicant)
    body = client.get(reverse("stations:application_detail", args=[submitted.pk])).content.decode()
    assert "本年度名额已满" in body


def test_staff_page_buttons_run_transitions(client, submitted, staff_user):
    perform(submitted.host_unit, "verify", by=staff_user)
    client.force_login(staff_user)
    page = reverse("stations:staff_application", args=[submitted.pk])
    url = reverse("run_transition", args=["stations.application", submitted.pk, "accept"])
    response = client.post(url, {"next": page})
    assert response.url == page
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.ACCEPTED


def test_transition_endpoint_refuses_others_and_unknown_names(client, submitted, official_user):
    client.force_login(official_user)
    url = reverse("run_transition", args=["stations.application", submitted.pk, "reject"])
    client.post(url, {"reason": "x", "next": "https://evil.example/"})
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED
    bad = reverse("run_transition", args=["stations.application", submitted.pk, "certify"])
    assert client.post(bad).status_code == 404
    bad = reverse("run_transition", args=["talentstation.user", official_user.pk, "x"])
    assert client.post(bad).status_code == 404


def score_everything(sheet, best=True):
    from talentstation.scoring import save_entries

    data = {}
    for item in sheet.template.items.prefetch_related("tiers"):
        if item.kind == "tiers":
            tiers = list(item.tiers.all())
            data[item.pk] = {"tier": (tiers[0] if best else tiers[-1]).pk}
        else:
            data[item.pk] = {"points": item.max_points if best else 0}
    return save_entries(sheet, data)


def test_experts_score_and_staff_shortlist_only_with_all_sheets(client, submitted, staff_user):
    from talentstation.models.scoring import ScoreSheetTemplate
    from talentstation.scoring import aggregate, sheet_for, submit_sheet

    application = accepted(submitted, staff_user)
    first, second = (factories.UserFactory(role=Role.EXPERT) for _ in range(2))
    template = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
    for expert in (first, second):
        factories.ready_reviewer(application, expert, staff=staff_user)
    sheet = score_everything(sheet_for(template, first, application))
    submit_sheet(sheet, first)
    assert sheet.total == 100  # computed from the tiers, never typed
    with pytest.raises(Refused, match="1"):
        perform(application, "shortlist", by=staff_user)
    other = score_everything(sheet_for(template, second, application), best=False)
    submit_sheet(other, second)
    summary = aggregate(application)
    assert (summary.submitted, summary.mean, summary.median) == (2, 50, 50)
    perform(application, "shortlist", by=staff_user)
    assert application.status == Application.Status.SHORTLISTED


def test_quorum_from_policy_settings(submitted, staff_user):
    from talentstation.models import PolicyVersion
    from talentstation.models.scoring import ScoreSheetTemplate
    from talentstation.scoring import sheet_for, submit_sheet

    policy = PolicyVersion.objects.create(
        **{**PolicyVersion.current().rule_values(), "review_quorum": 1}
    )
    submitted.call.policy_version = policy
    submitted.call.save()
    application = accepted(submitted, staff_user)
    template = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
    experts = [factories.UserFactory(role=Role.EXPERT) for _ in range(3)]
    for expert in experts:
        factories.ready_reviewer(application, expert, staff=staff_user)
    submit_sheet(score_everything(sheet_for(template, experts[0], application)), experts[0])
    perform(application, "shortlist", by=staff_user)


def test_expert_pages_declare_visit_score_submit(client, submitted, staff_user, expert):
    application = accepted(submitted, staff_user)
    assignment = assignments.assign_scorer(application, expert, by=staff_user)
    client.force_login(expert)
    assert client.get(reverse("home")).url == reverse("stations:expert_assignments")
    listing = client.get(reverse("stations:expert_assignments")).content.decode()
    assert application.number in listing
    url = reverse("stations:expert_assignment", args=[assignment.pk])
    page = client.get(url)
    assert "stations/expert/declare.html" in [t.name for t in page.templates]
    client.post(reverse("stations:expert_declare", args=[assignment.pk]), {"declare": "1"})
    assignment.refresh_from_db()
    assert assignment.declared
    page = client.get(url)
    form = page.context["sheet_form"]
    data = {}
    for item in form.items:
        if item.kind == "tiers":
            data[f"item_{item.pk}"] = item.tiers.first().pk
        else:
            data[f"item_{item.pk}"] = str(item.max_points)
    score_url = reverse("stations:expert_score", args=[assignment.pk])
    # Before the on-site visit the sheet is saved but cannot be submitted (Art. 10(2)).
    client.post(score_url, {**data, "submit": "1"})
    from talentstation.models.scoring import ScoreSheet

    assert ScoreSheet.objects.get(scorer=expert).status == "draft"
    response = client.post(
        reverse("stations:expert_visit", args=[assignment.pk]),
        {"visit-visit_date": "2026-09-01", "visit-visit_notes": "场地整洁，设施齐全"},
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.visit_date == datetime.date(2026, 9, 1)
    page = client.get(url)
    form = page.context["sheet_form"]
    assert not any("total" in name for name in form.fields)
    data["total"] = "5"  # a typed total is ignored
    client.post(score_url, {**data, "submit": "1"})
    sheet = ScoreSheet.objects.get(scorer=expert)
    assert sheet.status == "submitted" and sheet.total == 100


def test_experts_see_only_their_own_assignments(client, submitted, staff_user, expert):
    application = accepted(submitted, staff_user)
    other_expert = factories.UserFactory(role=Role.EXPERT)
    assignment = assignments.assign_scorer(application, other_expert, by=staff_user)
    client.force_login(expert)
    assert (
        client.get(reverse("stations:expert_assignment", args=[assignment.pk])).status_code == 404
    )
    client.force_login(submitted.host_unit.members.first().user)
    assert client.get(reverse("stations:expert_assignments")).status_code == 403


def test_staff_review_page_assigns_and_refuses_conflicts(client, submitted, staff_user, expert):
    application = accepted(submitted, staff_user)
    ExpertAffiliation.objects.create(
        expert=expert, organisation="关联单位", credit_code=application.host_unit.credit_code
    )
    client.force_login(staff_user)
    url = reverse("stations:staff_assign_expert", args=[application.pk])
    response = client.post(url, {"expert": expert.pk})
    assert response.status_code == 400
    assert "关联单位" in response.context["assign_form"].errors["expert"][0]
    free = factories.UserFactory(role=Role.EXPERT)
    response = client.post(url, {"expert": free.pk, "due_date": "2026-09-10"})
    assert response.status_code == 302
    assert application.review_assignments.get().scorer == free


def test_staff_review_page_for_officials_is_read_only(
    client, submitted, official_user, expert, staff_user
):
    application = accepted(submitted, staff_user)
    client.force_login(official_user)
    url = reverse("stations:staff_application", args=[application.pk])
    assert client.get(url).status_code == 200
    assign = reverse("stations:staff_assign_expert", args=[application.pk])
    assert client.post(assign, {"expert": expert.pk}).status_code == 403
    decide = reverse("stations:staff_record_decision", args=[application.pk])
    assert client.post(decide, {}).status_code == 403
    assert not application.review_assignments.exists()


def test_expert_records_his_affiliations_and_is_then_refused(client, submitted, staff_user, expert):
    client.force_login(expert)
    url = reverse("stations:expert_affiliations")
    response = client.post(url, {"organisation": "错误代码", "credit_code": "123"})
    assert "credit_code" in response.context["form"].errors
    code = submitted.host_unit.credit_code.lower()
    response = client.post(
        url, {"organisation": "申报单位", "credit_code": code, "relation": "顾问"}
    )
    assert response.status_code == 302
    assert expert.affiliations.get().credit_code == submitted.host_unit.credit_code
    application = accepted(submitted, staff_user)
    with pytest.raises(assignments.Refused):
        assignments.assign_scorer(application, expert, by=staff_user)
    other = factories.UserFactory(role=Role.EXPERT)
    client.force_login(other)
    remove = reverse("stations:expert_affiliation_remove", args=[expert.affiliations.get().pk])
    assert client.post(remove).status_code == 404
    assert expert.affiliations.exists()  # nobody removes another expert's affiliation
    client.force_login(expert)
    assert client.post(remove).status_code == 302
    assert not expert.affiliations.exists()


def test_site_visit_photos_are_uploaded_with_the_visit(client, submitted, staff_user, expert):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application = accepted(submitted, staff_user)
    assignment = assignments.assign_scorer(application, expert, by=staff_user)
    assignments.declare_no_conflict(assignment, by=expert)
    client.force_login(expert)
    url = reverse("stations:expert_visit", args=[assignment.pk])
    photos = [
        SimpleUploadedFile(f"现场{n}.png", factories.TINY_PNG, content_type="image/png")
        for n in (1, 2)
    ]
    response = client.post(
        url, {"visit-visit_date": "2026-09-01", "visit-visit_notes": "好", "visit-photos": photos}
    )
    assert response.status_code == 302
    assert sorted(assignment.photos.values_list("original_name", flat=True)) == [
        "现场1.png",
        "现场2.png",
    ]
    fake = SimpleUploadedFile("假照片.png", b"not an image", content_type="image/png")
    response = client.post(url, {"visit-visit_date": "2026-09-01", "visit-photos": [fake]})
    assert response.status_code == 400
    assert "假照片.png" in str(response.context["visit_form"].errors["photos"])
    assert assignment.photos.count() == 2
