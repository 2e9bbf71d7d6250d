"""The station profile: its Annex 2 measures, the measures as of a date read from its history,
who sees and edits it, and uploads of the rules' documents."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import StationProfile, profile_measures_as_of
from talentstation.roles import Role

from . import factories

ZEROS = {
    "display_area": 0,
    "management_team": 0,
    "service_staff": 0,
    "rules_complete": 0,
    "rules_in_place": 0,
}


def profile(station, **values):
    defaults = {"asset_rules": "none", "attendance_rules": "none"}
    return StationProfile.objects.create(station=station, **{**defaults, **values})


def form_data(**values):
    data = {
        "area_m2": "180",
        "has_display_area": "on",
        "has_publicity_area": "on",
        "equipment": "投影仪、网络",
        "manager_name": "林经理",
        "manager_contact": "13912345678",
        "has_management_team": "on",
        "full_time_staff": "2",
        "part_time_staff": "1",
        "asset_rules": "none",
        "attendance_rules": "none",
        "fund_rules": "none",
        "event_rules": "none",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def pdf(name="制度.pdf"):
    return SimpleUploadedFile(name, factories.TINY_PDF)


# --- measures ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_measures_of_a_profile():
    station = factories.live_station()
    p = profile(
        station,
        has_display_area=True,
        has_publicity_area=False,
        has_management_team=True,
        full_time_staff=1,
        part_time_staff=2,
        asset_rules="complete",
        attendance_rules="incomplete",
        fund_rules="complete",
        event_rules="none",
    )
    assert p.measures() == {
        "display_area": 0,  # both areas are needed
        "management_team": 1,
        "service_staff": 3,
        "rules_complete": 2,
        "rules_in_place": 3,
    }
    p.has_publicity_area = True
    assert p.measures()["display_area"] == 1


@pytest.mark.django_db
def test_measures_as_of_a_date_read_the_history_in_one_query(django_assert_num_queries):
    first, second, without = (factories.live_station() for _ in range(3))
    with time_machine.travel("2026-03-01 10:00 +0800"):
        p = profile(first, full_time_staff=1, has_management_team=False)
        profile(second, full_time_staff=2, event_rules="complete")
    with time_machine.travel("2026-06-30 23:59 +0800"):  # late on 30 June, Shanghai
        p.full_time_staff, p.has_management_team, p.fund_rules = 3, True, "incomplete"
        p.save()
    ids = [first.pk, second.pk, without.pk]
    with django_assert_num_queries(1):
        before = profile_measures_as_of(ids, datetime.date(2026, 2, 28))
    assert before == dict.fromkeys(ids, ZEROS)
    march = profile_measures_as_of(ids, datetime.date(2026, 6, 29))
    assert march[first.pk]["service_staff"] == 1 and march[first.pk]["management_team"] == 0
    assert march[second.pk]["rules_complete"] == 1
    assert march[without.pk] == ZEROS
    june = profile_measures_as_of(ids, datetime.date(2026, 6, 30))  # the day's end counts
    assert june[first.pk] == {
        **ZEROS,
        "service_staff": 3,
        "management_team": 1,
        "rules_in_place": 1,
    }
    assert june[second.pk] == march[second.pk]


@pytest.mark.django_db
def test_a_deleted_profile_measures_zero_from_then_on():
    station = factories.live_station()
    with time_machine.travel("2026-03-01 10:00 +0800"):
        p = profile(station, full_time_staff=2)
    with time_machine.travel("2026-04-01 10:00 +0800"):
        p.delete()
    assert (
        profile_measures_as_of([station.pk], datetime.date(2026, 3, 15))[station.pk][
            "service_staff"
        ]
        == 2
    )
    assert profile_measures_as_of([station.pk], datetime.date(2026, 4, 2))[station.pk] == ZEROS


@pytest.mark.django_db
def test_the_model_requires_a_document_for_rules_in_place():
    from django.core.exceptions import ValidationError

    p = StationProfile(station=factories.live_station(), asset_rules="incomplete")
    with pytest.raises(ValidationError) as error:
        p.full_clean()
    assert "asset_rules_document" in error.value.message_dict


# --- pages and roles --------------------------------------------------------------------------


@pytest.fixture
def station(unit):
    return factories.live_station(unit, area_m2=Decimal("260"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "view", "edit"),
    [
        ("own", 200, 200),
        ("other", 404, 404),
        ("staff", 200, 403),
        ("official", 200, 403),
        ("expert", 404, 404),
    ],
)
def test_each_role_on_the_profile_pages(client, station, applicant, who, view, edit):
    users = {
        "own": lambda: applicant,
        "other": lambda: factories.applicant_user(),
        "staff": lambda: factories.UserFactory(role=Role.STAFF),
        "official": lambda: factories.UserFactory(role=Role.OFFICIAL),
        "expert": lambda: factories.UserFactory(role=Role.EXPERT),
    }
    client.force_login(users[who]())
    assert client.get(reverse("assessments:station_profile", args=[station.pk])).status_code == view
    assert client.get(reverse("assessments:profile_edit", args=[station.pk])).status_code == edit


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_the_login(client, station):
    response = client.get(reverse("assessments:station_profile", args=[station.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.django_db
def test_a_station_not_certified_cannot_keep_a_profile(client, applicant, unit):
    applying = factories.StationFactory(host_unit=unit)
    client.force_login(applicant)
    response = client.get(reverse("assessments:profile_edit", args=[applying.pk]))
    assert response.status_code == 403
    assert "认定" in response.content.decode()


@pytest.mark.django_db
def test_the_station_fills_in_its_profile(client, applicant, station):
    client.force_login(applicant)
    url = reverse("assessments:profile_edit", args=[station.pk])
    page = client.get(url)
    assert page.context["form"]["area_m2"].value() == Decimal("260")  # from the application
    response = client.post(
        url, form_data(asset_rules="complete", asset_rules_document=pdf()), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "assessments:station_profile", args=[station.pk]
    )
    saved = StationProfile.objects.get(station=station)
    assert saved.updated_by == applicant and saved.history.first().history_user == applicant
    assert saved.measures() == {
        "display_area": 1,
        "management_team": 1,
        "service_staff": 3,
        "rules_complete": 1,
        "rules_in_place": 1,
    }
    body = response.content.decode()
    assert "林经理" in body and "完备" in body
    document = client.get(reverse("assessments:profile_document", args=[station.pk, "asset_rules"]))
    assert document.status_code == 200 and document["Content-Type"] == "application/pdf"
    missing = client.get(reverse("assessments:profile_document", args=[station.pk, "nonsense"]))
    assert missing.status_code == 404


@pytest.mark.django_db
def test_rules_in_place_need_their_document(client, applicant, station):
    client.force_login(applicant)
    response = client.post(
        reverse("assessments:profile_edit", args=[station.pk]), form_data(fund_rules="incomplete")
    )
    assert response.status_code == 400
    assert "fund_rules_document" in response.context["form"].errors
    assert not StationProfile.objects.filter(station=station).exists()


@pytest.mark.django_db
def test_a_bad_upload_is_explained_and_the_typed_data_kept(client, applicant, station):
    client.force_login(applicant)
    fake = SimpleUploadedFile("制度.pdf", b"<html>not a pdf</html>")
    response = client.post(
        reverse("assessments:profile_edit", args=[station.pk]),
        form_data(event_rules="complete", event_rules_document=fake, manager_name="陈主任"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "仅接受" in body and "PDF" in body  # what the file should have been
    assert response.context["form"]["manager_name"].value() == "陈主任"
    assert 'value="陈主任"' in body


@pytest.mark.django_db
def test_a_valid_document_is_kept_when_another_field_is_wrong(client, applicant, station):
    client.force_login(applicant)
    url = reverse("assessments:profile_edit", args=[station.pk])
    first = client.post(
        url, form_data(asset_rules="complete", asset_rules_document=pdf(), full_time_staff="两")
    )
    assert first.status_code == 400
    kept = first.context["form"].data["asset_rules_document_kept"]
    assert kept
    again = client.post(url, form_data(asset_rules="complete", asset_rules_document_kept=kept))
    assert again.status_code == 302
    assert StationProfile.objects.get(station=station).asset_rules_document
