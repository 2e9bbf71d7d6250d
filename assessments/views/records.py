"""Pages of a station's records for its users (staff and officials read them too): the
profile, talent referrals, plans and summaries. One view per form; the work is in
:mod:`assessments.records`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from stations.models import Station
from talentstation.clients import client_key
from talentstation.dates import today
from talentstation.pages import attempt
from talentstation.rules import require, require_visible
from talentstation.submissions import submit_once
from talentstation.uploads import serve_protected
from talentstation.workflow import history

from .. import records, rules
from ..forms.records import ProfileForm, ReferralForm, ReportForm
from ..models import ReportKind, StationReport
from ..models.profile import RULE_FIELDS


def _station(request, pk):
    station = get_object_or_404(Station.objects.select_related("host_unit"), pk=pk)
    require_visible(rules.view_station_records, request.user, station)
    return station


def _editable_station(request, pk):
    station = _station(request, pk)
    require(rules.edit_station_records, request.user, station)
    return station


def _may_edit(request, station):
    return rules.edit_station_records(request.user, station)


def _form_page(request, template, context, form):
    return render(request, template, {**context, "form": form}, status=400 if form.errors else 200)


# --- the profile ------------------------------------------------------------------------------


@login_required
def station_profile(request, pk):
    station = _station(request, pk)
    profile = getattr(station, "profile", None)  # None when it has none yet
    context = {"station": station, "profile": profile, "may_edit": _may_edit(request, station)}
    return render(request, "assessments/profile_detail.html", context)


@login_required
def profile_edit(request, pk):
    station = _editable_station(request, pk)
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=records.profile_of(station),
        client=client_key(request),
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: records.save_profile(form, by=request.user),
            _("The station profile is saved."),
        )
        if saved:
            return redirect("assessments:station_profile", pk=station.pk)
    return _form_page(request, "assessments/profile_edit.html", {"station": station}, form)


@login_required
def profile_document(request, pk, rule):
    station = _station(request, pk)
    profile = getattr(station, "profile", None)  # None when it has none yet
    if rule not in RULE_FIELDS or profile is None:
        raise Http404
    document = getattr(profile, f"{rule}_document")
    if not document:
        raise Http404
    label = profile._meta.get_field(rule).verbose_name
    return serve_protected(document, f"{station.name}-{label}")


# --- talent referrals -------------------------------------------------------------------------


@login_required
def station_referrals(request, pk):
    station = _station(request, pk)
    context = {
        "station": station,
        "referrals": station.talent_referrals.all(),
        "may_edit": _may_edit(request, station),
        "may_open_evidence": rules.download_referral_evidence(request.user, station),
    }
    return render(request, "assessments/referral_list.html", context)


def _referral_form_page(request, station, referral):
    form = ReferralForm(
        request.POST or None, request.FILES or None, instance=referral, client=client_key(request)
    )
    if request.method == "POST" and form.is_valid():
        saved = attempt(
            request,
            lambda: records.save_referral(form, by=request.user),
            _("The talent referral is saved; bureau staff will confirm it."),
        )
        if saved:
            return redirect("assessments:station_referrals", pk=station.pk)
    context = {"station": station, "referral": referral}
    return _form_page(request, "assessments/referral_form.html", context, form)


@login_required
@submit_once
def referral_add(request, pk):
    station = _editable_station(request, pk)
    return _referral_form_page(request, station, station.talent_referrals.model(station=station))


@login_required
def referral_edit(request, pk, referral_pk):
    station = _editable_station(request, pk)
    return _referral_form_page(
        request, station, get_object_or_404(station.talent_referrals, pk=referral_pk)
    )


@login_required
def referral_evidence(request, pk, referral_pk):
    station = _station(request, pk)
    require(rules.download_referral_evidence, request.user, station)
    referral = get_object_or_404(station.talent_referrals, pk=referral_pk)
    if not referral.evidence:
        raise Http404
    return serve_protected(referral.evidence, f"{referral.person_name}-{referral.programme}")


# --- plans and summaries ----------------------------------------------------------------------


@login_required
def station_reports(request, pk):
    station = _station(request, pk)
    context = {
        "station": station,
        "rows": records.station_report_rows(station),
        "may_edit": _may_edit(request, station),
    }
    return render(request, "assessments/report_list.html", context)


@login_required
def report_file(request, pk, year, kind):
    station = _editable_station(request, pk)
    if kind not in ReportKind.values or not 2000 <= year <= today().year + 1:
        raise Http404
    report = records.report_for(station, year, kind)
    form = ReportForm(
        request.POST or None, request.FILES or None, instance=report, client=client_key(request)
    )
    if request.method == "POST" and report.editable_by_station and form.is_valid():
        submit = "submit" in request.POST
        done = _("Submitted to bureau staff.") if submit else _("The draft is saved.")
        if attempt(
            request, lambda: records.save_report(form, by=request.user, submit=submit), done
        ):
            return redirect("assessments:station_reports", pk=station.pk)
    context = {"station": station, "report": report, "due": report.due_date()}
    return _form_page(request, "assessments/report_form.html", context, form)


def _report(request, report_pk):
    report = get_object_or_404(
        StationReport.objects.select_related("station__host_unit"), pk=report_pk
    )
    require_visible(rules.view_station_records, request.user, report)
    return report


@login_required
def report_detail(request, report_pk):
    report = _report(request, report_pk)
    context = {
        "report": report,
        "station": report.station,
        "due": (due := report.due_date()),
        "late": report.is_late(due),
        "may_edit": _may_edit(request, report.station) and report.editable_by_station,
        "history": history(report),
    }
    return render(request, "assessments/report_detail.html", context)


@login_required
def report_document(request, report_pk):
    report = _report(request, report_pk)
    if not report.document:
        raise Http404
    return serve_protected(report.document, str(report))
