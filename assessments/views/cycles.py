"""Staff and officials' pages of the assessment cycles: the list, a cycle with its stations,
refreshing its stations, assigning scorers, a station's assessment, correcting a score and the
read-only results. One view per form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentstation.pages import attempt
from talentstation.rules import require, require_visible
from talentstation.workflow import history

from .. import cycles, results, rules, scoring
from ..forms.cycles import AssignScorerForm, CorrectScoreForm, ReasonForm
from ..models import Assessment, AssessmentCycle


@login_required
def cycle_list(request):
    require(rules.view_cycles, request.user)
    context = {
        "cycles": AssessmentCycle.objects.all(),
        "may_manage": rules.manage_cycles(request.user),
    }
    return render(request, "assessments/cycle_list.html", context)


def _cycle(request, pk):
    require(rules.view_cycles, request.user)
    return get_object_or_404(
        AssessmentCycle.objects.select_related("policy_version", "rubric"), pk=pk
    )


@login_required
def cycle_detail(request, pk, refresh_form=None):
    cycle = _cycle(request, pk)
    progress = scoring.scoring_progress(cycle) if cycle.rubric_id else []
    context = {
        "cycle": cycle,
        "rows": cycles.board_rows(cycle, progress),
        "refresh_form": refresh_form or ReasonForm(prefix="refresh"),
        "may_manage": rules.manage_cycles(request.user),
        "history": history(cycle),
    }
    return render(
        request, "assessments/cycle_detail.html", context, status=400 if refresh_form else 200
    )


@login_required
@require_POST
def cycle_refresh(request, pk):
    cycle = _cycle(request, pk)
    require(rules.manage_cycles, request.user)
    form = ReasonForm(request.POST, prefix="refresh")
    if not form.is_valid():
        return cycle_detail(request, pk, refresh_form=form)
    attempt(
        request,
        lambda: cycles.refresh_membership(
            cycle, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("The stations assessed are up to date."),
    )
    return redirect("assessments:cycle_detail", pk=cycle.pk)


@login_required
def cycle_results(request, pk):
    cycle = _cycle(request, pk)
    if not cycle.is_closed:
        messages.info(request, _("The results are shown once the cycle is closed."))
        return redirect("assessments:cycle_detail", pk=cycle.pk)
    context = {
        "cycle": cycle,
        "items": list(cycle.rubric.items.all()),
        "scores": results.final_scores(cycle),
    }
    return render(request, "assessments/cycle_results.html", context)


def _assessment(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.select_related(
            "cycle__rubric", "cycle__policy_version", "station__host_unit"
        ),
        pk=pk,
    )
    require_visible(rules.view_assessment, request.user, assessment)
    return assessment


@login_required
def assessment_detail(request, pk, assign_form=None, correct_form=None):
    assessment = _assessment(request, pk)
    context = cycles.assessment_context(assessment, request.user)
    context["assign_form"] = assign_form or AssignScorerForm(prefix="assign")
    context["correct_form"] = correct_form or CorrectScoreForm(prefix="correct")
    status = 400 if (assign_form or correct_form) else 200
    return render(request, "assessments/assessment_detail.html", context, status=status)


@login_required
@require_POST
def assessment_assign(request, pk):
    assessment = _assessment(request, pk)
    require(rules.manage_cycles, request.user)
    form = AssignScorerForm(request.POST, prefix="assign")
    if not form.is_valid():
        return assessment_detail(request, pk, assign_form=form)
    data = form.cleaned_data
    attempt(
        request,
        lambda: cycles.assign(assessment, data["scorer"], by=request.user, due=data["due_date"]),
        _("Scorer assigned."),
    )
    return redirect("assessments:assessment_detail", pk=assessment.pk)


@login_required
@require_POST
def assessment_correct(request, pk):
    assessment = _assessment(request, pk)
    require(rules.correct_scores, request.user)
    form = CorrectScoreForm(request.POST, prefix="correct")
    if not form.is_valid():
        return assessment_detail(request, pk, correct_form=form)
    data = form.cleaned_data
    attempt(
        request,
        lambda: scoring.correct_score(
            assessment, by=request.user, score=data["score"], reason=data["reason"]
        ),
        _("Score corrected."),
    )
    return redirect("assessments:assessment_detail", pk=assessment.pk)
