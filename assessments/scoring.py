"""Scoring a station in an assessment cycle.

Each assigned scorer fills one ``talentstation.ScoreSheet`` per counted year (its subject is
the :class:`~assessments.models.AssessmentYear`), on the Annex 2 sheet the cycle pinned. The
evidence of a year (accepted activities and person-times, the station profile at the year's
end) proposes a tier per item (:func:`talentstation.scoring.proposed_tier`); the scorer may
choose another one with a written reason (:class:`~assessments.models.TierOverride`, audited).

- :func:`evidence` — the measures of a year for many stations, in a constant number of queries;
- :func:`scoring_page` — what the scoring page shows for one scorer;
- :func:`save_scores` / :func:`submit_scores` — store the scorer's choices, submit his sheets;
- :func:`scoring_progress` — per station: scorers assigned, complete, needed;
- :func:`final_results` — the scores stored at closing (mean or median of the scorers' cycle
  totals, each the mean of his yearly totals).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentstation.dates import today
from talentstation.models import ScoreEntry, ScoreItem, ScoreSheet
from talentstation.rules import Refused, refuse_unless
from talentstation.workflow import perform

from . import proposals, rules
from .models import Assessment, AssessmentCycle, AssessmentYear, ItemScore, TierOverride

# The measures the evidence gives (the keys of the tier conditions of the Annex 2 sheet).
MEASURES = {
    "activities": gettext_lazy("accepted activities in the year"),
    "person_times": gettext_lazy(
        "person-times served in the year (activities and service records)"
    ),
    "display_area": gettext_lazy("project display and policy publicity area (1 = yes)"),
    "management_team": gettext_lazy("management team able to plan events (1 = yes)"),
    "service_staff": gettext_lazy("full- and part-time service staff"),
    "rules_complete": gettext_lazy("rules complete (of 4)"),
    "rules_in_place": gettext_lazy("rules in place, complete or not (of 4)"),
}


def evidence_rows(measures) -> list[tuple]:
    """``(label, value)`` of each measure, in the order above, for the pages."""
    return [(label, measures.get(key, 0)) for key, label in MEASURES.items()]


def _content_type(model):
    return ContentType.objects.get_for_model(model)


# Evidence


def evidence(station_ids, year, *, on=None) -> dict:
    """``{station_id: {measure: value}}`` for ``year``: accepted activities and person-times of
    the year, and the station profile as of its end (or ``on``/today if earlier)."""
    from .evidence import year_totals
    from .models.profile import profile_measures_as_of

    station_ids = list(station_ids)
    totals = year_totals(year, station_ids)
    profile = profile_measures_as_of(station_ids, proposals.evidence_date(year, on or today()))
    result = {}
    for station_id in station_ids:
        measures = dict(profile.get(station_id) or {})
        year_total = totals.get(station_id)
        measures["activities"] = year_total.activities if year_total else 0
        measures["person_times"] = year_total.person_times if year_total else 0
        result[station_id] = measures
    return result


def evidence_of_years(years) -> dict:
    """``{assessment_year_pk: measures}``: kept at closing, read live while the cycle is open."""
    result, live = {}, defaultdict(list)
    for row in years:
        if row.assessment.cycle.is_closed:
            result[row.pk] = row.evidence
        else:
            live[row.year].append(row)
    for year, rows in live.items():
        measures = evidence({row.assessment.station_id for row in rows}, year)
        for row in rows:
            result[row.pk] = measures[row.assessment.station_id]
    return result


def snapshot_evidence(cycle):
    """Keep, on each year of each station, the evidence its proposals were made from."""
    years = list(
        AssessmentYear.objects.filter(assessment__cycle=cycle).select_related("assessment")
    )
    by_year = defaultdict(list)
    for row in years:
        by_year[row.year].append(row)
    for year, rows in by_year.items():
        measures = evidence({row.assessment.station_id for row in rows}, year)
        for row in rows:
            row.evidence = measures[row.assessment.station_id]
    AssessmentYear.objects.bulk_update(years, ["evidence"])


def propose(rubric, measures) -> dict:
    """``{item_pk: proposed ScoreTier or None}`` of the cycle's sheet for these measures."""
    from talentstation.scoring import propose as core_propose

    return core_propose(rubric, measures)


