"""The cycle board 「考核进度」: who has filed the self-assessment (late ones flagged), scorers
assigned / declared / submitted, late scorers, the score once closed; filters, bad filters,
who sees it, and the same number of queries for 10 and 500 stations."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import board, cycles
from stations.models import HostUnit, Station
from talentstation.dates import SHANGHAI
from talentstation.roles import Role
from talentstation.workflow import perform

from . import factories

D = datetime.date
# The factory's 2025–2026 cycle: self-assessments due 2027-01-31, scoring closes 2027-02-28.
DUE = D(2027, 1, 31)


def at(day, hour=10):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(hour), SHANGHAI))


def file_self_assessment(assessment, user, day):
    with at(day):
        sa = cycles.self_assessment_of(assessment)
        claims = {
            item.pk: (item.tiers.first().pk, "见台账")
            for item in assessment.cycle.rubric.items.prefetch_related("tiers")
        }
        sa = cycles.save_self_assessment(sa, by=user, summary="两年来开展活动20场。", claims=claims)
        cycles.submit_self_assessment(sa, by=user)


@pytest.fixture
def staff(db):
    return factories.UserFactory(role=Role.STAFF)


@pytest.fixture
def cycle(staff):
    """Three stations: 甲 filed on time and fully scored; 乙 filed late, its scorer late;
    丙 filed nothing and has no scorer."""
    for name in ("甲人才驿站", "乙人才驿站", "丙人才驿站"):
        factories.live_station(name=name, certified_on=D(2024, 6, 1), staff=staff)
    cycle = factories.open_cycle(staff)
    first, second = (cycle.assessments.get(station__name=n) for n in ("甲人才驿站", "乙人才驿站"))
    file_self_assessment(first, factories.applicant_user(first.station.host_unit), DUE)
    file_self_assessment(second, factories.applicant_user(second.station.host_unit), D(2027, 2, 3))
    with at(D(2027, 1, 5)):
        for _ in range(2):
            factories.score_station(first, factories.declared_scorer(first, staff=staff))
        factories.declared_scorer(
            second,
            staff=staff,
            due=D(2027, 2, 10),
            scorer=factories.UserFactory(role=Role.EXPERT, full_name="吴国平"),
        )
    return cycle


def rows_by_name(rows):
    return {row.assessment.station.name: row for row in rows}


@pytest.mark.django_db
def test_the_board_says_who_filed_who_scored_and_who_is_late(cycle):
    with at(D(2027, 2, 12)):
        rows = rows_by_name(board.board_rows(cycle))
        summary = board.summary(list(rows.values()))
        first, second, third = rows["甲人才驿站"], rows["乙人才驿站"], rows["丙人才驿站"]

        assert first.filed and not first.self_assessment_late
        assert second.filed and second.self_assessment_late  # filed after the due date
        assert not third.filed and third.self_assessment_late  # not filed, the date has passed
        assert (first.assigned, first.declared, first.submitted, first.ready) == (2, 2, 2, True)
        assert (second.assigned, second.declared, second.submitted) == (1, 1, 0)
        assert [s.scorer.full_name for s in second.late_scorers] == ["吴国平"]
        assert third.scorers == [] and not third.ready
        assert (summary.stations, summary.filed, summary.self_assessments_late) == (3, 2, 2)
        assert (summary.ready, summary.late_scorers) == (1, 1)

    with at(D(2027, 2, 9)):  # before the assignment's due date: not late yet
        assert not rows_by_name(board.board_rows(cycle))["乙人才驿站"].late_scorers


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", {"甲人才驿站", "乙人才驿站", "丙人才驿站"}),
        ("?self_assessment=late", {"乙人才驿站", "丙人才驿站"}),
        ("?self_assessment=not_filed", {"丙人才驿站"}),
        ("?self_assessment=filed&scoring=late", {"乙人才驿站"}),
        ("?scoring=ready", {"甲人才驿站"}),
        ("?scoring=not_ready", {"乙人才驿站", "丙人才驿站"}),
        ("?scoring=unassigned", {"丙人才驿站"}),
        ("?q=乙", {"乙人才驿站"}),
    ],
)
def test_the_board_page_filters(client, staff, cycle, query, shown):
    with at(D(2027, 2, 12)):  # (a login of today would have expired by then)
        client.force_login(staff)
        page = client.get(reverse("assessments:cycle_board", args=[cycle.pk]) + query)
    assert page.status_code == 200
    assert {row.assessment.station.name for row in page.context["page"]} == shown
    assert page.context["summary"].stations == 3


@pytest.mark.django_db
def test_a_bad_filter_is_said_and_dropped(client, staff, cycle):
    client.force_login(staff)
    url = reverse("assessments:cycle_board", args=[cycle.pk])
    page = client.get(url + "?scoring=everything&q=" + "驿" * 200 + "&page=abc")
    assert page.status_code == 400
    assert len(page.context["page"].object_list) == 3
    assert "scoring" in page.context["filters"].errors
    assert client.get(url + "?page=999").status_code == 200  # the last page


@pytest.mark.django_db
def test_who_sees_the_board(client, staff, cycle):
    url = reverse("assessments:cycle_board", args=[cycle.pk])
    member = factories.applicant_user(cycle.assessments.first().station.host_unit)
    for user, status in [
        (staff, 200),
        (factories.UserFactory(role=Role.OFFICIAL), 200),
        (factories.UserFactory(role=Role.EXPERT), 403),
        (member, 403),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status, user
    client.force_login(staff)
    assert client.get(reverse("assessments:cycle_board", args=[99999])).status_code == 404


@pytest.mark.django_db
def test_the_closed_board_shows_the_scores_and_nobody_late(client, staff):
    station = factories.live_station(certified_on=D(2024, 6, 1), staff=staff)
    cycle = factories.open_cycle(staff)
    assessment = cycle.assessments.get()
    factories.score_station(
        assessment, factories.declared_scorer(assessment, staff=staff), {2025: {"开展活动": 18}}
    )
    perform(cycle, "close", by=staff)
    with at(D(2027, 6, 1)):
        client.force_login(staff)
        page = client.get(reverse("assessments:cycle_board", args=[cycle.pk]))
    html = page.content.decode()
    assert station.name in html and "94.00" in html
    assert not page.context["summary"].late_scorers


def add_stations(count, start):
    units = HostUnit.objects.bulk_create(
        HostUnit(
            name=f"批量单位{n}有限公司",
            credit_code=factories.valid_code(500_000 + n),
            address="福州市闽侯县高新大道1号",
        )
        for n in range(start, start + count)
    )
    Station.objects.bulk_create(
        Station(
            name=f"批量人才驿站{n:04d}",
            station_type="industry",
            host_unit=unit,
            status=Station.Status.CERTIFIED,
            certified_on=D(2024, 6, 1),
        )
        for n, unit in enumerate(units, start=start)
    )


@pytest.mark.django_db
def test_the_board_queries_are_the_same_for_10_and_500_stations(client, staff):
    add_stations(10, 0)
    cycle = factories.open_cycle(staff)
    some = list(cycle.assessments.order_by("station__name")[:3])
    for assessment in some:
        factories.declared_scorer(assessment, staff=staff)
    file_self_assessment(some[0], factories.applicant_user(some[0].station.host_unit), DUE)
    client.force_login(staff)
    url = reverse("assessments:cycle_board", args=[cycle.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = queries()
    add_stations(490, 10)
    cycles.refresh_membership(cycle, by=staff, reason="新认定驿站纳入")
    assert cycle.assessments.count() == 500
    assert queries() == small
    assert client.get(url + "?page=10").context["page"].number == 10


PYTHON_FILTERS = {
    ("self_assessment", board.FILED): lambda row: row.filed,
    ("self_assessment", board.NOT_FILED): lambda row: not row.filed,
    ("self_assessment", board.LATE): lambda row: row.self_assessment_late,
    ("scoring_state", board.READY): lambda row: row.ready,
    ("scoring_state", board.NOT_READY): lambda row: not row.ready,
    ("scoring_state", board.SCORERS_LATE): lambda row: bool(row.late_scorers),
    ("scoring_state", board.UNASSIGNED): lambda row: row.counted > 0 and not row.scorers,
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "day", [D(2027, 1, 20), D(2027, 2, 9), D(2027, 2, 12), D(2027, 3, 5)], ids=str
)
def test_the_sql_of_the_board_agrees_with_its_rows(cycle, staff, day):
    """The filters and counts the page computes in SQL say what the rows say in Python."""
    third = cycle.assessments.get(station__name="丙人才驿站")
    with at(D(2027, 1, 6)):  # 丙: a scorer who has not submitted, one without a due date
        factories.score_station(third, factories.declared_scorer(third, staff=staff), submit=False)
    with at(day):
        rows = board.board_rows(cycle)
        queryset = board.board_queryset(cycle)
        annotated = {a.pk: a for a in queryset}
        for row in rows:
            a = annotated[row.assessment.pk]
            assert (a.board_counted, a.board_assigned, a.board_complete) == (
                row.counted,
                row.assigned,
                row.submitted,
            )
            assert a.board_late_scorers == len(row.late_scorers)
            assert (a.board_filed, a.board_self_assessment_late, a.board_ready) == (
                row.filed,
                row.self_assessment_late,
                row.ready,
            )
        assert board.board_summary(queryset) == board.summary(rows)
        for (name, value), test in PYTHON_FILTERS.items():
            shown = board.filter_board(queryset, **{name: value})
            assert [a.pk for a in shown] == [r.assessment.pk for r in rows if test(r)], value
        assert [a.station.name for a in board.filter_board(queryset, query="单位")] == [
            r.assessment.station.name for r in rows if "单位" in r.assessment.station.host_unit.name
        ]
