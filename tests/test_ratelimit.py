"""Rate limits of the anonymous forms (issue 7 §4): one mechanism, counted in the database."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from stations.models import HostUnit
from talentstation import ratelimit
from talentstation.clients import client_ip, client_key
from talentstation.models import Objection, RateLimitCounter

from . import factories
from .test_concurrency import run_in_threads
from .test_publicity import running  # noqa: F401 - a fixture
from .test_registration import URL as REGISTER_URL
from .test_registration import form_data as registration_data
from .test_registration import licence

NOW = datetime.datetime(2026, 9, 29, 10, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("text", "count", "period"),
    [("3/h", 3, 3600), ("10/d", 10, 86400), ("20/15m", 20, 900), (" 5 / 30s ", 5, 30)],
)
def test_rules_are_read_from_the_settings(text, count, period):
    assert ratelimit.Rule.parse(text) == ratelimit.Rule(count, period)


@pytest.mark.parametrize("text", ["", "3", "3/w", "0/h", "-1/h", "h/3", "3/h/d"])
def test_a_wrong_rule_is_a_configuration_error(text):
    with pytest.raises(ImproperlyConfigured, match="N/period"):
        ratelimit.Rule.parse(text)


def test_the_configured_limits_are_valid(settings):
    assert set(settings.RATE_LIMITS) == {"objection", "registration", "password_reset"}
    for scope in settings.RATE_LIMITS:
        assert ratelimit.rules_for(scope)


@pytest.mark.django_db
def test_hits_are_counted_per_client_and_window(settings):
    settings.RATE_LIMITS = {"objection": ["2/h", "3/d"]}
    assert ratelimit.hit("objection", "a", now=NOW) is None
    assert ratelimit.hit("objection", "a", now=NOW) is None
    limited = ratelimit.hit("objection", "a", now=NOW)
    assert limited.rule == ratelimit.Rule(2, 3600)
    assert limited.retry_after == 3600  # NOW is the start of an hour
    assert ratelimit.hit("objection", "b", now=NOW) is None  # another client
    # the refused attempt used no quota: the next hour allows one more, then the day is full
    next_hour = NOW + datetime.timedelta(hours=1)
    assert ratelimit.hit("objection", "a", now=next_hour) is None
    limited = ratelimit.hit("objection", "a", now=next_hour)
    assert limited.rule == ratelimit.Rule(3, 86400)
    assert RateLimitCounter.objects.get(client="a", period=86400).hits == 3


@pytest.mark.django_db
def test_counters_of_ended_windows_are_deleted(settings):
    settings.RATE_LIMITS = {"objection": ["2/h"]}
    ratelimit.hit("objection", "a", now=NOW)
    ratelimit.hit("objection", "b", now=NOW + datetime.timedelta(minutes=59))
    assert RateLimitCounter.objects.count() == 2
    ratelimit.hit("objection", "b", now=NOW + datetime.timedelta(hours=2))
    assert list(RateLimitCounter.objects.values_list("client", "hits")) == [("b", 1)]


def test_the_message_says_how_long_to_wait():
    limited = ratelimit.Limited(ratelimit.Rule(3, 3600), retry_after=125)
    assert limited.message == (
        "您所在网络的提交次数过多：1小时内最多3次。请在3分钟后再试，已填写的内容保留在下方。"
    )
    limited = ratelimit.Limited(ratelimit.Rule(10, 86400), retry_after=5 * 3600 + 1)
    assert "1天内最多10次" in limited.message and "6小时后" in limited.message
    assert "1小时后" in ratelimit.Limited(ratelimit.Rule(3, 3600), retry_after=3599).message


# --- the client ---------------------------------------------------------------------------


def test_the_client_is_the_address_before_the_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "10.0.0.1"  # no proxy configured: the header is not trusted
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.7"
    forged = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert client_ip(forged) == "198.51.100.7"  # what the client wrote itself is ignored
    settings.TRUSTED_PROXY_COUNT = 2
    two = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7, 10.0.0.1"
    )
    assert client_ip(two) == "198.51.100.7"
    assert client_ip(rf.get("/", REMOTE_ADDR="")) is None


def test_one_client_key_for_an_ipv6_network(rf):
    def key(address):
        return client_key(rf.get("/", REMOTE_ADDR=address))

    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff::9")
    assert key("2001:db8:1:2::1") != key("2001:db8:1:3::1")
    assert key("::ffff:198.51.100.7") == key("198.51.100.7")
    assert key("198.51.100.7") != key("198.51.100.8")
    assert "198" not in key("198.51.100.7")  # no address is stored


@pytest.mark.django_db
def test_login_throttling_sees_the_same_client_behind_a_proxy(client, settings):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXY_COUNT = 1
    factories.UserFactory(username="lockme")
    client.post(
        reverse("login"),
        {"username": "lockme", "password": "wrong"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


# --- the forms ------------------------------------------------------------------------------


def objection(item, n):
    return {
        "item": item.pk,
        "name": "王某某",
        "organisation": "某公司",
        "contact": "13811112222",
        "reason": f"第{n}条理由：场地面积与实际不符",
    }


def test_objections_are_limited_per_client(client, running, settings):  # noqa: F811
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "objection": ["3/h", "10/d"]}
    item = running.items.first()
    url = reverse("publicity_detail", args=[running.pk])
    with time_machine.travel("2026-09-29 10:00 +0800"):
        for n in range(3):
            assert (
                client.post(url, objection(item, n), REMOTE_ADDR="203.0.113.9").status_code == 302
            )
        response = client.post(url, objection(item, 3), REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 429
        body = response.content.decode()
        assert "1小时内最多3次" in body
        assert body.count("提交次数过多") == 1  # in the error summary, not again in the form
        assert "第3条理由：场地面积与实际不符" in body  # what was typed is kept
        assert Objection.objects.count() == 3
        # a form with errors is not counted and says what is wrong
        response = client.post(url, {**objection(item, 4), "name": ""}, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 400
        # another client is not limited
        assert client.post(url, objection(item, 5), REMOTE_ADDR="203.0.113.10").status_code == 302
    with time_machine.travel("2026-09-29 11:00 +0800"):
        assert client.post(url, objection(item, 6), REMOTE_ADDR="203.0.113.9").status_code == 302
    assert Objection.objects.count() == 5


@pytest.mark.django_db
def test_registration_is_limited_per_client(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "registration": ["1/h"]}
    first = {**registration_data(), "business_licence": licence()}
    assert client.post(REGISTER_URL, first, REMOTE_ADDR="203.0.113.9").status_code == 302
    client.logout()
    second = {
        **registration_data(
            unit_name="第二家单位",
            credit_code=factories.valid_code(4242),
            email="two@example.com",
            mobile="13912340000",
        ),
        "business_licence": licence(),
    }
    response = client.post(REGISTER_URL, second, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "提交次数过多" in response.content.decode()
    assert 'value="第二家单位"' in response.content.decode()
    assert HostUnit.objects.count() == 1
    second["business_licence"] = licence()
    assert client.post(REGISTER_URL, second, REMOTE_ADDR="203.0.113.10").status_code == 302


@pytest.mark.django_db
def test_password_reset_requests_are_limited_per_client(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": ["2/h"]}
    factories.UserFactory(email="reset@example.com")
    url = reverse("password_reset")
    for _attempt in range(2):
        response = client.post(url, {"email": "reset@example.com"}, REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302
    response = client.post(url, {"email": "reset@example.com"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert response.content.decode().count("提交次数过多") == 1
    assert 'value="reset@example.com"' in response.content.decode()
    assert len(mail.outbox) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_never_pass_the_limit(settings):
    settings.RATE_LIMITS = {"objection": ["3/h"]}
    results = run_in_threads(8, lambda: ratelimit.hit("objection", "a", now=NOW))
    assert sum(result is None for result in results) == 3, results
    assert all(r is None or isinstance(r, ratelimit.Limited) for r in results), results
    assert RateLimitCounter.objects.get().hits == 3


@pytest.mark.django_db
def test_staff_see_the_counters_and_lift_a_limit(client, staff_user, settings):
    settings.RATE_LIMITS = {"objection": ["1/h"]}
    ratelimit.hit("objection", "a")
    assert ratelimit.hit("objection", "a") is not None
    staff_user.is_staff = True
    staff_user.save()
    client.force_login(staff_user)
    response = client.get(reverse("admin:talentstation_ratelimitcounter_changelist"))
    assert response.status_code == 200
    assert "1小时" in response.content.decode()
    counter = RateLimitCounter.objects.get()
    url = reverse("admin:talentstation_ratelimitcounter_delete", args=[counter.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert ratelimit.hit("objection", "a") is None
