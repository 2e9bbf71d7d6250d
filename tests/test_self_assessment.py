"""The station's self-assessment (自评): filing, submitting through the workflow, late ones,
staff returning it, and who may see it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from assessments import cycles
from assessments.models import SelfAssessment
from talentstation.models import Notification, TransitionLog
from talentstation.roles import Role
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour, 30), tzinfo=SHANGHAI)


@pytest.fixture
def staff(db):
    return factories.UserFactory(role=Role.STAFF)


@pytest.fixture
def setting(staff):
    """An open 2025–2026 cycle assessing one station of a unit with one user."""
    unit = factories.HostUnitFactory()
    member = factories.applicant_user(unit)
    station = factories.live_station(unit, certified_on=D(2024, 6, 1), staff=staff)
    cycle = factories.open_cycle(staff)
    return cycle, cycle.assessments.get(station=station), member


def _complete_post(cycle, **extra):
    data = {"summary": "两年来共举办活动十二场，服务人才三百余人次。"}
    for item in cycle.rubric.items.all():
        data[f"claim_{item.pk}"] = str(item.tiers.first().pk)
        data[f"explanation_{item.pk}"] = "见活动台账。"
    data.update(extra)
    return data


def test_station_files_and_submits(client, setting):
    cycle, assessment, member = setting
    client.force_login(member)
    url = reverse("assessments:self_assessment_edit", args=[assessment.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, _complete_post(cycle))
    assert response.status_code == 302
    draft = SelfAssessment.objects.get(assessment=assessment)
    assert draft.status == SelfAssessment.Status.DRAFT
    assert draft.claims.count() == cycle.rubric.items.count()

    response = client.post(url, _complete_post(cycle, submit="1"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SelfAssessment.Status.SUBMITTED
    assert draft.submitted_by == member
    assert TransitionLog.objects.for_object(draft).get().transition == "submit"
    assert Notification.objects.filter(recipient=member, link__contains="self-assessment").exists()
    # Submitted: read-only; the edit page sends to the detail page.
    assert client.get(url).status_code == 302


def test_submitting_incomplete_is_refused_with_the_missing_items(setting):
    cycle, assessment, member = setting
    self_assessment = cycles.self_assessment_of(assessment)
    first = cycle.rubric.items.first()
    cycles.save_self_assessment(
        self_assessment, by=member, summary="", claims={first.pk: (first.tiers.first().pk, "")}
    )
    with pytest.raises(Refused) as refusal:
        cycles.submit_self_assessment(self_assessment, by=member)
    missing = cycle.rubric.items.exclude(pk=first.pk).first()
    assert missing.title in refusal.value.message
    self_assessment.refresh_from_db()
    assert self_assessment.status == SelfAssessment.Status.DRAFT


def test_a_tier_of_another_item_is_a_form_error_not_a_500(client, setting):
    cycle, assessment, member = setting
    client.force_login(member)
    items = list(cycle.rubric.items.all())
    data = _complete_post(cycle, **{f"claim_{items[0].pk}": str(items[1].tiers.first().pk)})
    url = reverse("assessments:self_assessment_edit", args=[assessment.pk])
    assert client.post(url, data).status_code == 400
    assert client.post(url, {f"claim_{items[0].pk}": "abc"}).status_code == 400
    assert client.post(url, {"summary": "x" * 5000}).status_code == 400


def test_late_when_submitted_after_the_due_date(setting):
    cycle, assessment, member = setting
    self_assessment = cycles.self_assessment_of(assessment)
    claims = {item.pk: (item.tiers.first().pk, "") for item in cycle.rubric.items.all()}
    cycles.save_self_assessment(self_assessment, by=member, summary="总结", claims=claims)
    due = cycle.self_assessment_due
    with time_machine.travel(_at(due + datetime.timedelta(days=1), 10)):
        cycles.submit_self_assessment(self_assessment, by=member)
    self_assessment.refresh_from_db()
    assert self_assessment.is_late


def test_on_time_is_not_late(setting):
    cycle, assessment, member = setting
    self_assessment = cycles.self_assessment_of(assessment)
    claims = {item.pk: (item.tiers.first().pk, "") for item in cycle.rubric.items.all()}
    cycles.save_self_assessment(self_assessment, by=member, summary="总结", claims=claims)
    due = cycle.self_assessment_due
    with time_machine.travel(_at(due, 23)):
        cycles.submit_self_assessment(self_assessment, by=member)
    self_assessment.refresh_from_db()
    assert not self_assessment.is_late


def test_staff_return_it_with_a_reason_and_the_station_edits_again(client, setting, staff):
    cycle, assessment, member = setting
    self_assessment = cycles.self_assessment_of(assessment)
    claims = {item.pk: (item.tiers.first().pk, "") for item in cycle.rubric.items.all()}
    cycles.save_self_assessment(self_assessment, by=member, summary="总结", claims=claims)
    cycles.submit_self_assessment(self_assessment, by=member)
    with pytest.raises(Refused):
        perform(self_assessment, "return_for_correction", by=member, reason="x")
    with pytest.raises(Refused):
        perform(self_assessment, "return_for_correction", by=staff)
    client.force_login(staff)
    detail = reverse("assessments:self_assessment_detail", args=[assessment.pk])
    url = reverse(
        "run_transition",
        args=["assessments.selfassessment", self_assessment.pk, "return_for_correction"],
    )
    client.post(url, {"reason": "请补充活动证明材料", "next": detail})
    self_assessment.refresh_from_db()
    assert self_assessment.status == SelfAssessment.Status.DRAFT
    client.force_login(member)
    edit = reverse("assessments:self_assessment_edit", args=[assessment.pk])
    assert client.get(edit).status_code == 200


def test_a_closed_cycle_takes_no_self_assessment(setting):
    cycle, assessment, member = setting
    self_assessment = cycles.self_assessment_of(assessment)
    type(cycle).objects.filter(pk=cycle.pk).update(status="closed")
    with pytest.raises(Refused):
        cycles.save_self_assessment(self_assessment, by=member, summary="总结", claims={})


def test_who_sees_the_self_assessment(client, setting, staff):
    cycle, assessment, member = setting
    cycles.self_assessment_of(assessment)
    other = factories.applicant_user()
    official = factories.UserFactory(role=Role.OFFICIAL)
    expert = factories.UserFactory(role=Role.EXPERT)
    detail = reverse("assessments:self_assessment_detail", args=[assessment.pk])
    edit = reverse("assessments:self_assessment_edit", args=[assessment.pk])
    cases = [
        (member, detail, 200),
        (member, edit, 200),
        (staff, detail, 200),
        (official, detail, 200),
        (staff, edit, 403),
        (other, detail, 404),
        (other, edit, 404),
        (expert, detail, 404),
    ]
    for user, url, status in cases:
        client.force_login(user)
        assert client.get(url).status_code == status, (user, url)


def test_the_station_list_shows_only_its_own(client, setting, staff):
    cycle, assessment, member = setting
    foreign = factories.live_station(certified_on=D(2024, 6, 1), staff=staff, name="别家驿站")
    cycles.refresh_membership(cycle, by=staff, reason="补录")
    client.force_login(member)
    page = client.get(reverse("assessments:self_assessment_list")).content.decode()
    assert assessment.station.name in page
    assert foreign.name not in page


def test_attachment_is_served_to_the_station_only_when_there_is_one(client, setting):
    cycle, assessment, member = setting
    cycles.self_assessment_of(assessment)
    client.force_login(member)
    url = reverse("assessments:self_assessment_attachment", args=[assessment.pk])
    assert client.get(url).status_code == 404
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("自评材料.pdf", factories.TINY_PDF, "application/pdf")
    data = _complete_post(cycle, attachment=upload)
    edit = reverse("assessments:self_assessment_edit", args=[assessment.pk])
    assert client.post(edit, data).status_code == 302
    response = client.get(url)
    assert response.status_code == 200
    other = factories.applicant_user()
    client.force_login(other)
    assert client.get(url).status_code == 404
