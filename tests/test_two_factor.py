"""Issue 11: two-factor login (talentstation/two_factor.py, views_two_factor.py): TOTP through
django-otp with recovery codes; required for bureau staff and officials in production mode,
optional for everyone else."""

import datetime
import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.admin.models import LogEntry
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from talentstation import two_factor
from talentstation.models import Notification, OutboxEmail
from talentstation.roles import Role

from . import factories
from .test_settings import PRODUCTION_ENV, manage

REQUIRED = override_settings(TWO_FACTOR_REQUIRED_ROLES=["bureau_staff", "official"])
STEP = datetime.timedelta(seconds=30)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


def code_now(device, drift=0):
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, drift):06d}"


def wrong_code(device):
    right = code_now(device)
    return f"{(int(right) + 1) % 1_000_000:06d}"


def with_two_factor(user):
    """``user`` with a confirmed authenticator app and recovery codes (returns both)."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return device, two_factor.new_recovery_codes(user)


def log_in(client, user, password=factories.PASSWORD, **data):
    return client.post(reverse("login"), {"username": user.email, "password": password, **data})


def send_code(client, code, **extra):
    return client.post(reverse("two_factor_verify"), {"code": code}, **extra)


def logged_in(client):
    return "_auth_user_id" in client.session


def verified(client):
    return "otp_device_id" in client.session


def body(response):
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# Setting up
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_setting_up_shows_a_qr_code_and_the_key_and_confirms_with_a_first_code(
    client, applicant, clock
):
    client.force_login(applicant)
    page = body(client.get(reverse("two_factor")))
    assert "双因素登录未开启" in page
    page = body(client.get(reverse("two_factor_setup")))
    device = TOTPDevice.objects.get(user=applicant)
    assert not device.confirmed
    assert 'src="data:image/svg+xml' in page
    assert 'alt="身份验证器应用的二维码"' in page
    assert two_factor.secret_text(device) in page
    assert "福州高新区人才驿站" in device.config_url or "%E7%A6%8F" in device.config_url
    # Reloading keeps the same key (a code already scanned stays valid).
    client.get(reverse("two_factor_setup"))
    assert TOTPDevice.objects.get(user=applicant).key == device.key

    # A wrong code: the error is tied to the field; nothing is turned on.
    response = client.post(reverse("two_factor_setup"), {"code": wrong_code(device)})
    page = body(response)
    assert response.status_code == 200
    assert 'href="#id_code"' in page and 'aria-invalid="true"' in page
    assert "验证码不正确" in page
    assert not two_factor.has_two_factor(applicant)

    clock.shift(datetime.timedelta(seconds=2))  # django-otp's throttle after a failure
    response = client.post(reverse("two_factor_setup"), {"code": code_now(device)})
    assert response.url == reverse("two_factor_recovery_codes")
    assert two_factor.has_two_factor(applicant)
    assert verified(client)  # this session counts as verified

    # Ten recovery codes, shown once.
    page = body(client.get(reverse("two_factor_recovery_codes")))
    tokens = list(
        StaticToken.objects.filter(device__user=applicant).values_list("token", flat=True)
    )
    assert len(tokens) == two_factor.RECOVERY_CODE_COUNT == 10
    for token in tokens:
        assert two_factor.format_code(token) in page
    assert "只显示这一次" in page
    page = body(client.get(reverse("two_factor_recovery_codes")))
    assert not any(two_factor.format_code(token) in page for token in tokens)
    assert "10 个未使用的恢复码" in page
    assert "您的账号已开启双因素登录" in body(client.get(reverse("two_factor")))


@pytest.mark.django_db
def test_recovery_codes_can_be_made_anew_with_the_password(client, applicant):
    device, old = with_two_factor(applicant)
    log_in(client, applicant)
    send_code(client, code_now(device))
    response = client.post(reverse("two_factor_recovery_codes"), {"password": "Not-mine-123"})
    assert "密码不正确" in body(response)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)
    response = client.post(reverse("two_factor_recovery_codes"), {"password": factories.PASSWORD})
    assert response.status_code == 302
    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == 10 and not new & set(old)
    page = body(client.get(reverse("two_factor_recovery_codes")))
    assert all(two_factor.format_code(token) in page for token in new)


# ---------------------------------------------------------------------------------------------
# Logging in
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_login_with_a_code_after_the_password(client, applicant):
    device, _codes = with_two_factor(applicant)
    unit_page = reverse("stations:unit_detail", args=[applicant.unit_membership.unit.pk])
    response = client.post(
        reverse("login") + f"?next={unit_page}",
        {"username": applicant.email, "password": factories.PASSWORD, "next": unit_page},
    )
    assert response.url == reverse("two_factor_verify")
    assert not logged_in(client)  # the password alone logs nobody in
    assert client.get(unit_page).status_code == 302
    page = body(client.get(reverse("two_factor_verify")))
    assert 'autocomplete="one-time-code"' in page and "验证码" in page

    response = send_code(client, code_now(device))
    assert response.status_code == 302 and response.url == unit_page
    assert logged_in(client) and verified(client)
    assert client.get(unit_page).status_code == 200
    assert two_factor.PENDING not in client.session


@pytest.mark.django_db
def test_a_wrong_code_is_refused_with_the_error_on_the_field(client, applicant, clock):
    device, _codes = with_two_factor(applicant)
    log_in(client, applicant)
    response = send_code(client, wrong_code(device))
    page = body(response)
    assert response.status_code == 200 and not logged_in(client)
    assert 'href="#id_code"' in page and "验证码不正确、已过期或已使用" in page
    # A used code is not accepted again (replay).
    clock.shift(datetime.timedelta(seconds=2))
    code = code_now(device)
    assert send_code(client, code).status_code == 302
    client.logout()
    log_in(client, applicant)
    clock.shift(datetime.timedelta(seconds=2))
    assert send_code(client, code).status_code == 200
    assert not logged_in(client)


@pytest.mark.django_db
def test_wrong_codes_are_throttled_and_count_towards_the_account_lockout(
    client, applicant, clock, settings
):
    settings.AXES_FAILURE_LIMIT = 5
    device, codes = with_two_factor(applicant)
    assert log_in(client, applicant).url == reverse("two_factor_verify")
    send_code(client, wrong_code(device))
    # Straight after a wrong code the app's codes are not even checked for a moment.
    page = body(send_code(client, code_now(device)))
    assert re.search(r"错误次数过多.*1 秒", page)
    assert not logged_in(client)
    # Waiting is not a failure; wrong codes are, like wrong passwords.
    assert AccessAttempt.objects.get(username=applicant.username).failures_since_start == 1
    statuses = []
    for n in range(4):
        clock.shift(datetime.timedelta(seconds=2**n + 1))
        statuses.append(send_code(client, wrong_code(device)).status_code)
    assert statuses == [200, 200, 200, 429]  # the fifth failure locks the account
    assert two_factor.PENDING not in client.session  # the half-done login is forgotten
    assert send_code(client, code_now(device)).url == reverse("login")
    assert not logged_in(client)
    # Locked: the password step is refused, so no code can be tried either.
    clock.shift(datetime.timedelta(minutes=1))
    response = log_in(client, applicant)
    assert response.status_code == 429 and "登录失败次数过多" in body(response)
    assert send_code(client, codes[0]).url == reverse("login")
    assert not logged_in(client)
    # After the cool-off both steps work again, and the success resets the count.
    clock.shift(datetime.timedelta(hours=1))
    assert log_in(client, applicant).url == reverse("two_factor_verify")
    assert send_code(client, code_now(device)).status_code == 302
    assert logged_in(client) and verified(client)
    assert not AccessAttempt.objects.filter(username=applicant.username).exists()


@pytest.mark.django_db
def test_recovery_code_guessing_is_bounded_too(client, applicant, clock, settings):
    settings.AXES_FAILURE_LIMIT = 5
    _device, codes = with_two_factor(applicant)
    log_in(client, applicant)
    statuses = []
    for n in range(8):
        statuses.append(send_code(client, f"zzzz{n:04d}").status_code)
        clock.shift(datetime.timedelta(seconds=2**n + 1))
    # The fifth wrong code locks; the login must then start again, and cannot while locked.
    assert statuses[:5] == [200, 200, 200, 200, 429]
    assert set(statuses[5:]) == {302}
    assert log_in(client, applicant).status_code == 429
    assert not logged_in(client)
    assert StaticToken.objects.filter(device__user=applicant).count() == 10


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, applicant, clock):
    _device, codes = with_two_factor(applicant)
    log_in(client, applicant)
    response = send_code(client, two_factor.format_code(codes[3]).upper())
    assert response.status_code == 302 and logged_in(client) and verified(client)
    page = body(client.get(response.url, follow=True))
    assert "恢复码登录" in page and "还剩 9 个恢复码" in page
    client.logout()
    log_in(client, applicant)
    clock.shift(datetime.timedelta(seconds=2))
    assert send_code(client, codes[3]).status_code == 200
    assert not logged_in(client)
    clock.shift(datetime.timedelta(seconds=2))
    assert send_code(client, codes[4]).status_code == 302


@pytest.mark.django_db
def test_the_pending_login_expires_and_cancel_forgets_it(client, applicant, clock):
    device, _codes = with_two_factor(applicant)
    log_in(client, applicant)
    clock.shift(datetime.timedelta(seconds=two_factor.PENDING_AGE + 1))
    response = send_code(client, code_now(device))
    assert response.url == reverse("login") and not logged_in(client)

    log_in(client, applicant)
    assert client.post(reverse("two_factor_cancel")).url == reverse("login")
    assert two_factor.PENDING not in client.session
    clock.shift(STEP)
    assert send_code(client, code_now(device)).url == reverse("login")
    assert not logged_in(client)


@pytest.mark.django_db
def test_admin_login_is_the_portal_login(client, staff_user):
    response = client.get(reverse("admin:login") + "?next=/admin/auth/group/")
    assert response.status_code == 302
    assert response.url == reverse("login") + "?next=/admin/auth/group/"
    device, _codes = with_two_factor(staff_user)
    response = client.post(
        reverse("admin:login"), {"username": staff_user.email, "password": factories.PASSWORD}
    )
    assert not logged_in(client)


@pytest.mark.django_db
def test_a_session_logged_in_by_another_door_still_owes_the_code(client, staff_user):
    device, _codes = with_two_factor(staff_user)
    client.force_login(staff_user)  # e.g. a login that skipped the second step
    for url in (reverse("home"), reverse("admin:index"), reverse("two_factor")):
        response = client.get(url)
        assert response.status_code == 302 and response.url == reverse("two_factor_verify")
    response = send_code(client, code_now(device))
    assert response.url == reverse("two_factor")  # where it was going last
    assert client.get(reverse("admin:index")).status_code == 200


# ---------------------------------------------------------------------------------------------
# Required for bureau staff and officials in production mode
# ---------------------------------------------------------------------------------------------


def test_required_by_default_in_production_mode_only():
    from django.conf import settings

    assert settings.TWO_FACTOR_REQUIRED_ROLES == []  # tests and development: off unless set
    code = "from django.conf import settings; print(','.join(settings.TWO_FACTOR_REQUIRED_ROLES))"
    result = manage("shell", "--no-imports", "-c", code, env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "bureau_staff,official"
    off = {**PRODUCTION_ENV, "TWO_FACTOR_REQUIRED_ROLES": ""}
    result = manage("shell", "--no-imports", "-c", code, env_overrides=off)
    assert result.stdout.strip() == ""
    experts = {"DEBUG": "1", "TWO_FACTOR_REQUIRED_ROLES": "expert"}
    result = manage("shell", "--no-imports", "-c", code, env_overrides=experts)
    assert result.stdout.strip() == "expert"
    typo = {"DEBUG": "1", "TWO_FACTOR_REQUIRED_ROLES": "staff"}
    result = manage("check", env_overrides=typo)
    assert result.returncode != 0 and "talentstation.E201" in result.stderr


@pytest.mark.django_db
@REQUIRED
@pytest.mark.parametrize("role", [Role.STAFF, Role.OFFICIAL])
def test_staff_and_officials_must_set_it_up_right_after_the_password(client, role, clock):
    user = factories.UserFactory(role=role)
    response = log_in(client, user, next=reverse("dashboard"))
    assert response.url == reverse("two_factor_setup")
    # Nothing else is reachable, admin included, until it is set up.
    for url in (
        reverse("home"),
        reverse("dashboard"),
        reverse("admin:index"),
        reverse("admin:talentstation_user_changelist"),
        reverse("stations:staff_applications"),
        reverse("inbox"),
        reverse("password_change"),
        reverse("session_restore"),
        reverse("two_factor"),
        reverse("two_factor_disable"),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("two_factor_setup"), url
    response = client.post(reverse("password_change"), {"old_password": factories.PASSWORD})
    assert response.url == reverse("two_factor_setup")
    page = body(client.get(reverse("two_factor_setup")))
    assert "您的角色要求使用双因素登录" in page
    assert reverse("dashboard") not in page  # no menus yet
    # Logging out still works.
    assert client.post(reverse("logout")).status_code == 302
    assert not logged_in(client)

    log_in(client, user)
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("two_factor_setup"), {"code": code_now(device)})
    page = body(client.get(reverse("two_factor_recovery_codes")))
    assert "只显示这一次" in page
    assert client.get(reverse("dashboard")).status_code == 200
    # Required: it cannot be turned off.
    response = client.post(reverse("two_factor_disable"), {"password": factories.PASSWORD})
    assert response.url == reverse("two_factor")
    assert two_factor.has_two_factor(user)
    assert "不能关闭" in body(client.get(reverse("two_factor")))

    # From now on the login has its second step.
    client.post(reverse("logout"))
    assert log_in(client, user).url == reverse("two_factor_verify")
    clock.shift(STEP)
    assert send_code(client, code_now(device)).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
@REQUIRED
def test_staff_who_has_to_set_up_keeps_where_he_was_going(client, staff_user):
    log_in(client, staff_user, next=reverse("admin:index"))
    response = client.get(reverse("admin:talentstation_user_changelist"))
    assert response.url == reverse("two_factor_setup")
    client.get(response.url)
    device = TOTPDevice.objects.get(user=staff_user)
    client.post(reverse("two_factor_setup"), {"code": code_now(device)})
    page = body(client.get(reverse("two_factor_recovery_codes")))
    assert f'href="{reverse("admin:talentstation_user_changelist")}"' in page


@pytest.mark.django_db
@REQUIRED
@pytest.mark.parametrize("who", ["applicant", "expert_user"])
def test_units_and_experts_may_but_need_not_use_it(client, request, who):
    user = request.getfixturevalue(who)
    response = log_in(client, user)
    assert response.status_code == 302 and logged_in(client)
    assert response.url != reverse("two_factor_setup")
    assert client.get(reverse("home"), follow=True).status_code == 200
    assert "双因素登录未开启" in body(client.get(reverse("two_factor")))

    # Turned on from the account page, then off again with the password.
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("two_factor_setup"), {"code": code_now(device)})
    assert two_factor.has_two_factor(user)
    response = client.post(reverse("two_factor_disable"), {"password": "Not-mine-123"})
    assert "密码不正确" in body(response) and two_factor.has_two_factor(user)
    response = client.post(reverse("two_factor_disable"), {"password": factories.PASSWORD})
    assert response.url == reverse("two_factor")
    assert not two_factor.has_two_factor(user)
    assert not StaticToken.objects.filter(device__user=user).exists()
    notice = Notification.objects.get(recipient=user, subject="双因素登录已关闭")
    assert "如果不是您本人操作" in notice.body and notice.link == reverse("two_factor")
    assert OutboxEmail.objects.filter(notification=notice).exists()
    assert client.get(reverse("home"), follow=True).status_code == 200
    client.post(reverse("logout"))
    assert log_in(client, user).url != reverse("two_factor_verify")
    assert logged_in(client)


@pytest.mark.django_db
def test_the_account_menu_links_to_the_two_factor_page(client, applicant):
    client.force_login(applicant)
    assert f'href="{reverse("two_factor")}"' in body(client.get(reverse("home"), follow=True))


# ---------------------------------------------------------------------------------------------
# Staff reset a lost phone in admin
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_reset_a_users_two_factor_login_in_admin_with_history(client, applicant):
    staff = factories.UserFactory(role=Role.STAFF)
    with_two_factor(applicant)
    client.force_login(staff)
    changelist = reverse("admin:talentstation_user_changelist")
    page = body(client.get(changelist))
    assert "重置双因素登录（手机丢失）" in page
    assert "双因素登录" in page  # the list's column
    response = client.post(
        changelist, {"action": "reset_two_factor", "_selected_action": [applicant.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=applicant).exists()
    assert not StaticToken.objects.filter(device__user=applicant).exists()
    entry = LogEntry.objects.get(object_id=str(applicant.pk), user=staff)
    assert entry.is_change()
    history = body(client.get(reverse("admin:talentstation_user_history", args=[applicant.pk])))
    assert "双因素登录（已重置）" in history
    notice = Notification.objects.get(recipient=applicant, subject="双因素登录已被区人社局重置")
    assert staff.full_name in notice.body and notice.sender == staff
    assert OutboxEmail.objects.filter(notification=notice, to=applicant.email).exists()
    page = body(client.get(changelist, follow=True))
    assert "已为 1 个用户重置双因素登录" in body(client.get(changelist)) or page
    # The user logs in with the password alone now.
    client.logout()
    response = log_in(client, applicant)
    assert logged_in(client) and response.url != reverse("two_factor_verify")


@pytest.mark.django_db
@REQUIRED
def test_after_a_reset_staff_set_up_the_new_phone_at_the_next_request(client, clock):
    colleague = factories.UserFactory(role=Role.STAFF)
    device, _codes = with_two_factor(colleague)
    log_in(client, colleague)
    send_code(client, code_now(device))
    assert client.get(reverse("dashboard")).status_code == 200
    two_factor.remove_two_factor(
        colleague, by=factories.UserFactory(role=Role.STAFF)
    )  # admin, from another session
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.url in (reverse("dashboard"), reverse("two_factor_setup"))
    assert client.get(reverse("dashboard")).url == reverse("two_factor_setup")


@pytest.mark.django_db
def test_otp_device_admin_pages_are_not_offered(client):
    from django.contrib import admin
    from django_otp.plugins.otp_static.models import StaticDevice

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


# ---------------------------------------------------------------------------------------------
# Sessions: a kept form survives a two-factor login
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_form_kept_after_the_timeout_is_restored_after_the_code(client, clock, settings):
    unit_admin = factories.applicant_user(factories.HostUnitFactory())
    device, _codes = with_two_factor(unit_admin)
    log_in(client, unit_admin)
    send_code(client, code_now(device))
    invite = reverse("stations:invite", args=[unit_admin.unit_membership.unit.pk])
    clock.shift(datetime.timedelta(seconds=settings.SESSION_IDLE_TIMEOUT + 60))
    response = client.post(invite, {"full_name": "王五", "email": "wangwu@example.com"})
    assert response.url == reverse("login") + "?next=" + reverse("session_restore")
    response = client.post(
        response.url,
        {
            "username": unit_admin.email,
            "password": factories.PASSWORD,
            "next": reverse("session_restore"),
        },
    )
    assert response.url == reverse("two_factor_verify")
    response = send_code(client, code_now(device), follow=True)
    assert response.redirect_chain[-1][0] == reverse("session_restore")
    page = body(response)
    assert 'name="full_name" value="王五"' in page
    assert f'action="{invite}"' in page
