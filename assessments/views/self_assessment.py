"""The station's self-assessment (自评): its users list their station's cycles, fill in and
submit the self-assessment; staff, officials and the station's scorers read it."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from stations.rules import unit_of
from talentstation.pages import attempt
from talentstation.rules import is_authenticated, require, require_visible
from talentstation.uploads import serve_protected
from talentstation.workflow import history

from .. import cycles, rules
from ..forms.cycles import SelfAssessmentForm
from ..models import Assessment, SelfAssessment


@login_required
def self_assessment_list(request):
    require(is_authenticated, request.user)
    unit = unit_of(request.user)
    assessments = (
        Assessment.objects.filter(station__host_unit=unit)
        .exclude(cycle__status="draft")
        .select_related("cycle", "station", "self_assessment")
        .order_by("-cycle__first_year", "station__name")
        if unit
        else Assessment.objects.none()
    )
    for assessment in assessments:
        assessment.filed = getattr(assessment, "self_assessment", None)
        assessment.late = cycles.self_assessment_late(assessment, assessment.filed)
    context = {"assessments": assessments}
    return render(request, "assessments/self_assessment_list.html", context)


def _assessment(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.select_related("cycle__rubric", "station__host_unit"), pk=pk
    )
    require_visible(rules.view_assessment, request.user, assessment)
    return assessment


@login_required
def self_assessment_edit(request, pk):
    assessment = _assessment(request, pk)
    require(rules.file_self_assessment, request.user, SelfAssessment(assessment=assessment))
    self_assessment = cycles.self_assessment_of(assessment)
    if self_assessment.status != SelfAssessment.Status.DRAFT:
        return redirect("assessments:self_assessment_detail", pk=assessment.pk)
    form = SelfAssessmentForm(self_assessment, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return _save(request, self_assessment, form)
    status = 400 if request.method == "POST" else 200
    context = {"assessment": assessment, "self_assessment": self_assessment, "form": form}
    return render(request, "assessments/self_assessment_edit.html", context, status=status)


def _save(request, self_assessment, form):
    """Save the draft; with 「保存并提交」 also submit it."""
    pk, data = self_assessment.assessment_id, form.cleaned_data
    saved = attempt(
        request,
        lambda: cycles.save_self_assessment(
            self_assessment,
            by=request.user,
            summary=data["summary"],
            claims=form.claims(),
            attachment=data["attachment"] or None,
        ),
        _("Self-assessment saved."),
    )
    if not (saved and "submit" in request.POST):
        return redirect("assessments:self_assessment_edit", pk=pk)
    done = attempt(
        request,
        lambda: cycles.submit_self_assessment(self_assessment, by=request.user),
        _("Self-assessment submitted."),
    )
    return redirect(
        f"assessments:{'self_assessment_detail' if done else 'self_assessment_edit'}", pk=pk
    )


def _self_assessment(request, pk):
    self_assessment = get_object_or_404(
        SelfAssessment.objects.select_related(
            "assessment__cycle__rubric", "assessment__station__host_unit"
        ),
        assessment_id=pk,
    )
    require_visible(rules.view_self_assessment, request.user, self_assessment)
    return self_assessment


@login_required
def self_assessment_detail(request, pk):
    self_assessment = _self_assessment(request, pk)
    context = {
        "self_assessment": self_assessment,
        "assessment": self_assessment.assessment,
        "claims": self_assessment.claims.select_related("item", "tier"),
        "may_edit": rules.file_self_assessment(request.user, self_assessment)
        and self_assessment.status == SelfAssessment.Status.DRAFT,
        "history": history(self_assessment),
    }
    return render(request, "assessments/self_assessment_detail.html", context)


@login_required
def self_assessment_attachment(request, pk):
    self_assessment = _self_assessment(request, pk)
    if not self_assessment.attachment:
        raise Http404
    return serve_protected(self_assessment.attachment, self_assessment.attachment_name)