# A scorer's yearly sheets


def yearly_sheet(year_row, scorer, rubric, *, create=True):
    """The scorer's sheet for one counted year, on the rubric the cycle pinned (even when a
    newer version has been activated since: the cycle's sheet is frozen)."""
    lookup = {
        "template": rubric,
        "scorer": scorer,
        "content_type": _content_type(AssessmentYear),
        "object_id": year_row.pk,
    }
    sheet = ScoreSheet.objects.filter(**lookup).first()
    if sheet is not None or not create:
        return sheet
    try:
        with transaction.atomic():
            return ScoreSheet.objects.create(**lookup)
    except IntegrityError:  # started at the same moment in another request
        return ScoreSheet.objects.get(**lookup)


@dataclass
class ItemRow:
    item: object
    tiers: list
    proposed: object  # ScoreTier or None
    chosen: object  # ScoreTier (points, for an item scored within a range) or None
    reason: str
    claim: object  # SelfAssessmentClaim or None

    @property
    def overridden(self):
        return bool(self.proposed and self.chosen and self.proposed.pk != self.chosen.pk)


@dataclass
class YearRow:
    year: AssessmentYear
    evidence: dict
    sheet: object
    items: list = field(default_factory=list)

    @property
    def evidence_rows(self):
        return evidence_rows(self.evidence)


def counted_years(assessment):
    rows = [row for row in assessment.years.all() if row.counted]
    for row in rows:
        row.assessment = assessment
    return rows


def scoring_page(assessment, scorer) -> list[YearRow]:
    """Per counted year: the evidence, and per item the tiers, the proposal, the scorer's
    choice so far (the proposal until he chooses) and the station's own claim."""
    rubric = assessment.cycle.rubric
    items = list(rubric.items.prefetch_related("tiers"))
    years = counted_years(assessment)
    measures = evidence_of_years(years)
    claims = {}
    self_assessment = getattr(assessment, "self_assessment", None)
    if self_assessment is not None:
        claims = {c.item_id: c for c in self_assessment.claims.select_related("tier")}
    rows = []
    for year in years:
        sheet = yearly_sheet(year, scorer, rubric, create=False)
        entries = sheet.entries_by_item() if sheet else {}
        overrides = (
            {o.item_id: o for o in TierOverride.objects.filter(sheet=sheet)} if sheet else {}
        )
        proposed = propose(rubric, measures[year.pk])
        row = YearRow(year=year, evidence=measures[year.pk], sheet=sheet)
        for item in items:
            entry = entries.get(item.pk)
            chosen = entry.tier if entry and entry.tier_id else proposed.get(item.pk)
            if item.kind == ScoreItem.Kind.RANGE:
                chosen = entry.points if entry else None
            override = overrides.get(item.pk)
            row.items.append(
                ItemRow(
                    item=item,
                    tiers=list(item.tiers.all()),
                    proposed=proposed.get(item.pk),
                    chosen=chosen,
                    reason=override.reason if override else "",
                    claim=claims.get(item.pk),
                )
            )
        rows.append(row)
    return rows


def field_name(year, item) -> str:
    return f"y{year}_item_{item.pk}"


def reason_name(year, item) -> str:
    return f"y{year}_reason_{item.pk}"


