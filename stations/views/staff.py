"""Pages of bureau staff (officials read them too): the workflow board, the lists of stations
and applications, one application's review page and its two forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentstation.access_log import VIEW, record_access
from talentstation.assignments import assign_scorer
from talentstation.pages import export_refused, query_without_page
from talentstation.rules import Refused, require, view_staff_pages
from talentstation.scoring import aggregate, visible_sheets
from talentstation.spreadsheets import xlsx_response
from talentstation.todo_sources import lapsed_policy
from talentstation.uploads import serve_protected
from talentstation.workflow import history

from .. import exports, review, rules, services
from ..board import build_board
from ..filters import ApplicationFilter, BoardFilter, StationFilter
from ..forms import AssignExpertForm, LeadershipDecisionForm
from ..models import Application, Call, LeadershipMeeting, Station, StationType


@login_required
def todo(request):
    """The staff workflow board (start page of bureau staff)."""
    require(rules.act_as_staff, request.user)
    filters = BoardFilter(request.GET)
    call = filters.values(request)["call"]
    context = {
        "board": build_board(call),
        "calls": Call.objects.published(),
        "lapsed_policy": lapsed_policy(),
    }
    return render(request, "stations/staff/todo.html", context, status=filters.status_code)


def _filtered_stations(request, *, say_why=True):
    """The filter form, its valid values and the filtered stations; ``say_why``: an invalid
    filter is told to the user (the export leaves it to the list it redirects to)."""
    filters = StationFilter(request.GET)
    values = filters.values(request if say_why else None)
    stations = Station.objects.select_related("host_unit").order_by("name", "pk")
    return filters, values, filters.apply(stations, values)


@login_required
def station_list(request):
    require(view_staff_pages, request.user)
    filters, values, stations = _filtered_stations(request)
    counts = dict(
        Station.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    context = {
        "page": Paginator(stations, 50).get_page(request.GET.get("page")),
        "query": query_without_page(request),
        "types": StationType.choices,
        "statuses": [(v, label, counts.get(v, 0)) for v, label in Station.Status.choices],
        "selected": {key: value or "" for key, value in values.items()},
        "title": _("Stations"),
    }
    return render(request, "stations/staff/station_list.html", context, status=filters.status_code)


@login_required
def station_list_xlsx(request):
    require(view_staff_pages, request.user)
    filters, values, stations = _filtered_stations(request, say_why=False)
    if filters.status_code != 200:
        return export_refused(request, "stations:staff_stations")
    return xlsx_response(*exports.stations_export(stations, filters, values))


def _filtered_applications(request, *, say_why=True):
    filters = ApplicationFilter(request.GET)
    values = filters.values(request if say_why else None)
    applications = Application.objects.select_related("call", "host_unit", "station").order_by(
        "-call__year", "number"
    )
    return filters, values, filters.apply(applications, values)


@login_required
def application_list(request):
    require(view_staff_pages, request.user)
    filters, values, applications = _filtered_applications(request)
    page = Paginator(applications, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "statuses": Application.Status.choices,
        "calls": filters.fields["call"].queryset,
        "selected": {
            "status": values["status"] or "",
            "call": str(values["call"].pk) if values["call"] else "",
            "panel": values["panel"] or "",
        },
        "query": query_without_page(request),
    }
    return render(
        request, "stations/staff/application_list.html", context, status=filters.status_code
    )


@login_required
def application_list_xlsx(request):
    require(view_staff_pages, request.user)
    filters, values, applications = _filtered_applications(request, say_why=False)
    if filters.status_code != 200:
        return export_refused(request, "stations:staff_applications")
    return xlsx_response(*exports.applications_export(applications, filters, values))


def _application(pk):
    return get_object_or_404(
        Application.objects.select_related("call__policy_version", "host_unit", "station"), pk=pk
    )


def _review_page(request, application, *, status=200, **forms):
    """Staff's page of one application: formal check, revisions, expert panel, scores."""
    context = {
        "application": application,
        "unit": application.host_unit,
        "changes": services.revision_changes(application),
        "assignments": application.review_assignments.select_related("scorer"),
        "assign_form": forms.get("assign_form") or AssignExpertForm(application=application),
        "decision_form": forms.get("decision_form") or LeadershipDecisionForm(prefix="decision"),
        "sheets": visible_sheets(application, request.user),
        "summary": aggregate(application),
        "review": review.review_status(application),
        "history": history(application),
        "may_act": rules.act_as_staff(request.user),
    }
    return render(request, "stations/staff/application_review.html", context, status=status)


@login_required
def application_review(request, pk):
    require(view_staff_pages, request.user)
    application = _application(pk)
    record_access(request, application, VIEW, str(application))
    return _review_page(request, application)


@login_required
@require_POST
def assign_expert(request, pk):
    require(rules.act_as_staff, request.user)
    application = _application(pk)
    form = AssignExpertForm(request.POST, application=application)
    if form.is_valid():
        try:
            assign_scorer(
                application,
                form.cleaned_data["expert"],
                by=request.user,
                due_date=form.cleaned_data["due_date"],
            )
        except Refused as refusal:
            form.add_error("expert", refusal.message)
        else:
            messages.success(request, _("Expert assigned."))
            return redirect("stations:staff_application", pk=application.pk)
    return _review_page(request, application, status=400, assign_form=form)


@login_required
@require_POST
def record_decision(request, pk):
    require(rules.act_as_staff, request.user)
    application = _application(pk)
    form = LeadershipDecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        try:
            services.record_leadership_decision(application, by=request.user, **form.cleaned_data)
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The leadership group's decision is recorded."))
            return redirect("stations:staff_application", pk=application.pk)
    return _review_page(request, application, status=400, decision_form=form)


@login_required
def meeting_minutes(request, pk):
    """The minutes of a leadership group meeting (bureau staff only)."""
    require(rules.download_meeting_minutes, request.user)
    meeting = get_object_or_404(LeadershipMeeting, pk=pk)
    if not meeting.minutes:
        raise Http404(_("No minutes have been uploaded."))
    return serve_protected(meeting.minutes, f"{meeting.date:%Y-%m-%d}-{meeting.reference}")
