"""Notifications: the inbox, the e-mail outbox sent by queued tasks after commit with retries,
mass notices."""

import datetime
import re
import smtplib
import threading
import time

import factory
import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from talentstation import notifications
from talentstation.models import Notification, OutboxEmail
from talentstation.rules import Refused
from talentstation.tasks import send_email

from . import factories

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FAILING = {"default": {"BACKEND": "tests.test_notifications.FailingBackend"}}
START = datetime.datetime(2026, 8, 3, 9, 0, tzinfo=datetime.UTC)


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("451 server down")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(factories.UserFactory)
    subject = factory.Sequence(lambda n: f"通知{n}")
    body = "请登录门户查看。"


@pytest.fixture
def user(db):
    return factories.UserFactory()


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def outbox_email(**kwargs):
    return OutboxEmail.objects.create(
        to="someone@example.com", subject="测试", body="正文", **kwargs
    )


# --- notify() and the outbox ------------------------------------------------------------------


@pytest.mark.django_db
def test_notify_fills_inboxes_and_mails_after_commit(settings, django_capture_on_commit_callbacks):
    settings.MAILERS = LOCMEM
    first, second = factories.UserFactory(), factories.UserFactory()
    inactive = factories.UserFactory(is_active=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = notifications.notify(
            [first, second, inactive, first],
            subject="申报已提交",
            body="编号 2026-0007",
            link="/applications/7/",
        )
        assert len(mail.outbox) == 0  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert {n.recipient for n in created} == {first, second}
    assert Notification.objects.filter(recipient=inactive).count() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, second.email])
    message = mail.outbox[0]
    assert message.subject == "申报已提交"
    assert "编号 2026-0007" in message.body
    assert f"{settings.SITE_URL}/applications/7/" in message.body
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert OutboxEmail.objects.filter(notification__in=created).count() == 2


@pytest.mark.django_db
def test_nothing_is_written_or_sent_when_the_transaction_rolls_back(
    settings, user, django_capture_on_commit_callbacks
):
    settings.MAILERS = LOCMEM
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notifications.notify([user], subject="审核通过", body="")
        raise RuntimeError("the transition failed")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_inbox_only_without_email(settings, user, django_capture_on_commit_callbacks):
    settings.MAILERS = LOCMEM
    nameless = factories.UserFactory(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([user], subject="仅站内", body="", email=False)
        notifications.notify(nameless, subject="无邮箱", body="")
    assert Notification.objects.count() == 2
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_notify_refuses_links_out_of_the_portal(user):
    for link in ("http://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        with pytest.raises(ValueError):
            notifications.notify([user], subject="x", body="", link=link)
    assert not Notification.objects.exists()


def _tasks(status=None):
    rows = DBTaskResult.objects.filter(task_path="talentstation.tasks.send_email")
    return rows.filter(status=status) if status else rows


@pytest.mark.django_db
def test_a_failing_mail_server_loses_nothing_and_breaks_nothing(
    settings, user, clock, database_queue, django_capture_on_commit_callbacks
):
    settings.MAILERS = FAILING
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify([user], subject="专家评审安排", body="请于周五前完成评分。")
    # The request only queued the sending: one task, nothing tried yet.
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 0)
    assert _tasks(TaskResultStatus.READY).count() == 1
    database_queue()  # a worker tries it: the server is down
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 1
    assert "451 server down" in email.last_error
    assert email.next_attempt_at == START + datetime.timedelta(minutes=1)
    assert Notification.objects.filter(recipient=user).exists()
    # The task did not fail: it queued the next attempt, deferred by the backoff.
    assert _tasks(TaskResultStatus.SUCCESSFUL).count() == 1
    retry = _tasks(TaskResultStatus.READY).get()
    assert retry.run_after == email.next_attempt_at
    assert retry.args_kwargs == {"args": [email.pk], "kwargs": {}}

    # The server is back; the worker sends it when the next attempt is due.
    settings.MAILERS = LOCMEM
    database_queue()
    assert mail.outbox == [] and _tasks(TaskResultStatus.READY).count() == 1  # not due yet
    clock.shift(datetime.timedelta(minutes=2))
    database_queue()
    assert [m.to for m in mail.outbox] == [[user.email]]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at) == (
        OutboxEmail.Status.SENT,
        2,
        START + datetime.timedelta(minutes=2),
    )
    assert not _tasks(TaskResultStatus.READY).exists()
    call_command("send_outbox", stdout=(out := _Output()))  # cron: queues the sweep
    database_queue()
    assert len(mail.outbox) == 1  # sent once
    assert "queued" in out.text


