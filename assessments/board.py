"""The cycle board (考核进度) of bureau staff, read by officials: per station of a cycle, whether
its self-assessment is filed (late ones flagged), how many scorers are assigned, have declared
and have submitted every counted year, which scorers are late (past their assignment's due
date, or the close of scoring), and the score once the cycle is closed.

The page filters, counts and paginates in SQL: :func:`board_queryset` annotates each station of
the cycle with what the filters and the counts at the top need (the same rules as the
properties of :class:`BoardRow`), :func:`board_summary` counts over all of them in one query,
and :func:`board_rows` builds the rows of one page (or, without ``assessments``, of every
station) in a constant number of queries.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least, StrIndex
from django.utils import timezone

from talentstation.dates import today as shanghai_today

from . import scoring
from .cycles import self_assessment_late
from .models import Assessment, SelfAssessment


@dataclass
class ScorerState:
    """One assigned scorer of one station."""

    scorer: object  # the user
    due: object  # datetime.date: the assignment's due date, or the close of scoring
    declared: bool
    complete: bool  # submitted the sheet of every counted year
    late: bool


@dataclass
class BoardRow:
    assessment: Assessment
    self_assessment: SelfAssessment | None
    counted: int  # counted years
    needed: int  # complete scorers the station needs
    scorers: list = field(default_factory=list)  # [ScorerState]

    @property
    def filed(self):
        sa = self.self_assessment
        return sa is not None and sa.status == SelfAssessment.Status.SUBMITTED

    @property
    def self_assessment_late(self):
        return self_assessment_late(self.assessment, self.self_assessment)

    @property
    def assigned(self):
        return len(self.scorers)

    @property
    def declared(self):
        return sum(1 for s in self.scorers if s.declared)

    @property
    def submitted(self):
        return sum(1 for s in self.scorers if s.complete)

    @property
    def late_scorers(self):
        return [s for s in self.scorers if s.late]

    @property
    def ready(self):
        """Every counted year scored by the scorers the station needs (or no year counts)."""
        return self.counted == 0 or (self.assigned > 0 and self.submitted >= self.needed)


def _assignments(assessments):
    from talentstation.models.assignments import ScorerAssignment

    return ScorerAssignment.objects.filter(
        content_type=ContentType.objects.get_for_model(Assessment),
        object_id__in=[a.pk for a in assessments],
    ).select_related("scorer")


def board_rows(cycle, *, on=None, assessments=None) -> list[BoardRow]:
    """The rows of ``assessments`` (of the cycle; default every station of it, by name) with
    their self-assessments and scorers, in their order."""
    on = on or shanghai_today()
    if assessments is None:
        assessments = cycle.assessments.select_related("station__host_unit").order_by(
            "station__name", "pk"
        )
    assessments = list(assessments)
    for assessment in assessments:
        assessment.cycle = cycle
    if not assessments:
        return []
    progress = {p.assessment.pk: p for p in scoring.scoring_progress(cycle, assessments)}
    filed = {
        sa.assessment_id: sa for sa in SelfAssessment.objects.filter(assessment__in=assessments)
    }
    rows = {}
    for assessment in assessments:
        p = progress[assessment.pk]
        sa = filed.get(assessment.pk)
        if sa is not None:
            sa.assessment = assessment
        rows[assessment.pk] = BoardRow(assessment, sa, counted=p.counted, needed=p.needed)
    for assignment in _assignments(assessments).order_by("assigned_at", "pk"):
        p = progress[assignment.object_id]
        due = assignment.due_date or cycle.scoring_closes
        complete = assignment.scorer_id in p.complete
        rows[assignment.object_id].scorers.append(
            ScorerState(
                scorer=assignment.scorer,
                due=due,
                declared=assignment.no_conflict_declared_at is not None,
                complete=complete,
                late=cycle.is_open and p.counted > 0 and not complete and on > due,
            )
        )
    return list(rows.values())


@dataclass
class Summary:
    stations: int
    filed: int
    self_assessments_late: int
    ready: int
    late_scorers: int


def summary(rows) -> Summary:
    return Summary(
        stations=len(rows),
        filed=sum(1 for r in rows if r.filed),
        self_assessments_late=sum(1 for r in rows if r.self_assessment_late),
        ready=sum(1 for r in rows if r.ready),
        late_scorers=sum(len(r.late_scorers) for r in rows),
    )


# Filters (the choices of assessments.forms.board.CycleBoardFilter)

FILED, NOT_FILED, LATE = "filed", "not_filed", "late"
READY, NOT_READY, SCORERS_LATE, UNASSIGNED = "ready", "not_ready", "late", "unassigned"


def _count(queryset):
    """The number of rows of ``queryset`` as a subquery expression (0 when none)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def board_queryset(cycle, *, on=None):
    """The assessments of the cycle by station name, annotated for the filters and counts:
    ``board_counted``, ``board_assigned``, ``board_complete``, ``board_late_scorers``
    (numbers), ``board_filed``, ``board_self_assessment_late``, ``board_ready`` (booleans)."""
    from talentstation.models.assignments import ScorerAssignment
    from talentstation.models.scoring import ScoreSheet

    from .models import AssessmentYear

    on = on or shanghai_today()
    counted_years = AssessmentYear.objects.filter(assessment_id=OuterRef("object_id"), counted=True)
    sheets = ScoreSheet.objects.filter(
        template_id=cycle.rubric_id,
        content_type=ContentType.objects.get_for_model(AssessmentYear),
        object_id=OuterRef("pk"),
        scorer_id=OuterRef(OuterRef("scorer_id")),
        status=ScoreSheet.Status.SUBMITTED,
    )
    # A scorer is complete with a submitted sheet of every counted year (and there is one).
    missing_year = Exists(counted_years.filter(~Exists(sheets)))
    complete = Exists(counted_years) & ~missing_year
    assignments = ScorerAssignment.objects.filter(
        content_type=ContentType.objects.get_for_model(Assessment), object_id=OuterRef("pk")
    )
    if cycle.is_open:
        past_due = Q(due_date__lt=on)
        if on > cycle.scoring_closes:
            past_due |= Q(due_date__isnull=True)
        late_scorers = _count(
            assignments.filter(past_due).filter(Exists(counted_years), missing_year)
        )
    else:
        late_scorers = Value(0)
    quorum = cycle.policy_version.review_quorum if cycle.policy_version_id else None
    needed = Least(Value(quorum), F("board_assigned")) if quorum else F("board_assigned")
    # Filed after the day it was due (a time of Shanghai), or not filed by then in an open cycle.
    due_day_after = timezone.make_aware(
        datetime.datetime.combine(cycle.self_assessment_due, datetime.time.min)
    ) + datetime.timedelta(days=1)
    past_self_assessment_due = cycle.is_open and on > cycle.self_assessment_due
    return (
        cycle.assessments.select_related("station__host_unit")
        .annotate(
            board_counted=_count(
                AssessmentYear.objects.filter(assessment=OuterRef("pk"), counted=True)
            ),
            board_assigned=_count(assignments),
            board_complete=_count(assignments.filter(complete)),
            board_late_scorers=late_scorers,
            board_filed=Case(
                When(self_assessment__status=SelfAssessment.Status.SUBMITTED, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            board_self_assessment_late=Case(
                When(self_assessment__submitted_at__gte=due_day_after, then=Value(True)),
                When(self_assessment__submitted_at__isnull=False, then=Value(False)),
                default=Value(past_self_assessment_due),
                output_field=BooleanField(),
            ),
        )
        .annotate(
            board_ready=Case(
                When(board_counted=0, then=Value(True)),
                When(board_assigned__gt=0, board_complete__gte=needed, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("station__name", "pk")
    )


def board_summary(queryset) -> Summary:
    """The counts at the top of the board over every row of ``queryset`` (one query)."""
    counts = queryset.aggregate(
        stations=Count("pk"),
        filed=Count("pk", filter=Q(board_filed=True)),
        self_assessments_late=Count("pk", filter=Q(board_self_assessment_late=True)),
        ready=Count("pk", filter=Q(board_ready=True)),
        late_scorers=Coalesce(Sum("board_late_scorers"), 0),
    )
    return Summary(**counts)


SELF_ASSESSMENT_FILTERS = {
    FILED: Q(board_filed=True),
    NOT_FILED: Q(board_filed=False),
    LATE: Q(board_self_assessment_late=True),
}
SCORING_FILTERS = {
    READY: Q(board_ready=True),
    NOT_READY: Q(board_ready=False),
    SCORERS_LATE: Q(board_late_scorers__gt=0),
    UNASSIGNED: Q(board_counted__gt=0, board_assigned=0),
}


def filter_board(queryset, *, query="", self_assessment="", scoring_state=""):
    """The rows of :func:`board_queryset` that match: ``query`` in the name of the station or
    of its host unit (case-sensitive, as typed), the self-assessment and scoring states."""
    query = (query or "").strip()
    if query:
        queryset = queryset.alias(
            board_in_name=StrIndex("station__name", Value(query)),
            board_in_unit=StrIndex("station__host_unit__name", Value(query)),
        ).filter(Q(board_in_name__gt=0) | Q(board_in_unit__gt=0))
    if condition := SELF_ASSESSMENT_FILTERS.get(self_assessment or ""):
        queryset = queryset.filter(condition)
    if condition := SCORING_FILTERS.get(scoring_state or ""):
        queryset = queryset.filter(condition)
    return queryset


# The results of a closed cycle (read-only page of officials and staff)


@dataclass
class ResultRow:
    final: object  # results.FinalScore
    rank: int | None  # equal scores share a rank; None without a score
    points: list  # the item points in the order of the sheet's items (None: not scored)
    below_pass_mark: bool


def pass_mark(cycle):
    """The pass mark of the policy settings the cycle pinned (Art. 14: below it, rectification)."""
    return cycle.policy_version.pass_mark if cycle.policy_version_id else None


def result_rows(cycle, items) -> list[ResultRow]:
    """The stations of a closed cycle, best first (:func:`assessments.results.final_scores`)."""
    from .results import final_scores

    mark = pass_mark(cycle)
    rows, previous, rank = [], None, 0
    for position, final in enumerate(final_scores(cycle), start=1):
        if final.score is not None and final.score != previous:
            rank, previous = position, final.score
        by_item = {p.item.pk: p.points for p in final.items}
        rows.append(
            ResultRow(
                final=final,
                rank=rank if final.score is not None else None,
                points=[by_item.get(item.pk) for item in items],
                below_pass_mark=final.score is not None and mark is not None and final.score < mark,
            )
        )
    return rows
