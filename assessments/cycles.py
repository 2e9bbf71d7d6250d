"""Assessment cycle services: who is assessed, opening, refreshing and closing a cycle.

- :func:`eligible_stations` — every station certified on or before the inclusion date and not
  revoked (stations under rectification are included);
- :func:`pin_and_include` — at opening: pin the policy settings and the Annex 2 sheet in force,
  and make an :class:`~assessments.models.Assessment` (with its two years) per station;
- :func:`membership_plan` / :func:`refresh_membership` — while open: add stations that became
  eligible, drop those no longer eligible that nobody has scored yet (audited, with a reason);
- :func:`closing_problems` / :func:`finalise_scores` — closing stores each station's score.

Every state change runs through :func:`talentstation.workflow.perform`.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from stations.models import Station
from talentstation.workflow import perform

from . import proposals
from .models import Assessment, AssessmentYear

# How many station names a message lists before "and N more".
NAMES_LISTED = 5


def _names(stations):
    names = [str(s) for s in stations]
    listed = "、".join(names[:NAMES_LISTED])
    if len(names) > NAMES_LISTED:
        listed += _(" and %(count)s more") % {"count": len(names) - NAMES_LISTED}
    return listed


def eligible_stations(cycle):
    """The stations the cycle assesses: certified on or before its inclusion date and live
    (certified or under rectification, not revoked)."""
    return Station.objects.filter(
        status__in=Station.LIVE_STATES,
        certified_on__isnull=False,
        certified_on__lte=cycle.inclusion_date,
    ).select_related("host_unit")


def _include(cycle, station):
    assessment = Assessment.objects.create(
        cycle=cycle, station=station, station_status=station.status
    )
    min_months = cycle.min_certified_months
    AssessmentYear.objects.bulk_create(
        AssessmentYear(
            assessment=assessment,
            year=year,
            months_certified=proposals.months_certified(year, station.certified_on),
            counted=proposals.months_certified(year, station.certified_on) >= min_months,
        )
        for year in cycle.years
    )
    return assessment


def pin_and_include(cycle):
    """Run by the ``open`` transition: pin the policy settings and the active Annex 2 sheet,
    then include every eligible station."""
    from talentstation.models import PolicyVersion, ScoreSheetTemplate

    cycle.policy_version = PolicyVersion.current()
    cycle.rubric = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.STATION_ASSESSMENT)
    for station in eligible_stations(cycle):
        _include(cycle, station)


@dataclass
class MembershipPlan:
    """What refreshing a cycle's membership would change."""

    add: list = field(default_factory=list)  # stations now eligible, not yet assessed
    remove: list = field(default_factory=list)  # assessments no longer eligible, not scored
    keep: list = field(default_factory=list)  # no longer eligible but scoring has started

    @property
    def changes(self):
        return bool(self.add or self.remove)

    def describe(self):
        parts = []
        if self.add:
            parts.append(_("added: %(names)s") % {"names": _names(self.add)})
        if self.remove:
            parts.append(
                _("removed: %(names)s") % {"names": _names(a.station for a in self.remove)}
            )
        if self.keep:
            parts.append(
                _("kept although no longer eligible, as scoring has started: %(names)s")
                % {"names": _names(a.station for a in self.keep)}
            )
        return "；".join(parts) or _("no change")


def _scored_assessment_ids(assessments):
    from django.contrib.contenttypes.models import ContentType

    from talentstation.models import ScoreSheet

    year_ids = AssessmentYear.objects.filter(assessment__in=assessments).values("pk")
    return set(
        AssessmentYear.objects.filter(
            pk__in=ScoreSheet.objects.filter(
                content_type=ContentType.objects.get_for_model(AssessmentYear),
                object_id__in=year_ids,
            ).values("object_id")
        ).values_list("assessment_id", flat=True)
    )


def membership_plan(cycle) -> MembershipPlan:
    eligible = {station.pk: station for station in eligible_stations(cycle)}
    current = list(cycle.assessments.select_related("station"))
    assessed = {a.station_id for a in current}
    leaving = [a for a in current if a.station_id not in eligible]
    scored = _scored_assessment_ids(leaving) if leaving else set()
    return MembershipPlan(
        add=[station for pk, station in eligible.items() if pk not in assessed],
        remove=[a for a in leaving if a.pk not in scored],
        keep=[a for a in leaving if a.pk in scored],
    )


