"""Scoring a station in a cycle: evidence-proposed tiers at the boundaries, overrides with a
reason, yearly sheets and their means, mean/median at closing, corrections, conflicts, a new
rubric version not touching a closed cycle, and who sees what."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import cycles, results, scoring
from assessments.models import Assessment, AssessmentCycle, ItemScore, TierOverride
from talentstation.assignments import declare_no_conflict
from talentstation.models import ScoreSheetTemplate, TransitionLog
from talentstation.models.assignments import ExpertAffiliation
from talentstation.roles import Role
from talentstation.rules import Refused
from talentstation.workflow import perform

from . import factories

D = datetime.date


@pytest.fixture
def staff(db):
    return factories.UserFactory(role=Role.STAFF)


BEFORE_THE_CYCLE = D(2024, 6, 1)


def _live(staff, certified_on=BEFORE_THE_CYCLE, **kwargs):
    return factories.live_station(certified_on=certified_on, staff=staff, **kwargs)


def _activities(station, year, count, person_times=10, status="accepted"):
    for n in range(count):
        factories.ActivityFactory(
            station=station,
            date=D(year, 3, 1 + n),
            person_times=person_times,
            high_level_talents=0,
            status=status,
        )


def _item(cycle, title):
    return cycle.rubric.items.get(title=title)


def _proposal(cycle, station, year, title):
    measures = scoring.evidence([station.pk], year)[station.pk]
    tier = scoring.propose(cycle.rubric, measures).get(_item(cycle, title).pk)
    return tier.points if tier else None


# Proposals at the boundaries


@pytest.mark.parametrize(("count", "points"), [(0, 0), (1, 18), (4, 18), (5, 30)])
def test_activities_propose_their_tier(staff, count, points):
    station = _live(staff)
    _activities(station, 2025, count, person_times=1)
    _activities(station, 2025, 3, status="rejected")  # rejected entries never count
    cycle = factories.open_cycle(staff)
    assert _proposal(cycle, station, 2025, "开展活动") == points


@pytest.mark.parametrize(("person_times", "points"), [(49, 0), (50, 15), (99, 15), (100, 25)])
def test_person_times_propose_their_tier(staff, person_times, points):
    station = _live(staff)
    # Waiting for acceptance: not counted.
    factories.ActivityFactory(station=station, date=D(2025, 5, 1), person_times=person_times - 1)
    factories.ActivityFactory(
        station=station, date=D(2025, 5, 2), person_times=person_times - 1, status="accepted"
    )
    factories.ServiceRecordFactory(
        station=station, date=D(2025, 6, 1), person_times=1, status="accepted"
    )
    factories.ServiceRecordFactory(
        station=station, date=D(2025, 6, 2), person_times=500, status="rejected"
    )
    cycle = factories.open_cycle(staff)
    assert _proposal(cycle, station, 2025, "人才服务") == points


def test_the_profile_at_the_end_of_the_year_proposes_venue_staffing_and_rules(staff):
    from assessments.models import StationProfile

    station = _live(staff)
    with time_machine.travel(datetime.datetime(2025, 3, 1, 10, tzinfo=datetime.UTC)):
        StationProfile.objects.create(
            station=station,
            has_display_area=True,
            has_publicity_area=True,
            has_management_team=True,
            full_time_staff=1,
            asset_rules="complete",
            attendance_rules="incomplete",
        )
    cycle = factories.open_cycle(staff)
    assert _proposal(cycle, station, 2025, "场地配备") == 15
    assert _proposal(cycle, station, 2025, "人员配备") == 9
    assert _proposal(cycle, station, 2025, "制度建设") == 9
    assert _proposal(cycle, station, 2024, "场地配备") == 0  # no profile yet at the end of 2024


# Scoring


def _scorer(staff, assessment, role=Role.EXPERT):
    scorer = factories.UserFactory(role=role)
    assignment = cycles.assign(assessment, scorer, by=staff)
    declare_no_conflict(assignment, by=scorer)
    return scorer


def _choose(assessment, scorer, points_by_year, reason="依据现场核查结果"):
    """Choose, per counted year, the tier of each item with the given points (title → points;
    items not named get their best tier)."""
    choices = {}
    for year in scoring.counted_years(assessment):
        wanted = points_by_year.get(year.year, {})
        for item in assessment.cycle.rubric.items.prefetch_related("tiers"):
            tiers = list(item.tiers.all())
            target = wanted.get(item.title, max(t.points for t in tiers))
            tier = next(t for t in tiers if t.points == target)
            choices[(year.year, item.pk)] = (tier.pk, reason)
    scoring.save_scores(assessment, scorer, choices)


@pytest.fixture
def scored(staff):
    """An open cycle with one station (both years counted) and its assessment."""
    station = _live(staff)
    cycle = factories.open_cycle(staff)
    return cycle, cycle.assessments.get(station=station)


def test_an_override_needs_a_reason_and_is_kept(staff, scored):
    cycle, assessment = scored
    scorer = _scorer(staff, assessment)
    activities = _item(cycle, "开展活动")
    best = activities.tiers.order_by("-points").first()
    with pytest.raises(ValidationError) as error:
        scoring.save_scores(assessment, scorer, {(2025, activities.pk): (best.pk, "")})
    assert scoring.reason_name(2025, activities) in error.value.message_dict
    scoring.save_scores(
        assessment, scorer, {(2025, activities.pk): (best.pk, "活动台账未及时录入，现场核实6场")}
    )
    override = TierOverride.objects.get()
    assert override.chosen_tier == best and override.proposed_tier.points == 0
    assert override.reason.startswith("活动台账")
    assert override.history.count() == 1
    # Choosing the proposal again drops the override.
    proposed = override.proposed_tier
    scoring.save_scores(assessment, scorer, {(2025, activities.pk): (proposed.pk, "")})
    assert not TierOverride.objects.exists()


def test_a_tier_of_another_item_is_refused(staff, scored):
    cycle, assessment = scored
    scorer = _scorer(staff, assessment)
    venue, rules_item = _item(cycle, "场地配备"), _item(cycle, "制度建设")
    with pytest.raises(ValidationError):
        scoring.save_scores(
            assessment, scorer, {(2025, venue.pk): (rules_item.tiers.first().pk, "x")}
        )


def test_only_declared_assigned_scorers_score(staff, scored):
    cycle, assessment = scored
    stranger = factories.UserFactory(role=Role.EXPERT)
    with pytest.raises(Refused):
        scoring.save_scores(assessment, stranger, {})
    undeclared = factories.UserFactory(role=Role.EXPERT)
    cycles.assign(assessment, undeclared, by=staff)
    with pytest.raises(Refused):
        scoring.save_scores(assessment, undeclared, {})


def test_an_affiliated_scorer_is_refused(staff, scored):
    cycle, assessment = scored
    expert = factories.UserFactory(role=Role.EXPERT)
    ExpertAffiliation.objects.create(
        expert=expert, organisation="依托单位", credit_code=assessment.station.host_unit.credit_code
    )
    with pytest.raises(Refused) as refusal:
        cycles.assign(assessment, expert, by=staff)
    assert "依托单位" in refusal.value.message


def test_a_scorer_affiliated_with_the_host_institution_is_refused(staff):
    application = factories.ApplicationFactory(
        relies_on_host=True,
        host_institution_name="某大学",
        host_institution_credit_code=factories.valid_code(999_001),
    )
    station = application.station
    perform(station, "certify", by=staff, on=D(2024, 6, 1))
    cycle = factories.open_cycle(staff)
    expert = factories.UserFactory(role=Role.EXPERT)
    ExpertAffiliation.objects.create(
        expert=expert, organisation="某大学", credit_code=factories.valid_code(999_001)
    )
    with pytest.raises(Refused):
        cycles.assign(cycle.assessments.get(station=station), expert, by=staff)


def test_applicants_and_officials_cannot_be_scorers(staff, scored):
    cycle, assessment = scored
    for role in (Role.APPLICANT, Role.OFFICIAL):
        with pytest.raises(Refused):
            cycles.assign(assessment, factories.UserFactory(role=role), by=staff)


def test_two_year_mean_and_closing_stores_the_score(staff, scored):
    cycle, assessment = scored
    scorer = _scorer(staff, assessment)
    _choose(assessment, scorer, {2025: {"开展活动": 18}, 2026: {}})  # 88 and 100
    with pytest.raises(Refused):  # not submitted yet
        perform(cycle, "close", by=staff)
    scoring.submit_scores(assessment, scorer)
    perform(cycle, "close", by=staff)
    assessment.refresh_from_db()
    assert assessment.score == Decimal("94.00")
    assert assessment.status == Assessment.Status.FINAL
    points = {s.item.title: s.points for s in ItemScore.objects.filter(assessment=assessment)}
    assert points["开展活动"] == Decimal("24.00")
    assert sum(points.values()) == assessment.score


def test_a_partial_first_year_does_not_count(staff):
    station = _live(staff, certified_on=D(2024, 7, 2))
    cycle = factories.AssessmentCycleFactory(first_year=2024, inclusion_date=D(2024, 12, 31))
    perform(cycle, "open", by=staff)
    assessment = cycle.assessments.get(station=station)
    scorer = _scorer(staff, assessment)
    _choose(assessment, scorer, {2025: {"开展活动": 18}})
    scoring.submit_scores(assessment, scorer)
    perform(cycle, "close", by=staff)
    assessment.refresh_from_db()
    assert [y.year for y in scoring.counted_years(assessment)] == [2025]
    assert assessment.score == Decimal("88.00")


def test_mean_rounds_half_up_and_median_is_a_cycle_setting(staff):
    station = _live(staff)
    cycle = factories.open_cycle(staff)
    assessment = cycle.assessments.get(station=station)
    # Three scorers give 100 both years; one gives 85 (venue 0) and 100: 92.5.
    for n in range(3):
        scorer = _scorer(staff, assessment, role=Role.STAFF if n == 0 else Role.EXPERT)
        _choose(assessment, scorer, {})
        scoring.submit_scores(assessment, scorer)
    last = _scorer(staff, assessment)
    _choose(assessment, last, {2025: {"场地配备": 0}})
    scoring.submit_scores(assessment, last)
    [result] = scoring.final_results(cycle)
    assert result.score == Decimal("98.13")  # 98.125, half up (not 98.12)
    AssessmentCycle.objects.filter(pk=cycle.pk).update(combine="median")
    cycle.refresh_from_db()
    [result] = scoring.final_results(cycle)
    assert result.score == Decimal("100.00")


def test_closing_locks_and_a_correction_is_audited(staff, client, scored):
    cycle, assessment = scored
    scorer = _scorer(staff, assessment)
    _choose(assessment, scorer, {})
    scoring.submit_scores(assessment, scorer)
    perform(cycle, "close", by=staff)
    assessment.refresh_from_db()
    with pytest.raises(Refused):
        scoring.save_scores(assessment, scorer, {})
    with pytest.raises(Refused):
        scoring.correct_score(assessment, by=scorer, score="90", reason="复核")
    with pytest.raises(Refused):
        scoring.correct_score(assessment, by=staff, score="90", reason="")
    with pytest.raises(Refused):
        scoring.correct_score(assessment, by=staff, score="101", reason="复核")
    scoring.correct_score(assessment, by=staff, score="96.5", reason="复核发现一场活动重复计入")
    assessment.refresh_from_db()
    assert assessment.score == Decimal("96.50")
    assert assessment.computed_score == Decimal("100.00")
    assert Decimal("100.00") in set(assessment.history.values_list("score", flat=True))
    log = TransitionLog.objects.for_object(assessment).get(transition="correct")
    assert "重复" in log.reason
    client.force_login(staff)
    url = reverse("assessments:assessment_correct", args=[assessment.pk])
    assert client.post(url, {"correct-score": "abc", "correct-reason": "x"}).status_code == 400
    response = client.post(url, {"correct-score": "95", "correct-reason": "再次复核"})
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.score == Decimal("95.00")


def test_a_new_rubric_version_does_not_change_a_closed_cycle(staff, scored):
    cycle, assessment = scored
    scorer = _scorer(staff, assessment)
    _choose(assessment, scorer, {})
    scoring.submit_scores(assessment, scorer)
    perform(cycle, "close", by=staff)
    before = [
        (r.station.pk, r.score, [(i.item.pk, i.points) for i in r.items])
        for r in results.final_scores(cycle)
    ]

    draft = cycle.rubric.new_version(staff)
    venue = draft.items.get(title="场地配备")
    top = venue.tiers.order_by("-points").first()
    top.points = Decimal("5")
    top.save()
    activities = draft.items.get(title="开展活动")
    best = activities.tiers.order_by("-points").first()
    best.points = Decimal("40")
    best.save()
    perform(draft, "activate", by=staff)

    cycle.refresh_from_db()
    assert cycle.rubric.status == ScoreSheetTemplate.Status.RETIRED
    after = [
        (r.station.pk, r.score, [(i.item.pk, i.points) for i in r.items])
        for r in results.final_scores(cycle)
    ]
    assert after == before


def test_an_open_cycle_keeps_scoring_on_its_pinned_sheet(staff, scored):
    cycle, assessment = scored
    pinned = cycle.rubric
    draft = pinned.new_version(staff)
    perform(draft, "activate", by=staff)
    scorer = _scorer(staff, assessment)
    _choose(assessment, scorer, {})
    sheets = scoring.scorer_totals(assessment)[0][1]
    assert {s.template_id for s in sheets} == {pinned.pk}


def test_final_scores_in_two_queries(staff, django_assert_num_queries):
    for n in range(3):
        _live(staff, name=f"驿站{n}")
    cycle = factories.open_cycle(staff)
    AssessmentCycle.objects.filter(pk=cycle.pk).update(status="closed")
    cycle.refresh_from_db()
    with django_assert_num_queries(2):
        results.final_scores(cycle)
    open_cycle = factories.AssessmentCycleFactory(first_year=2030)
    with pytest.raises(ValueError):
        results.final_scores(open_cycle)


# Pages


def test_scoring_page_declaration_save_and_submit(client, staff, scored):
    cycle, assessment = scored
    expert = factories.UserFactory(role=Role.EXPERT)
    cycles.assign(assessment, expert, by=staff)
    client.force_login(expert)
    url = reverse("assessments:assessment_score", args=[assessment.pk])
    page = client.get(url)
    assert page.status_code == 200 and "assessments/assessment_declare.html" in [
        t.name for t in page.templates
    ]
    declare = reverse("assessments:assessment_declare", args=[assessment.pk])
    assert client.post(declare, {}).status_code == 400
    assert client.post(declare, {"declare": "on"}).status_code == 302
    page = client.get(url)
    assert "assessments/assessment_score.html" in [t.name for t in page.templates]
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    activities = _item(cycle, "开展活动")
    best = activities.tiers.order_by("-points").first()
    data[scoring.field_name(2025, activities)] = str(best.pk)
    assert client.post(url, data).status_code == 400  # another tier needs a reason
    data[scoring.reason_name(2025, activities)] = "现场核实活动6场"
    data[scoring.field_name(2025, activities) + "x"] = "ignored"
    assert client.post(url, {**data, "submit": "1"}).status_code == 302
    assert TierOverride.objects.filter(item=activities).exists()
    assert cycles_complete(cycle) == [expert.pk]
    assert client.post(url, {**data, "y2025_item_99999": "abc"}).status_code in (302, 400)


def cycles_complete(cycle):
    return [s for p in scoring.scoring_progress(cycle) for s in p.complete]


def test_who_sees_the_assessment_pages(client, staff, scored):
    cycle, assessment = scored
    member = factories.applicant_user(assessment.station.host_unit)
    other = factories.applicant_user()
    official = factories.UserFactory(role=Role.OFFICIAL)
    scorer = _scorer(staff, assessment)
    stranger = factories.UserFactory(role=Role.EXPERT)
    detail = reverse("assessments:assessment_detail", args=[assessment.pk])
    score = reverse("assessments:assessment_score", args=[assessment.pk])
    sheets = reverse("assessments:assessment_sheets")
    cases = [
        (staff, detail, 200),
        (official, detail, 200),
        (member, detail, 200),
        (scorer, detail, 200),
        (other, detail, 404),
        (stranger, detail, 404),
        (scorer, score, 200),
        (stranger, score, 404),
        (member, score, 403),  # may see the assessment, but does not score it: told so
        (staff, score, 403),
        (scorer, sheets, 200),
        (staff, sheets, 200),
        (member, sheets, 403),
        (official, sheets, 403),
    ]
    for user, url, status in cases:
        client.force_login(user)
        assert client.get(url).status_code == status, (user, url)


def test_an_applicant_sees_its_own_score_only_after_closing(client, staff, scored):
    cycle, assessment = scored
    member = factories.applicant_user(assessment.station.host_unit)
    scorer = _scorer(staff, assessment)
    _choose(assessment, scorer, {2025: {"开展活动": 18}})
    client.force_login(member)
    detail = reverse("assessments:assessment_detail", args=[assessment.pk])
    page = client.get(detail).content.decode()
    text = re.sub(r"<[^>]+>", " ", page)  # what the page says, not its tags' random tokens
    assert "94" not in text and scorer.full_name not in page
    scoring.submit_scores(assessment, scorer)
    perform(cycle, "close", by=staff)
    page = client.get(detail).content.decode()
    assert "94.00" in page and scorer.full_name not in page


def test_staff_assign_on_the_page_and_bad_input_is_400(client, staff, scored):
    cycle, assessment = scored
    expert = factories.UserFactory(role=Role.EXPERT)
    client.force_login(staff)
    url = reverse("assessments:assessment_assign", args=[assessment.pk])
    assert client.post(url, {"assign-scorer": "abc"}).status_code == 400
    assert client.post(url, {"assign-scorer": expert.pk, "assign-due_date": "x"}).status_code == 400
    assert client.post(url, {"assign-scorer": expert.pk}).status_code == 302
    assert scoring.assignments_of_assessment(assessment).get().scorer == expert
    client.force_login(factories.UserFactory(role=Role.OFFICIAL))
    assert client.post(url, {"assign-scorer": expert.pk}).status_code == 403


def test_my_sheets_show_what_is_left(client, staff, scored):
    cycle, assessment = scored
    expert = factories.UserFactory(role=Role.EXPERT)
    assignment = cycles.assign(assessment, expert, by=staff)
    [row] = scoring.sheets_of(expert)
    assert row.stage == scoring.SheetStage.DECLARE
    declare_no_conflict(assignment, by=expert)
    [row] = scoring.sheets_of(expert)
    assert row.stage == scoring.SheetStage.SCORE
    _choose(assessment, expert, {})
    scoring.submit_scores(assessment, expert)
    [row] = scoring.sheets_of(expert)
    assert row.stage == scoring.SheetStage.DONE


@pytest.mark.parametrize("size", [2, 8])
def test_cycle_page_queries_do_not_grow(client, staff, size, django_assert_max_num_queries):
    for n in range(size):
        _live(staff, name=f"驿站{n}")
    cycle = factories.open_cycle(staff)
    for assessment in cycle.assessments.all()[:2]:
        _scorer(staff, assessment)
    client.force_login(staff)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("assessments:cycle_detail", args=[cycle.pk])).status_code == 200


def test_late_scorers(staff, scored):
    cycle, assessment = scored
    on_time = _scorer(staff, assessment)
    late = _scorer(staff, assessment)
    _choose(assessment, on_time, {})
    scoring.submit_scores(assessment, on_time)
    after_due = cycle.scoring_closes + datetime.timedelta(days=1)
    late_ids = set(scoring.late_scorers(after_due).values_list("scorer_id", flat=True))
    assert late_ids == {late.pk}
    assert not scoring.late_scorers(cycle.scoring_closes).exists()


@pytest.mark.parametrize("size", [2, 6])
def test_my_sheets_queries_do_not_grow(client, staff, size, django_assert_max_num_queries):
    for n in range(size):
        _live(staff, name=f"驿站{n}")
    cycle = factories.open_cycle(staff)
    expert = factories.UserFactory(role=Role.EXPERT)
    for assessment in cycle.assessments.all():
        declare_no_conflict(cycles.assign(assessment, expert, by=staff), by=expert)
    client.force_login(expert)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("assessments:assessment_sheets")).status_code == 200
