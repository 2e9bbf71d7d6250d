"""The expert's pages: his assignments, the declaration, the on-site visit, his score sheet and
his affiliations. One view per form; every view checks the assignment is his."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentstation import assignments as scorer_assignments
from talentstation.forms_scoring import ScoreSheetForm
from talentstation.models import ExpertAffiliation, ScorerAssignment
from talentstation.models.scoring import ScoreSheetTemplate
from talentstation.pages import attempt
from talentstation.rules import Refused, require, require_visible
from talentstation.scoring import sheet_for_purpose, submit_sheet, visible_sheets

from .. import review, rules
from ..filters import AssignmentFilter
from ..forms import AffiliationForm, SiteVisitForm
from ..models import Application

REVIEW = ScoreSheetTemplate.Purpose.APPLICATION_REVIEW


@login_required
def assignments(request):
    require(rules.expert_pages, request.user)
    filters = AssignmentFilter(request.GET, expert=request.user)
    values = filters.values(request)
    rows = filters.apply(review.assignments_of(request.user), values)
    params = request.GET.copy()
    params.pop("page", None)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    for row in page:
        row.stage_label = review.ReviewStage(row.stage).label
    context = {
        "page": page,
        "filters": filters,
        "selected": values,
        "query": params.urlencode(),
    }
    return render(request, "stations/expert/assignments.html", context, status=filters.status_code)


def _assignment(request, pk):
    require(rules.expert_pages, request.user)
    assignment = get_object_or_404(
        ScorerAssignment.objects.of_kind(Application).prefetch_related(
            GenericPrefetch(
                "subject",
                [Application.objects.select_related("host_unit", "call__policy_version")],
            )
        ),
        pk=pk,
    )
    require_visible(rules.view_assignment, request.user, assignment)
    return assignment


def _sheet(request, assignment):
    try:
        return sheet_for_purpose(REVIEW, request.user, assignment.subject), None
    except Refused as refusal:
        return None, refusal.message


def _assignment_page(request, assignment, *, status=200, visit_form=None, sheet_form=None):
    application = assignment.subject
    sheet, no_sheet = _sheet(request, assignment)
    context = {
        "assignment": assignment,
        "application": application,
        "visit_form": visit_form or SiteVisitForm(instance=assignment, prefix="visit"),
        "sheet": sheet,
        "no_sheet": no_sheet,
        "sheet_form": sheet_form or (ScoreSheetForm(sheet) if sheet else None),
        "others": [s for s in visible_sheets(application, request.user) if s != sheet],
        "photos": assignment.photos.all(),
    }
    return render(request, "stations/expert/assignment.html", context, status=status)


@login_required
def assignment(request, pk):
    assignment = _assignment(request, pk)
    if not assignment.declared:
        return render(request, "stations/expert/declare.html", {"assignment": assignment})
    return _assignment_page(request, assignment)


@login_required
@require_POST
def declare(request, pk):
    assignment = _assignment(request, pk)
    if not request.POST.get("declare"):
        messages.error(request, _("Tick the declaration first."))
        return redirect("stations:expert_assignment", pk=assignment.pk)
    attempt(
        request,
        lambda: scorer_assignments.declare_no_conflict(assignment, by=request.user),
        _("Declaration recorded."),
    )
    return redirect("stations:expert_assignment", pk=assignment.pk)


@login_required
@require_POST
def visit(request, pk):
    assignment = _assignment(request, pk)
    form = SiteVisitForm(request.POST, request.FILES, instance=assignment, prefix="visit")
    if not form.is_valid():
        return _assignment_page(request, assignment, status=400, visit_form=form)
    data = form.cleaned_data
    attempt(
        request,
        lambda: scorer_assignments.record_visit(
            assignment,
            by=request.user,
            visit_date=data["visit_date"],
            notes=data["visit_notes"],
            photos=data["photos"],
        ),
        _("On-site visit recorded."),
    )
    return redirect("stations:expert_assignment", pk=assignment.pk)


@login_required
@require_POST
def score(request, pk):
    assignment = _assignment(request, pk)
    sheet, no_sheet = _sheet(request, assignment)
    if sheet is None:
        messages.error(request, no_sheet)
        return redirect("stations:expert_assignment", pk=assignment.pk)
    submitting = "submit" in request.POST
    form = ScoreSheetForm(sheet, request.POST, for_submit=submitting)
    if not (form.is_valid() and form.save(by=request.user) is not None):
        return _assignment_page(request, assignment, status=400, sheet_form=form)
    if not submitting:
        messages.success(request, _("Scores saved."))
        return redirect("stations:expert_assignment", pk=assignment.pk)
    attempt(request, lambda: submit_sheet(sheet, request.user), _("Score sheet submitted."))
    return redirect("stations:expert_assignment", pk=assignment.pk)


def _affiliations_page(request, form, status=200):
    context = {
        "form": form,
        "affiliations": ExpertAffiliation.objects.filter(expert=request.user),
    }
    return render(request, "stations/expert/affiliations.html", context, status=status)


@login_required
def affiliations(request):
    """The expert records the organisations he is tied to (by credit code), so that he is
    never assigned to their applications."""
    require(rules.expert_pages, request.user)
    if request.method != "POST":
        return _affiliations_page(request, AffiliationForm())
    form = AffiliationForm(request.POST)
    if form.is_valid():
        try:
            scorer_assignments.add_affiliation(form.save(commit=False), expert=request.user)
        except Refused as refusal:
            form.add_error("credit_code", refusal.message)
        else:
            messages.success(request, _("Affiliation recorded."))
            return redirect("stations:expert_affiliations")
    return _affiliations_page(request, form, status=400)


@login_required
@require_POST
def remove_affiliation(request, pk):
    require(rules.expert_pages, request.user)
    affiliation = get_object_or_404(ExpertAffiliation, pk=pk, expert=request.user)
    scorer_assignments.remove_affiliation(affiliation, by=request.user)
    messages.success(request, _("Affiliation removed."))
    return redirect("stations:expert_affiliations")