def refresh_membership(cycle, *, by, reason):
    """Bring an open cycle's stations up to date; the log's reason says what changed."""
    plan = membership_plan(cycle)
    note = (reason or "").strip()
    full_reason = f"{note}（{plan.describe()}）" if note else ""
    perform(cycle, "refresh_members", by=by, reason=full_reason, plan=plan)
    return plan


def apply_membership_plan(cycle, plan):
    """Run by the ``refresh_members`` transition."""
    if plan is None:
        plan = membership_plan(cycle)
    for station in plan.add:
        _include(cycle, station)
    for assessment in plan.remove:
        assessment.delete()


def notify_opening(cycle, log):
    """Tell the users of every station included that the cycle is open and when their
    self-assessment is due."""
    from talentstation.notifications import notify_transition

    for assessment in cycle.assessments.select_related("station__host_unit"):
        notify_transition(
            assessment.station.host_unit.users(),
            subject=_("%(cycle)s: file the self-assessment of %(station)s by %(due)s")
            % {
                "cycle": cycle,
                "station": assessment.station,
                "due": cycle.self_assessment_due,
            },
            log=log,
            link=reverse("assessments:self_assessment_edit", args=[assessment.pk]),
        )


def closing_problems(cycle) -> list[str]:
    """Why the cycle cannot close yet: stations without the scorers' sheets they need."""
    from .scoring import scoring_progress

    missing = [p.assessment.station for p in scoring_progress(cycle) if p.counted and not p.ready]
    if not missing:
        return []
    return [
        _("Stations still waiting for their scorers' sheets: %(names)s.")
        % {"names": _names(missing)}
    ]


@transaction.atomic
def finalise_scores(cycle, *, by):
    """Run by the ``close`` transition: store each station's score and item points, and keep
    the evidence the proposals were made from."""
    from .scoring import final_results, snapshot_evidence

    snapshot_evidence(cycle)
    for result in final_results(cycle):
        result.store()
        perform(result.assessment, "finalise", by=by, score=result.score)


# Self-assessment (自评)


def self_assessment_of(assessment):
    """The station's self-assessment of the cycle; a new draft on first use."""
    from django.db import IntegrityError

    from .models import SelfAssessment

    existing = SelfAssessment.objects.filter(assessment=assessment).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return SelfAssessment.objects.create(assessment=assessment)
    except IntegrityError:  # started at the same moment in another request
        return SelfAssessment.objects.get(assessment=assessment)


@transaction.atomic
def save_self_assessment(self_assessment, *, by, summary, claims, attachment=None):
    """Store a draft: the summary, ``claims`` (``{item_pk: (tier_pk or None, explanation)}``)
    and, if given, a new attachment (an uploaded file already checked by the form)."""
    from talentstation.rules import Refused, refuse_unless
    from talentstation.uploads import clean_filename

    from . import rules
    from .models import SelfAssessment, SelfAssessmentClaim

    locked = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .select_related("assessment__cycle__rubric", "assessment__station")
        .get(pk=self_assessment.pk)
    )
    refuse_unless(rules.file_self_assessment, by, locked)
    if locked.status != SelfAssessment.Status.DRAFT:
        raise Refused(_("The self-assessment has been submitted and can no longer be edited."))
    items = {i.pk: i for i in locked.assessment.cycle.rubric.items.prefetch_related("tiers")}
    existing = {c.item_id: c for c in locked.claims.all()}
    for item_pk, (tier_pk, explanation) in claims.items():
        item = items.get(item_pk)
        if item is None:
            raise Refused(_("This item is not on the cycle's score sheet."))
        if tier_pk is not None and tier_pk not in {t.pk for t in item.tiers.all()}:
            raise Refused(_("Choose one of this item's tiers."))
        claim = existing.get(item_pk) or SelfAssessmentClaim(self_assessment=locked, item=item)
        if claim.pk and claim.tier_id == tier_pk and claim.explanation == explanation:
            continue
        claim.tier_id, claim.explanation = tier_pk, explanation
        claim.save()
    locked.summary = summary
    if attachment is not None:
        locked.attachment = attachment
        locked.attachment_name = clean_filename(attachment.name)
    locked.save()
    self_assessment.summary = locked.summary
    self_assessment.attachment, self_assessment.attachment_name = (
        locked.attachment,
        locked.attachment_name,
    )
    return locked


