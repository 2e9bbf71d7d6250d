"""Reminders of deadlines: the task ``send_reminders`` (talentstation/tasks.py), queued daily by
``manage.py send_reminders`` from cron.

Apps register *deadline sources* (:func:`register_deadline_source`): a source is a function of a
Shanghai date ``on`` that yields a :class:`Deadline` for each deadline whose reminders may be due
on that day (use :func:`due_range` to select them). The lead times of each kind of deadline are
policy settings (``PolicyVersion.reminder_lead_days``: ``{kind: [7, 1, -1]}``, days before the
deadline; negative: days after it, overdue).

For each deadline, the reminder due on ``on`` is the one of its *latest* lead time whose day has
come (a run that missed the 7-day and the 1-day reminder sends only the 1-day one), unless the
deadline is more than ``reminder_overdue_window_days`` behind. Each reminder has a key
(recipient, object, kind, deadline, lead time) that is unique in :class:`Reminder`; the row and
the inbox item (with its outbox e-mail, see :func:`talentstation.notifications.notify`) are
written in one transaction per recipient. So running twice never doubles a reminder, and a run
that stops half-way (a worker killed mid-task, whose task is put back in the queue) leaves the
rest to the next one. Each reminder's e-mail is queued (a ``send_email`` task) when its
transaction commits.

A deadline of a station (``Deadline.station``) whose reminders bureau staff paused
(``station.reminders_paused``) is skipped.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from .dates import today
from .models import PolicyVersion, Reminder
from .notifications import _active_recipients, notify

logger = logging.getLogger(__name__)


@dataclass
class Deadline:
    kind: str
    recipients: Iterable  # users
    obj: object  # a model instance: the key's object
    due: datetime.date
    subject: str
    body: str
    link: str = ""
    station: object = None  # whose pause skips this deadline


@dataclass
class Source:
    kind: str
    fn: Callable
    label: object


_sources: dict[str, Source] = {}


def register_deadline_source(kind, fn, *, label=None):
    """``fn(on)`` yields the :class:`Deadline` objects of ``kind`` whose reminders may be due on
    the Shanghai date ``on``; ``label`` names the kind in admin (Chinese through gettext)."""
    _sources[kind] = Source(kind, fn, label or kind)


def kind_labels():
    """{kind: label} of the registered sources."""
    return {kind: source.label for kind, source in _sources.items()}


def kind_label(kind):
    source = _sources.get(kind)
    return source.label if source else kind


def due_range(kind, on, policy=None):
    """The deadlines of ``kind`` a reminder may be due for on ``on``: (first, last) due date,
    from the overdue window behind to the longest lead time ahead; None when ``kind`` has no
    lead times."""
    policy = policy or PolicyVersion.current()
    days = policy.lead_days(kind)
    if not days:
        return None
    first = on - datetime.timedelta(days=policy.reminder_overdue_window_days)
    return first, on + datetime.timedelta(days=max(max(days), 0))


def lead_due(lead_days, due, on, window):
    """The lead time whose reminder is due on ``on`` for a deadline on ``due``: the latest one
    whose day (``due - lead``) has come, or None (too early, or more than ``window`` days
    overdue)."""
    if (on - due).days > window:
        return None
    reached = [lead for lead in lead_days if due - datetime.timedelta(days=lead) <= on]
    return min(reached) if reached else None


@dataclass
class RunReport:
    sent: int = 0  # reminders created (one per recipient)
    already_sent: int = 0
    paused: int = 0  # deadlines skipped because their station's reminders are paused
    failed: int = 0  # reminders (or sources) that raised; left to the next run
    emails_queued: int = 0  # e-mails queued for sending (one send_email task each)
    by_kind: dict = field(default_factory=dict)


def _send_one(deadline, user, lead, content_type, on, send_emails):
    """Insert the reminder's row and its inbox item in one transaction; False when it exists.
    The e-mail is queued when the transaction commits (with ``send_emails``)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    recipient=user,
                    content_type=content_type,
                    object_id=deadline.obj.pk,
                    kind=deadline.kind,
                    due=deadline.due,
                    lead_days=lead,
                    run_date=on,
                    sent_at=timezone.now(),
                )
        except IntegrityError:  # sent by another run meanwhile
            return False
        notifications = notify(
            user,
            subject=deadline.subject,
            body=deadline.body,
            link=deadline.link,
            send_now=send_emails,
        )
        reminder.notification = notifications[0] if notifications else None
        reminder.save(update_fields=["notification"])
    return True


def _sent_keys(kind, first_due):
    return set(
        Reminder.objects.filter(kind=kind, due__gte=first_due).values_list(
            "recipient_id", "content_type_id", "object_id", "due", "lead_days"
        )
    )


def _deadlines(source, on, report):
    try:
        return list(source.fn(on))
    except Exception:
        logger.exception("The reminder source %s failed.", source.kind)
        report.failed += 1
        return []


def send_reminders(on=None, *, dry_run=False, send_emails=True):
    """Send the reminders due on the Shanghai date ``on`` (today by default); with
    ``dry_run`` count them only. The e-mails are written to the outbox and, with
    ``send_emails``, each queued for sending as its reminder commits (without, the outbox sweep
    sends them). Returns a :class:`RunReport`."""
    on = on or today()
    policy = PolicyVersion.current()
    window = policy.reminder_overdue_window_days
    report = RunReport()
    for kind, source in _sources.items():
        lead_days = policy.lead_days(kind)
        if not lead_days:
            continue
        sent_before = report.sent
        first_due = on - datetime.timedelta(days=window)
        sent = _sent_keys(kind, first_due)
        for deadline in _deadlines(source, on, report):
            lead = lead_due(lead_days, deadline.due, on, window)
            if lead is None:
                continue
            if getattr(deadline.station, "reminders_paused", False):
                report.paused += 1
                continue
            content_type = ContentType.objects.get_for_model(deadline.obj)
            for user in _active_recipients(deadline.recipients):
                key = (user.pk, content_type.pk, deadline.obj.pk, deadline.due, lead)
                if key in sent:
                    report.already_sent += 1
                    continue
                if dry_run:
                    report.sent += 1
                    continue
                try:
                    created = _send_one(deadline, user, lead, content_type, on, send_emails)
                except Exception:
                    logger.exception("The reminder %s to %s failed.", key, user)
                    report.failed += 1
                    continue
                sent.add(key)
                if created:
                    report.sent += 1
                    report.emails_queued += bool(send_emails and user.email)
                else:
                    report.already_sent += 1
        report.by_kind[kind] = report.sent - sent_before
    return report


#: The demo runs the daily command for this many days up to its today (a week of cron).
DEMO_DAYS = 7


def run_demo_reminders(district):
    """Demo step: the reminders of the last week, as cron would have sent them at 07:15 each
    day, so staff see sent reminders and the station users have them in their inbox (the
    e-mails stay in the outbox for the outbox sweep, ``send_outbox``)."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        for back in range(DEMO_DAYS - 1, 0, -1):
            day = district.today - datetime.timedelta(days=back)
            with district.at(day, hour=7, minute=15):
                send_reminders(day, send_emails=False)
        send_reminders(district.today, send_emails=False)
