"""The deadlines of the certification stage for ``manage.py send_reminders``
(talentstation.reminders), and pausing the reminders of a station.

- ``call_close``: a call closes → the users of each unit with a draft or returned application in
  it (one reminder per application);
- ``review_due``: an expert's review of an application is due → the expert (the assignments the
  staff board counts as late, :func:`stations.board.late_reviews`, taken ahead of time).
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentstation.reminders import Deadline, due_range, register_deadline_source

from .models import Application, Call

CALL_CLOSE = "call_close"
REVIEW_DUE = "review_due"


def unit_users(unit):
    """The unit's users from a prefetched ``members__user`` (no query per unit)."""
    return [member.user for member in unit.members.all()]


def call_close_deadlines(on):
    dates = due_range(CALL_CLOSE, on)
    if dates is None:
        return
    applications = (
        Application.objects.filter(
            status__in=Application.UNIT_EDITABLE,
            call__status=Call.Status.PUBLISHED,
            call__close_date__range=dates,
        )
        .select_related("call", "station", "host_unit")
        .prefetch_related("host_unit__members__user")
        .order_by("pk")
    )
    for application in applications:
        due = application.call.close_date
        values = {"call": application.call.title, "due": due.isoformat()}
        if due < on:
            subject = _("The call %(call)s closed on %(due)s") % values
        else:
            subject = _("The call %(call)s closes on %(due)s: submit your application") % values
        body = _(
            "Application %(number)s is not submitted yet (%(status)s). Applications are "
            "accepted until the end of %(due)s."
        ) % {
            "number": application.number,
            "status": application.get_status_display(),
            "due": due.isoformat(),
        }
        yield Deadline(
            kind=CALL_CLOSE,
            recipients=unit_users(application.host_unit),
            obj=application,
            due=due,
            subject=subject,
            body=body,
            link=reverse("stations:application_detail", args=[application.pk]),
            station=application.station,
        )


def review_due_deadlines(on):
    from .board import late_reviews

    dates = due_range(REVIEW_DUE, on)
    if dates is None:
        return
    first, last = dates
    # late_reviews(day) gives the unsubmitted reviews due before ``day``.
    assignments = (
        late_reviews(last + datetime.timedelta(days=1))
        .filter(due_date__gte=first)
        .select_related("scorer")
        .order_by("pk")
    )
    numbers = dict(
        Application.objects.filter(
            pk__in=[assignment.object_id for assignment in assignments]
        ).values_list("pk", "number")
    )
    for assignment in assignments:
        values = {"number": numbers.get(assignment.object_id, ""), "due": assignment.due_date}
        if assignment.due_date < on:
            subject = _("Your review of application %(number)s was due on %(due)s") % values
        else:
            subject = _("Your review of application %(number)s is due on %(due)s") % values
        yield Deadline(
            kind=REVIEW_DUE,
            recipients=[assignment.scorer],
            obj=assignment,
            due=assignment.due_date,
            subject=subject,
            body=_(
                "Declare that you have no conflict of interest, visit the station and submit "
                "your score sheet."
            ),
            link=reverse("stations:expert_assignment", args=[assignment.pk]),
        )


def register():
    register_deadline_source(
        CALL_CLOSE, call_close_deadlines, label=gettext_lazy("call for applications closes")
    )
    register_deadline_source(
        REVIEW_DUE, review_due_deadlines, label=gettext_lazy("expert review of an application")
    )


# --- pausing a station's reminders ------------------------------------------------------------


def record_pause(station, *, by):
    """Who paused (or resumed) the reminders and when; the reason goes with a resume."""
    if station.reminders_paused:
        station.reminders_paused_by, station.reminders_paused_at = by, timezone.now()
    else:
        station.reminders_paused_reason = ""
        station.reminders_paused_by = station.reminders_paused_at = None


def set_reminders_paused(station, *, paused, by, reason=""):
    """Pause (with a reason) or resume the deadline reminders of ``station``."""
    from django.core.exceptions import ValidationError

    reason = " ".join(reason.split())[:500]
    if paused and not reason:
        raise ValidationError(_("Say why the reminders are paused."))
    station.reminders_paused = paused
    station.reminders_paused_reason = reason
    record_pause(station, by=by)
    station.save(
        update_fields=[
            "reminders_paused",
            "reminders_paused_reason",
            "reminders_paused_by",
            "reminders_paused_at",
        ]
    )
    return station
