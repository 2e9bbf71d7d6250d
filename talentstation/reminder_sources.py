"""The core's deadlines for ``manage.py send_reminders``: ``publicity_end``, a publicity's last
day → bureau staff (before it ends; after it, to conclude it while it is still running)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Publicity
from .reminders import Deadline, due_range, register_deadline_source
from .roles import Role

PUBLICITY_END = "publicity_end"


def staff_users():
    return list(
        get_user_model()
        .objects.filter(is_active=True, is_staff=True, groups__name=Role.STAFF.value)
        .distinct()
    )


def publicity_end_deadlines(on):
    dates = due_range(PUBLICITY_END, on)
    if dates is None:
        return
    publicities = Publicity.objects.filter(
        status=Publicity.Status.RUNNING, last_day__range=dates
    ).order_by("pk")
    staff = None
    for publicity in publicities:
        staff = staff if staff is not None else staff_users()
        values = {"title": publicity.title, "due": publicity.last_day.isoformat()}
        if publicity.last_day < on:
            subject = _("The publicity %(title)s ended on %(due)s: conclude it") % values
        else:
            subject = _("The publicity %(title)s ends on %(due)s") % values
        yield Deadline(
            kind=PUBLICITY_END,
            recipients=staff,
            obj=publicity,
            due=publicity.last_day,
            subject=subject,
            body=_(
                "Once the period has ended and no objection is open, conclude the publicity "
                "with its notice number."
            ),
            link=reverse("admin:talentstation_publicity_change", args=[publicity.pk]),
        )


def register():
    register_deadline_source(
        PUBLICITY_END, publicity_end_deadlines, label=gettext_lazy("a publicity ends")
    )
