"""Server-side SVG charts of the dashboard (:class:`talentstation.dashboard.Chart`).

No script and no inline style (the nonce CSP allows neither without the nonce): only SVG
elements and presentation attributes. Every chart reads without colour: bars carry their value
printed at their end and a fill pattern per series (solid, hatched, dotted, cross-hatched);
lines have a marker shape and a dash pattern per series. The SVG is ``role="img"`` labelled by
its ``<title>`` and ``<desc>``; the numbers are in the table the page prints below it.

Each chart comes in two layouts: :data:`WIDE` for a desktop column, :data:`NARROW` for a phone
(drawn at about its own size there, so its text stays readable: a bar chart's labels above its
bars, a line chart's labels thinned out when they would touch). The page shows one of the two.
A value of ``None`` (a month not reached yet) is left out: a gap in a line, no bar.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .dashboard import LINE

FONT = 13
INK = "#212529"
GRID = "#ced4da"
# Dark enough for 3:1 against white (graphics), told apart by pattern and marker too.
COLOURS = ("#1f4e79", "#a14900", "#2e6b30", "#6a1b9a", "#7a5c00")
DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 2")
MARKERS = ("circle", "square", "triangle", "diamond", "cross")


@dataclass(frozen=True)
class Layout:
    """The width a chart is drawn at (its viewBox), and whether it is the phone's layout."""

    width: int
    narrow: bool = False


WIDE = Layout(640)
NARROW = Layout(340, narrow=True)


def format_number(value):
    if value is None:
        return "0"
    if isinstance(value, Decimal | float) and value != int(value):
        return f"{value:,.2f}"
    return f"{int(value):,}"


def _text_width(text):
    """The width of ``text`` in pixels at :data:`FONT` (a Chinese character counts one em)."""
    return sum(FONT if ord(char) > 0x2E80 else FONT * 0.6 for char in str(text))


def nice_maximum(value):
    """The top of the value axis: 1, 2, 2.5 or 5 times a power of ten, at least ``value``, and
    at least 5 (so that the five steps of a count are whole numbers)."""
    if value <= 5:
        return 5
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            top = step * power
            return int(top) if top >= 1 else top
    return 10 * power  # pragma: no cover


def ticks(top, count=5):
    step = top / count
    return [step * index for index in range(count + 1)]


def _patterns(chart_id, count):
    """A ``<pattern>`` per series: solid, diagonal hatch, dots, cross-hatch, vertical lines."""
    parts = []
    for index in range(count):
        colour = COLOURS[index % len(COLOURS)]
        kind = index % 5
        pid = f"{chart_id}-p{index}"
        if kind == 0:
            body = f'<rect width="8" height="8" fill="{colour}"/>'
        elif kind == 1:
            body = (
                '<rect width="8" height="8" fill="#ffffff"/>'
                f'<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="{colour}" '
                'stroke-width="2.5"/>'
            )
        elif kind == 2:
            body = (
                '<rect width="8" height="8" fill="#ffffff"/>'
                f'<circle cx="4" cy="4" r="2.2" fill="{colour}"/>'
            )
        elif kind == 3:
            body = (
                '<rect width="8" height="8" fill="#ffffff"/>'
                f'<path d="M0,0 l8,8 M8,0 l-8,8" stroke="{colour}" stroke-width="1.8"/>'
            )
        else:
            body = (
                '<rect width="8" height="8" fill="#ffffff"/>'
                f'<path d="M2,0 v8 M6,0 v8" stroke="{colour}" stroke-width="2"/>'
            )
        parts.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f"{body}</pattern>"
        )
    return "<defs>" + "".join(parts) + "</defs>"


