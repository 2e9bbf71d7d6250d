"""The station page of bureau staff (officials read it): the station's whole life on one
screen, section by section (:mod:`stations.staff_station`)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from talentstation.rules import view_staff_pages

from ..models import Station
from ..staff_station import Viewer, admin_link, render_sections


@login_required
def staff_station(request, pk):
    # Checked before the station is looked up: someone else learns nothing, not even whether
    # the station exists.
    if not view_staff_pages(request.user):
        raise Http404(_("Not found."))
    station = get_object_or_404(Station.objects.select_related("host_unit"), pk=pk)
    context = {
        "station": station,
        "sections": render_sections(station, request),
        "admin_url": admin_link(Viewer(request.user), station),
    }
    return render(request, "stations/staff/station/page.html", context)
