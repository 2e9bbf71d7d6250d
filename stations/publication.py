"""Publicity of the approved list and publication: the stations app's side of the generic
publicity (talentstation.models.Publicity), registered in StationsConfig.ready()."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _

from talentstation.models import Publicity, PublicityItem
from talentstation.publicity import register, start  # noqa: F401 (start: the entry point here)
from talentstation.workflow import perform

from .models import Application


def _on_start(application, *, by, publicity):
    perform(application, "start_publicity", by=by)


def _on_withdraw(application, *, by, reason):
    perform(application, "not_select", by=by, reason=reason)


def _on_conclude(application, *, by, publicity):
    perform(application, "certify", by=by, on=publicity.notice_date, reason=publicity.notice_number)


def register_hooks():
    register(
        Publicity.Purpose.NEW_STATIONS,
        on_start=_on_start,
        on_withdraw=_on_withdraw,
        on_conclude=_on_conclude,
        policy_of=lambda application: application.call.policy_version,
    )


@transaction.atomic
def publicity_for(applications, *, by, title, basis, contact):
    """A draft publicity listing ``applications`` (approved by the leadership group)."""
    applications = list(applications)
    not_approved = [a.number for a in applications if a.status != Application.Status.APPROVED]
    if not_approved:
        raise ValueError(
            _(
                "Only applications approved by the leadership group can be put under publicity: "
                "%(numbers)s."
            )
            % {"numbers": "、".join(not_approved)}
        )
    publicity = Publicity.objects.create(
        purpose=Publicity.Purpose.NEW_STATIONS,
        title=title,
        basis=basis,
        contact=contact,
        created_by=by,
    )
    content_type = ContentType.objects.get_for_model(Application)
    PublicityItem.objects.bulk_create(
        PublicityItem(
            publicity=publicity,
            content_type=content_type,
            object_id=application.pk,
            order=index,
            name=application.station_name,
            description=f"{application.host_unit.name} · {application.get_station_type_display()}",
        )
        for index, application in enumerate(applications, start=1)
    )
    return publicity


def publish(publicity, *, by, notice_number, notice_date):
    """Publication of the notice: every station still on the list is certified."""
    return perform(
        publicity, "conclude", by=by, notice_number=notice_number, notice_date=notice_date
    )
