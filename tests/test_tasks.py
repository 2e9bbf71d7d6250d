"""Background work on the task queue (talentstation/tasks.py, django-tasks-db): e-mails sent by
tasks after the commit, a failing mail server that loses no transition, daily jobs queued twice
that do their work once, the tasks of dead workers put back in the queue, and, on PostgreSQL,
real ``manage.py db_worker`` processes: several sharing one queue run each task once, and a
worker killed (SIGKILL) in the middle of a task loses nothing."""

import datetime
import io
import os
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talentstation import notifications, tasks
from talentstation.models import Notification, OutboxEmail, Reminder
from talentstation.workflow import perform

from . import factories
from .conftest import DATABASE_QUEUE
from .test_notifications import FAILING, LOCMEM
from .test_reminders import (
    CLOSE,
    DAY,
    _only,
    call_drafts,  # noqa: F401 (a fixture used here)
)

ROOT = Path(__file__).resolve().parent.parent
START = datetime.datetime(2026, 9, 22, 23, 15, tzinfo=datetime.UTC)  # 07:15 in Shanghai


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _results(task_, status=None):
    rows = DBTaskResult.objects.filter(task_path=task_.module_path)
    return rows.filter(status=status) if status else rows


def _rectification(station, staff_user):
    perform(station, "start_rectification", by=staff_user, reason="考核得分低于60分")


# --- the transition commits; the e-mail follows ----------------------------------------------


@pytest.mark.django_db
def test_a_failing_mail_server_neither_rolls_back_nor_loses_a_transition(
    settings, staff_user, database_queue, django_capture_on_commit_callbacks
):
    station = factories.StationFactory()
    perform(station, "certify", by=staff_user)
    member = factories.applicant_user(station.host_unit)
    settings.MAILERS = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        _rectification(station, staff_user)
    station.refresh_from_db()
    assert station.status == "rectifying"  # committed, the mail server not even asked
    email = OutboxEmail.objects.get(to=member.email)
    assert email.attempts == 0
    assert _results(tasks.send_email, TaskResultStatus.READY).count() == 1

    database_queue()  # the worker: the server is down
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    station.refresh_from_db()
    assert station.status == "rectifying"
    assert Notification.objects.filter(recipient=member, subject__contains="整改").exists()


@pytest.mark.django_db
def test_in_development_the_commit_runs_the_task_at_once(
    settings, staff_user, django_capture_on_commit_callbacks
):
    """The immediate backend (DEBUG, tests): ``make run`` needs no worker; a failure is kept
    in the outbox for the sweep and does not reach the request."""
    station = factories.StationFactory()
    perform(station, "certify", by=staff_user)
    member = factories.applicant_user(station.host_unit)
    settings.MAILERS = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        _rectification(station, staff_user)
    station.refresh_from_db()
    assert station.status == "rectifying"
    email = OutboxEmail.objects.get(to=member.email)
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    assert "451" in email.last_error
    assert not DBTaskResult.objects.exists()  # nothing queued: it ran here

    settings.MAILERS = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        perform(station, "end_rectification", by=staff_user)
    assert [member.email] in [m.to for m in mail.outbox]


# --- daily jobs: queued twice, done once -----------------------------------------------------


