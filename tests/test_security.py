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
