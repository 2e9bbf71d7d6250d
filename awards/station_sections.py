"""The sections of the staff station page (:mod:`stations.staff_station`) that awards
contributes (registered in ``AwardsConfig.ready``): the awards with their payments and usage
reports, the rectification orders, and the upward nominations. Each reads a constant number of
queries whatever the number of rows."""

from django.utils.translation import gettext_lazy as _

from stations.staff_station import register_section, with_admin_links

from . import rules
from .funds import award_rows
from .models import RectificationOrder


def awards_section(station, viewer):
    awards = station.awards.select_related("entry__ranking__cycle", "usage_report").order_by(
        "-entry__ranking__cycle__first_year", "pk"
    )
    rows = award_rows(awards)
    for row in rows:
        row.award.station = station  # loaded already: no query per row
    links = dict(with_admin_links(viewer, [row.award for row in rows]))
    return {
        "rows": [(row, links[row.award]) for row in rows],
        "may_pay": rules.pay_awards(viewer.user),
    }


def rectification_section(station, viewer):
    orders = station.rectification_orders.select_related("assessment__cycle").order_by(
        "-created_at", "-pk"
    )
    rows = []
    for order, admin_url in with_admin_links(viewer, orders):
        order.station = station
        has_notice = order.status != RectificationOrder.Status.DRAFT
        rows.append({"order": order, "has_notice": has_notice, "admin_url": admin_url})
    return {"rows": rows}


def nominations_section(station, viewer):
    nominations = station.nominations.select_related("batch").order_by("-batch__created_at", "-pk")
    return {"nominations": with_admin_links(viewer, nominations)}


def register():
    register_section(
        "awards",
        _("Awards, payments and usage reports"),
        awards_section,
        order=60,
        template="awards/staff_station/awards.html",
    )
    register_section(
        "rectification",
        _("Rectification"),
        rectification_section,
        order=70,
        template="awards/staff_station/rectification.html",
    )
    register_section(
        "nominations",
        _("Nominations"),
        nominations_section,
        order=80,
        template="awards/staff_station/nominations.html",
    )
