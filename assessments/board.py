"""The cycle board (考核进度) of bureau staff, read by officials: per station of a cycle, whether
its self-assessment is filed (late ones flagged), how many scorers are assigned, have declared
and have submitted every counted year, which scorers are late (past their assignment's due
date, or the close of scoring), and the score once the cycle is closed.

:func:`board_rows` reads every station of the cycle in a constant number of queries (the rows
are then filtered and paginated in memory: a district has some dozens of stations, and the
counts at the top are over all of them).
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

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


def board_rows(cycle, *, on=None) -> list[BoardRow]:
    """Every station of the cycle, by name, with its self-assessment and its scorers."""
    on = on or shanghai_today()
    assessments = list(
        cycle.assessments.select_related("station__host_unit").order_by("station__name", "pk")
    )
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


def _matches_query(row, query):
    station = row.assessment.station
    return query in station.name or query in station.host_unit.name


SELF_ASSESSMENT_TESTS = {
    FILED: lambda row: row.filed,
    NOT_FILED: lambda row: not row.filed,
    LATE: lambda row: row.self_assessment_late,
}
SCORING_TESTS = {
    READY: lambda row: row.ready,
    NOT_READY: lambda row: not row.ready,
    SCORERS_LATE: lambda row: bool(row.late_scorers),
    UNASSIGNED: lambda row: row.counted > 0 and not row.scorers,
}


def filter_rows(rows, *, query="", self_assessment="", scoring_state=""):
    query = (query or "").strip()
    if query:
        rows = [r for r in rows if _matches_query(r, query)]
    if test := SELF_ASSESSMENT_TESTS.get(self_assessment or ""):
        rows = [r for r in rows if test(r)]
    if test := SCORING_TESTS.get(scoring_state or ""):
        rows = [r for r in rows if test(r)]
    return rows


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
