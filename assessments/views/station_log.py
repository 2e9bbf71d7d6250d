"""The station's operation log 「驿站运营」: its hub (this year's log and compliance), one form
per page to log or edit an activity or a service record, the activity files, and the xlsx
import. Staff and officials read the same pages (staff review on them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stations.models import Station
from talentstation.pages import attempt, query_without_page
from talentstation.rules import Refused, require, require_visible
from talentstation.submissions import submit_once
from talentstation.uploads import serve_protected
from talentstation.workflow import history

from .. import imports, operations, rules
from ..compliance import station_compliance
from ..forms.activities import (
    ActivityForm,
    ActivityImportForm,
    ConfirmImportForm,
    LogFilter,
    ServiceRecordForm,
)
from ..models import Activity, ActivityFile, ServiceRecord
from ..resources import COLUMNS

PAGE_SIZE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _station(request, pk, rule=rules.view_operations):
    station = get_object_or_404(Station.objects.select_related("host_unit"), pk=pk)
    require_visible(rules.view_operations, request.user, station)
    if rule is not rules.view_operations:
        require(rule, request.user, station)
    return station


def _entry(request, model, pk):
    entry = get_object_or_404(model.objects.select_related("station__host_unit"), pk=pk)
    require_visible(rules.view_entry, request.user, entry)
    return entry


@login_required
def my_operations(request):
    """The navbar's 「驿站运营」: the hub of the user's live station, or the list of them."""
    stations = operations.live_stations_of(request.user)
    if len(stations) == 1:
        return redirect("assessments:station_operations", pk=stations[0].pk)
    return render(request, "assessments/operations_mine.html", {"stations": stations})


def _log_page(request, pk, model, template):
    station = _station(request, pk)
    filters = LogFilter(request.GET)
    year = filters.year_of(request)
    entries = model.objects.filter(station=station, date__year=year).select_related("station")
    context = {
        "station": station,
        "year": year,
        "compliance": station_compliance(station, year),
        "page": Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query_without_page(request),
        "may_log": rules.log_entries(request.user, station),
        "may_import": rules.import_activities(request.user, station),
    }
    return render(request, template, context, status=filters.status_code)


@login_required
def station_operations(request, pk):
    return _log_page(request, pk, Activity, "assessments/operations_station.html")


@login_required
def station_services(request, pk):
    return _log_page(request, pk, ServiceRecord, "assessments/operations_services.html")


def _form_page(request, context, status=200):
    return render(request, "assessments/operations_entry_form.html", context, status=status)


@login_required
@submit_once
def activity_add(request, pk):
    station = _station(request, pk, rules.log_entries)
    form = ActivityForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = operations.log_activity(
                station,
                data,
                by=request.user,
                photos=data["photos"],
                sign_in_sheets=data["sign_in_sheets"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The activity is logged and waits for acceptance."))
            return redirect(activity)
    context = {"station": station, "form": form, "title": _("Log an activity"), "files": True}
    return _form_page(request, context, status=400 if form.is_bound else 200)


@login_required
@submit_once
def service_add(request, pk):
    station = _station(request, pk, rules.log_entries)
    form = ServiceRecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = operations.log_service(station, form.cleaned_data, by=request.user)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The service record is logged and waits for acceptance."))
            return redirect(record)
    context = {"station": station, "form": form, "title": _("Log a service record")}
    return _form_page(request, context, status=400 if form.is_bound else 200)


def _edit(request, model, pk, form_class, title):
    entry = _entry(request, model, pk)
    decision = rules.edit_entry.check(request.user, entry)
    if not decision:
        messages.info(request, decision.reason)
        return redirect(entry)
    form = form_class(request.POST or None, request.FILES or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        files = {key: data.get(key) or () for key in ("photos", "sign_in_sheets")}
        if attempt(
            request,
            lambda: operations.edit(entry, data, by=request.user, **files),
            _("Saved: the entry waits for acceptance."),
        ):
            return redirect(entry)
    context = {"station": entry.station, "form": form, "title": title, "entry": entry}
    context["files"] = "photos" in form.fields
    return _form_page(request, context, status=400 if form.is_bound else 200)


@login_required
def activity_edit(request, pk):
    return _edit(request, Activity, pk, ActivityForm, _("Edit the activity"))


@login_required
def service_edit(request, pk):
    return _edit(request, ServiceRecord, pk, ServiceRecordForm, _("Edit the service record"))


def _detail(request, entry, template, **extra):
    context = {
        "entry": entry,
        "station": entry.station,
        "history": history(entry),
        "may_edit": rules.edit_entry(request.user, entry),
        "may_review": rules.review_entries(request.user, entry),
        **extra,
    }
    return render(request, template, context)


@login_required
def activity_detail(request, pk):
    activity = _entry(request, Activity, pk)
    files = activity.files.select_related("uploaded_by")
    return _detail(request, activity, "assessments/activity_detail.html", files=files)


@login_required
def service_detail(request, pk):
    record = _entry(request, ServiceRecord, pk)
    return _detail(request, record, "assessments/service_detail.html")


def _file(request, pk):
    activity_file = get_object_or_404(
        ActivityFile.objects.select_related("activity__station__host_unit"), pk=pk
    )
    require_visible(rules.download_entry_file, request.user, activity_file)
    return activity_file


@login_required
def activity_file(request, pk):
    activity_file = _file(request, pk)
    return serve_protected(activity_file.file, activity_file.original_name)


@login_required
@require_POST
def activity_file_delete(request, pk):
    activity_file = _file(request, pk)
    activity = activity_file.activity
    require(rules.edit_entry, request.user, activity)
    attempt(
        request,
        lambda: operations.remove_file(activity_file, by=request.user),
        _("File removed."),
    )
    return redirect("assessments:activity_edit", pk=activity.pk)


# -- the xlsx import: template, preview, confirm ------------------------------------------------


@login_required
def activity_import_template(request, pk):
    _station(request, pk, rules.import_activities)
    response = HttpResponse(imports.template_xlsx(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=imports.TEMPLATE_NAME
    )
    return response


def _import_page(request, station, form, preview=None, status=200):
    context = {"station": station, "form": form, "preview": preview, "columns": COLUMNS}
    return render(request, "assessments/activity_import.html", context, status=status)


@login_required
def activity_import(request, pk):
    station = _station(request, pk, rules.import_activities)
    form = ActivityImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _import_page(request, station, form)
    if not form.is_valid():
        return _import_page(request, station, form, status=400)
    preview = imports.preview(station, form.cleaned_data["file"], by=request.user)
    return _import_page(request, station, form, preview, status=200 if preview.importable else 400)


@login_required
@require_POST
def activity_import_confirm(request, pk):
    station = _station(request, pk, rules.import_activities)
    form = ConfirmImportForm(request.POST)
    try:
        if not form.is_valid():
            raise Refused(_("The preview has expired: upload the file again."))
        count = imports.confirm(station, form.cleaned_data["token"], by=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("assessments:activity_import", pk=station.pk)
    messages.success(
        request, _("%(count)d activities imported; they wait for acceptance.") % {"count": count}
    )
    return redirect("assessments:station_operations", pk=station.pk)
