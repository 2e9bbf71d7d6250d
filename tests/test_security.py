"""Issue 7, security basics: login lockout, Cache-Control, idle timeout, password rule,
default language, the login label."""

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from talentstation.auth import normalise_login

from . import factories

WRONG = "Wrong-password-1"


def log_in(client, login, password=factories.PASSWORD, **extra):
    return client.post(reverse("login"), {"username": login, "password": password}, **extra)


def logged_in(client):
    return "_auth_user_id" in client.session


@pytest.fixture
def lockme(db):
    return factories.UserFactory(
        username="lockme", email="lockme@example.com", mobile="13800138000"
    )


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


# ---------------------------------------------------------------------------------------------
# Login lockout
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lockme", "lockme"),
        ("  Lockme\t", "lockme"),
        ("ＬＯＣＫＭＥ", "lockme"),
        ("LockMe@Example.COM ", "lockme@example.com"),
        ("13800138000", "13800138000"),
        ("+86 138 0013 8000", "13800138000"),
        ("+86-13800138000", "13800138000"),
        ("008613800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("12345", "12345"),
        ("", ""),
    ],
)
def test_login_identifiers_are_normalised(typed, expected):
    assert normalise_login(typed) == expected


@pytest.mark.django_db
def test_every_identifier_of_the_account_logs_in(client, lockme):
    for login in (
        "lockme",
        "Lockme",
        " lockme ",
        "LOCKME@example.com",
        "13800138000",
        "+86 138 0013 8000",
        "+8613800138000",
    ):
        response = log_in(client, login)
        assert response.status_code == 302, login
        assert logged_in(client), login
        client.logout()


@pytest.mark.django_db
def test_a_locked_account_is_refused_whichever_identifier_is_typed(client, lockme):
    statuses = [log_in(client, "lockme", WRONG).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    for login in (
        "lockme",
        "Lockme",
        " lockme",
        "LOCKME ",
        "lockme@example.com",
        "LockMe@Example.com",
        "13800138000",
        "+86 138 0013 8000",
        "+8613800138000",
    ):
        response = log_in(client, login)  # the correct password
        assert response.status_code == 429, login
        assert not logged_in(client), login


@pytest.mark.django_db
def test_eighty_guesses_over_case_variants_are_refused_after_the_limit(client, lockme):
    variants = [
        "lockme",
        "Lockme",
        "LOCKME",
        "lockMe",
        " lockme",
        "lockme@example.com",
        "LOCKME@EXAMPLE.COM",
        "13800138000",
    ]
    statuses = [
        log_in(client, variants[n % len(variants)], f"Guess-{n:04d}x").status_code
        for n in range(80)
    ]
    # The fifth failure locks: the rest are refused without a password check.
    assert statuses[:4] == [200] * 4
    assert statuses[4:] == [429] * 76
    # Refused attempts are not counted, so the lock ends on time.
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 5
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"lockme"}


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, lockme, clock, settings):
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    for _ in range(5):
        log_in(client, "Lockme", WRONG)
    clock.shift(datetime.timedelta(minutes=20))
    assert log_in(client, "lockme@example.com").status_code == 429  # correct, but locked
    clock.shift(datetime.timedelta(minutes=11))
    response = log_in(client, "lockme@example.com")
    assert response.status_code == 302 and logged_in(client)
    assert not AccessAttempt.objects.filter(username="lockme").exists()  # reset on success


@pytest.mark.django_db
def test_one_accounts_failures_do_not_lock_a_colleague_behind_the_same_address(client, lockme):
    colleague = factories.UserFactory(email="colleague@example.com")
    for _ in range(6):
        log_in(client, "lockme", WRONG)
    assert log_in(client, "lockme").status_code == 429
    response = log_in(client, colleague.email)
    assert response.status_code == 302 and logged_in(client)