def submit_self_assessment(self_assessment, *, by):
    """Submit (through the workflow) what is stored, not what the caller holds."""
    from .models import SelfAssessment

    stored = SelfAssessment.objects.select_related("assessment__cycle__rubric").get(
        pk=self_assessment.pk
    )
    log = perform(stored, "submit", by=by)
    self_assessment.refresh_from_db(fields=["status", "submitted_at", "submitted_by"])
    return log


# What the pages show


def assign(assessment, scorer, *, by, due=None):
    """Assign ``scorer`` to score the station (the general assignment: conflicts refused)."""
    from talentstation.assignments import assign_scorer

    return assign_scorer(assessment, scorer, by=by, due_date=due or assessment.cycle.scoring_closes)


@dataclass
class BoardRow:
    assessment: object
    progress: object  # scoring.Progress or None
    self_assessment: object  # SelfAssessment or None

    @property
    def self_assessment_late(self):
        return self_assessment_late(self.assessment, self.self_assessment)


def self_assessment_late(assessment, self_assessment):
    """Filed after its due date, or not filed (submitted) by then while the cycle is open."""
    from talentstation.dates import today

    if self_assessment is not None and self_assessment.submitted_at is not None:
        return self_assessment.is_late
    return assessment.cycle.is_open and today() > assessment.cycle.self_assessment_due


def board_rows(cycle, progress):
    """One row per station of the cycle: its scoring progress and its self-assessment, in a
    constant number of queries."""
    from .models import SelfAssessment

    by_assessment = {p.assessment.pk: p for p in progress}
    assessments = [p.assessment for p in progress] or list(
        cycle.assessments.select_related("station__host_unit")
    )
    filed = {s.assessment_id: s for s in SelfAssessment.objects.filter(assessment__cycle=cycle)}
    rows = []
    for assessment in sorted(assessments, key=lambda a: a.station.name):
        assessment.cycle = cycle
        self_assessment = filed.get(assessment.pk)
        if self_assessment is not None:
            self_assessment.assessment = assessment
        rows.append(BoardRow(assessment, by_assessment.get(assessment.pk), self_assessment))
    return rows


def assessment_context(assessment, user):
    """What the page of one station's assessment shows ``user``."""
    from talentstation.rules import is_staff
    from talentstation.workflow import history

    from . import rules, scoring
    from .models import SelfAssessment, TierOverride

    years = list(assessment.years.all())
    for row in years:
        row.assessment = assessment
    evidence = scoring.evidence_of_years([y for y in years if y.counted])
    for row in years:
        row.evidence_rows = scoring.evidence_rows(evidence[row.pk]) if row.pk in evidence else []
    staff = is_staff(user)
    self_assessment = SelfAssessment.objects.filter(assessment=assessment).first()
    if self_assessment is not None:
        self_assessment.assessment = assessment
        if not rules.view_self_assessment(user, self_assessment):
            self_assessment = None
    context = {
        "assessment": assessment,
        "cycle": assessment.cycle,
        "years": years,
        "self_assessment": self_assessment,
        "item_scores": list(assessment.item_scores.select_related("item"))
        if assessment.cycle.is_closed
        else [],
        "staff": staff,
        "may_view_cycle": rules.view_cycles(user),
        "may_assign": staff and assessment.cycle.is_open,
        "may_correct": staff and assessment.status == assessment.Status.FINAL,
    }
    if staff:
        scorer_rows = scoring.scorer_totals(assessment)
        sheet_ids = [s.pk for _scorer, sheets, _total in scorer_rows for s in sheets]
        context["scorers"] = scoring.assignments_of_assessment(assessment)
        context["scorer_rows"] = scorer_rows
        context["overrides"] = TierOverride.objects.filter(sheet_id__in=sheet_ids).select_related(
            "sheet__scorer", "item", "proposed_tier", "chosen_tier"
        )
        context["history"] = history(assessment)
    return context
