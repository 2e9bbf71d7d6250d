"""Read-only overview pages for bureau staff and officials, and the staff to-do list."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils.translation import gettext as _

from talentstation.access import require

from .. import access
from ..models import Application, HostUnit, Station, StationType


@login_required
def todo(request):
    require(access.view_staff_todo(request.user))
    context = {
        "unconfirmed_codes": HostUnit.objects.needing_code_confirmation(),
        "units_to_verify": HostUnit.objects.awaiting_verification().filter(
            ~Q(business_licence="")
        ),
        "submitted": Application.objects.filter(status=Application.Status.SUBMITTED)
        .select_related("call", "host_unit", "station")
        .order_by("submitted_at"),
    }
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
