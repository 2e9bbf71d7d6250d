"""Assigning scorers to subjects, for any subject: the expert review of an application, the
assessment of a station in a cycle.

A subject takes part by providing:

- ``SCORER_RULE`` — a :class:`~talentstation.rules.Rule` saying who may score it (experts;
  experts or staff);
- ``assignment_blocker()`` — why no scorer can be assigned now (e.g. the application is not in
  expert review), or None;
- ``conflict_credit_codes()`` — the credit codes a scorer must not be affiliated with (the unit
  and its host institution);
- ``assignment_notice(assignment)`` — the (subject line, body, link) of the notice the scorer
  gets.

The services: :func:`assign_scorer`, :func:`declare_no_conflict`, :func:`record_visit`,
:func:`add_affiliation`, :func:`remove_affiliation`; :func:`conflicting_affiliations` tells
what blocks a scorer.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import credit_code
from .models.assignments import ExpertAffiliation, ScorerAssignment, SiteVisitPhoto
from .notifications import notify
from .rules import Refused, holds_assignment, is_staff, refuse_unless
from .uploads import clean_filename


def conflicting_affiliations(subject, scorer):
    """The scorer's affiliations with the organisations of ``subject``."""
    codes = {credit_code.normalize(code) for code in subject.conflict_credit_codes() if code}
    return list(ExpertAffiliation.objects.filter(expert=scorer, credit_code__in=codes))


@transaction.atomic
def assign_scorer(subject, scorer, *, by, due_date=None):
    """Put ``scorer`` on ``subject``; refuse a scorer who may not score it, a subject that takes
    no scorers now, an affiliated scorer and a second assignment of the same scorer."""
    refuse_unless(is_staff.refusing(_("Only bureau staff assign scorers.")), by)
    refuse_unless(subject.SCORER_RULE, scorer, subject)
    if blocker := subject.assignment_blocker():
        raise Refused(blocker)
    if conflicts := conflicting_affiliations(subject, scorer):
        raise Refused(
            _(
                "%(scorer)s is affiliated with %(organisation)s, the unit or its host "
                "institution, and cannot score %(subject)s."
            )
            % {"scorer": scorer, "organisation": conflicts[0].organisation, "subject": subject}
        )
    lookup = ScorerAssignment.objects.for_subject(subject).filter(scorer=scorer)
    if lookup.exists():
        raise Refused(_("%(scorer)s is already assigned to it.") % {"scorer": scorer})
    assignment = ScorerAssignment(subject=subject, scorer=scorer, assigned_by=by, due_date=due_date)
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as exc:  # assigned at the same moment in another request
        raise Refused(_("%(scorer)s is already assigned to it.") % {"scorer": scorer}) from exc
    subject_line, body, link = subject.assignment_notice(assignment)
    notify(scorer, subject=subject_line, body=body, link=link)
    return assignment


def declare_no_conflict(assignment, *, by):
    """The scorer declares that he has no conflict of interest with the subject; refused when
    one of his recorded affiliations says otherwise."""
    refuse_unless(holds_assignment, by, assignment)
    if conflicts := conflicting_affiliations(assignment.subject, by):
        raise Refused(
            _(
                "Your affiliation with %(organisation)s conflicts with this assignment; please "
                "tell bureau staff."
            )
            % {"organisation": conflicts[0].organisation}
        )
    if assignment.no_conflict_declared_at is None:
        assignment.no_conflict_declared_at = timezone.now()
        assignment.save(update_fields=["no_conflict_declared_at"])
    return assignment


def record_visit(assignment, *, by, visit_date, notes, photos=()):
    """The scorer records his on-site visit (after declaring), with photos."""
    refuse_unless(holds_assignment, by, assignment)
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
        expert=expert, credit_code=credit_code.normalize(affiliation.credit_code)
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


# Lateness: each kind of subject says which of its assignments are late on a day (an expert
# review past its due date without a submitted sheet…); the admin's filter asks them all.
_lateness = {}


def register_lateness(model, late_assignments):
    """``late_assignments(day)`` gives the late assignments (a queryset) of ``model``'s subjects."""
    _lateness[model._meta.label_lower] = late_assignments


def late(day):
    """The pks of every late assignment, of every kind of subject."""
    pks = set()
    for late_assignments in _lateness.values():
        pks.update(late_assignments(day).values_list("pk", flat=True))
    return pks