@pytest.mark.django_db
def test_the_daily_reminders_queued_twice_send_each_reminder_once(
    call_drafts,  # noqa: F811
    settings,
    database_queue,
    django_capture_on_commit_callbacks,
):
    settings.MAILERS = LOCMEM
    day = str(CLOSE - DAY)
    out = io.StringIO()
    call_command("send_reminders", "--date", day, stdout=out)
    call_command("send_reminders", "--date", day, stdout=out)  # cron ran twice
    assert out.getvalue().count(f"Reminders of {day} queued") == 2
    assert _results(tasks.send_reminders).count() == 1  # the second found it waiting
    tasks.send_reminders.enqueue(day)  # two app servers' cron at the same moment
    assert _results(tasks.send_reminders).count() == 2
    with django_capture_on_commit_callbacks(execute=True):  # each reminder's commit
        database_queue()
    database_queue()  # the e-mails
    assert Reminder.objects.count() == 4 == Notification.objects.count()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in call_drafts)
    returned = sorted(r.return_value["sent"] for r in _results(tasks.send_reminders))
    assert returned == [0, 4]  # the second run found every reminder sent
    assert set(OutboxEmail.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_the_cron_commands_run_inline_with_now(
    call_drafts,  # noqa: F811
    settings,
    database_queue,
    django_capture_on_commit_callbacks,
):
    """Small installs without a worker: ``--now`` does the job in the cron process."""
    settings.MAILERS = LOCMEM
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", str(CLOSE - DAY), "--now", stdout=out)
    assert "4 reminder(s) sent" in out.getvalue()
    assert "4 e-mail(s) queued" in out.getvalue()
    assert Reminder.objects.count() == 4
    assert mail.outbox == []  # their e-mails went to the queue
    assert _results(tasks.send_email, TaskResultStatus.READY).count() == 4
    call_command("purge_pending_uploads", "--now", stdout=out)
    assert "0 pending upload(s) removed" in out.getvalue()
    assert not _results(tasks.purge_pending_uploads).exists()


@pytest.mark.django_db
def test_the_outbox_sweep_sends_what_no_task_will(settings, clock, database_queue):
    """E-mails written without a task (``send_now=False``, the demo's reminders) or whose
    queueing failed are sent by the sweep once due for longer than the grace period."""
    settings.MAILERS = LOCMEM
    user = factories.UserFactory()
    notifications.notify(user, subject="批量", body="", send_now=False)
    assert not DBTaskResult.objects.exists()
    call_command("send_outbox", stdout=io.StringIO())
    call_command("send_outbox", stdout=io.StringIO())
    assert _results(tasks.send_outbox).count() == 1  # queued once while waiting
    database_queue()
    assert mail.outbox == []  # within the grace period: its task may still come
    clock.shift(datetime.timedelta(seconds=settings.OUTBOX_SWEEP_GRACE + 1))
    call_command("send_outbox", stdout=io.StringIO())
    database_queue()
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT


# --- a worker that died ----------------------------------------------------------------------


def _die_in_the_middle(worker_id):
    """What a worker does before it runs a task, then nothing: it was killed. (The real kill of
    a ``db_worker`` process is tested on PostgreSQL below.)"""
    with transaction.atomic():
        task_result = DBTaskResult.objects.ready().get_locked()
        task_result.claim(worker_id)
    return task_result


@pytest.mark.django_db
def test_the_task_of_a_dead_worker_is_requeued_and_its_email_sent_once(
    settings, clock, database_queue
):
    """Two ways back, and still once: the outbox sweep sends the e-mail when the dead sender's
    lease is over; the task, requeued after the stale timeout, finds it sent."""
    settings.MAILERS = LOCMEM
    email = OutboxEmail.objects.create(to="a@example.com", subject="s", body="b")
    tasks.send_email.enqueue(email.pk)
    dead = _die_in_the_middle("killed-worker")
    notifications._claim(email.pk)  # it had taken the e-mail, too
    database_queue()
    dead.refresh_from_db()
    assert dead.status == TaskResultStatus.RUNNING  # django-tasks-db leaves it so
    assert mail.outbox == []

    clock.shift(datetime.timedelta(seconds=settings.OUTBOX_CLAIM_LEASE + 60))
    call_command("send_outbox", stdout=io.StringIO())
    database_queue()
    assert mail.outbox == []  # the lease is over, but the sweep's grace not yet

    clock.shift(datetime.timedelta(seconds=settings.OUTBOX_SWEEP_GRACE))
    call_command("send_outbox", stdout=io.StringIO())
    database_queue()
    assert [m.to for m in mail.outbox] == [["a@example.com"]]  # by the sweep
    dead.refresh_from_db()
    assert dead.status == TaskResultStatus.RUNNING  # not yet stale: it may still be running

    clock.shift(datetime.timedelta(seconds=settings.TASKS_STALE_AFTER))
    call_command("send_outbox", stdout=(out := io.StringIO()))
    database_queue()
    dead.refresh_from_db()
    assert dead.status == TaskResultStatus.SUCCESSFUL
    assert dead.worker_ids == ["killed-worker", "inline-worker"]
    assert dead.return_value == notifications.SKIPPED  # already sent
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 1)
    sweeps = [r.return_value["requeued_tasks"] for r in _results(tasks.send_outbox)]
    assert sorted(sweeps) == [0, 0, 1]
    assert "queued" in out.getvalue()


@pytest.mark.django_db
def test_a_requeued_daily_job_finishes_what_the_dead_worker_began(
    call_drafts,  # noqa: F811
    settings,
    clock,
    database_queue,
    monkeypatch,
):
    """The reminders task of a dead worker: RUNNING until the timeout, then run again; the
    reminders it had sent are not sent twice."""
    day = CLOSE - DAY
    tasks.send_reminders.enqueue(str(day))
    dead = _die_in_the_middle("killed-worker")
    with transaction.atomic():  # what it did before it died: two of the four reminders
        from talentstation import reminders

        real = reminders._active_recipients
        monkeypatch.setattr(reminders, "_active_recipients", lambda users: real(users)[:1])
        assert reminders.send_reminders(day).sent == 2
        monkeypatch.setattr(reminders, "_active_recipients", real)
    clock.shift(datetime.timedelta(seconds=settings.TASKS_STALE_AFTER + 1))
    call_command("send_outbox", stdout=io.StringIO())
    database_queue()
    dead.refresh_from_db()
    assert dead.status == TaskResultStatus.SUCCESSFUL
    assert dead.return_value["sent"] == 2 and dead.return_value["already_sent"] == 2
    assert Reminder.objects.count() == 4 == Notification.objects.count()


