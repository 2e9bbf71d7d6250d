"""Access beyond the authorization matrix (tests/test_authorization_matrix.py, every page ×
role): the reasons of refusals, what a 404 reveals, the unit's non-admin members, files.
"""

import pytest
from django.urls import reverse

from . import factories


@pytest.fixture
def world(db, staff_user, official_user, expert_user):
    unit = factories.HostUnitFactory()
    other = factories.HostUnitFactory()
    station = factories.StationFactory(host_unit=unit)
    application = factories.ApplicationFactory(host_unit=unit, station=station)
    return {
        "unit": unit,
        "station": station,
        "application": application,
        "users": {
            "anonymous": None,
            "own_applicant": factories.applicant_user(unit, is_admin=True),
            "own_member": factories.applicant_user(unit, is_admin=False),
            "other_applicant": factories.applicant_user(other, is_admin=True),
            "staff": staff_user,
            "official": official_user,
            "expert": expert_user,
        },
    }


def get_as(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url).status_code


def url_for(page, world):
    return {
        "unit_detail": reverse("stations:unit_detail", args=[world["unit"].pk]),
        "licence": reverse("stations:licence", args=[world["unit"].pk]),
        "station_detail": reverse("stations:station_detail", args=[world["station"].pk]),
        "application_detail": reverse(
            "stations:application_detail", args=[world["application"].pk]
        ),
    }[page]


# The matrix of every page × role is tests/test_authorization_matrix.py; a unit's user who is
# not its administrator is not one of its roles: he sees what the administrator sees.
@pytest.mark.parametrize("page", ["unit_detail", "licence", "station_detail", "application_detail"])
def test_member_sees_what_the_unit_administrator_sees(client, world, page):
    assert get_as(client, world["users"]["own_member"], url_for(page, world)) == 200


def test_refusal_says_why(client, world):
    """A user who may see the unit but not its licence is told why."""
    client.force_login(world["users"]["official"])
    response = client.get(url_for("licence", world))
    assert response.status_code == 403
    assert "营业执照" in response.content.decode()


def test_guessing_ids_reveals_nothing_of_other_units(client, world):
    client.force_login(world["users"]["other_applicant"])
    missing = client.get(reverse("stations:unit_detail", args=[world["unit"].pk + 1000]))
    for page in ("unit_detail", "licence", "station_detail", "application_detail"):
        response = client.get(url_for(page, world))
        assert response.status_code == 404
        assert world["unit"].name.encode() not in response.content
        assert world["unit"].credit_code.encode() not in response.content
        # The same page as for an id that does not exist.
        assert _without_nonces(response.content) == _without_nonces(missing.content)


def _without_nonces(content):
    """The page's main part, without the per-request tokens."""
    import re

    main = re.search(rb"<main.*?</main>", content, flags=re.S).group(0)
    return re.sub(rb'(nonce|value)="[^"]*"', b"", main)


def test_only_unit_admin_invites(client, world):
    url = reverse("stations:invite", args=[world["unit"].pk])
    data = {"full_name": "王五", "email": "wangwu@example.com"}
    for role, expected in [
        ("own_member", 403),
        ("other_applicant", 404),
        ("official", 403),
        ("expert", 404),
    ]:
        client.force_login(world["users"][role])
        assert client.post(url, data).status_code == expected, role
    client.force_login(world["users"]["own_applicant"])
    assert client.post(url, data).status_code == 302


def test_licence_download_is_an_attachment_with_sniffed_type(client, world):
    client.force_login(world["users"]["own_applicant"])
    response = client.get(url_for("licence", world))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_uploaded_files_have_no_public_url(client, world):
    name = world["unit"].business_licence.name
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get(f"/{name}").status_code in (302, 404)


def test_officials_and_experts_never_reach_admin_even_with_is_staff(client, world):
    official = world["users"]["official"]
    official.is_staff = True
    official.save()
    client.force_login(official)
    assert client.get(reverse("admin:index")).status_code == 302