def _marker(kind, x, y, colour, size=4.5):
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size}" fill="{colour}"/>'
    if kind == "square":
        return (
            f'<rect x="{x - size:.1f}" y="{y - size:.1f}" width="{2 * size}" '
            f'height="{2 * size}" fill="#ffffff" stroke="{colour}" stroke-width="2"/>'
        )
    if kind == "triangle":
        points = f"{x:.1f},{y - size - 1:.1f} {x - size - 1:.1f},{y + size:.1f} "
        points += f"{x + size + 1:.1f},{y + size:.1f}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "diamond":
        points = f"{x:.1f},{y - size - 1:.1f} {x + size + 1:.1f},{y:.1f} "
        points += f"{x:.1f},{y + size + 1:.1f} {x - size - 1:.1f},{y:.1f}"
        return f'<polygon points="{points}" fill="#ffffff" stroke="{colour}" stroke-width="2"/>'
    return (
        f'<path d="M{x - size:.1f},{y - size:.1f} L{x + size:.1f},{y + size:.1f} '
        f'M{x + size:.1f},{y - size:.1f} L{x - size:.1f},{y + size:.1f}" '
        f'stroke="{colour}" stroke-width="2.5"/>'
    )


def _text(x, y, text, *, anchor="start", size=FONT, weight="normal"):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{INK}">{escape(text)}</text>'
    )


LEGEND_ROW = 22


def _legend(chart, chart_id, layout, *, lines):
    """The series' names with their pattern (bars) or marker and dash (lines), in rows that
    wrap at the chart's width: ``(svg, height)``."""
    parts, x, y = [], 8, 20
    for index, series in enumerate(chart.drawn_series):
        key_width = 34 if lines else 22
        if x > 8 and x + key_width + _text_width(series.name) > layout.width - 8:
            x, y = 8, y + LEGEND_ROW
        colour = COLOURS[index % len(COLOURS)]
        if lines:
            dash = DASHES[index % len(DASHES)]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{x}" y1="{y - 4}" x2="{x + 28}" y2="{y - 4}" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
            parts.append(_marker(MARKERS[index % len(MARKERS)], x + 14, y - 4, colour))
        else:
            parts.append(
                f'<rect x="{x}" y="{y - 12}" width="16" height="16" '
                f'fill="url(#{chart_id}-p{index})" stroke="{colour}" stroke-width="1.5"/>'
            )
        x += key_width
        parts.append(_text(x, y, series.name))
        x += _text_width(series.name) + 20
    return "".join(parts), y + 10


def _unit_caption(chart):
    return _("Unit: %(unit)s") % {"unit": chart.unit} if chart.unit else ""


def _bar_chart(chart, chart_id, layout):
    series = chart.drawn_series
    labels = [str(label) for label in chart.labels]
    if layout.narrow:  # each label on its own line above its bars
        left, label_height, right = 8, 18, 44
    else:
        left = min(230, max(70, max((_text_width(label) for label in labels), default=0) + 16))
        label_height, right = 0, 70
    legend, legend_height = _legend(chart, chart_id, layout, lines=False)
    if len(series) < 2:
        legend, legend_height = "", 6
    bar, gap, group_gap = 18, 3, 14
    group = len(series) * bar + (len(series) - 1) * gap
    row_height = label_height + group + group_gap
    plot_top = legend_height + 8
    plot_height = len(labels) * row_height
    plot_width = layout.width - left - right
    top = nice_maximum(max((v or 0 for s in series for v in s.values), default=0))
    height = plot_top + plot_height + 48
    parts = [_patterns(chart_id, len(series))]
    parts.append(legend)
    axis_y = plot_top + plot_height
    for tick in ticks(top):
        x = left + plot_width * tick / top
        parts.append(
            f'<line x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" y2="{axis_y}" stroke="{GRID}"/>'
        )
        parts.append(_text(x, axis_y + 18, format_number(tick), anchor="middle", size=12))
    parts.append(
        f'<line x1="{left}" y1="{plot_top}" x2="{left}" y2="{axis_y}" stroke="{INK}"/>'
        f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_width}" y2="{axis_y}" '
        f'stroke="{INK}"/>'
    )
    if chart.unit:
        parts.append(_text(left + plot_width, axis_y + 38, _unit_caption(chart), anchor="end"))
    for row, label in enumerate(labels):
        y0 = plot_top + group_gap / 2 + row * row_height
        if layout.narrow:
            parts.append(_text(left + 4, y0 + 13, label))
        else:
            parts.append(_text(left - 8, y0 + group / 2 + 4, label, anchor="end"))
        for index, item in enumerate(series):
            if item.values[row] is None:
                continue
            value = item.values[row]
            y = y0 + label_height + index * (bar + gap)
            length = plot_width * float(value) / top
            colour = COLOURS[index % len(COLOURS)]
            if length > 0:
                parts.append(
                    f'<rect x="{left}" y="{y:.1f}" width="{length:.1f}" height="{bar}" '
                    f'fill="url(#{chart_id}-p{index})" stroke="{colour}" stroke-width="1.5"/>'
                )
            parts.append(_text(left + length + 5, y + bar - 4, format_number(value), size=12))
    return height, parts


