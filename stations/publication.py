"""Publicity of the approved list and publication: the stations app's purpose of the generic
publicity (talentstation.models.Publicity), registered in StationsConfig.ready()."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentstation.models import Publicity, PublicityItem
from talentstation.publicity import register
from talentstation.rules import Refused
from talentstation.workflow import perform

from .models import Application

NEW_STATIONS = "new_stations"


def _on_start(application, *, by, publicity):
    perform(application, "start_publicity", by=by)


def _on_withdraw(application, *, by, reason):
    perform(application, "not_select", by=by, reason=reason)


def _on_conclude(application, *, by, publicity):
    perform(application, "certify", by=by, on=publicity.notice_date, reason=publicity.notice_number)


def register_purpose():
    register(
        NEW_STATIONS,
        label=gettext_lazy("stations to be certified"),
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
        raise Refused(
            _(
                "Only applications approved by the leadership group can be put under publicity: "
                "%(numbers)s."
            )
            % {"numbers": "、".join(not_approved)}
        )
    publicity = Publicity.objects.create(
        purpose=NEW_STATIONS,
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


def publicity_defaults(policy):
    """The title and basis a new list of stations to be certified starts with: the policy
    settings' texts (staff edit them per policy version)."""
    return {
        "title": policy.new_stations_publicity_title,
        "basis": policy.new_stations_publicity_basis,
    }
