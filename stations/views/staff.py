"""Read-only overview pages for bureau staff and officials, and the staff to-do list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from talentstation.access import require
from talentstation.workflow import TransitionRefused, history

from .. import access, review, services
from ..board import build_board
from ..forms import AssignExpertForm, LeadershipDecisionForm
from ..models import Application, Call, Station, StationType
from ..models.review import review_status


@login_required
def todo(request):
    """The staff workflow board (start page of bureau staff)."""
    require(access.view_staff_todo(request.user))
    call = None
    if call_pk := request.GET.get("call"):
        call = get_object_or_404(Call, pk=call_pk)
    context = {"board": build_board(call), "calls": Call.objects.published()}
    return render(request, "stations/staff/todo.html", context)


@login_required
def station_list(request):
    require(access.view_staff_pages(request.user))
    stations = Station.objects.select_related("host_unit").order_by("name")
    station_type = request.GET.get("type", "")
    status = request.GET.get("status", "")
    query = request.GET.get("q", "").strip()
    if station_type in StationType.values:
        stations = stations.filter(station_type=station_type)
    if status in Station.Status.values:
        stations = stations.filter(status=status)
    if query:
        stations = stations.filter(
            Q(name__icontains=query)
            | Q(host_unit__name__icontains=query)
            | Q(host_unit__credit_code__icontains=query.upper())
        )
    counts = dict(
        Station.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": Paginator(stations, 50).get_page(request.GET.get("page")),
        "query": params.urlencode(),
        "types": StationType.choices,
        "statuses": [(v, label, counts.get(v, 0)) for v, label in Station.Status.choices],
        "selected": {"type": station_type, "status": status, "q": query},
        "title": _("Stations"),
    }
    return render(request, "stations/staff/station_list.html", context)


@login_required
def application_list(request):
    require(access.view_staff_pages(request.user))
    applications = Application.objects.select_related("call", "host_unit", "station").order_by(
        "-call__year", "number"
    )
    status = request.GET.get("status", "")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    calls = Call.objects.published()
    call = request.GET.get("call", "")
    if call.isdigit():
        applications = applications.filter(call_id=int(call))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": Paginator(applications, 50).get_page(request.GET.get("page")),
        "statuses": Application.Status.choices,
        "calls": calls,
        "selected": {"status": status, "call": call},
        "query": params.urlencode(),
    }
    return render(request, "stations/staff/application_list.html", context)


@login_required
def application_review(request, pk):
    """Staff's page of one application: formal check, revisions, expert panel, scores."""
    application = get_object_or_404(
        Application.objects.select_related("call__policy_version", "host_unit", "station"),
        pk=pk,
    )
    require(access.view_staff_pages(request.user))
    assign_form = AssignExpertForm(application=application)
    decision_form = LeadershipDecisionForm(prefix="decision")
    if request.method == "POST" and "decision-meeting" in request.POST:
        require(access.view_staff_todo(request.user))
        decision_form = LeadershipDecisionForm(request.POST, prefix="decision")
        if decision_form.is_valid():
            try:
                services.record_leadership_decision(
                    application, by=request.user, **decision_form.cleaned_data
                )
            except TransitionRefused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, _("The leadership group's decision is recorded."))
                return redirect("stations:staff_application", pk=application.pk)
    elif request.method == "POST":
        require(access.view_staff_todo(request.user))
        assign_form = AssignExpertForm(request.POST, application=application)
        if assign_form.is_valid():
            try:
                review.assign_expert(
                    application,
                    assign_form.cleaned_data["expert"],
                    by=request.user,
                    due_date=assign_form.cleaned_data["due_date"],
                )
            except review.ReviewRefused as refusal:
                assign_form.add_error("expert", refusal.message)
            else:
                messages.success(request, _("Expert assigned."))
                return redirect("stations:staff_application", pk=application.pk)
    from assessments.scoring import aggregate, visible_sheets

    context = {
        "application": application,
        "unit": application.host_unit,
        "changes": services.revision_changes(application),
        "assignments": application.review_assignments.select_related("expert"),
        "assign_form": assign_form,
        "decision_form": decision_form,
        "sheets": visible_sheets(application, request.user),
        "summary": aggregate(application),
        "review": review_status(application),
        "history": history(application),
        "may_act": access.view_staff_todo(request.user).allowed,
    }
    return render(request, "stations/staff/application_review.html", context)
