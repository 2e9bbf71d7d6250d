"""Expert review services: panels with conflict-of-interest checks, declarations, visits."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from talentstation import credit_code
from talentstation.notifications import notify
from talentstation.roles import is_bureau_staff, is_expert

from .models import Application, ExpertAffiliation, ReviewAssignment, SiteVisitPhoto


class ReviewRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def conflicting_affiliations(application, expert):
    """The expert's affiliations with the applying unit or its host institution."""
    codes = {application.host_unit.credit_code}
    if application.host_institution_credit_code:
        codes.add(credit_code.normalize(application.host_institution_credit_code))
    return list(ExpertAffiliation.objects.filter(expert=expert, credit_code__in=codes))


@transaction.atomic
def assign_expert(application, expert, *, by, due_date=None):
    """Put ``expert`` on the panel of ``application``; refuse affiliated experts."""
    if not is_bureau_staff(by):
        raise ReviewRefused(_("Only bureau staff form expert panels."))
    if not is_expert(expert):
        raise ReviewRefused(_("%(user)s does not have the expert role.") % {"user": expert})
    if application.status != Application.Status.ACCEPTED:
        raise ReviewRefused(
            _("Experts can only be assigned to applications accepted for expert review.")
        )
    if conflicts := conflicting_affiliations(application, expert):
        raise ReviewRefused(
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
        raise ReviewRefused(_("%(expert)s is already on this panel.") % {"expert": expert})
    subject = _("New review: application %(number)s") % {"number": application.number}
    body = _("Bureau staff ask you to review application %(number)s (%(unit)s). Declare that "
             "you have no conflict of interest, visit the station and fill in your score sheet"
             "%(due)s.") % {
        "number": application.number,
        "unit": application.host_unit.name,
        "due": _(" by %(date)s") % {"date": due_date} if due_date else "",
    }
    notify(expert, subject=subject, body=body,
           link=reverse("stations:expert_assignment", args=[assignment.pk]))
    return assignment


def declare_no_conflict(assignment, *, by):
    if by != assignment.expert:
        raise ReviewRefused(_("Only the assigned expert can make this declaration."))
    if conflicts := conflicting_affiliations(assignment.application, by):
        raise ReviewRefused(
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
    if by != assignment.expert or not assignment.declared:
        raise ReviewRefused(_("Declare that you have no conflict of interest first."))
    assignment.visit_date = visit_date
    assignment.visit_notes = notes
    assignment.save(update_fields=["visit_date", "visit_notes"])
    for photo in photos:
        SiteVisitPhoto.objects.create(
            assignment=assignment, file=photo, original_name=photo.name[:200]
        )
    return assignment
