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


def _uses_database(request):
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if {"transactional_db", "live_server"} & names or (marker and marker.kwargs.get("transaction")):
        return "transactional_db"
    if marker or {"db", "django_db_reset_sequences"} & names:
        return "db"
    return None


# The migrations that ship score sheets: version 1 of both, version 2 of Annex 2.
SHIPPED_SCORE_SHEETS = (
    ("assessments", "0002_seed_score_sheets"),
    ("talentstation", "0010_annex2_rubric_v2"),
)


def seed_shipped_score_sheets():
    """The score sheets the migrations seed, again after a transactional test's flush."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from talentstation.models.scoring import ScoreSheetTemplate

    if ScoreSheetTemplate.objects.exists():
        return
    loader = MigrationExecutor(connection).loader
    for app_label, name in SHIPPED_SCORE_SHEETS:
        state = loader.project_state((app_label, name))
        importlib.import_module(f"{app_label}.migrations.{name}").seed(state.apps, None)


def seed_shipped_front_door():
    """The policy document, service guide and FAQ of migration 0013, again after a flush."""
    import importlib

    from django.apps import apps

    from talentstation.models import PolicyDocument

    if PolicyDocument.objects.exists():
        return
    migration = importlib.import_module("talentstation.migrations.0013_front_door")
    migration.seed_front_door(apps, None)


def seed_shipped_policy():
    """The first policy version (the 2024 measures, migration 0002), again after a flush."""
    from talentstation.models import PolicyVersion

    PolicyVersion.current()


@pytest.fixture(autouse=True)
def _shipped_rows(request):
    """Every test sees the rows the migrations ship (the first policy version, the score sheets
    and the front door's records): a transactional test (or a browser test's live server)
    flushes the tables after itself, so whichever test runs next on the same worker, on either
    database, starts from the shipped data."""
    fixture = _uses_database(request)
    if fixture is None:
        return
    request.getfixturevalue(fixture)
    seed_shipped_policy()
    seed_shipped_score_sheets()
    seed_shipped_front_door()


# --- the task queue -------------------------------------------------------------------------

#: The production queue (django-tasks-db) instead of the tests' immediate backend.
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker(*, max_tasks=None, worker_id="inline-worker"):
    """Run django-tasks-db's worker here until no task is ready (``db_worker --batch``).

    Inside a test's transaction the worker must not close the connection between tasks (as
    Django's test client keeps requests from doing)."""
    from unittest import mock

    from django_tasks_db.management.commands import db_worker

    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        _worker(max_tasks, worker_id)


def _worker(max_tasks, worker_id):
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


@pytest.fixture
def database_queue(settings):
    """Tasks go to the database queue; returns :func:`run_worker` to work it off."""
    settings.TASKS = DATABASE_QUEUE
    return run_worker