def _segments(points):
    """The runs of consecutive points that have a value (``None`` breaks a line)."""
    runs, run = [], []
    for point in points:
        if point is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append(point)
    return runs + ([run] if run else [])


def _line_chart(chart, chart_id, layout):
    series = chart.drawn_series
    labels = [str(label) for label in chart.labels]
    legend, legend_height = _legend(chart, chart_id, layout, lines=True)
    left, right = (40, 10) if layout.narrow else (56, 16)
    plot_top = legend_height + 26
    plot_height = 200
    height = plot_top + plot_height + 60
    plot_width = layout.width - left - right
    top = nice_maximum(max((v or 0 for s in series for v in s.values), default=0))
    axis_y = plot_top + plot_height
    parts = [legend]
    for tick in ticks(top):
        y = axis_y - plot_height * tick / top
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_width}" y2="{y:.1f}" '
            f'stroke="{GRID}"/>'
        )
        parts.append(_text(left - 6, y + 4, format_number(tick), anchor="end", size=12))
    parts.append(
        f'<line x1="{left}" y1="{plot_top}" x2="{left}" y2="{axis_y}" stroke="{INK}"/>'
        f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_width}" y2="{axis_y}" '
        f'stroke="{INK}"/>'
    )
    step = plot_width / max(1, len(labels))

    def x_of(index):
        return left + step * (index + 0.5)

    # Every label when they fit, otherwise every other one (the table has them all).
    widest = max((_text_width(label) * 12 / FONT for label in labels), default=0)
    every = 1 if widest + 4 <= step else 2
    for index, label in enumerate(labels):
        if index % every == 0:
            parts.append(_text(x_of(index), axis_y + 18, label, anchor="middle", size=12))
    if chart.unit:
        parts.append(_text(8, plot_top - 12, _unit_caption(chart), size=12))
    for index, item in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        dash = DASHES[index % len(DASHES)]
        points = [
            None if value is None else (x_of(position), axis_y - plot_height * float(value) / top)
            for position, value in enumerate(item.values)
        ]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for run in _segments(points):
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
            parts.extend(_marker(MARKERS[index % len(MARKERS)], x, y, colour) for x, y in run)
    parts.append(_text(left + plot_width / 2, height - 12, chart.label_header, anchor="middle"))
    return height, parts


def render_svg(chart, chart_id, layout=WIDE):
    """The chart as an inline ``<svg>`` (safe HTML), labelled by its title and description;
    ``chart_id`` must be unique in the page (the layouts of one chart need two)."""
    draw = _line_chart if chart.kind == LINE else _bar_chart
    height, parts = draw(chart, chart_id, layout)
    names = "、".join(str(series.name) for series in chart.drawn_series)
    description = _("%(series)s by %(labels)s; the numbers are in the table below.") % {
        "series": names,
        "labels": chart.label_header or _("category"),
    }
    head = format_html(
        '<svg class="dashboard-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'viewBox="0 0 {} {}" width="100%" aria-labelledby="{}-title {}-desc" '
        'font-family="sans-serif"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>',
        layout.width,
        int(height),
        chart_id,
        chart_id,
        chart_id,
        chart.title,
        chart_id,
        description,
    )
    return head + mark_safe("".join(parts) + "</svg>")  # noqa: S308 — built from escaped text
