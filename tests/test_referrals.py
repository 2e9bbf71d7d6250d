"""Talent referrals (Art. 9(2), 21): recorded by the station, confirmed or not by bureau staff
through the workflow; only confirmed ones count, and they prefill a later Annex 1."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import TalentReferral
from assessments.records import referrals_text
from stations import prefill, services
from talentstation.models import Notification, TransitionLog
from talentstation.roles import Role
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

OPEN = "2026-08-01 10:00 +0800"


def referral_data(**values):
    data = {
        "person_name": "王博士",
        "employer": "福州乌龙江智能装备有限公司",
        "level": "provincial",
        "programme": "福建省引进高层次人才（B类）",
        "year": "2025",
        "outcome": "pending",
    }
    data.update(values)
    return data


@pytest.fixture
def station(unit):
    return factories.live_station(unit)


def transition_url(referral, name):
    return reverse("run_transition", args=["assessments.talentreferral", referral.pk, name])


# --- the lifecycle ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_station_records_and_staff_confirm_through_the_workflow(
    client, applicant, station, staff_user
):
    client.force_login(applicant)
    response = client.post(reverse("assessments:referral_add", args=[station.pk]), referral_data())
    assert response.status_code == 302
    referral = TalentReferral.objects.get()
    assert (referral.station, referral.status, referral.created_by) == (
        station,
        TalentReferral.Status.RECORDED,
        applicant,
    )
    assert client.post(transition_url(referral, "confirm"), {"next": "/"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == TalentReferral.Status.RECORDED  # not the station's to confirm

    client.force_login(staff_user)
    page = client.get(reverse("assessments:staff_referrals")).content.decode()
    assert "王博士" in page and transition_url(referral, "confirm") in page
    client.post(transition_url(referral, "confirm"), {"next": "/"})
    referral.refresh_from_db()
    assert referral.status == TalentReferral.Status.CONFIRMED
    log = TransitionLog.objects.for_object(referral).get()
    assert (log.transition, log.actor) == ("confirm", staff_user)
    assert Notification.objects.filter(recipient=applicant, subject__contains="王博士").exists()


@pytest.mark.django_db
def test_staff_reject_only_with_a_reason(station, staff_user):
    referral = factories.TalentReferralFactory(station=station)
    with pytest.raises(Refused):
        perform(referral, "reject", by=staff_user, reason="  ")
    perform(referral, "reject", by=staff_user, reason="缺少推荐材料")
    assert referral.status == TalentReferral.Status.REJECTED
    with pytest.raises(Refused):
        perform(referral, "confirm", by=staff_user)  # decided


@pytest.mark.django_db
def test_changing_a_decided_referral_sends_it_back_to_staff(client, applicant, station, staff_user):
    referral = factories.TalentReferralFactory(station=station, outcome="pending")
    perform(referral, "confirm", by=staff_user)
    client.force_login(applicant)
    url = reverse("assessments:referral_edit", args=[station.pk, referral.pk])
    assert "再次确认" in client.get(url).content.decode()
    client.post(url, referral_data(person_name=referral.person_name, outcome="selected"))
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == (TalentReferral.Status.RECORDED, "selected")
    assert TransitionLog.objects.for_object(referral).filter(transition="revise").exists()


@pytest.mark.django_db
def test_a_referral_cannot_be_recorded_for_a_future_year(client, applicant, station):
    client.force_login(applicant)
    with time_machine.travel(OPEN):
        response = client.post(
            reverse("assessments:referral_add", args=[station.pk]), referral_data(year="2027")
        )
    assert response.status_code == 400
    assert "year" in response.context["form"].errors


# --- roles ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_role_on_the_referral_pages(client, applicant, station):
    referral = factories.TalentReferralFactory(
        station=station, evidence=SimpleUploadedFile("推荐函.pdf", factories.TINY_PDF)
    )
    pages = {
        "list": reverse("assessments:station_referrals", args=[station.pk]),
        "add": reverse("assessments:referral_add", args=[station.pk]),
        "edit": reverse("assessments:referral_edit", args=[station.pk, referral.pk]),
        "evidence": reverse("assessments:referral_evidence", args=[station.pk, referral.pk]),
        "district": reverse("assessments:staff_referrals"),
    }
    expected = {
        "own": {"list": 200, "add": 200, "edit": 200, "evidence": 200, "district": 403},
        "other": {"list": 404, "add": 404, "edit": 404, "evidence": 404, "district": 403},
        "staff": {"list": 200, "add": 403, "edit": 403, "evidence": 200, "district": 200},
        "official": {"list": 200, "add": 403, "edit": 403, "evidence": 403, "district": 200},
    }
    users = {
        "own": applicant,
        "other": factories.applicant_user(),
        "staff": factories.UserFactory(role=Role.STAFF),
        "official": factories.UserFactory(role=Role.OFFICIAL),
    }
    for who, statuses in expected.items():
        client.force_login(users[who])
        got = {name: client.get(url).status_code for name, url in pages.items()}
        assert got == statuses, who


@pytest.mark.django_db
def test_another_units_referral_cannot_be_edited_through_ones_own_station(
    client, applicant, station
):
    foreign = factories.TalentReferralFactory()
    client.force_login(applicant)
    url = reverse("assessments:referral_edit", args=[station.pk, foreign.pk])
    assert client.post(url, referral_data()).status_code == 404
    foreign.refresh_from_db()
    assert foreign.person_name != "王博士"


@pytest.mark.django_db
def test_a_bad_evidence_file_is_explained_and_the_typed_data_kept(client, applicant, station):
    client.force_login(applicant)
    fake = SimpleUploadedFile("推荐函.pdf", factories.TINY_PNG)  # a PNG called .pdf
    response = client.post(
        reverse("assessments:referral_add", args=[station.pk]),
        referral_data(evidence=fake, person_name="李研究员"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "evidence" in response.context["form"].errors and "PNG" in body
    assert 'value="李研究员"' in body
    assert not TalentReferral.objects.exists()


@pytest.mark.django_db
def test_a_wrong_filter_shows_the_list_without_it(client, staff_user, station):
    factories.TalentReferralFactory(station=station)
    client.force_login(staff_user)
    response = client.get(reverse("assessments:staff_referrals"), {"year": "abc", "status": "x"})
    assert response.status_code == 400
    assert len(response.context["page"]) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 30])
def test_the_district_referral_list_queries_do_not_grow(
    client, staff_user, django_assert_max_num_queries, rows
):
    staff = factories.UserFactory(role=Role.STAFF)
    for _ in range(rows):
        factories.TalentReferralFactory(station=factories.live_station(staff=staff))
    client.force_login(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("assessments:staff_referrals"), {"status": "recorded"})
    assert response.status_code == 200 and len(response.context["page"]) == rows


# --- Annex 1 prefill --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_later_application_is_prefilled_with_the_confirmed_referrals(
    unit, applicant, station, staff_user
):
    selected = factories.TalentReferralFactory(station=station, person_name="王博士", year=2025)
    perform(selected, "confirm", by=staff_user)
    factories.TalentReferralFactory(station=station, person_name="待确认者")
    rejected = factories.TalentReferralFactory(station=station, person_name="未确认者")
    perform(rejected, "reject", by=staff_user, reason="材料不全")
    factories.TalentReferralFactory(person_name="别的单位的人")  # another unit's, confirmed
    perform(TalentReferral.objects.get(person_name="别的单位的人"), "confirm", by=staff_user)

    call = factories.CallFactory(year=2026)
    with time_machine.travel(OPEN):
        application = services.start_application(unit, call, by=applicant)
    text = application.talent_recommendations
    assert "王博士" in text and "福建省引进高层次人才（C类）" in text and "已入选" in text
    assert "待确认者" not in text and "未确认者" not in text and "别的单位的人" not in text


@pytest.mark.django_db
def test_a_unit_without_confirmed_referrals_starts_with_the_row_empty(unit, applicant):
    assert prefill.initial_values(unit) == {}
    with time_machine.travel(OPEN):
        application = services.start_application(unit, factories.CallFactory(), by=applicant)
    assert application.talent_recommendations == ""


@pytest.mark.django_db
def test_many_referrals_fit_the_annex1_row(unit, station, staff_user):
    for n in range(30):
        referral = factories.TalentReferralFactory(
            station=station,
            person_name=f"人才{n:02d}",
            programme="福州市高层次人才（" + "乙" * 20 + "）",
        )
        perform(referral, "confirm", by=staff_user)
    text = referrals_text(unit)
    assert len(text) <= 500
    assert text.splitlines()[-1].startswith("（另有") and "人才00" in text


def test_the_registry_is_asked_for_the_prefill():
    assert "talent_recommendations" in prefill._prefills
