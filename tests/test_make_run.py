"""`make run PORT=…` serves the portal on that port, and the links it writes (QR codes of the
certificates, links in e-mails) point to that port too: the Makefile derives SITE_URL from HOST
and PORT (unless SITE_URL is given) and passes it to the server and to load_demo."""

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from stations.documents import verification_url
from stations.models import Station
from talentstation.models import OutboxEmail, User
from talentstation.notifications import email_body

from .test_demo import DEMO_DAY

ROOT = Path(__file__).resolve().parent.parent

needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


def run_commands(*make_args):
    """The manage.py commands `make run` would run, as {command: (environment, arguments)}."""
    result = subprocess.run(
        ["make", "-n", "run", *make_args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")},
    )
    assert result.returncode == 0, result.stderr
    commands = {}
    for line in result.stdout.splitlines():
        words = shlex.split(line)
        if "manage.py" not in words:
            continue
        position = words.index("manage.py")
        env = dict(word.split("=", 1) for word in words[: position - 1] if "=" in word)
        commands[words[position + 1]] = (env, words[position + 2 :])
    assert set(commands) >= {"migrate", "load_demo", "runserver"}, result.stdout
    return commands


@needs_make
def test_make_run_with_a_port_gives_that_site_url_to_the_server_and_the_demo_data():
    commands = run_commands("PORT=8101")
    for name in ("migrate", "load_demo", "runserver"):
        env, _args = commands[name]
        assert env["SITE_URL"] == "http://127.0.0.1:8101", name
    assert commands["runserver"][1] == ["127.0.0.1:8101"]


@needs_make
def test_make_run_keeps_a_site_url_that_is_given():
    commands = run_commands("HOST=0.0.0.0", "PORT=8102", "SITE_URL=https://rencai.example.cn")
    assert commands["runserver"][0]["SITE_URL"] == "https://rencai.example.cn"
    assert commands["load_demo"][0]["SITE_URL"] == "https://rencai.example.cn"
    assert commands["runserver"][1] == ["0.0.0.0:8102"]


@needs_make
def test_the_server_started_by_make_run_writes_links_to_its_port():
    """The runserver line of `make run PORT=8101`, run with `shell` instead of `runserver`:
    the certificate's QR code target and an e-mail's link in that environment."""
    env, _args = run_commands("PORT=8101")["runserver"]
    code = (
        "from stations.documents import verification_url\n"
        "from stations.models import Station\n"
        "from talentstation.models import User\n"
        "from talentstation.notifications import email_body\n"
        "print(verification_url(Station(plaque_number='P-1')))\n"
        "print(email_body(User(full_name='x'), subject='s', body='b', link='/inbox/'))\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "TALENTSTATION_TESTING")}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:8101/verify/P-1/" in result.stdout
    assert "http://127.0.0.1:8101/inbox/" in result.stdout
    assert ":8000" not in result.stdout


def test_certificate_qr_code_and_email_links_use_site_url(settings, db):
    settings.SITE_URL = "http://127.0.0.1:8101"
    assert verification_url(Station(plaque_number="P-1")).startswith("http://127.0.0.1:8101/")
    body = email_body(User(full_name="x"), subject="s", body="b", link="/applications/7/")
    assert "http://127.0.0.1:8101/applications/7/" in body


@pytest.mark.django_db
def test_load_demo_prints_and_writes_links_to_site_url(settings, capsys):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8101"
    mail.outbox = []
    with time_machine.travel(DEMO_DAY):
        call_command("load_demo")
    output = capsys.readouterr().out
    assert "http://127.0.0.1:8101/" in output
    assert ":8000" not in output
    bodies = list(OutboxEmail.objects.values_list("body", flat=True))
    assert bodies, "the demo's notices are e-mailed too"
    assert all(":8000" not in body for body in bodies)
    assert any("http://127.0.0.1:8101/" in body for body in bodies)
