"""Notifications: the inbox and the e-mail outbox.

Workflow transitions call :func:`notify` for the people a transition concerns. It writes one
inbox row per active user and, unless ``email=False``, one :class:`OutboxEmail` per user with an
e-mail address, all inside the caller's transaction. The outbox row is the durable record of the
e-mail (to whom, what, when, attempts, last error). Only after that transaction has committed
(nothing goes out if it rolls back) one ``send_email`` task per e-mail is queued
(talentstation/tasks.py): a background worker sends it, so the request never waits for the mail
server and a failing one neither rolls back nor loses the transition. A failed attempt is
recorded on the row and the next one queued as a task deferred by an exponential backoff; after
:data:`MAX_ATTEMPTS` the e-mail is marked failed. Whatever a lost task left pending (a worker
that died, a batch that queued with ``send_now=False``) is sent by the outbox sweep, the
``send_outbox`` task that cron queues every minute.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import Notification, OutboxEmail
from .rules import refuse_unless, send_notices

logger = logging.getLogger(__name__)

#: Delay before the next attempt after the n-th failed one (the last value repeats).
BACKOFF = (
    datetime.timedelta(minutes=1),
    datetime.timedelta(minutes=5),
    datetime.timedelta(minutes=30),
    datetime.timedelta(hours=2),
    datetime.timedelta(hours=12),
    datetime.timedelta(hours=24),
)
#: After this many failed attempts an e-mail is marked failed and no longer retried.
MAX_ATTEMPTS = 8
#: A sweep stops after this many failures in a row (the server is probably down) and leaves the
#: rest of its batch, untried and uncounted, to the next run.
MAX_CONSECUTIVE_FAILURES = 3
#: Where tasks run in the process that queues them (no worker), the request sends at most this
#: many e-mails after its commit and stops at the first failure; the outbox sweep sends the rest.
IMMEDIATE_LIMIT = 20
#: Recipients shown in the preview of a mass notice.
PREVIEW_SAMPLE_SIZE = 10

SUBJECT_MAX_LENGTH = Notification._meta.get_field("subject").max_length


# --- the inbox -------------------------------------------------------------------------------


def is_safe_link(link):
    """A notification link must be a path of this portal (no scheme, no host)."""
    return (
        bool(link)
        and link.startswith("/")
        and url_has_allowed_host_and_scheme(link, allowed_hosts=None)
    )


def _clean_subject(subject):
    return " ".join(str(subject).split())[:SUBJECT_MAX_LENGTH]


def _active_recipients(users):
    """Active users among ``users`` (a user, a queryset or an iterable), each once, by pk."""
    User = get_user_model()
    if isinstance(users, User):
        users = [users]
    if isinstance(users, QuerySet):
        return list(users.filter(is_active=True).order_by("pk").distinct())
    unique = {user.pk: user for user in users if user.is_active}
    return [unique[pk] for pk in sorted(unique)]


def email_body(user, *, subject, body, link=""):
    """The text of the e-mail sent for a notification to ``user``."""
    context = {
        "name": user.get_full_name() or user.get_username(),
        "subject": subject,
        "body": body,
        "url": f"{settings.SITE_URL}{link}" if link else "",
        "inbox_url": f"{settings.SITE_URL}{reverse('inbox')}",
        "portal_name": settings.PORTAL_NAME,
    }
    return render_to_string("inbox/email.txt", context).strip() + "\n"


def notify(users, *, subject, body, link="", email=True, sender=None, send_now=True):
    """Put a notice in the inbox of each active user in ``users`` and, with ``email``, queue an
    e-mail to each of them who has an address; the e-mails are sent after the current
    transaction commits. Returns the new notifications.

    ``link`` is a path of the portal (``/applications/12/``); ``sender`` is whoever caused the
    notice, if anyone. Subject and body are stored as text in the active language. With
    ``send_now=False`` the e-mails are only written to the outbox, no task is queued for them
    (the outbox sweep sends them).
    """
    if link and not is_safe_link(link):
        raise ValueError(f"A notification link must be a relative URL, not {link!r}.")
    recipients = _active_recipients(users)
    if not recipients:
        return []
    subject = _clean_subject(subject)
    body = str(body)
    now = timezone.now()
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            [
                Notification(
                    recipient=user,
                    subject=subject,
                    body=body,
                    link=link,
                    sender=sender,
                    created_at=now,
                )
                for user in recipients
            ]
        )
        if email:
            emails = OutboxEmail.objects.bulk_create(
                [
                    OutboxEmail(
                        to=notification.recipient.email,
                        subject=subject,
                        body=email_body(
                            notification.recipient, subject=subject, body=body, link=link
                        ),
                        notification=notification,
                        created_at=now,
                        next_attempt_at=now,
                    )
                    for notification in notifications
                    if notification.recipient.email
                ]
            )
            ids = [mail.pk for mail in emails]
            if ids and send_now:
                transaction.on_commit(lambda: enqueue_sending(ids), robust=True)
    return notifications


def notify_transition(users, *, subject, log, link):
    """Tell ``users`` of a state change (``log``): the subject, and the reason when one was
    given. What each model's ``notify_transition(log)`` calls."""
    body = str(subject)
    if log.reason:
        body += "\n" + str(_("Reason: %(reason)s") % {"reason": log.reason})
    return notify(users, subject=subject, body=body, link=link)


