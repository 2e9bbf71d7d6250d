import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from stations.models import UnitMember
from talentstation.roles import Role, roles_of

from . import factories


@pytest.mark.django_db
def test_unit_admin_invites_a_colleague_who_sets_a_password_and_logs_in(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "http://testserver"
    unit = factories.HostUnitFactory()
    admin = factories.applicant_user(unit)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stations:invite", args=[unit.pk]),
            {"full_name": "王五", "email": "WangWu@example.com", "mobile": "13700001111"},
        )
    assert response.status_code == 302
    invited = get_user_model().objects.get(email="wangwu@example.com")
    assert not invited.has_usable_password()
    membership = UnitMember.objects.get(user=invited)
    assert membership.unit == unit and not membership.is_admin
    assert membership.invited_by == admin
    assert roles_of(invited) == {Role.APPLICANT}

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wangwu@example.com"]
    link = re.search(r"http://testserver(\S+)", message.body).group(1)

    client.logout()
    response = client.get(link, follow=True)
    assert response.status_code == 200
    set_url = response.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "Fresh-start-2026", "new_password2": "Fresh-start-2026"}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("login"), {"username": "13700001111", "password": "Fresh-start-2026"}
    )
    assert response.status_code == 302 and response.url == reverse("home")


@pytest.mark.django_db
def test_invite_form_errors_keep_what_was_typed(client):
    unit = factories.HostUnitFactory()
    admin = factories.applicant_user(unit)
    client.force_login(admin)
    response = client.post(
        reverse("stations:invite", args=[unit.pk]),
        {"full_name": "王五", "email": admin.email},
    )
    assert response.status_code == 400
    assert "email" in response.context["invite_form"].errors
    assert 'value="王五"' in response.content.decode()


@pytest.mark.django_db
def test_password_reset_mail_is_sent_to_invited_users_too(client):
    user = factories.UserFactory(email="reset@example.com")
    user.set_unusable_password()
    user.save()
    client.post(reverse("password_reset"), {"email": "RESET@example.com"})
    assert len(mail.outbox) == 1
    assert "reset@example.com" in mail.outbox[0].to


@pytest.mark.django_db
def test_password_change(client):
    user = factories.UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "Another-pass-77",
            "new_password2": "Another-pass-77",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Another-pass-77")


@pytest.mark.django_db
def test_weak_passwords_are_refused(client):
    user = factories.UserFactory()
    client.force_login(user)
    for weak in ("password123", "1234567890", "abcdefghijk", "short1"):
        response = client.post(
            reverse("password_change"),
            {"old_password": factories.PASSWORD, "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200, weak


@pytest.mark.django_db
def test_login_is_throttled_after_repeated_failures(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = factories.UserFactory(email="locked@example.com")
    for _ in range(3):
        client.post(reverse("login"), {"username": user.email, "password": "wrong-password-1"})
    response = client.post(
        reverse("login"), {"username": user.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录失败次数过多" in body


@pytest.mark.django_db
def test_logout_needs_post(client):
    user = factories.UserFactory()
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_unit_admin_manages_users_and_a_unit_keeps_an_administrator(client):
    unit = factories.HostUnitFactory()
    admin = factories.applicant_user(unit)
    colleague = factories.applicant_user(unit, is_admin=False)
    url = reverse("stations:change_member", args=[unit.pk, admin.unit_membership.pk])
    client.force_login(admin)
    response = client.post(url, {"action": "demote"}, follow=True)
    assert any("管理员" in str(m) for m in response.context["messages"])
    admin.unit_membership.refresh_from_db()
    assert admin.unit_membership.is_admin  # the last administrator stays
    colleague_url = reverse("stations:change_member", args=[unit.pk, colleague.unit_membership.pk])
    client.post(colleague_url, {"action": "promote"})
    client.post(url, {"action": "demote"})
    admin.unit_membership.refresh_from_db()
    assert not admin.unit_membership.is_admin
    client.force_login(colleague)
    client.post(url, {"action": "deactivate"})
    admin.refresh_from_db()
    assert not admin.is_active
    body = client.get(reverse("stations:unit_detail", args=[unit.pk])).content.decode()
    assert admin.email not in body


@pytest.mark.django_db
def test_members_cannot_be_managed_by_others(client):
    unit = factories.HostUnitFactory()
    admin = factories.applicant_user(unit)
    member = factories.applicant_user(unit, is_admin=False)
    outsider = factories.applicant_user()
    url = reverse("stations:change_member", args=[unit.pk, admin.unit_membership.pk])
    for user, status in ((member, 403), (outsider, 404)):
        client.force_login(user)
        assert client.post(url, {"action": "deactivate"}).status_code == status
    admin.refresh_from_db()
    assert admin.is_active
