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
