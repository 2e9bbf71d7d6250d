import html

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stations.models import HostUnit, UnitMember
from talentstation.roles import Role, roles_of

from . import factories

URL = reverse("stations:register")


def form_data(**overrides):
    data = {
        "unit_name": "福州测试科技有限公司",
        "credit_code": "9111 0108 5513 8508 2q",
        "contact_name": "李四",
        "mobile": "13912345678",
        "email": "LiSi@Example.com",
        "password1": "Correct-horse-42",
        "password2": "Correct-horse-42",
    }
    data.update(overrides)
    return data


def licence(name="licence.pdf", content=factories.TINY_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.django_db
def test_a_unit_registers_and_its_user_becomes_administrator(client):
    response = client.post(URL, {**form_data(), "business_licence": licence()})
    unit = HostUnit.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("stations:unit_detail", args=[unit.pk])
    assert unit.credit_code == "91110108551385082Q"
    assert unit.code_state == HostUnit.CodeState.CHECKED
    assert unit.verification == HostUnit.Verification.UNVERIFIED
    assert unit.business_licence.read().startswith(b"%PDF")
    user = get_user_model().objects.get()
    assert user.email == "lisi@example.com"
    assert user.mobile == "13912345678"
    assert roles_of(user) == {Role.APPLICANT}
    assert UnitMember.objects.get(user=user, unit=unit).is_admin
    # logged in straight away
    assert client.get(reverse("stations:unit_detail", args=[unit.pk])).status_code == 200


@pytest.mark.django_db
def test_a_registered_code_cannot_be_claimed_again(client):
    existing = factories.HostUnitFactory(credit_code="91110108551385082Q")
    response = client.post(URL, {**form_data(), "business_licence": licence()})
    assert response.status_code == 200
    errors = response.context["form"].errors["credit_code"]
    assert "已有单位注册" in errors[0]
    assert "管理员" in errors[0] and "人力资源和社会保障局" in errors[0]
    assert HostUnit.objects.count() == 1 and HostUnit.objects.get() == existing
    # what was typed is kept
    body = response.content.decode()
    assert 'value="福州测试科技有限公司"' in body and 'value="LiSi@Example.com"' in body


@pytest.mark.django_db
def test_pilot_code_needs_explicit_confirmation_then_is_marked_unconfirmed(client):
    data = {**form_data(credit_code="91350211m0000xuf46"), "business_licence": licence()}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert not HostUnit.objects.exists()
    form = response.context["form"]
    assert "credit_code" in form.errors
    assert 'type="checkbox"' in response.content.decode()

    data = {
        **form_data(credit_code="91350211m0000xuf46"),
        "business_licence": licence(),
        "confirm_unusual_code": "on",
    }
    response = client.post(URL, data, follow=True)
    unit = HostUnit.objects.get()
    assert unit.credit_code == "91350211M0000XUF46"
    assert unit.code_state == HostUnit.CodeState.UNCONFIRMED
    assert unit.submission_blocker() in html.unescape(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"credit_code": "12345"}, "credit_code"),
        ({"mobile": "12345678901"}, "mobile"),
        ({"mobile": "1381234567"}, "mobile"),
        ({"password2": "Different-horse-42"}, "password2"),
        ({"password1": "12345678901", "password2": "12345678901"}, "password1"),
        ({"password1": "short1", "password2": "short1"}, "password1"),
        ({"email": "not-an-email"}, "email"),
        ({"unit_name": ""}, "unit_name"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_created(client, overrides, field):
    response = client.post(URL, {**form_data(**overrides), "business_licence": licence()})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not HostUnit.objects.exists() and not get_user_model().objects.exists()


@pytest.mark.django_db
def test_errors_are_in_chinese_by_default(client):
    response = client.post(URL, {**form_data(mobile="123"), "business_licence": licence()})
    assert "手机号" in response.context["form"].errors["mobile"][0]


@pytest.mark.django_db
def test_licence_with_forged_extension_is_refused(client):
    fake = licence("licence.pdf", b"MZ\x90\x00 this is really an executable" * 10)
    response = client.post(URL, {**form_data(), "business_licence": fake})
    assert "business_licence" in response.context["form"].errors
    assert not HostUnit.objects.exists()


@pytest.mark.django_db
def test_png_named_pdf_is_refused(client):
    fake = licence("licence.pdf", factories.TINY_PNG)
    response = client.post(URL, {**form_data(), "business_licence": fake})
    assert "business_licence" in response.context["form"].errors


@pytest.mark.django_db
def test_mobile_and_email_already_used_are_refused(client):
    factories.UserFactory(email="lisi@example.com")
    response = client.post(URL, {**form_data(), "business_licence": licence()})
    assert "email" in response.context["form"].errors


@pytest.mark.django_db
def test_login_with_email_or_mobile(client):
    client.post(URL, {**form_data(), "business_licence": licence()})
    client.logout()
    for login in ("lisi@example.com", "LISI@example.com", "13912345678"):
        response = client.post(
            reverse("login"), {"username": login, "password": "Correct-horse-42"}
        )
        assert response.status_code == 302, login
        client.logout()


@pytest.mark.django_db
def test_a_valid_licence_is_kept_when_other_fields_have_errors(client):
    response = client.post(URL, {**form_data(mobile="123"), "business_licence": licence()})
    form = response.context["form"]
    assert "mobile" in form.errors and "business_licence" not in form.errors
    token = form.data["business_licence_kept"]
    assert token
    assert "licence.pdf" in response.content.decode()  # the page says which file is kept
    # second attempt without choosing the file again
    response = client.post(URL, {**form_data(), "business_licence_kept": token})
    assert response.status_code == 302
    assert HostUnit.objects.get().business_licence.read().startswith(b"%PDF")


@pytest.mark.django_db
def test_a_forged_kept_reference_is_ignored(client):
    response = client.post(
        URL, {**form_data(), "business_licence_kept": "licences/2026/someone-else.pdf"}
    )
    assert "business_licence" in response.context["form"].errors
    assert not HostUnit.objects.exists()


@pytest.mark.django_db
def test_pending_uploads_are_purged_after_a_day(client):
    import time_machine
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    client.post(URL, {**form_data(mobile="123"), "business_licence": licence()})
    [folder], _files = default_storage.listdir("pending")  # one folder per client
    assert len(default_storage.listdir(f"pending/{folder}")[1]) == 1
    call_command("purge_pending_uploads")
    assert len(default_storage.listdir(f"pending/{folder}")[1]) == 1
    with time_machine.travel("2099-01-01"):
        call_command("purge_pending_uploads")
    assert default_storage.listdir("pending") == ([], [])