def unread_count(user):
    return Notification.objects.for_user(user).unread().count()


def mark_read(notification):
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(user):
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


def render_notice(template_name, context):
    """Render a text template into ``(subject, body)``: the first line is the subject, the rest
    the body. No HTML escaping (the result is plain text)."""
    template = get_template(template_name)
    text = template.template.render(Context(context, autoescape=False))
    first, _newline, rest = text.strip().partition("\n")
    return _clean_subject(first), rest.strip()


# --- the outbox ------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0  # failed this time, will be tried again later
    gave_up: int = 0  # failed for the last time, now marked failed
    deferred: int = 0  # not tried because the server seemed down; left for the next run
    skipped: int = 0  # not due, already sent, or being sent by another worker

    @property
    def tried(self):
        return self.sent + self.retrying + self.gave_up


def backoff(attempts):
    """Delay after the ``attempts``-th failed attempt (1-based)."""
    return BACKOFF[min(attempts, len(BACKOFF)) - 1]


def claim_lease():
    return datetime.timedelta(seconds=settings.OUTBOX_CLAIM_LEASE)


def enqueue_sending(ids):
    """Queue one ``send_email`` task per outbox e-mail (call it after the commit).

    A backend that runs a task where it is queued (the immediate one: development, or an
    install without a worker) makes this the request's time: there, it stops after
    :data:`IMMEDIATE_LIMIT` e-mails or at the first failure, so a broken mail server costs the
    request one time-out at most; the outbox sweep sends the rest."""
    from django.tasks import TaskResultStatus

    from .tasks import send_email

    for index, pk in enumerate(ids):
        result = send_email.enqueue(pk)
        if result.status == TaskResultStatus.READY:
            continue  # queued for a worker
        ran_well = result.status == TaskResultStatus.SUCCESSFUL and result.return_value in (
            SENT,
            SKIPPED,
        )
        if not ran_well or index + 1 >= IMMEDIATE_LIMIT:
            break


def _claim(pk):
    """Take the e-mail ``pk`` for this sender if it is pending and due: a conditional update
    moves its next attempt past a lease, so of two senders (tasks of two workers, the sweep, an
    admin's retry) only one sends it; one that dies while sending leaves it pending, due again
    when the lease ends. Returns the e-mail, or None."""
    now = timezone.now()
    taken = OutboxEmail.objects.filter(
        pk=pk, status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + claim_lease())
    return OutboxEmail.objects.filter(pk=pk).first() if taken else None


def _deliver(mail):
    EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
    ).send()


def _record_success(mail):
    OutboxEmail.objects.filter(pk=mail.pk).update(
        status=OutboxEmail.Status.SENT,
        sent_at=timezone.now(),
        attempts=mail.attempts + 1,
        last_error="",
    )


def _record_failure(mail, error):
    """Count the failed attempt; schedule the next one (a ``send_email`` task deferred by the
    backoff) or give up after :data:`MAX_ATTEMPTS`. Returns True when given up."""
    attempts = mail.attempts + 1
    gave_up = attempts >= MAX_ATTEMPTS
    now = timezone.now()
    next_attempt_at = now if gave_up else now + backoff(attempts)
    OutboxEmail.objects.filter(pk=mail.pk).update(
        status=OutboxEmail.Status.FAILED if gave_up else OutboxEmail.Status.PENDING,
        attempts=attempts,
        last_error=f"{type(error).__name__}: {error}"[:2000],
        next_attempt_at=next_attempt_at,
    )
    logger.warning(
        "E-mail %s to %s failed (attempt %d%s): %s",
        mail.pk,
        mail.to,
        attempts,
        ", giving up" if gave_up else "",
        error,
    )
    if not gave_up:
        _schedule_retry(mail.pk, next_attempt_at)
    return gave_up


def _schedule_retry(pk, when):
    """Queue the next attempt for ``when``. A backend that cannot defer (the immediate one of
    development and tests) leaves it to the outbox sweep (``send_outbox``)."""
    from .tasks import send_email

    if not send_email.get_backend().supports_defer:
        return
    try:
        send_email.using(run_after=when).enqueue(pk)
    except Exception:
        logger.exception("Could not queue the retry of e-mail %s (the sweep sends it).", pk)


