"""The sections of the staff station page (:mod:`stations.staff_station`) that assessments
contributes (registered in ``AssessmentsConfig.ready``): the activities with the Art. 7(6)
compliance of this year and last year, and the station's assessments. Each reads a constant
number of queries whatever the number of rows."""

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from stations.staff_station import register_section, with_admin_links
from talentstation.dates import today

from .compliance import Minimums, station_compliance
from .evidence import year_totals
from .models import Activity, ServiceRecord

RECENT_ACTIVITIES = 10


def _status_counts(model, station):
    counts = dict(
        model.objects.filter(station=station)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(label, counts.get(value, 0)) for value, label in model.Status.choices]


def activities_section(station, viewer):
    """This year's and last year's accepted activities and person-times against the minimums
    (this year's against the pace too), the entries by status, and the latest activities."""
    on = today()
    minimums = Minimums.current()
    years = []
    for year in (on.year, on.year - 1):
        totals = year_totals(year, [station.pk])[station.pk]
        years.append(station_compliance(station, year, on=on, minimums=minimums, totals=totals))
    recent = station.activities.order_by("-date", "-pk")[:RECENT_ACTIVITIES]
    return {
        "station": station,
        "years": years,
        "minimums": minimums,
        "activity_counts": _status_counts(Activity, station),
        "service_counts": _status_counts(ServiceRecord, station),
        "recent": with_admin_links(viewer, recent),
    }


def assessments_section(station, viewer):
    """Every cycle the station was assessed in, with its final score against the cycle's pass
    mark once the cycle is closed."""
    assessments = station.assessments.select_related("cycle__policy_version").order_by(
        "-cycle__first_year", "-pk"
    )
    rows = []
    for assessment, admin_url in with_admin_links(viewer, assessments):
        cycle = assessment.cycle
        mark = cycle.policy_version.pass_mark if cycle.policy_version_id else None
        closed = cycle.is_closed
        below = closed and None not in (assessment.score, mark) and assessment.score < mark
        rows.append(
            {
                "assessment": assessment,
                "cycle": cycle,
                "closed": closed,
                "pass_mark": mark,
                "below_pass_mark": below,
                "has_annex2": cycle.rubric_id is not None,
                "admin_url": admin_url,
            }
        )
    return {"rows": rows}


def register():
    register_section(
        "activities",
        _("Activities and compliance"),
        activities_section,
        order=40,
        template="assessments/staff_station/activities.html",
    )
    register_section(
        "assessments",
        _("Assessments"),
        assessments_section,
        order=50,
        template="assessments/staff_station/assessments.html",
    )
