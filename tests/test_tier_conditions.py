"""Tiers with machine-readable conditions on the evidence: the shipped Annex 2 version, the
proposals at the boundaries, conditions versioned (copied and frozen) with their sheet."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from talentstation.models import ScoreSheetTemplate, ScoreTierCondition
from talentstation.scoring import propose, proposed_tier
from talentstation.workflow import perform

ASSESSMENT = ScoreSheetTemplate.Purpose.STATION_ASSESSMENT

FULL = {
    "display_area": 1,
    "management_team": 1,
    "service_staff": 2,
    "rules_complete": 4,
    "rules_in_place": 4,
    "activities": 5,
    "person_times": 100,
}


@pytest.fixture
def annex2(db):
    return ScoreSheetTemplate.active_for(ASSESSMENT)


def points(template, evidence):
    proposals = propose(template, evidence)
    return [proposals[item.pk].points for item in template.items.all()]


def item(template, title):
    return template.items.prefetch_related("tiers__conditions").get(title=title)


def test_shipped_version_has_the_bureaus_points(annex2):
    maxima = [max(t.points for t in i.tiers.all()) for i in annex2.items.all()]
    assert maxima == [15, 15, 15, 30, 25]
    assert [[t.points for t in i.tiers.all()] for i in annex2.items.all()] == [
        [15, 0],
        [15, 9, 0],
        [15, 9, 0],
        [30, 18, 0],
        [25, 15, 0],
    ]
    assert annex2.based_on is not None and annex2.based_on.status == "retired"
    # the tiers are worded as the sheet
    assert item(annex2, "场地配备").tiers.first().label == (
        "设立项目展示和人才政策宣传专区，分发政策宣传单等。"
    )


def test_everything_in_place_proposes_the_best_tiers(annex2):
    assert sum(points(annex2, FULL)) == Decimal("100")
    assert sum(points(annex2, dict.fromkeys(FULL, 0))) == Decimal("0")


@pytest.mark.parametrize(("activities", "expected"), [(0, 0), (1, 18), (4, 18), (5, 30), (12, 30)])
def test_activities_boundaries(annex2, activities, expected):
    tier = proposed_tier(item(annex2, "开展活动"), {"activities": activities})
    assert tier.points == expected


@pytest.mark.parametrize(
    ("person_times", "expected"), [(0, 0), (49, 0), (50, 15), (99, 15), (100, 25), (101, 25)]
)
def test_person_times_boundaries(annex2, person_times, expected):
    tier = proposed_tier(item(annex2, "人才服务"), {"person_times": person_times})
    assert tier.points == expected


@pytest.mark.parametrize(
    ("team", "staff", "expected"), [(1, 2, 15), (1, 1, 9), (0, 3, 0), (1, 0, 0)]
)
def test_staffing_needs_the_team_and_the_staff(annex2, team, staff, expected):
    evidence = {"management_team": team, "service_staff": staff}
    assert proposed_tier(item(annex2, "人员配备"), evidence).points == expected


def test_missing_evidence_never_meets_a_condition(annex2):
    assert proposed_tier(item(annex2, "开展活动"), {}).points == 0


def test_items_without_conditions_are_not_proposed(db):
    review = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
    assert propose(review, FULL) == {}


def test_conditions_are_copied_with_a_new_version_and_frozen(annex2, staff_user):
    frozen = item(annex2, "开展活动").tiers.first().conditions.get()
    with pytest.raises(ValidationError):
        frozen.value = 3
        frozen.save()
    draft = annex2.new_version(staff_user)
    copied = item(draft, "开展活动").tiers.first().conditions.get()
    assert (copied.measure, copied.operator, copied.value) == ("activities", ">=", 5)
    copied.value = Decimal("6")
    copied.save()  # a draft changes
    perform(draft, "activate", by=staff_user)
    assert proposed_tier(item(draft, "开展活动"), {"activities": 5}).points == 18
    # the version used before keeps its own condition
    assert ScoreTierCondition.objects.get(pk=frozen.pk).value == 5
    assert proposed_tier(item(annex2, "开展活动"), {"activities": 5}).points == 30


def test_condition_reads_in_chinese(annex2):
    condition = item(annex2, "开展活动").tiers.first().conditions.get()
    assert str(condition).endswith("≥ 5")
