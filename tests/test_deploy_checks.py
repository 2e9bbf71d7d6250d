"""Production readiness: the Content-Security-Policy has no 'unsafe-inline' on any kind of page
(public, logged-in, admin) and the pages need none; login throttling holds across app servers
(its counts are in the shared database, not in a process or a session).

``manage.py check --deploy`` in production mode is tested in tests/test_settings.py
(``test_check_deploy_is_clean_in_production_mode``); the browser check that admin pages raise
no CSP violation is tests/browser/test_admin_csp.py.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from talentstation.roles import Role

from . import factories

ROOT = Path(__file__).resolve().parent.parent
WRONG = "Wrong-password-1"


# --- Content-Security-Policy --------------------------------------------------------------------


def directives(policy):
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def csp_pages():
    """(name, URL, who) of a few pages of every kind."""
    return [
        ("home", reverse("home"), None),
        ("login", reverse("login"), None),
        ("registration", reverse("stations:register"), None),
        ("directory", reverse("stations:directory"), None),
        ("inbox", reverse("inbox"), "staff"),
        ("staff applications", reverse("stations:staff_applications"), "staff"),
        ("admin index", reverse("admin:index"), "staff"),
        ("admin changelist", reverse("admin:stations_station_changelist"), "staff"),
        ("admin add form with inlines", reverse("admin:talentstation_calendaryear_add"), "staff"),
        ("admin user change", "user-change", "staff"),
    ]


INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>", re.IGNORECASE)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "url", "who"), csp_pages(), ids=[p[0] for p in csp_pages()])
def test_no_page_needs_unsafe_inline(client, name, url, who):
    staff = factories.UserFactory(role=Role.STAFF, is_staff=True, is_superuser=True)
    factories.StationFactory()
    if who:
        client.force_login(staff)
    if url == "user-change":
        url = reverse("admin:talentstation_user_change", args=[staff.pk])
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    for directive in ("script-src", "style-src"):
        sources = policy[directive]
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
        assert sources[0] == "'self'" and sources[1].startswith("'nonce-")
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "default-src" in policy and "'unsafe-inline'" not in str(policy)
    nonce = policy["script-src"][1][len("'nonce-") : -1]
    body = response.content.decode()
    # every <script> and <style> carries the nonce; no inline handler or style attribute,
    # which no nonce can allow
    for tag in SCRIPT_OR_STYLE.finditer(body):
        inline = tag[1].lower() == "style" or "src=" not in tag[0]
        if inline:
            assert f'nonce="{nonce}"' in tag[0], tag[0]
    assert not INLINE_HANDLER.search(body), INLINE_HANDLER.search(body)[0]
    assert not STYLE_ATTRIBUTE.search(body), STYLE_ATTRIBUTE.search(body)[0]


# --- login throttling across app servers --------------------------------------------------------


def test_login_throttling_keeps_its_counts_in_the_database():
    handler = import_string(settings.AXES_HANDLER)
    assert issubclass(handler, AxesDatabaseHandler)


def fail_logins(count, username):
    """``count`` wrong passwords, each from a new client: its own session, its own cookie jar,
    as if each went to another app server behind the load balancer."""
    for n in range(count):
        client = Client()
        response = client.post(
            reverse("login"),
            {"username": username, "password": WRONG},
            REMOTE_ADDR=f"198.51.100.{n + 1}",
        )
        assert "_auth_user_id" not in client.session
        assert response.status_code in (200, 429)


def failures_in_the_database(username):
    return sum(
        AccessAttempt.objects.filter(username=username).values_list(
            "failures_since_start", flat=True
        )
    )


@pytest.mark.django_db
def test_failures_from_other_clients_lock_the_account_for_a_new_one():
    factories.UserFactory(username="lockme", email="lockme@example.com")
    fail_logins(settings.AXES_FAILURE_LIMIT, "lockme")
    assert failures_in_the_database("lockme") == settings.AXES_FAILURE_LIMIT
    fresh = Client()
    response = fresh.post(
        reverse("login"),
        {"username": "lockme", "password": factories.PASSWORD},
        REMOTE_ADDR="203.0.113.200",
    )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in fresh.session


# A second app server: another process with its own memory, on the same database.
SECOND_SERVER = """
from django.test import Client
from axes.models import AccessAttempt
rows = AccessAttempt.objects.filter(username="lockme")
print("failures", sum(rows.values_list("failures_since_start", flat=True)))
client = Client()
response = client.post("/accounts/login/", {"username": "lockme", "password": "%s"},
                       REMOTE_ADDR="203.0.113.201")
print("status", response.status_code, "locked", "登录失败次数过多" in response.content.decode())
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_failures_on_one_app_server_lock_the_account_on_another():
    factories.UserFactory(username="lockme", email="lockme@example.com")
    fail_logins(settings.AXES_FAILURE_LIMIT, "lockme")
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    if db["PASSWORD"]:
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "talentstation.settings_test",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SECOND_SERVER % factories.PASSWORD],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert f"failures {settings.AXES_FAILURE_LIMIT}" in lines
    assert "status 429 locked True" in lines
