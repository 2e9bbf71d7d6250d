"""The dashboard's panels of stations and applications (registered in apps.py): certified
stations by type and status, and the year's call's applications by state. One or two
aggregate queries each."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from talentstation.dashboard import Chart, Series, register_panel, register_station_types

from .models import Application, Call, Station, StationType

# The statuses of a station that has been certified (live, or revoked since).
CERTIFIED_STATUSES = (Station.Status.CERTIFIED, Station.Status.RECTIFYING, Station.Status.REVOKED)


def _types(filters):
    return [
        (value, label)
        for value, label in StationType.choices
        if not filters.station_type or value == filters.station_type
    ]


def certified_stations(filters):
    """Stations certified by the end of the year, by type and their status today."""
    stations = Station.objects.filter(status__in=CERTIFIED_STATUSES).filter(
        Q(certified_on__isnull=True) | Q(certified_on__lte=filters.last_day)
    )
    if filters.station_type:
        stations = stations.filter(station_type=filters.station_type)
    counts = {
        (row["station_type"], row["status"]): row["n"]
        for row in stations.values("station_type", "status").annotate(n=Count("pk")).order_by()
    }
    types = _types(filters)
    return Chart(
        title=_("Certified stations by type and status"),
        labels=[label for _value, label in types],
        series=[
            Series(
                Station.Status(status).label,
                [counts.get((value, status), 0) for value, _l in types],
            )
            for status in CERTIFIED_STATUSES
        ],
        unit=pgettext("dashboard unit", "stations"),
        label_header=_("station type"),
        note=_("Stations certified by the end of %(year)s, with their status today.")
        % {"year": filters.year},
    )


def call_of(year):
    """The published call of ``year`` (the latest, should there be two), or None."""
    return Call.objects.published().filter(year=year).order_by("-open_date", "-pk").first()


def call_applications(filters):
    """The applications of the year's call by state (drafts are the units' own: not shown)."""
    call = call_of(filters.year)
    statuses = [status for status in Application.Status if status != Application.Status.DRAFT]
    counts = {}
    if call is not None:
        applications = call.applications.exclude(status=Application.Status.DRAFT)
        if filters.station_type:
            applications = applications.filter(station_type=filters.station_type)
        counts = dict(
            applications.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
        )
    note = (
        _("Call: %(title)s (%(open)s to %(close)s).")
        % {"title": call.title, "open": call.open_date, "close": call.close_date}
        if call
        else _("No call was published for %(year)s.") % {"year": filters.year}
    )
    return Chart(
        title=_("Applications of the call by state"),
        labels=[status.label for status in statuses],
        series=[Series(_("applications"), [counts.get(status, 0) for status in statuses])],
        unit=pgettext("dashboard unit", "applications"),
        label_header=_("status"),
        note=note,
    )


def register():
    register_station_types(StationType.choices)
    register_panel("stations", certified_stations, order=10)
    register_panel("applications", call_applications, order=20)