@pytest.mark.django_db
def test_many_failures_across_accounts_lock_the_client(client, lockme, settings):
    settings.LOGIN_CLIENT_FAILURE_LIMIT = 12
    users = [factories.UserFactory() for _ in range(4)]
    statuses = [
        log_in(client, user.email, f"Stuffing-{n}x").status_code for n in range(3) for user in users
    ]  # three failures per account: no account reaches its limit of five
    assert statuses == [200] * 11 + [429]
    assert log_in(client, "lockme").status_code == 429  # an untouched account, same client
    assert not logged_in(client)
    # From another address the accounts still log in.
    response = log_in(client, "lockme", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302


@pytest.mark.django_db
def test_unknown_identifiers_are_normalised_and_locked_too(client):
    for login in (
        "Nobody@Example.com",
        " nobody@example.com",
        "NOBODY@EXAMPLE.COM",
        "nobody@example.com ",
        "nobody@example.COM",
    ):
        log_in(client, login, WRONG)
    assert log_in(client, "nobody@example.com", WRONG).status_code == 429
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {"nobody@example.com"}


@pytest.mark.django_db
def test_the_locked_out_page_is_chinese_and_says_until_when_and_whom_to_ask(
    client, lockme, clock, settings
):
    settings.BUREAU_CONTACT = "高新区人才服务窗口（电话 0591-12345678）"
    clock.move_to(datetime.datetime(2026, 9, 1, 9, 10, tzinfo=datetime.UTC))  # 17:10 Shanghai
    for _ in range(5):
        log_in(client, "lockme", WRONG)
    response = log_in(client, "13800138000")
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录失败次数过多" in body
    assert "17:40" in body  # 30 minutes after the last failure, Shanghai time
    assert "高新区人才服务窗口（电话 0591-12345678）" in body
    assert reverse("password_reset") in body
    assert "lockme" not in body


# ---------------------------------------------------------------------------------------------
# Password rule
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "weak",
    [
        "aaaaaaaaaa1",  # two classes, a long run
        "Aa1aaaaaaa",  # three classes, but seven a in a row
        "abcdefgh12",  # two classes
        "ABCDEFGH-#",  # two classes
        "Xy-2000000",  # a run of six zeros
        "Good-pass-1111",  # four ones in a row
    ],
)
def test_weak_passwords_are_refused_with_a_chinese_message(weak):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password(weak)
    codes = {error.code for error in refused.value.error_list}
    assert codes & {"password_classes", "password_repeated_characters"}, weak
    messages = " ".join(refused.value.messages)
    assert "字符" in messages
    assert ":" not in messages


@pytest.mark.parametrize(
    "strong",
    ["Demo-2026-pass", factories.PASSWORD, "fresh-start-2026", "FRESH-2026-START", "Aaa-bbb-ccc1"],
)
def test_passwords_with_three_classes_and_short_runs_pass(strong):
    from django.contrib.auth.password_validation import validate_password

    validate_password(strong)


@pytest.mark.django_db
def test_the_password_change_page_refuses_a_weak_password_and_explains_the_rule(client):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.get(reverse("password_change"))
    assert "小写字母、大写字母、数字和符号" in response.content.decode()
    response = client.post(
        reverse("password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "Aa1aaaaaaa",
            "new_password2": "Aa1aaaaaaa",
        },
    )
    assert response.status_code == 200
    assert "连续" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD)


# ---------------------------------------------------------------------------------------------
# Cache-Control
# ---------------------------------------------------------------------------------------------


