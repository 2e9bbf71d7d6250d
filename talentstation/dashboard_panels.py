"""The core's own panel of the dashboard (registered in apps.py): objections to the lists
under publicity, received in the year, by state. One query."""

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .dashboard import Chart, Series, register_panel
from .models import Objection


def objections_by_state(filters):
    objections = Objection.objects.filter(received_at__year=filters.year)
    counts = dict(
        objections.values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("status", "n")
    )
    statuses = list(Objection.Status)
    note = _("Objections received in %(year)s to the lists under publicity.") % {
        "year": filters.year
    }
    if filters.station_type:
        note += " " + _("Objections are counted for every station type.")
    return Chart(
        title=_("Objections by state"),
        labels=[status.label for status in statuses],
        series=[Series(_("objections"), [counts.get(status, 0) for status in statuses])],
        unit=pgettext("dashboard unit", "objections"),
        label_header=_("status"),
        note=note,
    )


def register():
    register_panel("objections", objections_by_state, order=70)