@pytest.mark.django_db
def test_the_request_only_queues_the_emails_the_workers_send(
    settings, clock, database_queue, django_capture_on_commit_callbacks
):
    settings.MAILERS = FAILING  # a dead mail server costs the request nothing
    users = factories.UserFactory.create_batch(25)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(users, subject="大批通知", body="")
    assert set(OutboxEmail.objects.values_list("attempts", flat=True)) == {0}
    assert _tasks(TaskResultStatus.READY).count() == 25  # one task per e-mail

    settings.MAILERS = LOCMEM
    database_queue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in users)
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert _tasks(TaskResultStatus.SUCCESSFUL).count() == 25


@pytest.mark.django_db
def test_with_the_immediate_backend_the_commit_sends_them_and_the_sweep_retries(
    settings, clock, django_capture_on_commit_callbacks
):
    """Development and tests: no worker; a failed e-mail waits for the outbox sweep."""
    settings.MAILERS = FAILING
    user = factories.UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(user, subject="通知", body="")
    email = OutboxEmail.objects.get()
    assert email.attempts == 1 and email.status == OutboxEmail.Status.PENDING
    settings.MAILERS = LOCMEM
    clock.shift(datetime.timedelta(minutes=2))
    call_command("send_outbox", stdout=(out := _Output()))
    assert "0 sent" in out.text  # due, but within the sweep's grace: its own retry's time
    clock.shift(datetime.timedelta(seconds=settings.OUTBOX_SWEEP_GRACE))
    call_command("send_outbox", stdout=(out := _Output()))
    assert "1 sent" in out.text and "0 pending" in out.text
    assert [m.to for m in mail.outbox] == [[user.email]]


@pytest.mark.django_db
def test_with_the_immediate_backend_the_request_sends_a_few_and_leaves_the_rest(
    settings, clock, django_capture_on_commit_callbacks
):
    settings.MAILERS = FAILING
    users = factories.UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(users, subject="通知", body="")
    # One time-out at most for the request: the others are not even tried.
    assert sorted(OutboxEmail.objects.values_list("attempts", flat=True)) == [0, 0, 1]

    settings.MAILERS = LOCMEM
    many = factories.UserFactory.create_batch(notifications.IMMEDIATE_LIMIT + 5)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(many, subject="大批通知", body="")
    assert len(mail.outbox) == notifications.IMMEDIATE_LIMIT  # only its own e-mails
    clock.shift(datetime.timedelta(seconds=settings.OUTBOX_SWEEP_GRACE + 120))
    call_command("send_outbox", stdout=_Output())
    assert len(mail.outbox) == notifications.IMMEDIATE_LIMIT + 5 + 3  # + the untried + retry
    assert OutboxEmail.objects.filter(status="pending").count() == 0


