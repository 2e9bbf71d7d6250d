"""The sections of the staff station page that stations contributes (registered in
``StationsConfig.ready``): the host unit, the applications, the workflow history of the station
and its applications, the certification, and the documents. Each reads a constant number of
queries whatever the number of rows."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentstation.models import TransitionLog
from talentstation.models.publicity import Publicity, PublicityItem

from .models import Application, Station
from .staff_station import admin_link, register_section, with_admin_links


def _applications(station):
    """The station's applications, newest call first (cached on the station for the page)."""
    if not hasattr(station, "_staff_page_applications"):
        station._staff_page_applications = list(
            station.applications.select_related("call").order_by("-call__year", "-pk")
        )
    return station._staff_page_applications


def unit_section(station, viewer):
    unit = station.host_unit
    return {"unit": unit, "admin_url": admin_link(viewer, unit)}


def applications_section(station, viewer):
    return {"applications": with_admin_links(viewer, _applications(station))}


def history_section(station, viewer):
    """Every state change of the station and of its applications, oldest first."""
    station_type = ContentType.objects.get_for_model(station, for_concrete_model=True)
    application_type = ContentType.objects.get_for_model(Application, for_concrete_model=True)
    entries = TransitionLog.objects.filter(
        Q(content_type=station_type, object_id=station.pk)
        | Q(
            content_type=application_type,
            object_id__in=[application.pk for application in _applications(station)],
        )
    ).select_related("actor", "content_type")
    kinds = {
        station_type.pk: Station._meta.verbose_name,
        application_type.pk: Application._meta.verbose_name,
    }
    history = list(entries)
    for entry in history:
        entry.subject_kind = kinds.get(entry.content_type_id, "")
    return {"history": history}


def certification_section(station, viewer):
    certificate_url = (
        reverse("stations:certificate", args=[station.pk]) if station.plaque_number else None
    )
    return {
        "station": station,
        "certificate_url": certificate_url,
        "admin_url": admin_link(viewer, station),
    }


def documents_section(station, viewer):
    """The documents that exist: the certificate, each submitted application's Annex 1, and
    the publicity notices that listed the station or its applications."""
    documents = []
    if station.plaque_number:
        documents.append(
            (_("Certificate (PDF)"), reverse("stations:certificate", args=[station.pk]))
        )
    applications = [a for a in _applications(station) if a.status != Application.Status.DRAFT]
    for application in applications:
        documents.append(
            (
                _("Annex 1 of application %(number)s (PDF)") % {"number": application.number},
                reverse("stations:application_pdf", args=[application.pk]),
            )
        )
    items = (
        PublicityItem.objects.filter(
            Q(
                content_type=ContentType.objects.get_for_model(Application),
                object_id__in=[a.pk for a in applications],
            )
            | Q(content_type=ContentType.objects.get_for_model(station), object_id=station.pk)
        )
        .exclude(publicity__status=Publicity.Status.DRAFT)
        .select_related("publicity")
    )
    for publicity in {item.publicity_id: item.publicity for item in items}.values():
        documents.append(
            (
                _("Publicity notice: %(title)s (PDF)") % {"title": publicity.title},
                reverse("publicity_notice_pdf", args=[publicity.pk]),
            )
        )
    return {"documents": documents}


def register():
    register_section("unit", _("Host unit"), unit_section, order=10)
    register_section("certification", _("Certification"), certification_section, order=20)
    register_section("applications", _("Applications"), applications_section, order=30)
    register_section("history", _("Workflow history"), history_section, order=35)
    register_section("documents", _("Documents"), documents_section, order=95)
