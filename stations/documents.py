"""Official documents of the stations app: Annex 1 「福州高新区“人才驿站”建站申报表」."""

from urllib.parse import unquote

from talentstation.dates import SHANGHAI
from talentstation.documents import render_pdf
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


def annex1_context(application):
    submitted_on = (
        application.submitted_at.astimezone(SHANGHAI).date() if application.submitted_at else None
    )
    return {
        "application": application,
        "unit_name": application.host_unit.name,
        "station_type_label": STATION_TYPE_LABELS.get(application.station_type, ""),
        "relies_on_host_label": yes_no(application.relies_on_host),
        "built_on": chinese_date(application.built_on),
        "area": plain_number(application.area_m2),
        "submitted_on": chinese_date(submitted_on),
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


def certificate_pdf(station) -> bytes:
    """The certificate 「福州高新区人才驿站」 with a QR code to the public verification page."""
    url = verification_url(station)
    context = {
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