@pytest.mark.django_db
def test_a_task_that_keeps_killing_its_worker_is_given_up(settings, clock, database_queue):
    tasks.purge_pending_uploads.enqueue()
    for start in range(tasks.MAX_STARTS):
        _die_in_the_middle(f"worker-{start}")
        clock.shift(datetime.timedelta(seconds=settings.TASKS_STALE_AFTER + 1))
        tasks.requeue_stale_tasks()
    result = _results(tasks.purge_pending_uploads).get()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "talentstation.tasks.WorkerDied"
    assert len(result.worker_ids) == tasks.MAX_STARTS


# --- real worker processes (PostgreSQL: they share the test database) ------------------------


class SMTPServer(socketserver.ThreadingTCPServer):
    """A small SMTP server on loopback that records the messages it accepted (recipient,
    subject). With ``hold``, it keeps the first message's DATA unanswered (not accepted) until
    the client goes away: a worker killed while sending."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *, hold=False):
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.accepted = []
        self.hold = hold
        self.holding = threading.Event()
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]

    def recipients(self):
        with self.lock:
            return sorted(to for to, _subject in self.accepted)


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        server = self.server
        self.reply("220 test ESMTP")
        recipients = []
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 test")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                message = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    message += chunk
                if chunk == b"":
                    return
                with server.lock:
                    hold = server.hold and not server.holding.is_set()
                    if hold:
                        server.holding.set()
                if hold:
                    self.rfile.read()  # until the killed client's socket closes
                    return
                with server.lock:
                    server.accepted.extend((to, message) for to in recipients)
                recipients = []
                self.reply("250 accepted")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RSET, NOOP
                recipients = [] if verb in ("MAIL", "RSET") else recipients
                self.reply("250 OK")


def _worker_env(smtp, **extra):
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "talentstation.settings",
        "TALENTSTATION_TESTING": "1",
        "DATABASE_URL": url,
        "PGPASSWORD": db.get("PASSWORD") or "",
        "TASKS_BACKEND": "database",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "EMAIL_TIMEOUT": "60",
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def _start_worker(smtp, worker_id, *args, **extra):
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.1",
            "--worker-id",
            worker_id,
            *args,
        ],
        cwd=ROOT,
        env=_worker_env(smtp, **extra),
        stdout=subprocess.DEVNULL,
        stderr=tempfile.NamedTemporaryFile(prefix=f"{worker_id}-", suffix=".log", delete=False),
    )


def _wait_for(condition, timeout=90, what="the workers"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"Timed out waiting for {what}.")


def _stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _queue_emails(count):
    users = factories.UserFactory.create_batch(count)
    with transaction.atomic():
        notifications.notify(users, subject="评审通知", body="请登录门户查看。")
    return sorted(user.email for user in users)


def _unfinished():
    return DBTaskResult.objects.exclude(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    ).count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_workers_sharing_one_queue_run_each_task_once(settings):
    settings.TASKS = DATABASE_QUEUE
    _only("call_close", [7, 1, -1])
    call = factories.CallFactory()
    members = []
    for _unit in range(3):
        unit = factories.HostUnitFactory()
        factories.ApplicationFactory(call=call, host_unit=unit)
        members += [factories.applicant_user(unit) for _member in range(2)]
    emails = _queue_emails(30)
    day = str(CLOSE - DAY)
    for _run in range(3):  # the same day's reminders queued three times (three cron hosts)
        tasks.send_reminders.enqueue(day)
    smtp = SMTPServer()
    workers = [_start_worker(smtp, f"worker-{n}") for n in range(3)]
    try:
        expected = sorted(emails + [member.email for member in members])
        _wait_for(lambda: _unfinished() == 0 and len(smtp.accepted) >= len(expected))
    finally:
        for worker in workers:
            _stop(worker)
    assert smtp.recipients() == expected  # each e-mail once
    assert Reminder.objects.count() == len(members)
    results = list(DBTaskResult.objects.all())
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(r.worker_ids) == 1 for r in results)  # no task was taken twice
    assert len({r.worker_ids[0] for r in results}) > 1  # the workers shared the queue
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_loses_no_email(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_STALE_AFTER = 3
    timeouts = {"OUTBOX_CLAIM_LEASE_SECONDS": "2", "TASKS_STALE_AFTER_SECONDS": "3"}
    emails = _queue_emails(5)
    smtp = SMTPServer(hold=True)
    first = _start_worker(smtp, "first-worker", **timeouts)
    try:
        _wait_for(smtp.holding.is_set, what="the first worker to send")
        first.send_signal(signal.SIGKILL)  # in the middle of the SMTP conversation
        first.wait(timeout=20)
    finally:
        _stop(first)
    stuck = DBTaskResult.objects.get(status=TaskResultStatus.RUNNING)
    assert stuck.worker_ids == ["first-worker"]
    assert smtp.accepted == []
    in_flight = OutboxEmail.objects.get(pk=stuck.args_kwargs["args"][0])
    assert (in_flight.status, in_flight.attempts) == (OutboxEmail.Status.PENDING, 0)

    second = _start_worker(smtp, "second-worker", **timeouts)
    try:
        _wait_for(lambda: len(smtp.accepted) == 4, what="the other four e-mails")
        stuck.refresh_from_db()
        assert stuck.status == TaskResultStatus.RUNNING  # nobody else takes it by itself
        time.sleep(3.5)  # the task is stale now
        call_command("send_outbox", stdout=io.StringIO())  # cron, a minute later
        _wait_for(lambda: _unfinished() == 0 and len(smtp.accepted) == 5)
    finally:
        _stop(second)
    assert smtp.recipients() == emails  # every e-mail, each once
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.SUCCESSFUL
    assert stuck.worker_ids == ["first-worker", "second-worker"]
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_the_reminders_loses_none(settings):
    """The reminders task is stopped half-way: one reminder's insert waits for a row another
    transaction holds (the same key, uncommitted), the worker is killed there, the row released;
    the requeued task sends the rest, and nothing twice."""
    settings.TASKS = DATABASE_QUEUE
    settings.TASKS_STALE_AFTER = 2
    _only("call_close", [7, 1, -1])
    call = factories.CallFactory()
    members = []
    for _unit in range(3):
        unit = factories.HostUnitFactory()
        factories.ApplicationFactory(call=call, host_unit=unit)
        members += [factories.applicant_user(unit) for _member in range(2)]
    on = CLOSE - DAY
    blocked = members[3]  # the fourth of six reminders
    smtp = SMTPServer()
    timeouts = {"TASKS_STALE_AFTER_SECONDS": "2"}
    holder = _hold_reminder_key(blocked, on)
    tasks.send_reminders.enqueue(str(on))
    first = _start_worker(smtp, "first-worker", **timeouts)
    try:
        holder.wait_until_blocking()
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
    finally:
        holder.release()
        _stop(first)
    done_before = Reminder.objects.count()
    assert 0 < done_before < len(members)  # killed half-way
    time.sleep(2.5)
    second = _start_worker(smtp, "second-worker", **timeouts)
    try:
        call_command("send_outbox", stdout=io.StringIO())
        _wait_for(lambda: _unfinished() == 0 and len(smtp.accepted) >= len(members))
    finally:
        _stop(second)
    assert Reminder.objects.count() == len(members)
    for member in members:
        assert Notification.objects.filter(recipient=member).count() == 1
    assert smtp.recipients() == sorted(member.email for member in members)
    run = _results(tasks.send_reminders).get()
    assert run.worker_ids == ["first-worker", "second-worker"]
    assert run.return_value["sent"] == len(members) - done_before


class _KeyHolder:
    """Another connection that inserts a reminder row with the key of a reminder the task will
    send, without committing: the task's insert of that key waits for it."""

    def __init__(self, key):
        import psycopg

        db = connection.settings_dict
        self.conn = psycopg.connect(
            host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]
        )
        self.key = key
        with self.conn.cursor() as cursor:
            cursor.execute(
                "INSERT INTO talentstation_reminder (recipient_id, content_type_id, object_id,"
                " kind, due, lead_days, run_date, sent_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, now())",
                key,
            )

    def wait_until_blocking(self):
        def waiting():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    " AND query LIKE 'INSERT INTO \"talentstation_reminder\"%%'"
                )
                return cursor.fetchone()[0] > 0

        _wait_for(waiting, what="the reminders task to reach the held reminder")

    def release(self):
        self.conn.rollback()
        self.conn.close()


def _hold_reminder_key(user, on):
    from django.contrib.contenttypes.models import ContentType

    from talentstation.reminders import _sources

    deadline = next(
        d for d in _sources["call_close"].fn(on) if user.pk in {u.pk for u in d.recipients}
    )
    content_type = ContentType.objects.get_for_model(deadline.obj)
    return _KeyHolder(
        (user.pk, content_type.pk, deadline.obj.pk, "call_close", deadline.due, 1, on)
    )


@pytest.mark.django_db
def test_requeue_does_nothing_on_the_immediate_backend():
    assert tasks.requeue_stale_tasks(timezone.now()) == 0
