"""Expert review services: panels with conflict-of-interest checks, declarations, visits,
the expert's own affiliations, and how far a review is."""

from dataclasses import dataclass

from django.db import IntegrityError, models, transaction
from django.db.models import Case, Exists, OuterRef, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentstation import credit_code
from talentstation.notifications import notify
from talentstation.rules import Refused, is_expert, is_staff, refuse_unless
from talentstation.uploads import clean_filename

from . import rules
from .models import ExpertAffiliation, ReviewAssignment, SiteVisitPhoto


def conflicting_affiliations(application, expert):
    """The expert's affiliations with the applying unit or its host institution."""
    codes = {application.host_unit.credit_code}
    if application.host_institution_credit_code:
        codes.add(credit_code.normalize(application.host_institution_credit_code))
    return list(ExpertAffiliation.objects.filter(expert=expert, credit_code__in=codes))


@transaction.atomic
def assign_expert(application, expert, *, by, due_date=None):
    """Put ``expert`` on the panel of ``application``; refuse affiliated experts."""
    refuse_unless(rules.act_as_staff, by)
    if not is_expert(expert):
        raise Refused(_("%(user)s does not have the expert role.") % {"user": expert})
    if not application.accepts_experts:
        raise Refused(_("Experts can only be assigned to applications accepted for expert review."))
    if conflicts := conflicting_affiliations(application, expert):
        raise Refused(
            _(
                "%(expert)s is affiliated with %(organisation)s, the applying unit or its host "
                "institution, and cannot review this application."
            )
            % {"expert": expert, "organisation": conflicts[0].organisation}
        )
    assignment, created = ReviewAssignment.objects.get_or_create(
        application=application,
        expert=expert,
        defaults={"assigned_by": by, "due_date": due_date},
    )
    if not created:
        raise Refused(_("%(expert)s is already on this panel.") % {"expert": expert})
    subject = _("New review: application %(number)s") % {"number": application.number}
    body = _(
        "Bureau staff ask you to review application %(number)s (%(unit)s). Declare that "
        "you have no conflict of interest, visit the station and fill in your score sheet"
        "%(due)s."
    ) % {
        "number": application.number,
        "unit": application.host_unit.name,
        "due": _(" by %(date)s") % {"date": due_date} if due_date else "",
    }
    notify(
        expert,
        subject=subject,
        body=body,
        link=reverse("stations:expert_assignment", args=[assignment.pk]),
    )
    return assignment


def declare_no_conflict(assignment, *, by):
    refuse_unless(rules.view_assignment, by, assignment)
    if conflicts := conflicting_affiliations(assignment.application, by):
        raise Refused(
            _(
                "Your affiliation with %(organisation)s conflicts with this application; please "
                "tell bureau staff."
            )
            % {"organisation": conflicts[0].organisation}
        )
    if assignment.no_conflict_declared_at is None:
        assignment.no_conflict_declared_at = timezone.now()
        assignment.save(update_fields=["no_conflict_declared_at"])
    return assignment


def record_visit(assignment, *, by, visit_date, notes, photos=()):
    refuse_unless(rules.view_assignment, by, assignment)
    if not assignment.declared:
        raise Refused(_("Declare that you have no conflict of interest first."))
    assignment.visit_date = visit_date
    assignment.visit_notes = notes
    assignment.save(update_fields=["visit_date", "visit_notes"])
    for photo in photos:
        SiteVisitPhoto.objects.create(
            assignment=assignment, file=photo, original_name=clean_filename(photo.name)
        )
    return assignment


def add_affiliation(affiliation, *, expert):
    """The expert records an organisation he is tied to; each one once (by credit code)."""
    affiliation.expert = expert
    if ExpertAffiliation.objects.filter(
        expert=expert, credit_code=affiliation.credit_code
    ).exists():
        raise Refused(_("You have recorded this organisation already."))
    try:
        with transaction.atomic():
            affiliation.save()
    except IntegrityError as exc:  # recorded at the same moment in another request
        raise Refused(_("You have recorded this organisation already.")) from exc
    return affiliation


def remove_affiliation(affiliation, *, by):
    if affiliation.expert_id != by.pk and not is_staff(by):
        raise Refused(_("You may only remove your own affiliations."))
    affiliation.delete()


class ReviewStage(models.TextChoices):
    """What is left for the expert to do on one assignment."""

    DECLARE = "declare", gettext_lazy("declaration needed")
    VISIT = "visit", gettext_lazy("visit to record")
    SCORE = "score", gettext_lazy("score sheet to submit")
    DONE = "done", gettext_lazy("score sheet submitted")


def assignments_of(expert):
    """The expert's assignments with their ``stage`` (a ReviewStage), open ones first, each
    with its application, unit and call, in a constant number of queries."""
    from talentstation.models.scoring import ScoreSheet

    submitted = ScoreSheet.objects.submitted().filter(
        scorer=OuterRef("expert"),
        object_id=OuterRef("application_id"),
        content_type__app_label="stations",
        content_type__model="application",
    )
    return (
        ReviewAssignment.objects.filter(expert=expert)
        .select_related("application__host_unit", "application__call")
        .annotate(done=Exists(submitted))
        .annotate(
            stage=Case(
                When(no_conflict_declared_at__isnull=True, then=Value(ReviewStage.DECLARE)),
                When(visit_date__isnull=True, then=Value(ReviewStage.VISIT)),
                When(done=True, then=Value(ReviewStage.DONE)),
                default=Value(ReviewStage.SCORE),
            )
        )
        .order_by("done", "due_date", "-assigned_at")
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
    from talentstation.scoring import sheets_needed, submitted_sheets

    experts = set(application.review_assignments.values_list("expert_id", flat=True))
    submitted = sum(1 for sheet in submitted_sheets(application) if sheet.scorer_id in experts)
    needed = sheets_needed(len(experts), application.call.policy_version.review_quorum)
    return ReviewStatus(assigned=len(experts), submitted=submitted, needed=needed)