@transaction.atomic
def save_scores(assessment, scorer, choices) -> None:
    """Store the scorer's tiers for each counted year.

    ``choices`` maps ``(year, item_pk)`` to ``(tier_pk or None, reason)``. A tier other than
    the proposed one needs a reason; it is kept as a :class:`TierOverride`. All or nothing: a
    ValidationError keyed by :func:`field_name` / :func:`reason_name` says what is wrong.
    """
    refuse_unless(rules.score_assessment, scorer, assessment)
    rubric = assessment.cycle.rubric
    years = counted_years(assessment)
    measures = evidence_of_years(years)
    items = {item.pk: item for item in rubric.items.prefetch_related("tiers")}
    errors, plans = {}, []
    for year in years:
        proposed = propose(rubric, measures[year.pk])
        data, overrides = {}, {}
        for item in items.values():
            tier_pk, reason = choices.get((year.year, item.pk), (None, ""))
            if tier_pk in (None, ""):
                continue
            if item.kind == ScoreItem.Kind.RANGE:  # points by judgement, nothing proposed
                data[item.pk] = {"points": tier_pk}
                continue
            tier = next((t for t in item.tiers.all() if str(t.pk) == str(tier_pk)), None)
            if tier is None:
                errors[field_name(year.year, item)] = [_("Choose one of this item's tiers.")]
                continue
            data[item.pk] = {"tier": tier.pk}
            suggestion = proposed.get(item.pk)
            if suggestion is not None and suggestion.pk != tier.pk:
                if not (reason or "").strip():
                    errors[reason_name(year.year, item)] = [
                        _("Say why you chose another tier than the evidence proposes.")
                    ]
                overrides[item.pk] = (suggestion, tier, (reason or "").strip())
        plans.append((year, data, overrides))
    if errors:
        raise ValidationError(errors)
    for year, data, overrides in plans:
        sheet = yearly_sheet(year, scorer, rubric)
        if not sheet.is_editable:
            raise Refused(_("Your score sheets for this station are submitted already."))
        from talentstation.scoring import save_entries

        save_entries(sheet, data, by=scorer)
        _store_overrides(sheet, scorer, data, overrides)


def _store_overrides(sheet, scorer, data, overrides):
    existing = {o.item_id: o for o in TierOverride.objects.filter(sheet=sheet)}
    for item_pk in data:
        override = existing.get(item_pk)
        if item_pk not in overrides:
            if override is not None:
                override.delete()
            continue
        proposed, chosen, reason = overrides[item_pk]
        if override is None:
            override = TierOverride(sheet=sheet, item_id=item_pk)
        changed = (
            override.proposed_tier_id != proposed.pk
            or override.chosen_tier_id != chosen.pk
            or override.reason != reason
        )
        if changed:
            override.proposed_tier, override.chosen_tier = proposed, chosen
            override.reason, override.recorded_by = reason, scorer
            override.save()


@transaction.atomic
def submit_scores(assessment, scorer):
    """Submit the scorer's sheet of every counted year (all of them, or none)."""
    refuse_unless(rules.score_assessment, scorer, assessment)
    for year in counted_years(assessment):
        sheet = yearly_sheet(year, scorer, assessment.cycle.rubric, create=False)
        if sheet is None:
            raise Refused(_("Score every item of %(year)s first.") % {"year": year.year})
        if sheet.is_editable:
            perform(sheet, "submit", by=scorer)


# Progress and results


@dataclass
class Progress:
    """How far the scoring of one station is."""

    assessment: Assessment
    counted: int  # counted years
    assigned: set = field(default_factory=set)  # scorer ids
    declared: set = field(default_factory=set)
    complete: set = field(default_factory=set)  # scorers with every counted year submitted
    needed: int = 1

    @property
    def ready(self):
        return len(self.complete) >= self.needed


def _assignments(assessments):
    from talentstation.models.assignments import ScorerAssignment

    return ScorerAssignment.objects.filter(
        content_type=_content_type(Assessment),
        object_id__in=[a.pk for a in assessments],
    )


def _year_sheets(cycle, assessments):
    """Submitted yearly sheets of the counted years of ``assessments`` on the cycle's sheet."""
    years = AssessmentYear.objects.filter(assessment__in=assessments, counted=True)
    return ScoreSheet.objects.filter(
        template_id=cycle.rubric_id,
        content_type=_content_type(AssessmentYear),
        object_id__in=years.values("pk"),
        status=ScoreSheet.Status.SUBMITTED,
    )


