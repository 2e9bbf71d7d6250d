"""The expert's pages: his assignments, the declaration, the on-site visit and his score sheet."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from assessments.forms import ScoreSheetForm
from assessments.models import ScoreSheetTemplate
from assessments.scoring import sheet_for, submit_sheet, visible_sheets
from talentstation.access import deny, require
from talentstation.roles import is_expert
from talentstation.workflow import TransitionRefused

from .. import review
from ..forms import AffiliationForm, SiteVisitForm
from ..models import ExpertAffiliation, ReviewAssignment


def _require_expert(user):
    require(deny(_("These pages are for experts.")) if not is_expert(user) else True)


@login_required
def assignments(request):
    _require_expert(request.user)
    rows = ReviewAssignment.objects.filter(expert=request.user).select_related(
        "application__host_unit", "application__call"
    )
    return render(request, "stations/expert/assignments.html", {"assignments": rows})


def _assignment(request, pk):
    _require_expert(request.user)
    return get_object_or_404(
        ReviewAssignment.objects.select_related("application__host_unit", "application__call"),
        pk=pk,
        expert=request.user,
    )


@login_required
def assignment(request, pk):
    assignment = _assignment(request, pk)
    application = assignment.application
    if not assignment.declared:
        if request.method == "POST" and request.POST.get("declare"):
            try:
                review.declare_no_conflict(assignment, by=request.user)
            except review.ReviewRefused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("Declaration recorded."))
            return redirect("stations:expert_assignment", pk=assignment.pk)
        return render(request, "stations/expert/declare.html", {"assignment": assignment})

    template = ScoreSheetTemplate.active_for(ScoreSheetTemplate.Purpose.APPLICATION_REVIEW)
    sheet = sheet_for(template, request.user, application)
    visit_form = SiteVisitForm(instance=assignment, prefix="visit")
    sheet_form = ScoreSheetForm(sheet)
    if request.method == "POST" and "visit-visit_date" in request.POST:
        visit_form = SiteVisitForm(request.POST, request.FILES, instance=assignment, prefix="visit")
        if visit_form.is_valid():
            review.record_visit(
                assignment,
                by=request.user,
                visit_date=visit_form.cleaned_data["visit_date"],
                notes=visit_form.cleaned_data["visit_notes"],
                photos=request.FILES.getlist("visit-photos"),
            )
            messages.success(request, _("On-site visit recorded."))
            return redirect("stations:expert_assignment", pk=assignment.pk)
    elif request.method == "POST":
        submitting = "submit" in request.POST
        sheet_form = ScoreSheetForm(sheet, request.POST, for_submit=submitting)
        if sheet_form.is_valid() and sheet_form.save(by=request.user) is not None:
            if submitting:
                try:
                    submit_sheet(sheet, request.user)
                except TransitionRefused as refusal:
                    messages.error(request, refusal.message)
                    return redirect("stations:expert_assignment", pk=assignment.pk)
                messages.success(request, _("Score sheet submitted."))
            else:
                messages.success(request, _("Scores saved."))
            return redirect("stations:expert_assignment", pk=assignment.pk)
    context = {
        "assignment": assignment,
        "application": application,
        "visit_form": visit_form,
        "sheet": sheet,
        "sheet_form": sheet_form,
        "others": [s for s in visible_sheets(application, request.user) if s.pk != sheet.pk],
        "photos": assignment.photos.all(),
    }
    return render(request, "stations/expert/assignment.html", context)


@login_required
def affiliations(request):
    """The expert records the organisations he is tied to (by credit code), so that he is
    never assigned to their applications."""
    _require_expert(request.user)
    form = AffiliationForm()
    if request.method == "POST" and "delete" in request.POST:
        ExpertAffiliation.objects.filter(expert=request.user,
                                         pk=request.POST.get("delete")).delete()
        messages.success(request, _("Affiliation removed."))
        return redirect("stations:expert_affiliations")
    if request.method == "POST":
        form = AffiliationForm(request.POST)
        if form.is_valid():
            affiliation = form.save(commit=False)
            affiliation.expert = request.user
            if ExpertAffiliation.objects.filter(expert=request.user,
                                                credit_code=affiliation.credit_code).exists():
                form.add_error("credit_code", _("You have recorded this organisation already."))
            else:
                affiliation.save()
                messages.success(request, _("Affiliation recorded."))
                return redirect("stations:expert_affiliations")
    context = {"form": form,
               "affiliations": ExpertAffiliation.objects.filter(expert=request.user)}
    return render(request, "stations/expert/affiliations.html", context)
