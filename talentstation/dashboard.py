"""The overview of officials and staff (数据概览, ``/dashboard/``): a registry of panels.

The core names no app: each app registers its panels in its ``AppConfig.ready()`` with
:func:`register_panel` (a key, a function and an order). A panel function takes the
:class:`Filters` (year and station type) and returns one :class:`Chart`: its title, the labels
of its categories, its series of numbers (each with a name), the unit, and what the table below
it shows. The page draws each chart as SVG (:mod:`talentstation.charts`), prints its numbers as
a table and offers them as xlsx (``/dashboard/<key>.xlsx``). Each panel computes its numbers in
the database with a constant number of queries, whatever the number of rows.
"""

import datetime
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from .dates import today
from .forms_base import PortalForm
from .spreadsheets import Column, official_workbook

BAR = "bar"  # horizontal bars, one per series in each category
LINE = "line"  # a line per series over the labels (e.g. the months)


@dataclass(frozen=True)
class Series:
    """One row of numbers of a chart, a number per label. ``drawn=False``: only in the table
    and the xlsx (e.g. amounts of money beside counts)."""

    name: str
    values: list
    drawn: bool = True
    unit: str = ""


@dataclass(frozen=True)
class Chart:
    title: str
    labels: list
    series: list
    unit: str = ""
    kind: str = BAR
    label_header: str = ""  # the header of the labels' column in the table
    note: str = ""  # one sentence below the title (e.g. the pass mark, which call)
    items: list = field(default_factory=list)  # names listed under the table (e.g. stations)
    items_title: str = ""

    @property
    def drawn_series(self):
        return [series for series in self.series if series.drawn]

    @property
    def headers(self):
        return [
            str(self.label_header or _("category")),
            *(
                f"{series.name}（{series.unit or self.unit}）"
                if (series.unit or self.unit)
                else str(series.name)
                for series in self.series
            ),
        ]

    @property
    def rows(self):
        """The table: a row per label, its value in each series."""
        return [
            [str(label), *(series.values[index] for series in self.series)]
            for index, label in enumerate(self.labels)
        ]

    @property
    def is_empty(self):
        return not any(value for series in self.drawn_series for value in series.values)


@dataclass(frozen=True)
class Filters:
    year: int
    station_type: str = ""  # "" = every type

    @property
    def first_day(self):
        return datetime.date(self.year, 1, 1)

    @property
    def last_day(self):
        return datetime.date(self.year, 12, 31)


@dataclass(frozen=True)
class Panel:
    key: str
    build: object  # function(Filters) -> Chart
    order: int


_PANELS: dict[str, Panel] = {}
_STATION_TYPES: list = []


def register_panel(key, fn, order):
    """Show the chart ``fn(filters)`` on the dashboard under ``key`` (its xlsx is
    ``/dashboard/<key>.xlsx``), panels ordered by ``order``."""
    _PANELS[key] = Panel(key, fn, order)


def register_station_types(choices):
    """The station types the filter offers (registered by the stations app)."""
    _STATION_TYPES[:] = list(choices)


def panels():
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key))


def panel(key):
    return _PANELS.get(key)


def station_type_label(value):
    return dict(_STATION_TYPES).get(value, value)


class DashboardFilter(PortalForm):
    """The year and station type of the dashboard (GET). A bad value is dropped and named in a
    message; the dashboard then shows this year, every type."""

    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)
    type = forms.ChoiceField(label=_("station type"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data else None, **kwargs)
        self.fields["type"].choices = [("", _("all")), *_STATION_TYPES]

    def filters(self):
        """The :class:`Filters` of the valid values (the invalid ones replaced by defaults)."""
        year, station_type = today().year, ""
        if self.is_bound:
            self.is_valid()
            cleaned = self.cleaned_data
            if "year" not in self.errors and cleaned.get("year"):
                year = cleaned["year"]
            if "type" not in self.errors:
                station_type = cleaned.get("type") or ""
        return Filters(year=year, station_type=station_type)

    @property
    def invalid_labels(self):
        if not self.is_bound or self.is_valid():
            return []
        return [str(self.fields[name].label) for name in self.errors]


def build_charts(filters):
    """``[(panel, chart)]`` of every registered panel."""
    return [(item, item.build(filters)) for item in panels()]


def chart_workbook(chart, filter_line) -> bytes:
    """The xlsx of a chart: its title, the filters and note, its table, then its items."""
    columns = [
        Column(header, width=28 if index == 0 else 16) for index, header in enumerate(chart.headers)
    ]
    blank = [""] * len(chart.series)
    rows = list(chart.rows)
    if chart.items:
        rows.append([str(chart.items_title), *blank])
        rows += [[str(item), *blank] for item in chart.items]
    header_lines = [filter_line] + ([str(chart.note)] if chart.note else [])
    return official_workbook(str(chart.title), columns, rows, header_lines=header_lines)
