"""Pages of the ranking: a cycle's ranking proposal (staff act, officials read), the order of a
tie staff decide, the results notice and the excellent stations' certificates."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import AssessmentCycle
from talentstation.documents import pdf_response
from talentstation.pages import attempt
from talentstation.rules import Refused, require, require_visible
from talentstation.workflow import can_perform, perform

from .. import documents_ranking, ranking, rules
from ..forms.ranking import ApproveForm, ProposeForm, PublicityForm, TieOrderForm
from ..models import Ranking, RankingEntry


def _ranking(request, pk):
    require(rules.view_rankings, request.user)
    return get_object_or_404(Ranking.objects.select_related("cycle", "policy_version"), pk=pk)


@login_required
def ranking_for_cycle(request, cycle_pk):
    """The ranking of a closed cycle, or the button that proposes it."""
    require(rules.view_rankings, request.user)
    cycle = get_object_or_404(AssessmentCycle.objects.closed(), pk=cycle_pk)
    existing = Ranking.objects.filter(cycle=cycle).first()
    if existing:
        return redirect("awards:ranking_detail", pk=existing.pk)
    may_compute = rules.manage_ranking(request.user)
    return render(
        request, "awards/ranking_start.html", {"cycle": cycle, "may_compute": may_compute}
    )


@login_required
@require_POST
def ranking_compute(request, cycle_pk):
    require(rules.manage_ranking, request.user)
    cycle = get_object_or_404(AssessmentCycle.objects.closed(), pk=cycle_pk)
    result = {}

    def compute():
        result["ranking"] = ranking.propose(cycle, request.user)

    if attempt(request, compute, _("The ranking was computed from the final scores.")):
        return redirect("awards:ranking_detail", pk=result["ranking"].pk)
    return redirect("awards:ranking_for_cycle", cycle_pk=cycle.pk)


@login_required
def ranking_detail(request, pk, *, propose_form=None, approve_form=None, publicity_form=None):
    obj = _ranking(request, pk)
    user = request.user
    context = {
        "ranking": obj,
        "cycle": obj.cycle,
        "titles": obj.policy_version.tie_break_titles,
        "entries": ranking.entries_of(obj),
        "may_manage": rules.manage_ranking(user),
        "may_propose": can_perform(obj, "propose", user),
        "may_approve": can_perform(obj, "approve", user),
        "propose_form": propose_form or ProposeForm(prefix="propose"),
        "approve_form": approve_form or ApproveForm(prefix="approve"),
        "publicity_form": publicity_form
        or PublicityForm(prefix="publicity", initial=ranking.publicity_defaults(obj)),
        "publicities": ranking.publicities_of(obj),
    }
    return render(request, "awards/ranking_detail.html", context)


@login_required
@require_POST
def ranking_propose(request, pk):
    obj = _ranking(request, pk)
    require(rules.manage_ranking, request.user)
    form = ProposeForm(request.POST, prefix="propose")
    if not form.is_valid():
        return ranking_detail(request, pk, propose_form=form)
    reason = form.cleaned_data["reason"]
    attempt(
        request,
        lambda: perform(obj, "propose", by=request.user, reason=reason),
        _("The ranking is proposed."),
    )
    return redirect("awards:ranking_detail", pk=obj.pk)


@login_required
@require_POST
def ranking_approve(request, pk):
    obj = _ranking(request, pk)
    require(rules.manage_ranking, request.user)
    form = ApproveForm(request.POST, prefix="approve")
    if not form.is_valid():
        return ranking_detail(request, pk, approve_form=form)
    data = form.cleaned_data
    attempt(
        request,
        lambda: ranking.approve(obj, by=request.user, **data),
        _("The approval of the leadership group is recorded."),
    )
    return redirect("awards:ranking_detail", pk=obj.pk)


@login_required
@require_POST
def ranking_recompute(request, pk):
    obj = _ranking(request, pk)
    require(rules.manage_ranking, request.user)
    attempt(
        request,
        lambda: ranking.propose(obj.cycle, request.user),
        _("The ranking was computed again from the final scores."),
    )
    return redirect("awards:ranking_detail", pk=obj.pk)


@login_required
def ranking_tie(request, pk, entry_pk):
    """Staff set the order of stations the tie-break does not separate."""
    obj = _ranking(request, pk)
    require(rules.manage_ranking, request.user)
    entry = get_object_or_404(
        obj.entries.filter(tie_decision=RankingEntry.TieDecision.PENDING), pk=entry_pk
    )
    entries = ranking.undecided_set(entry)
    form = TieOrderForm(request.POST or None, entries=entries, prefix="tie")
    if request.method == "POST" and form.is_valid():
        order, reason = form.ordered_entries(), form.cleaned_data["reason"]
        try:
            ranking.decide_tie(entry, order, by=request.user, reason=reason)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("awards:ranking_detail", pk=obj.pk)
    context = {"ranking": obj, "cycle": obj.cycle, "entries": entries, "form": form}
    return render(request, "awards/ranking_tie.html", context)


@login_required
@require_POST
def ranking_publicity(request, pk):
    """The draft publicity of the excellent stations; staff start it in admin."""
    obj = _ranking(request, pk)
    require(rules.manage_ranking, request.user)
    form = PublicityForm(request.POST, prefix="publicity")
    if not form.is_valid():
        return ranking_detail(request, pk, publicity_form=form)
    result = {}

    def create():
        result["publicity"] = ranking.publicity_for(obj, request.user, **form.cleaned_data)

    if attempt(request, create, _("The draft publicity is ready: start it in the admin.")):
        return redirect(
            reverse("admin:talentstation_publicity_change", args=[result["publicity"].pk])
        )
    return redirect("awards:ranking_detail", pk=obj.pk)


@login_required
def results_notice(request, pk):
    obj = _ranking(request, pk)
    pdf = documents_ranking.results_notice_pdf(obj)
    return pdf_response(pdf, documents_ranking.results_notice_filename(obj))


@login_required
def certificate(request, pk):
    entry = get_object_or_404(
        RankingEntry.objects.select_related(
            "station__host_unit", "ranking__cycle", "ranking__policy_version"
        ),
        pk=pk,
    )
    require_visible(rules.download_certificate, request.user, entry)
    pdf = documents_ranking.certificate_pdf(entry)
    return pdf_response(pdf, documents_ranking.certificate_filename(entry))
