import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from talentstation.dates import end_of_day, today

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Qp9" * 10,
    "ALLOWED_HOSTS": "rencai.example.gov.cn",
    "SITE_URL": "https://rencai.example.gov.cn",
    "DJANGO_SETTINGS_MODULE": "talentstation.settings",
}


def manage(*args, env_overrides):
    env = {k: v for k, v in os.environ.items() if k != "TALENTSTATION_TESTING"}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_in_production_mode():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_time_zone_and_language():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]


@time_machine.travel(datetime.datetime(2026, 6, 30, 16, 30, tzinfo=datetime.UTC))
def test_today_is_the_shanghai_date():
    # 16:30 UTC on 30 June is 00:30 on 1 July in Shanghai
    assert today() == datetime.date(2026, 7, 1)


def test_end_of_day_is_2359_shanghai():
    moment = end_of_day(datetime.date(2026, 9, 30))
    assert moment.utcoffset() == datetime.timedelta(hours=8)
    assert (moment.hour, moment.minute, moment.second) == (23, 59, 59)


@pytest.mark.django_db
def test_chinese_is_the_default_language(client):
    response = client.get(reverse("home"))
    assert response["Content-Language"] == "zh-hans"
    body = response.content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body


@pytest.mark.django_db
def test_english_stays_available(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert client.get("/").headers["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_content_security_policy_with_nonce(client):
    response = client.get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    body = response.content.decode()
    for line in body.splitlines():
        if "<script" in line:
            assert f'nonce="{nonce}"' in line
    assert "//cdn" not in body and "https://" not in body


@pytest.mark.django_db
def test_static_assets_are_vendored(client):
    assert (ROOT / "static/vendor/bootstrap/bootstrap.min.css").exists()
    assert (ROOT / "static/vendor/bootstrap/bootstrap.bundle.min.js").exists()


@pytest.mark.django_db
def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


@pytest.mark.django_db
def test_migrations_match_the_models():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
