import os

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

from talentstation.roles import Role

from . import factories

# A bounded hypothesis profile for CI; `HYPOTHESIS_PROFILE=dev` explores more locally.
hypothesis_settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
hypothesis_settings.register_profile("dev", max_examples=2000, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(
                pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL to run it)")
            )


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media"), "base_url": None},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(role=Role.STAFF)


@pytest.fixture
def official_user(db):
    return factories.UserFactory(role=Role.OFFICIAL)


@pytest.fixture
def expert_user(db):
    return factories.UserFactory(role=Role.EXPERT)


@pytest.fixture
def unit(db):
    return factories.HostUnitFactory()


@pytest.fixture
def applicant(unit):
    return factories.applicant_user(unit)


@pytest.fixture
def other_unit(db):
    return factories.HostUnitFactory()