@pytest.mark.django_db
def test_retries_back_off_and_give_up(settings, clock, database_queue):
    settings.MAILERS = FAILING
    email = outbox_email()
    send_email.enqueue(email.pk)
    delays = []
    for _attempt in range(notifications.MAX_ATTEMPTS):
        database_queue()
        email.refresh_from_db()
        delays.append(email.next_attempt_at - timezone.now())
        clock.shift(datetime.timedelta(days=2))
    assert delays[:5] == [
        datetime.timedelta(minutes=1),
        datetime.timedelta(minutes=5),
        datetime.timedelta(minutes=30),
        datetime.timedelta(hours=2),
        datetime.timedelta(hours=12),
    ]
    assert email.status == OutboxEmail.Status.FAILED
    assert email.attempts == notifications.MAX_ATTEMPTS
    assert _tasks(TaskResultStatus.SUCCESSFUL).count() == notifications.MAX_ATTEMPTS
    assert not _tasks(TaskResultStatus.READY).exists()  # no more attempts
    assert notifications.send_pending().tried == 0


@pytest.mark.django_db
def test_a_dead_server_stops_the_sweep_after_a_few_failures(settings, clock):
    settings.MAILERS = FAILING
    emails = [outbox_email() for _ in range(5)]
    report = notifications.send_pending()
    assert (report.retrying, report.deferred) == (notifications.MAX_CONSECUTIVE_FAILURES, 2)
    untried = OutboxEmail.objects.filter(attempts=0)
    assert untried.count() == 2
    assert all(e.next_attempt_at <= timezone.now() for e in untried)  # due for the next run
    assert len(emails) == 5


@pytest.mark.django_db
def test_an_email_is_claimed_by_one_sender_only(clock):
    email = outbox_email()
    assert notifications._claim(email.pk) == email
    assert notifications._claim(email.pk) is None  # a concurrent sender finds it not due
    assert notifications.send_one(email.pk) == notifications.SKIPPED
    clock.shift(notifications.claim_lease() + datetime.timedelta(seconds=1))
    assert notifications._claim(email.pk) == email  # the sender died: it is due again


