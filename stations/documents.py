"""Official documents of the stations app: Annex 1 「福州高新区“人才驿站”建站申报表」."""

from urllib.parse import unquote

from talentstation.dates import SHANGHAI
from talentstation.documents import (
    TYPE_AREA_WIDTH_PT,
    balanced_lines,
    fitting_size,
    render_pdf,
    text_em,
    words,
)
from talentstation.numbers import plain_number

from .models import StationType

ANNEX1_TEMPLATE = "stations/documents/annex1.html"

# The official Chinese names of the four types (备注 of Annex 1), whatever the UI language.
STATION_TYPE_LABELS = {
    StationType.INDUSTRY: "行业型",
    StationType.ENTREPRENEURSHIP: "创业型",
    StationType.SERVICE: "服务型",
    StationType.COMPREHENSIVE: "综合型",
}


def chinese_date(day):
    """``2026年7月5日``, or ``None`` for no date (the template then leaves 年 月 日 blank)."""
    if day is None:
        return None
    return f"{day.year}年{day.month}月{day.day}日"


def yes_no(value):
    return {True: "是", False: "否"}.get(value, "")


# The 报送单位（盖章） line of Annex 1: the unit's name stays on one line, as on a printed form. It
# is set at 小四 (12 pt) and shrinks down to 五号 (10.5 pt) to stay beside the date; a name too long
# for that goes on the line alone (the date under it), and only a name too long for the whole line
# wraps, between the words of the name.
META_FONT_PT = 12
META_MIN_FONT_PT = 10.5
META_LABEL = "报送单位（盖章）："
META_BLANK_DATE = "　　　年　　月　　日"
META_GAP_PT = 6 / 25.4 * 72


def meta_line(unit_name, date_text=None):
    """How the 报送单位 line sets ``unit_name``: its font size, the date (``date_text``, or a blank
    to fill in) beside it or below, and the words it may wrap between (only when it does not fit
    the line at 10.5 pt)."""
    alone_pt = TYPE_AREA_WIDTH_PT - text_em(META_LABEL) * META_FONT_PT
    beside_pt = alone_pt - text_em(date_text or META_BLANK_DATE) * META_FONT_PT - META_GAP_PT
    for room_pt, date_beside in [(beside_pt, True), (alone_pt, False)]:
        size = fitting_size(unit_name, room_pt, META_FONT_PT, META_MIN_FONT_PT)
        if size:
            return {"font_size": size, "date_beside": date_beside, "words": [unit_name]}
    return {"font_size": META_MIN_FONT_PT, "date_beside": False, "words": words(unit_name)}


def annex1_context(application):
    submitted_on = chinese_date(
        application.submitted_at.astimezone(SHANGHAI).date() if application.submitted_at else None
    )
    return {
        "application": application,
        "unit_name": application.host_unit.name,
        "meta_line": meta_line(application.host_unit.name, submitted_on),
        "station_type_label": STATION_TYPE_LABELS.get(application.station_type, ""),
        "relies_on_host_label": yes_no(application.relies_on_host),
        "built_on": chinese_date(application.built_on),
        "area": plain_number(application.area_m2),
        "submitted_on": submitted_on,
        "office_opinion_date": chinese_date(application.office_opinion_date),
        "footer": f"申报编号 {application.number} · 第{application.revision}版",
    }


def annex1_pdf(application) -> bytes:
    """Annex 1 of ``application`` in the official layout, as PDF bytes."""
    return render_pdf(ANNEX1_TEMPLATE, annex1_context(application))


def annex1_filename(application) -> str:
    return f"附件1-建站申报表-{application.number}.pdf"


CERTIFICATE_TEMPLATE = "stations/documents/certificate.html"


def verification_url(station):
    """The absolute URL of the station's public verification page (the QR code's target)."""
    from django.conf import settings
    from django.urls import reverse

    return settings.SITE_URL + reverse("stations:verify_plaque", args=[station.plaque_number])


def qr_data_uri(url):
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


# The certificate's text width: A4 less the margins, the padding and the frame (certificate.css).
CERTIFICATE_WIDTH_PT = (210 - 2 * 18 - 2 * 16 - 2) / 25.4 * 72


def certificate_lines(unit_name, station_name):
    """How the certificate sets the unit's and the station's names: each whole on one line (the
    unit's with its 「设立的」, so that 「的」 is never alone), shrunk if need be; only a name too
    long even at the smallest size wraps, between its words and in balanced lines."""
    intro = unit_name + "设立的"
    intro_size = fitting_size(intro, CERTIFICATE_WIDTH_PT, 16, 12)
    if intro_size:
        unit_lines = [unit_name]
    else:
        intro_size = 12
        lines = balanced_lines(words(intro), CERTIFICATE_WIDTH_PT / intro_size)
        unit_lines = [*lines[:-1], lines[-1].removesuffix("设立的")]
    station_size = fitting_size(station_name, CERTIFICATE_WIDTH_PT, 24, 16)
    station_lines = [station_name]
    if not station_size:
        station_size = 16
        station_lines = balanced_lines(words(station_name), CERTIFICATE_WIDTH_PT / station_size)
    return {
        "intro_size": intro_size,
        "unit_lines": unit_lines,
        "station_size": station_size,
        "station_lines": station_lines,
    }


def certificate_pdf(station) -> bytes:
    """The certificate 「福州高新区人才驿站」 with a QR code to the public verification page."""
    url = verification_url(station)
    context = {
        "lines": certificate_lines(station.host_unit.name, station.name),
        "station": station,
        "type_label": STATION_TYPE_LABELS.get(station.station_type, ""),
        "certified_on": chinese_date(station.certified_on),
        "verification_url": url,
        "verification_display": unquote(url),
        "qr": qr_data_uri(url),
    }
    return render_pdf(CERTIFICATE_TEMPLATE, context)


def certificate_filename(station) -> str:
    return f"人才驿站证书-{station.name}.pdf"
