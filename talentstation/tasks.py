"""Background tasks (Django's ``django.tasks``) and the queue's housekeeping.

What runs where (README, "Background worker"):

- ``send_email(outbox_id)``: one per e-mail, queued by :func:`talentstation.notifications.notify`
  after the transaction commits. It sends the outbox e-mail if it is still pending and due (a
  conditional update claims it, so one sender only); a failure is recorded on the outbox row and
  the next attempt queued as a ``send_email`` task deferred by the backoff
  (``run_after``). django-tasks-db has no retries of its own: a task that raises is FAILED for
  good, so ``send_email`` never raises; the outbox row is the record of the attempts.
- ``send_outbox()``: every minute (cron, ``manage.py send_outbox``): puts back in the queue the
  tasks of dead workers (:func:`requeue_stale_tasks`), then the outbox sweep sends the e-mails
  left pending for longer than a grace period (their task was lost, or never queued).
- ``send_reminders(on)``: daily (``manage.py send_reminders``); each reminder has a unique key, so
  a second run for the same day (queued twice, or put back after a worker died half-way) sends
  only what the first did not.
- ``purge_pending_uploads()``: daily; deleting old files again deletes nothing more.

In production the backend is django-tasks-db: the queue is a table of the shared database,
workers (``manage.py db_worker``) take a task with ``SELECT ... FOR UPDATE SKIP LOCKED`` on
PostgreSQL (an exclusive transaction on SQLite) and mark it RUNNING before they run it, so no
two workers run the same task. A worker killed while running one leaves it RUNNING forever (the
package does not notice): :func:`requeue_stale_tasks` makes such a task READY again once it has
been RUNNING for ``TASKS_STALE_AFTER`` seconds; every task here is safe to run again.
In development and tests the immediate backend runs a task where it is queued.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.tasks import TaskResultStatus, task
from django.utils import timezone, translation

from . import notifications, reminders, uploads

logger = logging.getLogger(__name__)

#: A task whose worker died this many times is marked failed instead of run again (it may be
#: what kills the worker).
MAX_STARTS = 3


@task(priority=10)
def send_email(outbox_id):
    """Send the outbox e-mail ``outbox_id`` (see :func:`notifications.send_one`)."""
    return notifications.send_one(outbox_id)


@task
def send_outbox(limit=500):
    """Requeue the tasks of dead workers, then sweep the outbox."""
    requeued = requeue_stale_tasks()
    report = notifications.sweep_outbox(limit)
    return {**dataclasses.asdict(report), "requeued_tasks": requeued}


@task
def send_reminders(on=None):
    """The reminders due on the Shanghai date ``on`` (ISO text; today by default)."""
    day = datetime.date.fromisoformat(on) if on else None
    with translation.override(settings.LANGUAGE_CODE):
        report = reminders.send_reminders(day)
    return dataclasses.asdict(report)


@task
def purge_pending_uploads():
    """Delete the kept uploads older than a day."""
    return {"removed": uploads.purge_pending_uploads()}


# --- the queue -------------------------------------------------------------------------------


def uses_database_queue(task_=send_outbox):
    from django_tasks_db import DatabaseBackend

    return isinstance(task_.get_backend(), DatabaseBackend)


def enqueue_once(task_, *args):
    """Queue ``task_(*args)`` unless the same call is already waiting or running in the
    database queue (cron queueing every minute while the workers are down piles up nothing).
    Returns the task result (the queued one, or the one already there)."""
    if uses_database_queue(task_):
        from django.utils.json import normalize_json
        from django_tasks_db.models import DBTaskResult

        waiting = (
            DBTaskResult.objects.filter(
                task_path=task_.module_path,
                backend_name=task_.backend,
                status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
                args_kwargs=normalize_json({"args": list(args), "kwargs": {}}),
            )
            .order_by()
            .first()
        )
        if waiting is not None:
            return waiting.task_result
    return task_.enqueue(*args)


def requeue_stale_tasks(now=None):
    """Make READY again the tasks RUNNING for longer than ``TASKS_STALE_AFTER`` seconds (their
    worker died: killed, out of memory, the machine restarted); a task started
    :data:`MAX_STARTS` times is marked FAILED instead. Returns how many were requeued."""
    if not uses_database_queue():
        return 0
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.TASKS_STALE_AFTER)
    requeued = 0
    for stale in DBTaskResult.objects.running().filter(started_at__lt=cutoff).order_by():
        same = DBTaskResult.objects.filter(
            pk=stale.pk, status=TaskResultStatus.RUNNING, started_at=stale.started_at
        )
        if len(stale.worker_ids) >= MAX_STARTS:
            same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path="talentstation.tasks.WorkerDied",
                traceback=f"Its worker died {len(stale.worker_ids)} times: {stale.worker_ids}",
            )
            logger.error("Task %s (%s) killed its workers; failed.", stale.pk, stale.task_path)
        elif same.update(status=TaskResultStatus.READY):
            requeued += 1
            logger.warning(
                "Task %s (%s) was RUNNING since %s on worker %s: requeued.",
                stale.pk,
                stale.task_path,
                stale.started_at,
                stale.worker_ids[-1:],
            )
    return requeued


@dataclasses.dataclass
class Outcome:
    """What a cron command did: ran the job (``value``: its return value) or queued it."""

    value: object = None
    queued_id: str = ""
    error: str = ""


def run_or_enqueue(task_, *args, now=False):
    """For the cron commands: with ``now`` run the job here, else queue it once
    (:func:`enqueue_once`; the immediate backend runs it at once, too)."""
    if now:
        return Outcome(value=task_.call(*args))
    result = enqueue_once(task_, *args)
    if result.status == TaskResultStatus.SUCCESSFUL:
        return Outcome(value=result.return_value)
    if result.status == TaskResultStatus.FAILED:
        last = result.errors[-1].traceback.strip().splitlines()[-1] if result.errors else ""
        return Outcome(error=last or "failed")
    return Outcome(queued_id=str(result.id))