def scoring_progress(cycle, assessments=None) -> list[Progress]:
    """Per station of the cycle: scorers assigned, declared and complete, and how many complete
    ones it needs (every assigned scorer, or the policy's quorum; at least one). Four queries."""
    from talentstation.scoring import sheets_needed

    if assessments is None:
        assessments = list(cycle.assessments.select_related("station__host_unit"))
    counted = defaultdict(set)
    year_of = {}
    for year_pk, assessment_id in AssessmentYear.objects.filter(
        assessment__in=assessments, counted=True
    ).values_list("pk", "assessment_id"):
        counted[assessment_id].add(year_pk)
        year_of[year_pk] = assessment_id
    progress = {a.pk: Progress(a, counted=len(counted[a.pk])) for a in assessments}
    for object_id, scorer_id, declared_at in _assignments(assessments).values_list(
        "object_id", "scorer_id", "no_conflict_declared_at"
    ):
        progress[object_id].assigned.add(scorer_id)
        if declared_at is not None:
            progress[object_id].declared.add(scorer_id)
    submitted = defaultdict(set)
    for object_id, scorer_id in _year_sheets(cycle, assessments).values_list(
        "object_id", "scorer_id"
    ):
        submitted[(year_of[object_id], scorer_id)].add(object_id)
    quorum = cycle.policy_version.review_quorum if cycle.policy_version_id else None
    for p in progress.values():
        needed_years = counted[p.assessment.pk]
        p.complete = {
            s
            for s in p.assigned
            if needed_years and submitted[(p.assessment.pk, s)] >= needed_years
        }
        p.needed = max(1, sheets_needed(len(p.assigned), quorum))
    return list(progress.values())


@dataclass
class Result:
    """A station's score computed at closing, with its item points."""

    assessment: Assessment
    score: Decimal | None
    items: dict  # item_pk → Decimal

    def store(self):
        ItemScore.objects.filter(assessment=self.assessment).delete()
        ItemScore.objects.bulk_create(
            ItemScore(assessment=self.assessment, item_id=item_pk, points=points)
            for item_pk, points in self.items.items()
        )


def final_results(cycle) -> list[Result]:
    """Each station's score: the mean (or median) of its complete scorers' cycle totals, a
    scorer's cycle total being the mean of his yearly totals; each item's points the same way
    from the scorers' yearly item points. Rounded to cents, half up."""
    assessments = list(cycle.assessments.select_related("station"))
    complete = {p.assessment.pk: p.complete for p in scoring_progress(cycle, assessments)}
    years = dict(
        AssessmentYear.objects.filter(assessment__in=assessments, counted=True).values_list(
            "pk", "assessment_id"
        )
    )
    totals = defaultdict(list)  # (assessment, scorer) → yearly totals
    item_points = defaultdict(list)  # (assessment, scorer, item) → yearly points
    entries = ScoreEntry.objects.filter(sheet__in=_year_sheets(cycle, assessments)).select_related(
        "sheet", "item", "tier"
    )
    seen_sheets = set()
    for entry in entries:
        sheet = entry.sheet
        assessment_id = years[sheet.object_id]
        if sheet.scorer_id not in complete[assessment_id]:
            continue
        if sheet.pk not in seen_sheets:
            seen_sheets.add(sheet.pk)
            totals[(assessment_id, sheet.scorer_id)].append(sheet.total)
        value = entry.value()
        if value is not None:
            item_points[(assessment_id, sheet.scorer_id, entry.item_id)].append(value)
    results = []
    for assessment in assessments:
        scorers = sorted(complete[assessment.pk])
        cycle_totals = [proposals.mean_points(totals[(assessment.pk, s)]) for s in scorers]
        score = proposals.combine(cycle_totals, cycle.combine)
        items = {}
        for item_pk in {key[2] for key in item_points if key[0] == assessment.pk}:
            means = [
                proposals.mean_points(item_points[(assessment.pk, s, item_pk)])
                for s in scorers
                if item_points[(assessment.pk, s, item_pk)]
            ]
            items[item_pk] = proposals.combine(means, cycle.combine)
        results.append(Result(assessment, score, items))
    return results


def scorer_totals(assessment) -> list[tuple]:
    """``(scorer, [yearly sheets], cycle total or None)`` per scorer of the station (staff)."""
    sheets = (
        ScoreSheet.objects.filter(
            content_type=_content_type(AssessmentYear),
            object_id__in=assessment.years.filter(counted=True).values("pk"),
            template_id=assessment.cycle.rubric_id,
        )
        .select_related("scorer")
        .order_by("scorer_id", "object_id")
    )
    by_scorer = defaultdict(list)
    for sheet in sheets:
        by_scorer[sheet.scorer].append(sheet)
    counted = assessment.years.filter(counted=True).count()
    rows = []
    for scorer, yearly in by_scorer.items():
        done = [s for s in yearly if s.status == ScoreSheet.Status.SUBMITTED]
        total = proposals.mean_points([s.total for s in done]) if len(done) == counted else None
        rows.append((scorer, yearly, None if total is None else proposals.to_cents(total)))
    return rows


