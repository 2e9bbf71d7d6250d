import datetime

import pytest
import time_machine
from django.urls import reverse

from stations.models import Application
from talentstation import assignments
from talentstation.roles import Role
from talentstation.workflow import perform

from . import factories


def make_world(rows, staff_user):
    call = factories.CallFactory()
    for index in range(rows):
        application = factories.ApplicationFactory(call=call)
        applicant = factories.applicant_user(application.host_unit)
        with time_machine.travel("2026-08-01 10:00 +0800"):
            perform(application, "submit", by=applicant)
        if index % 2:
            perform(application.host_unit, "verify", by=staff_user)
            perform(application, "accept", by=staff_user)
            expert = factories.UserFactory(role=Role.EXPERT)
            assignments.assign_scorer(
                application, expert, by=staff_user, due_date=datetime.date(2026, 9, 1)
            )
    factories.HostUnitFactory(credit_code="91350211M0000XUF46")
    return call


@pytest.mark.django_db
def test_board_shows_what_waits_on_whom(client, staff_user):
    call = make_world(4, staff_user)
    client.force_login(staff_user)
    with time_machine.travel("2026-09-15 10:00 +0800"):
        response = client.get(reverse("stations:staff_todo"), {"call": call.pk})
    board = response.context["board"]
    assert board["to_check"].count == len(board["to_check"].rows) == 2
    assert board["late_reviews"].count == 2
    assert board["unconfirmed_codes"].count == 1
    counts = {value: count for value, _label, count in board.counts}
    assert counts[Application.Status.SUBMITTED] == 2
    assert counts[Application.Status.ACCEPTED] == 2


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 12])
def test_board_queries_do_not_grow(client, staff_user, rows, django_assert_max_num_queries):
    call = make_world(rows, staff_user)
    client.force_login(staff_user)
    with django_assert_max_num_queries(28):
        assert client.get(reverse("stations:staff_todo"), {"call": call.pk}).status_code == 200


@pytest.mark.django_db
def test_board_shows_counts_and_first_rows_with_a_link_to_the_full_list(client, staff_user):
    from stations.board import FIRST_ROWS

    call = make_world(FIRST_ROWS * 2 + 2, staff_user)
    client.force_login(staff_user)
    with time_machine.travel("2026-09-15 10:00 +0800"):
        response = client.get(reverse("stations:staff_todo"), {"call": call.pk})
        board = response.context["board"]
        body = response.content.decode()
        for key in ("to_check", "late_reviews"):
            board_list = board[key]
            assert board_list.count == FIRST_ROWS + 1
            assert len(board_list.rows) == FIRST_ROWS and board_list.more
            assert board_list.more_url.replace("&", "&amp;") in body
        # the links lead to full lists that show every row, filtered
        full = client.get(board["to_check"].more_url)
        assert full.context["page"].paginator.count == FIRST_ROWS + 1
        assert board["without_experts"].count == 0  # every accepted one has its expert
        panel = client.get(board["without_experts"].more_url)
        assert panel.context["page"].paginator.count == 0
        late = client.get(board["late_reviews"].more_url)
        assert late.status_code == 200
        assert late.context["cl"].result_count == FIRST_ROWS + 1


@pytest.mark.django_db
def test_lists_of_one_state_cost_the_same_queries_however_long(
    client, staff_user, django_assert_num_queries
):
    """The submitted, shortlisted and approved lists take their count from the counts per
    state: no count query when they are longer than the board shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stations.board import FIRST_ROWS
    from stations.models import HostUnit

    call = factories.CallFactory()
    client.force_login(staff_user)
    url = reverse("stations:staff_todo")

    def add(n, status):
        for _ in range(n):
            application = factories.ApplicationFactory(call=call)
            Application.objects.filter(pk=application.pk).update(status=status)
        HostUnit.objects.update(verification=HostUnit.Verification.VERIFIED)  # not listed

    for status in ("submitted", "shortlisted", "approved"):
        add(1, status)
    client.get(url, {"call": call.pk})  # warm the session
    with CaptureQueriesContext(connection) as short:
        client.get(url, {"call": call.pk})
    for status in ("submitted", "shortlisted", "approved"):
        add(FIRST_ROWS + 2, status)
    with django_assert_num_queries(len(short.captured_queries)):
        response = client.get(url, {"call": call.pk})
    board = response.context["board"]
    for key in ("to_check", "shortlisted", "approved"):
        assert board[key].count == FIRST_ROWS + 3 and len(board[key].rows) == FIRST_ROWS
        assert board[key].more
