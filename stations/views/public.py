"""Pages anyone may open, without logging in: published calls, the directory, plaque checks."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from talentstation.uploads import serve_protected

from .. import public_badges
from ..filters import DirectoryFilter
from ..models import Call, CallDocument, Station, StationType


def call_list(request):
    calls = Call.objects.published().prefetch_related("documents")
    return render(request, "stations/public/call_list.html", {"calls": calls})


def call_detail(request, pk):
    call = get_object_or_404(Call.objects.published().prefetch_related("documents"), pk=pk)
    return render(request, "stations/public/call_detail.html", {"call": call})


def call_document(request, pk, document_pk):
    document = get_object_or_404(
        CallDocument, pk=document_pk, call__pk=pk, call__in=Call.objects.published()
    )
    return serve_protected(document.file, document.title)


def directory(request):
    """The public directory of certified stations (no personal data)."""
    stations = Station.objects.certified().select_related("host_unit").order_by("name")
    filters = DirectoryFilter(request.GET)
    values = filters.values(request)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": Paginator(filters.apply(stations, values), 30).get_page(request.GET.get("page")),
        "types": StationType.choices,
        "selected": {"type": values["type"] or "", "q": values["q"] or ""},
        "query": params.urlencode(),
    }
    return render(request, "stations/public/directory.html", context, status=filters.status_code)


def directory_station(request, pk):
    """A station of the directory; a revoked one keeps its page, saying so with the date (it
    is no longer listed)."""
    shown = Station.objects.filter(status__in=[*Station.LIVE_STATES, Station.Status.REVOKED])
    station = get_object_or_404(shown.select_related("host_unit"), pk=pk)
    badges = public_badges.badges_for(station)
    return render(request, "stations/public/station.html", {"station": station, "badges": badges})


def verify_plaque(request, plaque_number):
    """Where the certificate's QR code leads: is this plaque genuine and still valid?"""
    station = (
        Station.objects.filter(plaque_number=plaque_number).select_related("host_unit").first()
    )
    return render(
        request,
        "stations/public/verify.html",
        {
            "station": station,
            "plaque_number": plaque_number,
            "badges": public_badges.badges_for(station) if station and station.is_live else [],
        },
        status=200 if station else 404,
    )