def correct_score(assessment, *, by, score, reason):
    """Staff correct a final score after closing (audited; the old value stays in history)."""
    refuse_unless(rules.correct_scores, by, assessment)
    value = proposals.to_cents(score)
    if not Decimal("0") <= value <= Decimal("100"):
        raise Refused(_("A score lies between 0 and 100."))
    return perform(assessment, "correct", by=by, reason=reason, score=value)


def assignments_of_assessment(assessment):
    from talentstation.models.assignments import ScorerAssignment

    return ScorerAssignment.objects.for_subject(assessment).select_related("scorer")


class SheetStage:
    DECLARE = "declare"
    SCORE = "score"
    DONE = "done"


STAGE_LABELS = {
    SheetStage.DECLARE: gettext_lazy("declaration needed"),
    SheetStage.SCORE: gettext_lazy("score sheets to submit"),
    SheetStage.DONE: gettext_lazy("score sheets submitted"),
}


def sheets_of(scorer) -> list:
    """The scorer's assessments (open and closed cycles), each with ``stage`` and
    ``stage_label``, open ones first, in a constant number of queries."""
    from talentstation.models.assignments import ScorerAssignment

    assignments = list(
        ScorerAssignment.objects.filter(
            scorer=scorer, content_type=_content_type(Assessment)
        ).order_by("due_date", "-assigned_at")
    )
    assessments = {
        a.pk: a
        for a in Assessment.objects.filter(
            pk__in=[x.object_id for x in assignments]
        ).select_related("cycle", "station__host_unit")
    }
    by_cycle = defaultdict(list)
    for assessment in assessments.values():
        by_cycle[assessment.cycle_id].append(assessment)
    complete = {}
    for group in by_cycle.values():
        for p in scoring_progress(group[0].cycle, group):
            complete[p.assessment.pk] = scorer.pk in p.complete
    rows = []
    for assignment in assignments:
        assessment = assessments.get(assignment.object_id)
        if assessment is None:
            continue
        assignment.assessment = assessment
        if assignment.no_conflict_declared_at is None:
            assignment.stage = SheetStage.DECLARE
        else:
            assignment.stage = SheetStage.DONE if complete[assessment.pk] else SheetStage.SCORE
        assignment.stage_label = STAGE_LABELS[assignment.stage]
        rows.append(assignment)
    return sorted(rows, key=lambda a: a.stage == SheetStage.DONE)


def register_measures():
    """Name the measures of the evidence for the tier conditions (the core's registry)."""
    from talentstation.measures import register_measure

    for key, label in MEASURES.items():
        register_measure(key, label)


def late_scorers(day):
    """Scorer assignments of open cycles past their due date whose scorer has not submitted
    the sheet of every counted year (for the core's "late" filter and the cycle board)."""
    return unsubmitted_scorers().filter(due_date__lt=day)


def unsubmitted_scorers():
    """Scorer assignments of open cycles whose scorer has not submitted the sheet of every
    counted year (late or not; :func:`late_scorers`, and the reminders before they are late)."""
    from django.db.models import Exists, OuterRef

    from talentstation.models.assignments import ScorerAssignment

    submitted = ScoreSheet.objects.submitted().filter(
        content_type=_content_type(AssessmentYear), scorer=OuterRef(OuterRef("scorer"))
    )
    unsubmitted_year = AssessmentYear.objects.filter(
        assessment_id=OuterRef("object_id"), counted=True
    ).exclude(pk__in=submitted.values("object_id"))
    return (
        ScorerAssignment.objects.of_kind(Assessment)
        .filter(
            object_id__in=Assessment.objects.filter(
                cycle__status=AssessmentCycle.Status.OPEN
            ).values("pk"),
        )
        .filter(Exists(unsubmitted_year))
    )