SENT, RETRYING, GAVE_UP, SKIPPED = "sent", "retrying", "gave up", "skipped"


def send_one(pk):
    """Send the outbox e-mail ``pk`` if it is pending and due (what the ``send_email`` task
    does). Returns what happened: :data:`SENT`, :data:`RETRYING` (failed, the next attempt is
    queued), :data:`GAVE_UP` or :data:`SKIPPED` (not due, already sent, or taken by another
    sender). A failure is recorded on the e-mail, never raised."""
    mail = _claim(pk)
    if mail is None:
        return SKIPPED
    try:
        _deliver(mail)
    except Exception as error:
        return GAVE_UP if _record_failure(mail, error) else RETRYING
    try:
        _record_success(mail)
    except Exception:
        # It went out; if the row stays pending it may go out again after the lease.
        logger.exception("E-mail %s was sent but could not be marked sent.", mail.pk)
    return SENT


def send_pending(limit=100, *, ids=None, max_failures=MAX_CONSECUTIVE_FAILURES, overdue=None):
    """Send, here and now, up to ``limit`` due pending e-mails (only those in ``ids`` if given;
    with ``overdue``, only those due for at least that long), one by one through
    :func:`send_one`. After ``max_failures`` failures in a row (the server is probably down)
    the run stops and leaves the rest to their tasks and the next sweep. Never raises: a broken
    mail server or database is logged and reported in the returned :class:`SendReport`.

    The outbox sweep (task ``send_outbox``) and the admin's "retry now" use it; the e-mails of
    a transition are sent by their own ``send_email`` tasks.
    """
    report = SendReport()
    due_before = timezone.now() - (overdue or datetime.timedelta(0))
    try:
        due = OutboxEmail.objects.filter(
            status=OutboxEmail.Status.PENDING, next_attempt_at__lte=due_before
        )
        if ids is not None:
            due = due.filter(pk__in=ids)
        batch = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    except Exception:
        logger.exception("Could not read the outbox.")
        return report
    failures_in_a_row = 0
    for index, pk in enumerate(batch):
        if failures_in_a_row >= max_failures:
            report.deferred = len(batch) - index
            break
        try:
            outcome = send_one(pk)
        except Exception:
            logger.exception("Could not send e-mail %s.", pk)
            outcome = SKIPPED
        if outcome == SENT:
            report.sent += 1
            failures_in_a_row = 0
        elif outcome == SKIPPED:
            report.skipped += 1
        else:
            failures_in_a_row += 1
            if outcome == GAVE_UP:
                report.gave_up += 1
            else:
                report.retrying += 1
    return report


def sweep_outbox(limit=500):
    """The outbox sweep: send the pending e-mails due for longer than the grace period
    (``OUTBOX_SWEEP_GRACE``), those whose own task was lost or never queued (a batch that
    queued them with ``send_now=False``, a commit whose queueing failed, a retry on a backend
    that cannot defer)."""
    grace = datetime.timedelta(seconds=settings.OUTBOX_SWEEP_GRACE)
    return send_pending(limit, overdue=grace)


def retry_now(queryset):
    """Make the selected unsent e-mails due now (failed ones get one more attempt) and send
    them."""
    ids = list(queryset.exclude(status=OutboxEmail.Status.SENT).values_list("pk", flat=True))
    OutboxEmail.objects.filter(pk__in=ids).update(
        status=OutboxEmail.Status.PENDING, next_attempt_at=timezone.now()
    )
    return send_pending(limit=len(ids) or 1, ids=ids)


# --- mass notices by bureau staff ------------------------------------------------------------


def preview_mass_notice(users, subject, body):
    """What :func:`send_mass_notice` would send: how many people, a sample of them, and the
    message as the first of them would receive it."""
    recipients = _active_recipients(users)
    subject = _clean_subject(subject)
    body = str(body)
    sample = recipients[:PREVIEW_SAMPLE_SIZE]
    return {
        "recipient_count": len(recipients),
        "email_count": sum(1 for user in recipients if user.email),
        "sample_recipients": sample,
        "more_count": max(len(recipients) - len(sample), 0),
        "subject": subject,
        "body": body,
        "email_body": email_body(sample[0], subject=subject, body=body) if sample else "",
    }


def send_mass_notice(users, subject, body, *, by):
    """A notice from bureau staff to many users at once (inbox and e-mail)."""
    refuse_unless(send_notices, by)
    with transaction.atomic():
        notifications = notify(users, subject=subject, body=body, sender=by)
    logger.info("Mass notice %r sent by %s to %d users.", subject, by, len(notifications))
    return notifications