class SlowBackend(BaseEmailBackend):
    """A slow mail server that records what it delivered (for the concurrency test)."""

    delivered = []
    lock = threading.Lock()

    def send_messages(self, email_messages):
        time.sleep(0.02)
        with self.lock:
            self.delivered.extend(m.to[0] for m in email_messages)
        return len(email_messages)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_senders_send_each_email_once(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.test_notifications.SlowBackend"}}
    SlowBackend.delivered.clear()
    OutboxEmail.objects.bulk_create(
        OutboxEmail(to=f"u{n}@example.com", subject="s", body="b") for n in range(20)
    )
    barrier = threading.Barrier(4)
    reports = []

    def sender():
        try:
            barrier.wait()
            reports.append(notifications.send_pending())
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(SlowBackend.delivered) == sorted(f"u{n}@example.com" for n in range(20))
    assert sum(r.sent for r in reports) == 20
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.django_db
def test_send_pending_never_raises(monkeypatch):
    outbox_email()

    def broken_database(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(notifications, "_claim", broken_database)
    assert notifications.send_pending().tried == 0


@pytest.mark.django_db
def test_render_notice(settings, tmp_path):
    (tmp_path / "notice.txt").write_text(
        "{{ station }} 评审结果\n\n尊敬的{{ name }}：\n{{ station }} 已通过 <专家评审> & 公示。\n",
        encoding="utf-8",
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    subject, body = notifications.render_notice(
        "notice.txt", {"station": "A&B人才驿站", "name": "张三"}
    )
    assert subject == "A&B人才驿站 评审结果"
    assert body == "尊敬的张三：\nA&B人才驿站 已通过 <专家评审> & 公示。"


# --- the inbox pages --------------------------------------------------------------------------


@pytest.mark.django_db
def test_inbox_shows_own_notifications_and_unread_count(client, user):
    mine = NotificationFactory.create_batch(3, recipient=user)
    mine.append(NotificationFactory(recipient=user, subject="已读的", read_at=timezone.now()))
    theirs = NotificationFactory(subject="别人的通知")
    client.force_login(user)
    response = client.get(reverse("inbox"))
    html = response.content.decode()
    assert set(response.context["page"].object_list) == set(mine)
    assert theirs.subject not in html
    assert all(n.subject in html for n in mine)
    assert re.search(r'class="badge[^"]*">3<span class="visually-hidden">', html)
    assert re.search(r'<p role="status">[^<]*3', html)
    assert response.context["unread_notification_count"] == 3


@pytest.mark.django_db
def test_inbox_is_newest_first(client, user, clock):
    old = NotificationFactory(recipient=user)
    clock.shift(datetime.timedelta(hours=1))
    new = NotificationFactory(recipient=user)
    client.force_login(user)
    response = client.get(reverse("inbox"))
    assert list(response.context["page"].object_list) == [new, old]


@pytest.mark.django_db
def test_inbox_needs_login(client):
    response = client.get(reverse("inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_opening_marks_read_and_follows_the_link(client, user):
    notification = NotificationFactory(recipient=user, link="/applications/3/")
    client.force_login(user)
    response = client.get(reverse("inbox_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/applications/3/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.django_db
def test_opening_without_link_shows_the_notification(client, user):
    notification = NotificationFactory(recipient=user, body="第一行\n第二行")
    client.force_login(user)
    response = client.get(reverse("inbox_open", args=[notification.pk]))
    assert response.status_code == 200
    assert "第一行<br>第二行" in response.content.decode()
    assert Notification.objects.get().read_at is not None


@pytest.mark.django_db
def test_another_users_notification_is_not_found(client, user):
    notification = NotificationFactory()
    client.force_login(user)
    assert client.get(reverse("inbox_open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "link", ["http://evil.example", "https://evil.example/x", "//evil.example", "/\\evil.example"]
)
def test_an_unsafe_link_is_not_followed(client, user, link):
    notification = NotificationFactory(recipient=user, link=link)
    client.force_login(user)
    response = client.get(reverse("inbox_open", args=[notification.pk]))
    assert response.status_code == 200
    assert response.context["notification"] == notification


@pytest.mark.django_db
def test_mark_all_read(client, user):
    NotificationFactory.create_batch(2, recipient=user)
    other = NotificationFactory()
    client.force_login(user)
    assert client.get(reverse("inbox_mark_all_read")).status_code == 405
    response = client.post(reverse("inbox_mark_all_read"))
    assert response.status_code == 302
    assert not user.notifications.filter(read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 30])
def test_inbox_queries_do_not_grow(client, user, django_assert_max_num_queries, rows):
    NotificationFactory.create_batch(rows, recipient=user)
    client.force_login(user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("inbox"))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows, 20)


@pytest.mark.django_db
def test_navbar_count_costs_one_query_and_only_where_shown(client, staff_user):
    NotificationFactory.create_batch(2, recipient=staff_user)
    client.force_login(staff_user)
    html, queries = _notification_queries(client, reverse("password_change"))
    assert queries == 1
    assert re.search(r'href="/inbox/">[^<]*<span class="badge[^"]*">2<span', html)
    assert _notification_queries(client, reverse("admin:index"))[1] == 0  # no badge in admin
    client.logout()
    html, queries = _notification_queries(client, reverse("login"))
    assert queries == 0 and 'href="/inbox/"' not in html


# --- mass notices by bureau staff -------------------------------------------------------------


@pytest.mark.django_db
def test_mass_notice_preview_and_send(settings, staff_user, django_capture_on_commit_callbacks):
    settings.MAILERS = LOCMEM
    users = factories.UserFactory.create_batch(12)
    factories.UserFactory(is_active=False)
    from django.contrib.auth import get_user_model

    everyone = get_user_model().objects.exclude(pk=staff_user.pk)
    preview = notifications.preview_mass_notice(everyone, "年度考核通知", "请于10月底前提交。")
    assert preview["recipient_count"] == 12
    assert preview["email_count"] == 12
    assert len(preview["sample_recipients"]) == notifications.PREVIEW_SAMPLE_SIZE
    assert preview["more_count"] == 2
    assert preview["subject"] == "年度考核通知"
    assert "请于10月底前提交。" in preview["email_body"]
    assert users[0].full_name in preview["email_body"]
    assert not Notification.objects.exists()  # a preview sends nothing

    with pytest.raises(Refused):
        notifications.send_mass_notice(everyone, "x", "y", by=users[0])
    with django_capture_on_commit_callbacks(execute=True):
        sent = notifications.send_mass_notice(
            everyone, "年度考核通知", "请于10月底前提交。", by=staff_user
        )
    assert len(sent) == 12
    assert len(mail.outbox) == 12
    assert set(Notification.objects.values_list("sender", flat=True)) == {staff_user.pk}


@pytest.mark.django_db
def test_mass_notice_admin_action(client, settings, staff_user, django_capture_on_commit_callbacks):
    settings.MAILERS = LOCMEM
    chosen = factories.UserFactory.create_batch(3)
    bystander = factories.UserFactory()
    client.force_login(staff_user)
    url = reverse("admin:talentstation_user_changelist")
    selection = {"action": "send_notice", "_selected_action": [u.pk for u in chosen]}

    response = client.post(url, selection)
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"subject", "body"}

    response = client.post(url, {**selection, "notice_step": "preview", "subject": ""})
    assert response.context["form"].errors  # subject and body are required

    notice = {"subject": "关于年度考核的通知", "body": "各驿站：\n请按时提交材料。"}
    response = client.post(url, {**selection, **notice, "notice_step": "preview"})
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["recipient_count"] == 3
    html = response.content.decode()
    assert 'role="status"' in html and "各驿站：" in html
    assert all(u.email in html for u in chosen)
    assert not Notification.objects.exists()

    response = client.post(url, {**selection, **notice, "notice_step": "edit"})
    assert response.context["form"].initial["subject"] == notice["subject"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**selection, **notice, "notice_step": "send"})
    assert response.status_code == 302
    assert {n.recipient for n in Notification.objects.all()} == set(chosen)
    assert not bystander.notifications.exists()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in chosen)
    assert all(m.subject == notice["subject"] for m in mail.outbox)


@pytest.mark.django_db
def test_mass_notice_action_is_for_staff_only(client, official_user):
    target = factories.UserFactory()
    client.force_login(official_user)
    response = client.post(
        reverse("admin:talentstation_user_changelist"),
        {
            "action": "send_notice",
            "_selected_action": [target.pk],
            "notice_step": "send",
            "subject": "x",
            "body": "y",
        },
    )
    assert response.status_code == 302  # to the admin login: officials do not use admin
    assert not Notification.objects.exists()


# --- admin lists ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_notification_list_is_read_only_with_read_filter(client, staff_user):
    unread = NotificationFactory()
    read = NotificationFactory(read_at=timezone.now())
    client.force_login(staff_user)
    url = reverse("admin:talentstation_notification_changelist")
    assert list(client.get(url, {"read": "no"}).context["cl"].result_list) == [unread]
    assert list(client.get(url, {"read": "yes"}).context["cl"].result_list) == [read]
    assert client.get(reverse("admin:talentstation_notification_add")).status_code == 403


@pytest.mark.django_db
def test_admin_outbox_filter_and_retry_now(client, settings, staff_user):
    settings.MAILERS = LOCMEM
    failed = outbox_email(status=OutboxEmail.Status.FAILED, attempts=8, last_error="boom")
    sent = outbox_email(status=OutboxEmail.Status.SENT, attempts=1)
    client.force_login(staff_user)
    url = reverse("admin:talentstation_outboxemail_changelist")
    response = client.get(url, {"status__exact": "failed"})
    assert list(response.context["cl"].result_list) == [failed]
    response = client.post(url, {"action": "retry_now", "_selected_action": [failed.pk, sent.pk]})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1  # the one already sent is not sent again


# --- helpers ----------------------------------------------------------------------------------


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def _notification_queries(client, url):
    """The page's HTML and how many of its queries read the notifications table."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    count = sum("talentstation_notification" in q["sql"] for q in captured.captured_queries)
    return response.content.decode(), count
