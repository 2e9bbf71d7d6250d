"""Ids and filters typed into addresses and forms are parsed by forms: a bad value is a clear
message and a 4xx, never a 500 (issue 7 §3)."""

import pytest
import time_machine
from django.urls import reverse

from stations.models import Application
from talentstation import assignments
from talentstation.models import ExpertAffiliation

from . import factories

pytestmark = pytest.mark.django_db

BAD_IDS = ["²", "abc", "9999999999999999999999999", "-1", "1.5", " "]


@pytest.mark.parametrize("value", BAD_IDS)
def test_staff_lists_refuse_bad_filters_clearly(client, staff_user, value):
    factories.ApplicationFactory()
    client.force_login(staff_user)
    for name, param in [
        ("stations:staff_applications", "call"),
        ("stations:staff_applications", "status"),
        ("stations:staff_todo", "call"),
        ("stations:staff_stations", "status"),
        ("stations:staff_stations", "type"),
        ("stations:directory", "type"),
    ]:
        response = client.get(reverse(name), {param: value})
        assert response.status_code == 400, (name, param, value)
        messages = [str(m) for m in response.context["messages"]]
        assert any("筛选条件无效" in m for m in messages), messages


def test_a_good_filter_still_filters(client, staff_user):
    shown = factories.ApplicationFactory()
    other_call = factories.CallFactory(year=2025)
    hidden = factories.ApplicationFactory(call=other_call)
    client.force_login(staff_user)
    response = client.get(reverse("stations:staff_applications"), {"call": shown.call_id})
    assert response.status_code == 200
    numbers = [a.number for a in response.context["page"]]
    assert shown.number in numbers and hidden.number not in numbers


@pytest.mark.parametrize("value", ["abc", "²", "9999999999999999999999999"])
def test_starting_an_application_with_a_bad_station(client, value):
    call = factories.CallFactory()
    applicant = factories.applicant_user()
    client.force_login(applicant)
    with time_machine.travel("2026-08-01 10:00 +0800"):
        response = client.post(
            reverse("stations:application_start", args=[call.pk]), {"station": value}, follow=True
        )
    assert response.status_code == 200
    assert not Application.objects.exists()
    assert any("请选择本单位的驿站" in str(m) for m in response.context["messages"])


def test_starting_with_another_units_station_is_refused(client):
    call = factories.CallFactory()
    foreign = factories.StationFactory(status="not_selected")
    client.force_login(factories.applicant_user())
    with time_machine.travel("2026-08-01 10:00 +0800"):
        client.post(reverse("stations:application_start", args=[call.pk]), {"station": foreign.pk})
    assert not Application.objects.exists()


@pytest.mark.parametrize("value", ["abc", "²", "9999999999999999999999999"])
def test_expert_affiliation_bad_posts(client, expert_user, value):
    ExpertAffiliation.objects.create(
        expert=expert_user, organisation="甲单位", credit_code=factories.valid_code(1)
    )
    client.force_login(expert_user)
    # what the old page accepted as a removal is now just an incomplete new affiliation
    response = client.post(reverse("stations:expert_affiliations"), {"delete": value})
    assert response.status_code == 400
    assert expert_user.affiliations.count() == 1


def test_expert_assignment_list_is_filtered_and_paginated(
    client, staff_user, expert_user, django_assert_max_num_queries
):
    from talentstation.workflow import perform

    applications = []
    for _ in range(25):
        application = factories.ApplicationFactory()
        applicant = factories.applicant_user(application.host_unit)
        with time_machine.travel("2026-08-01 10:00 +0800"):
            perform(application, "submit", by=applicant)
        perform(application.host_unit, "verify", by=staff_user)
        perform(application, "accept", by=staff_user)
        applications.append(application)
    made = [assignments.assign_scorer(a, expert_user, by=staff_user) for a in applications]
    assignments.declare_no_conflict(made[0], by=expert_user)
    client.force_login(expert_user)
    url = reverse("stations:expert_assignments")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 20
    assert page.context["page"].paginator.count == 25
    visit = client.get(url, {"stage": "visit"})
    assert [a.pk for a in visit.context["page"]] == [made[0].pk]
    assert client.get(url, {"stage": "nonsense"}).status_code == 400


def test_expert_assignments_open_soonest_first_then_done_latest_first(staff_user, expert_user):
    import datetime

    from django.contrib.contenttypes.models import ContentType

    from stations.models import Application
    from stations.review import assignments_of
    from talentstation.models import ScoreSheet, ScoreSheetTemplate
    from talentstation.workflow import perform

    made = {}
    for name, due, done in [
        ("open-late", datetime.date(2026, 12, 20), False),
        ("done-old", datetime.date(2025, 10, 14), True),
        ("open-soon", datetime.date(2026, 12, 5), False),
        ("done-new", datetime.date(2026, 11, 10), True),
    ]:
        application = factories.ApplicationFactory()
        with time_machine.travel("2026-08-01 10:00 +0800"):
            perform(application, "submit", by=factories.applicant_user(application.host_unit))
        perform(application.host_unit, "verify", by=staff_user)
        perform(application, "accept", by=staff_user)
        made[name] = assignments.assign_scorer(
            application, expert_user, by=staff_user, due_date=due
        )
        if done:  # a submitted sheet of his (the scoring itself is tested elsewhere)
            ScoreSheet.objects.create(
                template=ScoreSheetTemplate.objects.first(),
                scorer=expert_user,
                content_type=ContentType.objects.get_for_model(Application),
                object_id=application.pk,
                status=ScoreSheet.Status.SUBMITTED,
            )
    order = [a.pk for a in assignments_of(expert_user)]
    names = ["open-soon", "open-late", "done-new", "done-old"]
    assert order == [made[name].pk for name in names]
