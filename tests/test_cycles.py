"""Assessment cycles: the arithmetic (pure, at the boundaries), membership, opening, refreshing
and closing, and who may see the cycle pages."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import cycles, proposals
from assessments.models import Assessment, AssessmentCycle
from stations.models import Station
from talentstation.models import ScoreSheetTemplate, TransitionLog
from talentstation.roles import Role
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

D = datetime.date


# The arithmetic, without the database


@pytest.mark.parametrize(
    ("certified_on", "months"),
    [
        (None, 0),
        (D(2024, 12, 31), 12),
        (D(2025, 1, 1), 12),
        (D(2025, 1, 2), 11),
        (D(2025, 7, 1), 6),
        (D(2025, 7, 2), 5),
        (D(2025, 12, 1), 1),
        (D(2025, 12, 31), 0),
        (D(2026, 1, 1), 0),
    ],
)
def test_months_certified_in_2025(certified_on, months):
    assert proposals.months_certified(2025, certified_on) == months


def test_counted_years_need_the_minimum_months():
    years = [2025, 2026]
    assert proposals.counted_years(years, D(2024, 5, 1), 6) == [2025, 2026]
    assert proposals.counted_years(years, D(2025, 7, 1), 6) == [2025, 2026]
    assert proposals.counted_years(years, D(2025, 7, 2), 6) == [2026]
    assert proposals.counted_years(years, D(2026, 7, 2), 6) == []


def test_evidence_is_read_at_the_end_of_the_year_or_today():
    assert proposals.evidence_date(2025, D(2026, 3, 1)) == D(2025, 12, 31)
    assert proposals.evidence_date(2026, D(2026, 3, 1)) == D(2026, 3, 1)


def test_two_year_mean_and_a_partial_year():
    # An item: 18 in the first year, 30 in the second → 24; only one counted year → its points.
    assert proposals.mean_points([Decimal("18"), Decimal("30")]) == Decimal("24")
    assert proposals.mean_points([Decimal("30")]) == Decimal("30")
    assert proposals.mean_points([]) is None


def test_mean_median_and_rounding_half_up():
    assert proposals.combine([Decimal("80.00"), Decimal("80.01")]) == Decimal("80.01")  # 80.005
    assert proposals.combine([Decimal("80.00"), Decimal("80.01")], "median") == Decimal("80.01")
    assert proposals.combine([Decimal("70"), Decimal("80"), Decimal("99")]) == Decimal("83.00")
    assert proposals.combine([Decimal("70"), Decimal("80"), Decimal("99")], "median") == Decimal(
        "80.00"
    )
    assert proposals.combine([Decimal("1") / 3 * 200]) == Decimal("66.67")
    assert proposals.combine([]) is None
    with pytest.raises(ValueError):
        proposals.combine([Decimal("1")], "mode")


# Membership


@pytest.fixture
def staff(db):
    return factories.UserFactory(role=Role.STAFF)


def _station(staff, certified_on, **kwargs):
    return factories.live_station(certified_on=certified_on, staff=staff, **kwargs)


def test_membership_certified_before_after_revoked_rectifying(staff):
    before = _station(staff, D(2024, 10, 1), name="甲驿站")
    on_the_day = _station(staff, D(2025, 1, 1), name="乙驿站")
    after = _station(staff, D(2025, 1, 2), name="丙驿站")
    rectifying = _station(staff, D(2024, 3, 1), name="丁驿站")
    perform(rectifying, "start_rectification", by=staff, reason="活动不足")
    revoked = _station(staff, D(2024, 3, 1), name="戊驿站")
    perform(revoked, "start_rectification", by=staff, reason="活动不足")
    perform(revoked, "revoke", by=staff, reason="整改不到位")
    factories.StationFactory(name="申报中驿站")  # never certified

    cycle = factories.open_cycle(staff)

    assessed = set(cycle.assessments.values_list("station__name", flat=True))
    assert assessed == {before.name, on_the_day.name, rectifying.name}
    assert after.pk not in set(cycle.assessments.values_list("station", flat=True))
    assert revoked.name not in assessed
    included = cycle.assessments.get(station=rectifying)
    assert included.station_status == Station.Status.RECTIFYING


def test_inclusion_date_defaults_to_first_january_and_can_be_later(staff):
    cycle = factories.AssessmentCycleFactory(first_year=2025)
    assert cycle.inclusion_date == D(2025, 1, 1)
    _station(staff, D(2025, 9, 1), name="秋季驿站")
    later = factories.open_cycle(staff, first_year=2027, inclusion_date=D(2027, 6, 30))
    assert later.assessments.count() == 1


def test_years_count_after_the_minimum_months(staff):
    station = _station(staff, D(2024, 7, 2))
    cycle = factories.AssessmentCycleFactory(first_year=2024, inclusion_date=D(2024, 12, 31))
    perform(cycle, "open", by=staff)
    years = {y.year: (y.months_certified, y.counted) for y in cycle.assessments.get().years.all()}
    assert years == {2024: (5, False), 2025: (12, True)}
    assert station.assessments.count() == 1


def test_opening_pins_the_active_sheet_and_policy(staff):
    cycle = factories.open_cycle(staff)
    active = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.STATION_ASSESSMENT)
    assert cycle.rubric == active
    assert cycle.policy_version is not None
    assert cycle.status == AssessmentCycle.Status.OPEN
    assert TransitionLog.objects.for_object(cycle).get().transition == "open"


def test_only_staff_open_a_cycle(db):
    cycle = factories.AssessmentCycleFactory()
    expert = factories.UserFactory(role=Role.EXPERT)
    with pytest.raises(Refused):
        perform(cycle, "open", by=expert)
    cycle.refresh_from_db()
    assert cycle.status == AssessmentCycle.Status.DRAFT


def test_opening_tells_the_stations(staff):
    from talentstation.models import Notification

    unit = factories.HostUnitFactory()
    member = factories.applicant_user(unit)
    _station(staff, D(2024, 5, 1), unit=unit)
    factories.open_cycle(staff)
    assert Notification.objects.filter(recipient=member).exists()


def test_refresh_adds_and_removes_with_an_audited_reason(staff):
    stays = _station(staff, D(2024, 5, 1), name="留下驿站")
    leaves = _station(staff, D(2024, 5, 1), name="撤牌驿站")
    cycle = factories.open_cycle(staff, inclusion_date=D(2025, 3, 1))
    perform(leaves, "start_rectification", by=staff, reason="活动不足")
    perform(leaves, "revoke", by=staff, reason="整改不到位")
    joins = _station(staff, D(2025, 2, 1), name="新认定驿站")

    plan = cycles.refresh_membership(cycle, by=staff, reason="补充二月认定的驿站")

    assert [s.name for s in plan.add] == [joins.name]
    assert set(cycle.assessments.values_list("station", flat=True)) == {stays.pk, joins.pk}
    log = TransitionLog.objects.for_object(cycle).filter(transition="refresh_members").get()
    assert joins.name in log.reason and leaves.name in log.reason
    assert "补充二月认定的驿站" in log.reason


def test_refresh_needs_a_reason(staff):
    cycle = factories.open_cycle(staff)
    with pytest.raises(Refused):
        cycles.refresh_membership(cycle, by=staff, reason=" ")


def test_schedule_and_overlap_are_checked(db):
    factories.AssessmentCycleFactory(first_year=2025)
    overlapping = AssessmentCycle(
        first_year=2026,
        self_assessment_due=D(2028, 3, 1),
        scoring_opens=D(2028, 2, 1),
        scoring_closes=D(2028, 1, 15),
    )
    with pytest.raises(ValidationError) as error:
        overlapping.clean()
    assert {"first_year", "scoring_closes", "self_assessment_due"} <= set(error.value.message_dict)


# Pages


def test_cycle_pages_for_each_role(client, staff):
    cycle = factories.open_cycle(staff)
    official = factories.UserFactory(role=Role.OFFICIAL)
    expert = factories.UserFactory(role=Role.EXPERT)
    applicant = factories.applicant_user()
    for user, status in ((staff, 200), (official, 200), (expert, 403), (applicant, 403)):
        client.force_login(user)
        for name in ("assessments:cycle_list", "assessments:cycle_detail"):
            args = [cycle.pk] if name.endswith("detail") else []
            assert client.get(reverse(name, args=args)).status_code == status, (user, name)
    client.logout()
    response = client.get(reverse("assessments:cycle_list"))
    assert response.status_code == 302


def test_officials_see_no_buttons_and_cannot_refresh(client, staff):
    _station(staff, D(2024, 5, 1))
    cycle = factories.open_cycle(staff)
    official = factories.UserFactory(role=Role.OFFICIAL)
    client.force_login(official)
    page = client.get(reverse("assessments:cycle_detail", args=[cycle.pk])).content.decode()
    assert reverse("assessments:cycle_refresh", args=[cycle.pk]) not in page
    response = client.post(reverse("assessments:cycle_refresh", args=[cycle.pk]), {"x": "y"})
    assert response.status_code == 403
    client.force_login(staff)
    page = client.get(reverse("assessments:cycle_detail", args=[cycle.pk])).content.decode()
    assert reverse("assessments:cycle_refresh", args=[cycle.pk]) in page


def test_refresh_form_without_reason_is_400(client, staff):
    cycle = factories.open_cycle(staff)
    client.force_login(staff)
    response = client.post(reverse("assessments:cycle_refresh", args=[cycle.pk]), {})
    assert response.status_code == 400


def test_unknown_cycle_is_404(client, staff):
    client.force_login(staff)
    assert client.get(reverse("assessments:cycle_detail", args=[99999])).status_code == 404


def test_results_wait_for_closing(client, staff):
    cycle = factories.open_cycle(staff)
    client.force_login(staff)
    response = client.get(reverse("assessments:cycle_results", args=[cycle.pk]))
    assert response.status_code == 302


def test_assessment_rows_are_unique_per_cycle(staff):
    station = _station(staff, D(2024, 5, 1))
    cycle = factories.open_cycle(staff)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(cycle=cycle, station=station, station_status="certified")