def cache_directives(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.django_db
def test_every_authenticated_response_is_private_and_not_stored(client, staff_user):
    client.force_login(staff_user)
    for url in (
        reverse("password_change"),  # a portal page
        reverse("stations:staff_todo"),
        reverse("inbox"),
        reverse("admin:index"),
        reverse("session_status"),  # JSON
        reverse("stations:call_list"),  # public, but personalised when logged in
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = cache_directives(response)
        assert {"private", "no-store"} <= directives, (url, directives)
        assert "public" not in directives


@pytest.mark.django_db
def test_an_authenticated_download_is_private_and_not_stored(client, applicant):
    from django.core.files.base import ContentFile

    unit = applicant.unit_membership.unit
    unit.business_licence.save("licence.pdf", ContentFile(factories.TINY_PDF))
    client.force_login(applicant)
    response = client.get(reverse("stations:licence", args=[unit.pk]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


@pytest.mark.django_db
def test_anonymous_public_pages_keep_their_caching(client):
    for url in (reverse("home"), reverse("stations:call_list"), reverse("publicity_list")):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" not in cache_directives(response), url


# ---------------------------------------------------------------------------------------------
# Default language and the login label
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_english_browser_gets_chinese_until_english_is_chosen(client):
    english_browser = {"accept-language": "en-US,en;q=0.9"}
    response = client.get(reverse("home"), headers=english_browser)
    assert response["Content-Language"] == "zh-hans"
    assert '<html lang="zh-hans">' in response.content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/"}, headers=english_browser)
    response = client.get(reverse("home"), headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    response = client.get(reverse("home"), headers=english_browser)
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("home"), headers={"accept-language": "en"})
    assert response["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_the_language_choice_outlives_the_browser_session(client, settings):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert int(cookie["max-age"]) >= 30 * 24 * 3600


@pytest.mark.django_db
def test_the_login_label_names_the_username_too(client):
    body = client.get(reverse("login")).content.decode()
    assert "电子邮箱、手机号码或用户名" in body


# ---------------------------------------------------------------------------------------------
# Sessions: idle timeout, absolute age, the warning's endpoints, forms kept across a new login
# ---------------------------------------------------------------------------------------------

IDLE = datetime.timedelta(minutes=30)


@pytest.fixture
def unit_admin(db):
    return factories.applicant_user(factories.HostUnitFactory())


def invite_url(user):
    return reverse("stations:invite", args=[user.unit_membership.unit.pk])


def test_the_idle_timeout_is_a_setting_of_thirty_minutes():
    from django.conf import settings

    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == 8 * 3600  # the absolute age stays


@pytest.mark.django_db
def test_a_session_ends_after_thirty_minutes_without_a_request(client, staff_user, clock):
    client.force_login(staff_user)
    todo = reverse("stations:staff_todo")
    clock.shift(IDLE - datetime.timedelta(minutes=1))
    assert client.get(todo).status_code == 200  # 29 minutes: still logged in
    clock.shift(IDLE - datetime.timedelta(minutes=1))
    assert client.get(todo).status_code == 200  # counted from the last request
    clock.shift(IDLE + datetime.timedelta(seconds=1))
    response = client.get(todo, follow=True)
    assert not logged_in(client)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "您因长时间未操作" in response.content.decode()
    assert "已自动退出" in response.content.decode()


@pytest.mark.django_db
def test_the_idle_timeout_comes_from_the_setting(client, staff_user, clock, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    client.force_login(staff_user)
    clock.shift(datetime.timedelta(minutes=5, seconds=1))
    assert client.get(reverse("stations:staff_todo")).status_code == 302
    assert not logged_in(client)


@pytest.mark.django_db
def test_the_absolute_age_ends_even_an_active_session(client, staff_user, clock):
    client.force_login(staff_user)
    for _ in range(8 * 3 - 1):  # a request every 20 minutes, for 7 h 40 min
        clock.shift(datetime.timedelta(minutes=20))
        assert client.get(reverse("stations:staff_todo")).status_code == 200
    clock.shift(datetime.timedelta(minutes=21))
    response = client.get(reverse("stations:staff_todo"), follow=True)
    assert not logged_in(client)
    assert "最长" in response.content.decode()


@pytest.mark.django_db
def test_asking_for_the_status_is_not_activity_but_keep_alive_is(client, staff_user, clock):
    client.force_login(staff_user)
    clock.shift(datetime.timedelta(minutes=20))
    status = client.get(reverse("session_status")).json()
    assert status == {"authenticated": True, "remaining": 10 * 60, "renewable": True}
    clock.shift(datetime.timedelta(minutes=9))
    assert client.get(reverse("session_status")).json()["remaining"] == 60
    state = client.post(reverse("session_keep_alive")).json()  # 「继续使用」
    assert state == {"authenticated": True, "remaining": 30 * 60, "renewable": True}
    clock.shift(datetime.timedelta(minutes=29))
    assert client.get(reverse("stations:staff_todo")).status_code == 200
    clock.shift(IDLE + datetime.timedelta(seconds=1))
    assert client.get(reverse("session_status")).json()["authenticated"] is False
    assert not logged_in(client)


@pytest.mark.django_db
def test_keep_alive_needs_the_csrf_token(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)
    assert client.post(reverse("session_keep_alive")).status_code == 403


@pytest.mark.django_db
def test_status_says_when_the_absolute_age_is_nearer(client, staff_user, clock):
    client.force_login(staff_user)
    for _ in range(23):
        clock.shift(datetime.timedelta(minutes=20))
        client.get(reverse("home"))
    status = client.get(reverse("session_status")).json()  # 7 h 40 min after the login
    assert status == {"authenticated": True, "remaining": 20 * 60, "renewable": False}


@pytest.mark.django_db
def test_pages_carry_the_timeout_warning_for_logged_in_users_only(client, staff_user):
    body = client.get(reverse("home")).content.decode()
    assert 'id="session-timeout"' not in body and "session.js" not in body
    client.force_login(staff_user)
    body = client.get(reverse("password_change")).content.decode()
    assert 'role="alertdialog"' in body
    assert 'data-remaining="1800"' in body and 'data-warning="120"' in body
    assert "继续使用" in body
    assert "js/session.js" in body


@pytest.mark.django_db
def test_a_form_posted_after_the_timeout_is_kept_through_the_new_login(
    client, unit_admin, clock, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(unit_admin)
    unit_page = reverse("stations:unit_detail", args=[unit_admin.unit_membership.unit.pk])
    assert 'name="full_name"' in client.get(unit_page).content.decode()
    clock.shift(IDLE + datetime.timedelta(minutes=5))
    posted = {
        "full_name": "王五",
        "email": "wangwu@example.com",
        "mobile": "13700001111",
        "password": "never-kept-1",
        "new_password1": "never-kept-2",
        "csrfmiddlewaretoken": "old-token",
    }
    response = client.post(invite_url(unit_admin), posted)
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=" + reverse("session_restore")
    assert not logged_in(client)
    page = client.get(response.url).content.decode()
    assert "您因长时间未操作" in page and "填写的内容已保留" in page

    response = client.post(
        response.url,
        {
            "username": unit_admin.email,
            "password": factories.PASSWORD,
            "next": reverse("session_restore"),
        },
        follow=True,
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("session_restore")
    assert "您的登录已过期，填写的内容已保留" in body
    assert f'action="{invite_url(unit_admin)}"' in body
    assert 'name="full_name" value="王五"' in body
    assert 'name="mobile" value="13700001111"' in body
    assert "never-kept" not in body and "old-token" not in body
    assert body.count('name="csrfmiddlewaretoken"') >= 1  # a fresh one

    # The button sends the kept fields to the original address.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(unit_admin),
            {"full_name": "王五", "email": "wangwu@example.com", "mobile": "13700001111"},
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["wangwu@example.com"]]

    # Single use.
    response = client.get(reverse("session_restore"), follow=True)
    assert 'name="full_name" value="王五"' not in response.content.decode()
    assert "没有可以再次提交的保留内容" in response.content.decode()


@pytest.mark.django_db
def test_a_kept_form_is_never_shown_to_another_user(client, unit_admin, clock):
    client.force_login(unit_admin)
    clock.shift(IDLE + datetime.timedelta(minutes=1))
    client.post(invite_url(unit_admin), {"full_name": "机密姓名", "email": "x@example.com"})
    other = factories.UserFactory()
    log_in(client, other.email)
    assert logged_in(client)
    response = client.get(reverse("session_restore"), follow=True)
    assert "机密姓名" not in response.content.decode()
    # Not even later, for the right user in that browser.
    client.logout()
    log_in(client, unit_admin.email)
    response = client.get(reverse("session_restore"), follow=True)
    assert "机密姓名" not in response.content.decode()


@pytest.mark.django_db
def test_a_kept_form_expires(client, unit_admin, clock, settings):
    client.force_login(unit_admin)
    clock.shift(IDLE + datetime.timedelta(minutes=1))
    client.post(invite_url(unit_admin), {"full_name": "王五", "email": "x@example.com"})
    clock.shift(datetime.timedelta(seconds=settings.SESSION_KEPT_FORM_AGE + 1))
    log_in(client, unit_admin.email)
    response = client.get(reverse("session_restore"), follow=True)
    assert "王五" not in response.content.decode()
    assert "没有可以再次提交的保留内容" in response.content.decode()


@pytest.mark.django_db
def test_files_cannot_be_kept_and_the_page_says_so(client, unit_admin, clock):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(unit_admin)
    clock.shift(IDLE + datetime.timedelta(minutes=1))
    scan = SimpleUploadedFile("licence.pdf", factories.TINY_PDF, "application/pdf")
    response = client.post(invite_url(unit_admin), {"full_name": "王五", "scan": scan})
    assert response.url.endswith(reverse("session_restore"))
    log_in(client, unit_admin.email)
    body = client.get(reverse("session_restore")).content.decode()
    assert 'name="full_name" value="王五"' in body
    assert "附件无法保留" in body


@pytest.mark.django_db
def test_a_form_posted_after_the_session_ended_elsewhere_is_kept_too(client, unit_admin, clock):
    # The session ended on another tab's request; this tab then sends its form.
    client.force_login(unit_admin)
    clock.shift(IDLE + datetime.timedelta(minutes=1))
    client.get(reverse("home"))
    assert not logged_in(client)
    response = client.post(invite_url(unit_admin), {"full_name": "赵六"})
    assert response.url == reverse("login") + "?next=" + reverse("session_restore")
    log_in(client, unit_admin.email)
    assert 'value="赵六"' in client.get(reverse("session_restore")).content.decode()


@pytest.mark.django_db
def test_after_a_plain_logout_nothing_is_kept(client, unit_admin):
    client.force_login(unit_admin)
    client.post(reverse("logout"))
    response = client.post(invite_url(unit_admin), {"full_name": "王五"})
    assert response.status_code == 302
    assert reverse("session_restore") not in response.url


@pytest.mark.django_db
def test_an_admin_form_posted_after_the_timeout_is_kept_too(client, clock):
    from django.contrib.auth.models import Group

    superuser = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    add_group = reverse("admin:auth_group_add")
    clock.shift(IDLE + datetime.timedelta(minutes=1))
    response = client.post(add_group, {"name": "审核小组"})
    assert response.url == reverse("login") + "?next=" + reverse("session_restore")
    log_in(client, superuser.email)
    body = client.get(reverse("session_restore")).content.decode()
    assert f'action="{add_group}"' in body and 'value="审核小组"' in body
    response = client.post(add_group, {"name": "审核小组"})
    assert response.status_code == 302
    assert Group.objects.filter(name="审核小组").exists()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.1"),
        (0, "198.51.100.7", "10.0.0.1"),  # no proxy: the header is the client's, ignored
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a spoofed entry stands further left
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        (1, "", "10.0.0.1"),  # a proxy that sent no header
        (1, "not-an-address", "10.0.0.1"),
    ],
)
def test_the_client_address_behind_reverse_proxies(settings, rf, proxies, forwarded, expected):
    from talentstation.clients import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


@pytest.mark.django_db
def test_behind_a_proxy_one_client_is_locked_not_everyone(client, lockme, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_CLIENT_FAILURE_LIMIT = 6
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for n in range(6):
        log_in(client, f"victim{n}@example.com", WRONG, **attacker)
    assert log_in(client, "lockme", **attacker).status_code == 429
    spoofing = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.66"}
    assert log_in(client, "lockme", **spoofing).status_code == 429
    colleague = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert log_in(client, "lockme", **colleague).status_code == 302
