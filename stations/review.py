"""How far the expert review of applications is: each expert's stage on his assignments and
each application's count of submitted sheets. The panels themselves (assignment, conflict
declarations, visits, affiliations) are the core's scorer assignments,
:mod:`talentstation.assignments`, with the application as their subject."""

from dataclasses import dataclass

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.utils.translation import gettext_lazy

from talentstation.models import ScorerAssignment, ScoreSheet
from talentstation.scoring import sheets_needed, submitted_sheets

from .models import Application


class ReviewStage(models.TextChoices):
    """What is left for the expert to do on one assignment."""

    DECLARE = "declare", gettext_lazy("declaration needed")
    VISIT = "visit", gettext_lazy("visit to record")
    SCORE = "score", gettext_lazy("score sheet to submit")
    DONE = "done", gettext_lazy("score sheet submitted")


def assignments_of(expert):
    """The expert's assignments with their ``stage`` (a ReviewStage), open ones first (soonest
    due first), then the ones done (latest first), each with its application, unit and call, in
    a constant number of queries."""
    submitted = ScoreSheet.objects.submitted().filter(
        scorer=OuterRef("scorer"),
        object_id=OuterRef("object_id"),
        content_type=OuterRef("content_type"),
    )
    return (
        ScorerAssignment.objects.of_kind(Application)
        .filter(scorer=expert)
        .prefetch_related(
            GenericPrefetch("subject", [Application.objects.select_related("host_unit", "call")])
        )
        .annotate(done=Exists(submitted))
        .annotate(
            stage=Case(
                When(no_conflict_declared_at__isnull=True, then=Value(ReviewStage.DECLARE)),
                When(visit_date__isnull=True, then=Value(ReviewStage.VISIT)),
                When(done=True, then=Value(ReviewStage.DONE)),
                default=Value(ReviewStage.SCORE),
            )
        )
        .order_by(
            "done",
            Case(When(done=False, then=F("due_date"))).asc(nulls_last=True),
            F("due_date").desc(nulls_last=True),
            "-assigned_at",
        )
    )


@dataclass(frozen=True)
class ReviewStatus:
    assigned: int
    submitted: int
    needed: int

    @property
    def complete(self):
        return self.assigned > 0 and self.submitted >= self.needed


def review_status(application):
    """How far the expert review of ``application`` is: sheets submitted by the assigned
    experts, of those needed (all of them, or the quorum of the call's policy settings)."""
    experts = set(application.review_assignments.values_list("scorer_id", flat=True))
    submitted = sum(1 for sheet in submitted_sheets(application) if sheet.scorer_id in experts)
    needed = sheets_needed(len(experts), application.call.policy_version.review_quorum)
    return ReviewStatus(assigned=len(experts), submitted=submitted, needed=needed)
