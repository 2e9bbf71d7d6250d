"""数据概览: the dashboard of officials and staff, and each panel's numbers as xlsx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import dashboard
from .charts import NARROW, render_svg
from .rules import is_official, require, view_staff_pages
from .spreadsheets import xlsx_response

ITEMS_SHOWN = 20  # names listed under a chart (all of them are in its xlsx)


def _filters(request):
    form = dashboard.DashboardFilter(request.GET)
    return form, form.filters()


def _query(filters):
    params = {"year": filters.year}
    if filters.station_type:
        params["type"] = filters.station_type
    return urlencode(params)


def _filter_line(filters):
    station_type = (
        dashboard.station_type_label(filters.station_type) if filters.station_type else _("all")
    )
    return _("Year: %(year)s    Station type: %(type)s") % {
        "year": filters.year,
        "type": station_type,
    }


@login_required
def overview(request):
    require(view_staff_pages, request.user)
    form, filters = _filters(request)
    if form.invalid_labels:
        messages.error(
            request,
            _("Not a valid filter, shown without it: %(fields)s.")
            % {"fields": "、".join(form.invalid_labels)},
        )
    panels = [
        {
            "key": panel.key,
            "chart": chart,
            "svg": render_svg(chart, f"chart-{panel.key}"),
            "svg_narrow": render_svg(chart, f"chart-{panel.key}-narrow", NARROW),
            "more": max(0, len(chart.items) - ITEMS_SHOWN),
        }
        for panel, chart in dashboard.build_charts(filters)
    ]
    context = {
        # Officials start here: what waits on them above the charts (staff have the board).
        "show_todos": is_official(request.user),
        "form": form,
        "filters": filters,
        "filter_line": _filter_line(filters),
        "panels": panels,
        "query": _query(filters),
    }
    status = 400 if form.invalid_labels else 200
    return render(request, "dashboard/overview.html", context, status=status)


@login_required
def panel_xlsx(request, key):
    require(view_staff_pages, request.user)
    panel = dashboard.panel(key)
    if panel is None:
        raise Http404(_("Not found."))
    form, filters = _filters(request)
    if form.invalid_labels:
        return HttpResponse(
            _("Not a valid filter: %(fields)s.") % {"fields": "、".join(form.invalid_labels)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    chart = panel.build(filters)
    data = dashboard.chart_workbook(chart, _filter_line(filters))
    return xlsx_response(data, f"{chart.title}-{filters.year}.xlsx")
