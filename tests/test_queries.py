"""List pages use a constant number of queries, whatever the number of rows."""

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
    with django_assert_max_num_queries(10):
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
    with django_assert_max_num_queries(16):
        assert client.get(reverse("stations:unit_detail", args=[unit.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 25])
def test_staff_application_list_filters_and_queries(client, staff_user, rows,
                                                    django_assert_max_num_queries):
    first = factories.CallFactory(year=2026)
    second = factories.CallFactory(year=2027)
    for _ in range(rows):
        factories.ApplicationFactory(call=first)
    other = factories.ApplicationFactory(call=second)
    client.force_login(staff_user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("stations:staff_applications"), {"call": second.pk})
    assert list(response.context["page"]) == [other]
