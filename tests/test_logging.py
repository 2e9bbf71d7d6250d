"""Structured logging with a request id (issue 11 §5; talentstation.logs)."""

import io
import json
import logging
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentstation.logs import JsonFormatter, RequestContextFilter, TextFormatter

from .test_settings import PRODUCTION_ENV, manage

HEX32 = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines(settings):
    """The JSON lines the portal logs meanwhile, parsed, through the configured filter and
    formatter (as the console handler of settings.LOGGING has them)."""
    settings.LOG_ACCESS = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_id_is_made_and_sent_back(client):
    first = client.get(reverse("home"))["X-Request-ID"]
    second = client.get(reverse("home"))["X-Request-ID"]
    assert HEX32.fullmatch(first) and HEX32.fullmatch(second)
    assert first != second


@pytest.mark.django_db
def test_the_request_id_from_nginx_is_kept(client):
    response = client.get(
        reverse("home"), headers={"X-Request-ID": "5f2c0a9e1b7d4c3a8e6f9d0b1a2c3e4f"}
    )
    assert response["X-Request-ID"] == "5f2c0a9e1b7d4c3a8e6f9d0b1a2c3e4f"
    uuid_id = "0b6f7c58-93c4-4f0e-9d5e-4a1b2c3d4e5f"
    assert client.get("/", headers={"X-Request-ID": uuid_id})["X-Request-ID"] == uuid_id


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forged",
    [
        "x" * 65,  # too long
        "short",  # too short
        "abc def ghi jkl",  # a space
        'abcdefgh"}{"level": "CRITICAL',  # JSON injection
        "abcdefgh\u202eevil",  # text direction character
        "请求编号一二三四五六七八",  # not ASCII
    ],
)
def test_a_malformed_request_id_is_replaced(client, forged, log_lines):
    response = client.get(reverse("home"), headers={"X-Request-ID": forged})
    assert HEX32.fullmatch(response["X-Request-ID"])
    [access] = [line for line in log_lines() if line["logger"] == "talentstation.access"]
    assert access["request_id"] == response["X-Request-ID"]


@pytest.mark.django_db
def test_every_record_of_a_request_carries_its_id_and_the_access_line_its_facts(
    client, applicant, log_lines
):
    client.force_login(applicant)
    request_id = "0123456789abcdef0123456789abcdef"
    response = client.get("/no-such-page/", headers={"X-Request-ID": request_id})
    assert response.status_code == 404
    lines = log_lines()
    [not_found] = [line for line in lines if line["logger"] == "django.request"]
    assert not_found["level"] == "WARNING"
    assert not_found["message"] == "Not Found: /no-such-page/"
    assert not_found["request_id"] == request_id
    assert not_found["user_id"] == applicant.pk
    [access] = [line for line in lines if line["logger"] == "talentstation.access"]
    assert access["method"] == "GET"
    assert access["path"] == "/no-such-page/"
    assert access["status"] == 404
    assert access["duration_ms"] >= 0
    assert (access["request_id"], access["user_id"]) == (request_id, applicant.pk)
    assert access["level"] == "INFO"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", access["time"])


@pytest.mark.django_db
def test_a_refused_request_logs_its_warning_with_the_id(client, log_lines):
    response = client.get(reverse("home"), {"q": "\x00"})
    assert response.status_code == 400
    request_id = response["X-Request-ID"]
    [warning] = [line for line in log_lines() if "NUL" in line["message"]]
    assert warning["request_id"] == request_id
    assert warning["user_id"] is None


@pytest.mark.django_db
def test_the_access_line_has_no_query_string(client, log_lines):
    client.get(reverse("home"), {"q": "张三 13800138000"})
    [access] = [line for line in log_lines() if line["logger"] == "talentstation.access"]
    assert access["path"] == "/"
    assert "13800138000" not in json.dumps(access)


@pytest.mark.django_db
def test_a_post_is_logged_with_its_status(client, log_lines):
    client.post(reverse("login"), {"username": "nobody@example.com", "password": "wrong-pass-1"})
    [access] = [line for line in log_lines() if line["logger"] == "talentstation.access"]
    assert (access["method"], access["path"]) == ("POST", reverse("login"))
    assert access["status"] == 200  # the form again, with its error


@pytest.mark.django_db
def test_logging_costs_no_query(client, settings, log_lines):
    url = reverse("stations:directory")
    client.get(url)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return [query["sql"] for query in captured.captured_queries]

    settings.LOG_ACCESS = False
    without = queries()
    settings.LOG_ACCESS = True
    assert queries() == without
    assert [line["path"] for line in log_lines() if line["logger"] == "talentstation.access"]


def test_outside_a_request_the_id_is_a_dash():
    record = logging.makeLogRecord({"name": "x", "msg": "plain %s", "args": ("line",)})
    RequestContextFilter().filter(record)
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["message"], entry["request_id"], entry["user_id"]) == ("plain line", "-", None)
    assert TextFormatter().format(record).endswith("x [- user=None] plain line")


def test_an_exception_is_one_json_line_with_its_traceback():
    try:
        raise ValueError("broken 坏了")
    except ValueError:
        logger = logging.getLogger("x")
        record = logger.makeRecord("x", logging.ERROR, __file__, 1, "failed", (), _exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "ERROR"
    assert "ValueError: broken 坏了" in entry["exception"]
    assert "Traceback" in entry["exception"]


def _exc_info():
    import sys

    return sys.exc_info()


def test_production_logs_json_lines_to_stdout():
    result = manage(
        "shell",
        "-c",
        "import logging; logging.getLogger('talentstation.check').warning('hello %s', '驿站')",
        env_overrides=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if "talentstation.check" in line]
    entry = json.loads(line)
    assert (entry["level"], entry["message"], entry["request_id"]) == ("WARNING", "hello 驿站", "-")


def test_text_logs_when_asked_and_an_unknown_format_refuses_to_start():
    env = {**PRODUCTION_ENV, "LOG_FORMAT": "text"}
    result = manage(
        "shell", "-c", "import logging; logging.getLogger('t').warning('hi')", env_overrides=env
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"WARNING t \[- user=None\] hi$", result.stdout, re.MULTILINE)
    result = manage("check", env_overrides={**PRODUCTION_ENV, "LOG_FORMAT": "xml"})
    assert result.returncode != 0
    assert "LOG_FORMAT" in result.stderr
