"""Pages of the nomination batches (Art. 15 honours) and the Annex 3 downloads: the list of
batches, a new batch, a batch with its stations (add, edit, remove while a draft; record the
outcomes once submitted), Annex 3 of a batch as xlsx and PDF, and the Annex 3-style lists of the
year's applicants and of the certified stations. Staff act; officials read and download. One
view per form."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentstation.documents import pdf_response
from talentstation.pages import attempt
from talentstation.rules import require
from talentstation.spreadsheets import xlsx_response
from talentstation.submissions import submit_once
from talentstation.workflow import history

from .. import annex3, nominations, rules
from ..forms.nominations import (
    AddStationForm,
    ApplicantsListForm,
    BatchForm,
    NominationForm,
    OutcomeForm,
    StationsListForm,
)
from ..models import Nomination, NominationBatch


def _download(sheet, fmt):
    if fmt == "pdf":
        return pdf_response(annex3.annex3_pdf(sheet), sheet.filename("pdf"))
    return xlsx_response(annex3.annex3_xlsx(sheet), sheet.filename("xlsx"))


@login_required
def batch_list(request):
    require(rules.view_nominations, request.user)
    context = {
        "batches": NominationBatch.objects.all(),
        "may_manage": rules.manage_nominations(request.user),
    }
    return render(request, "awards/nomination_list.html", context)


@login_required
@submit_once
def batch_create(request):
    require(rules.manage_nominations, request.user)
    form = BatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        batch = nominations.create_batch(form, by=request.user)
        return redirect("awards:nomination_batch", pk=batch.pk)
    status = 400 if form.is_bound else 200
    return render(request, "awards/nomination_batch_form.html", {"form": form}, status=status)


def _batch(request, pk):
    require(rules.view_nominations, request.user)
    return get_object_or_404(NominationBatch.objects.select_related("created_by"), pk=pk)


@login_required
def batch_detail(request, pk, add_form=None, outcome_forms=None):
    batch = _batch(request, pk)
    may_manage = rules.manage_nominations(request.user)
    rows = nominations.batch_nominations(batch)
    outcome_forms = outcome_forms or {}
    for row in rows:
        row.outcome_form = outcome_forms.get(row.pk) or OutcomeForm(
            instance=row, prefix=f"outcome-{row.pk}"
        )
    if add_form is None and may_manage and batch.is_draft:
        add_form = AddStationForm(candidates=nominations.candidates(batch), prefix="add")
    context = {
        "batch": batch,
        "rows": rows,
        "add_form": add_form,
        "may_manage": may_manage,
        "history": history(batch),
    }
    status = 400 if (add_form and add_form.is_bound) or outcome_forms else 200
    return render(request, "awards/nomination_batch.html", context, status=status)


@login_required
@require_POST
def nomination_add(request, pk):
    batch = _batch(request, pk)
    require(rules.manage_nominations, request.user)
    form = AddStationForm(request.POST, candidates=nominations.candidates(batch), prefix="add")
    if not form.is_valid():
        return batch_detail(request, pk, add_form=form)
    station = form.cleaned_data["station"]
    attempt(
        request,
        lambda: nominations.add_station(batch, station, by=request.user),
        _("%(station)s added; check its introduction and reason.") % {"station": station},
    )
    return redirect("awards:nomination_batch", pk=batch.pk)


def _nomination(request, pk):
    require(rules.view_nominations, request.user)
    return get_object_or_404(
        Nomination.objects.select_related("batch", "station__host_unit"), pk=pk
    )


@login_required
def nomination_edit(request, pk):
    nomination = _nomination(request, pk)
    require(rules.manage_nominations, request.user)
    form = NominationForm(request.POST or None, instance=nomination)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            lambda: nominations.save_nomination(form, by=request.user),
            _("Saved."),
        )
    ):
        return redirect("awards:nomination_batch", pk=nomination.batch_id)
    context = {"form": form, "nomination": nomination, "batch": nomination.batch}
    status = 400 if form.is_bound else 200
    return render(request, "awards/nomination_edit.html", context, status=status)


@login_required
@require_POST
def nomination_remove(request, pk):
    nomination = _nomination(request, pk)
    require(rules.manage_nominations, request.user)
    attempt(
        request,
        lambda: nominations.remove_nomination(nomination, by=request.user),
        _("%(station)s removed from the batch.") % {"station": nomination.station},
    )
    return redirect("awards:nomination_batch", pk=nomination.batch_id)


@login_required
@require_POST
def nomination_outcome(request, pk):
    nomination = _nomination(request, pk)
    require(rules.manage_nominations, request.user)
    form = OutcomeForm(request.POST, instance=nomination, prefix=f"outcome-{nomination.pk}")
    if not form.is_valid():
        return batch_detail(request, nomination.batch_id, outcome_forms={nomination.pk: form})
    data = form.cleaned_data
    attempt(
        request,
        lambda: nominations.record_outcome(
            nomination, by=request.user, outcome=data["outcome"], note=data["outcome_note"]
        ),
        _("Outcome recorded for %(station)s.") % {"station": nomination.station},
    )
    return redirect("awards:nomination_batch", pk=nomination.batch_id)


@login_required
def batch_annex3(request, pk, fmt):
    batch = _batch(request, pk)
    require(rules.download_annex3, request.user)
    return _download(annex3.batch_annex3(batch), fmt)


# --- the Annex 3-style lists ------------------------------------------------------------------


def _filled_by(user):
    return getattr(user, "full_name", "") or user.get_username()


@login_required
def annex3_lists(request, applicants_form=None, stations_form=None):
    require(rules.download_annex3, request.user)
    context = {
        "applicants_form": applicants_form or ApplicantsListForm(prefix="applicants"),
        "stations_form": stations_form or StationsListForm(prefix="stations"),
    }
    status = 400 if applicants_form or stations_form else 200
    return render(request, "awards/nomination_lists.html", context, status=status)


@login_required
def applicants_annex3(request, fmt):
    require(rules.download_annex3, request.user)
    form = ApplicantsListForm(request.GET, prefix="applicants")
    if not form.is_valid():
        return annex3_lists(request, applicants_form=form)
    sheet = annex3.applicants_annex3(form.cleaned_data["call"], filled_by=_filled_by(request.user))
    return _download(sheet, fmt)


@login_required
def stations_annex3(request, fmt):
    require(rules.download_annex3, request.user)
    form = StationsListForm(request.GET, prefix="stations")
    if not form.is_valid():
        return annex3_lists(request, stations_form=form)
    data = form.cleaned_data
    sheet = annex3.stations_annex3(
        station_type=data["station_type"], status=data["status"], filled_by=_filled_by(request.user)
    )
    return _download(sheet, fmt)
