"""The scorers' pages: their assessment sheets, the declaration and the scoring page of one
station (every counted year with the evidence, the proposed tiers and the self-assessment)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentstation.pages import attempt
from talentstation.rules import Refused, require, require_visible

from .. import rules, scoring
from ..forms.cycles import DeclareForm, ScoringForm
from ..models import Assessment


@login_required
def assessment_sheets(request):
    require(rules.may_score_assessments, request.user)
    rows = scoring.sheets_of(request.user)
    return render(request, "assessments/assessment_sheets.html", {"rows": rows})


def _assignment(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.select_related("cycle__rubric", "station__host_unit"), pk=pk
    )
    # Who may see the assessment but does not score it is told so; others learn nothing.
    require_visible(rules.view_assessment, request.user, assessment)
    require(rules.is_assigned_scorer, request.user, assessment)
    assignment = scoring.assignments_of_assessment(assessment).get(scorer=request.user)
    return assessment, assignment


def _page(request, assessment, assignment, *, form=None, status=200):
    if not assignment.declared:
        context = {"assessment": assessment, "form": form or DeclareForm()}
        return render(request, "assessments/assessment_declare.html", context, status=status)
    rows = scoring.scoring_page(assessment, request.user)
    editable = rules.score_assessment(request.user, assessment) and not any(
        row.sheet is not None and not row.sheet.is_editable for row in rows
    )
    context = {
        "assessment": assessment,
        "assignment": assignment,
        "form": form or ScoringForm(rows, editable=editable),
        "editable": editable,
        "self_assessment": getattr(assessment, "self_assessment", None),
    }
    return render(request, "assessments/assessment_score.html", context, status=status)


@login_required
def assessment_score(request, pk):
    assessment, assignment = _assignment(request, pk)
    if request.method != "POST":
        return _page(request, assessment, assignment)
    form = ScoringForm(scoring.scoring_page(assessment, request.user), request.POST)
    if not form.is_valid():
        return _page(request, assessment, assignment, form=form, status=400)
    try:
        scoring.save_scores(assessment, request.user, form.choices())
    except ValidationError as error:
        form.add_service_errors(error)
        return _page(request, assessment, assignment, form=form, status=400)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("assessments:assessment_score", pk=assessment.pk)
    if "submit" in request.POST:
        attempt(
            request,
            lambda: scoring.submit_scores(assessment, request.user),
            _("Score sheets submitted."),
        )
    else:
        messages.success(request, _("Scores saved."))
    return redirect("assessments:assessment_score", pk=assessment.pk)


@login_required
@require_POST
def assessment_declare(request, pk):
    assessment, assignment = _assignment(request, pk)
    form = DeclareForm(request.POST)
    if not form.is_valid():
        return _page(request, assessment, assignment, form=form, status=400)
    from talentstation.assignments import declare_no_conflict

    attempt(
        request,
        lambda: declare_no_conflict(assignment, by=request.user),
        _("Declaration recorded."),
    )
    return redirect("assessments:assessment_score", pk=assessment.pk)
