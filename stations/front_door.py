"""What the stations app puts on the public front door (talentstation.front_door): the call
(its window and a countdown, or when the next one opens), the certified stations by type with
links into the directory, and the blank Annex 1."""

import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from talentstation.dates import today
from talentstation.documents import PDF_CONTENT_TYPE, render_pdf

from .documents import ANNEX1_TEMPLATE, meta_line
from .models import Application, Call, Station, StationType

# Art. 10: the yearly call runs in the third quarter (as Call.inside_q3 checks).
CALL_QUARTER_FIRST_MONTH = 7
CALL_QUARTER_LAST_MONTH = 9


def call_section():
    """The open call (the one closing first, with the days left), else the next published one
    (with the days until it opens), else when the yearly call is expected. Three queries."""
    day = today()
    calls = list(
        Call.objects.filter(status=Call.Status.PUBLISHED, close_date__gte=day)
        .prefetch_related("documents")
        .order_by("open_date", "close_date", "pk")
    )
    current = next((call for call in calls if call.open_date <= day), None)
    upcoming = next((call for call in calls if call.open_date > day), None)
    values = {"template": "front_door/_call.html", "today": day}
    if current is not None:
        values |= {"call": current, "days_left": (current.close_date - day).days}
    elif upcoming is not None:
        values |= {"next_call": upcoming, "days_until": (upcoming.open_date - day).days}
    else:
        values["expected"] = expected_call(day)
    return values


def expected_call(day):
    """When the yearly call is expected, with none published: this year's third quarter if it
    has not ended and this year had no call yet, else next year's."""
    year = day.year
    quarter_over = day > datetime.date(year, CALL_QUARTER_LAST_MONTH, 30)
    if quarter_over or Call.objects.published().filter(year=year).exists():
        year += 1
    return {
        "year": year,
        "first_month": CALL_QUARTER_FIRST_MONTH,
        "last_month": CALL_QUARTER_LAST_MONTH,
    }


def stations_section():
    """Certified stations by type (every type, with 0 when none), each linking to the directory
    filtered by it. One query."""
    counts = dict(
        Station.objects.certified()
        .order_by()
        .values_list("station_type")
        .annotate(count=Count("pk"))
        .values_list("station_type", "count")
    )
    directory = reverse("stations:directory")
    types = [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "url": f"{directory}?{urlencode({'type': value})}",
        }
        for value, label in StationType.choices
    ]
    return {
        "template": "front_door/_stations.html",
        "types": types,
        "total": sum(counts.values()),
        "directory_url": directory,
    }


def blank_annex1():
    """附件1 申报表 as a blank form to print and fill in by hand."""
    context = {
        "application": Application(),
        "unit_name": "",
        "meta_line": meta_line(""),
        "station_type_label": "",
        "relies_on_host_label": "",
        "built_on": None,
        "area": "",
        "submitted_on": None,
        "office_opinion_date": None,
        "footer": "附件1 空白表",
    }
    pdf = render_pdf(ANNEX1_TEMPLATE, context)
    return pdf, PDF_CONTENT_TYPE, "附件1-福州高新区人才驿站建站申报表.pdf"


def register():
    from django.utils.translation import gettext_lazy as _

    from talentstation.front_door import register_annex_form, register_front_door_section

    register_front_door_section("call", call_section, order=10)
    register_front_door_section("stations", stations_section, order=30)
    register_annex_form("annex1", _("blank Annex 1 application form (PDF)"), blank_annex1, "PDF")
