"""List pages use a constant number of queries, whatever the number of rows."""

import datetime

import pytest
from django.urls import reverse

from . import factories


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_station_list_queries_do_not_grow(client, staff_user, django_assert_max_num_queries, rows):
    factories.StationFactory.create_batch(rows)
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("stations:staff_stations"))
    assert response.status_code == 200
    assert len(response.context["page"]) == rows


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_todo_queries_do_not_grow(client, staff_user, django_assert_max_num_queries, rows):
    for _ in range(rows):
        factories.HostUnitFactory()
    client.force_login(staff_user)
    # The board's lists and the rest of the staff's to-do list (talentstation/todos.py).
    with django_assert_max_num_queries(22):
        assert client.get(reverse("stations:staff_todo")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 20])
def test_unit_page_queries_do_not_grow(client, django_assert_max_num_queries, rows):
    unit = factories.HostUnitFactory()
    admin = factories.applicant_user(unit)
    for _ in range(rows):
        factories.applicant_user(unit, is_admin=False)
        factories.StationFactory(host_unit=unit)
    client.force_login(admin)
    # The unit page with the applicant's to-do list (talentstation/todos.py).
    with django_assert_max_num_queries(24):
        assert client.get(reverse("stations:unit_detail", args=[unit.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 25])
def test_staff_application_list_filters_and_queries(
    client, staff_user, rows, django_assert_max_num_queries
):
    first = factories.CallFactory(year=2026)
    second = factories.CallFactory(year=2027)
    for _ in range(rows):
        factories.ApplicationFactory(call=first)
    other = factories.ApplicationFactory(call=second)
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("stations:staff_applications"), {"call": second.pk})
    assert list(response.context["page"]) == [other]


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 25])
def test_public_directory_and_publicity_list_queries(client, rows, django_assert_max_num_queries):
    from stations.models import Station
    from talentstation.models import Publicity

    for n in range(rows):
        factories.StationFactory(status=Station.Status.CERTIFIED, plaque_number=f"Q-{n}")
        Publicity.objects.create(
            purpose="new_stations",
            title=f"公示{n}",
            basis="依据",
            contact="电话",
            status="running",
            start_date=datetime.date(2026, 9, 28),
            working_days=5,
            first_day=datetime.date(2026, 9, 28),
            last_day=datetime.date(2026, 10, 9),
        )
        factories.CallFactory(title=f"申报通知{n}")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("stations:directory")).status_code == 200
    with django_assert_max_num_queries(6):
        response = client.get(reverse("publicity_list"))
    assert len(response.context["publicities"]) == rows
    with django_assert_max_num_queries(6):
        assert client.get(reverse("stations:call_list")).status_code == 200
