"""The moves into the shared core keep every row: score sheets (talentstation 0007) and the
expert panels, which became generic scorer assignments (stations 0004, talentstation 0008).

A database migrated to just before the moves gets rows written with the models as they were
then; the migrations run forward; the rows are where the new models read them. It runs in
subprocesses on a database file of its own (migrating the test database back and forth would
take minutes)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BEFORE = [
    ("stations", "0003_dates_not_in_the_future"),
    ("talentstation", "0006_text_maximum_lengths"),
    ("assessments", "0003_text_maximum_lengths"),
]

INSERT = f"""
import datetime
from django.db import connection
from django.db.migrations.loader import MigrationLoader

old = MigrationLoader(connection).project_state({BEFORE!r}).apps
User = old.get_model("talentstation", "User")
expert = User.objects.create(username="expert-m", full_name="陈专家", email="e@example.com")
staff = User.objects.create(username="staff-m", full_name="林工作人员", email="s@example.com")
unit = old.get_model("stations", "HostUnit").objects.create(
    name="迁移测试单位", credit_code="91350100MA2XYZ0001", contact_name="张三",
    contact_mobile="13800000000", contact_email="m@example.com",
)
call = old.get_model("stations", "Call").objects.create(
    year=2026, title="2026年度", open_date=datetime.date(2026, 7, 1),
    close_date=datetime.date(2026, 9, 30),
    policy_version=old.get_model("talentstation", "PolicyVersion").objects.first(),
)
station = old.get_model("stations", "Station").objects.create(
    name="迁移驿站", station_type="industry", host_unit=unit
)
application = old.get_model("stations", "Application").objects.create(
    number="SQ-2026-0001", call=call, host_unit=unit, station=station
)
assignment = old.get_model("stations", "ReviewAssignment").objects.create(
    application=application, expert=expert, assigned_by=staff,
    due_date=datetime.date(2026, 9, 20), visit_notes="场地整洁",
)
old.get_model("stations", "SiteVisitPhoto").objects.create(
    assignment=assignment, file="visits/a.png", original_name="照片.png"
)
old.get_model("stations", "ExpertAffiliation").objects.create(
    expert=expert, organisation="某大学", credit_code="12350000488000001X"
)
template = old.get_model("assessments", "ScoreSheetTemplate").objects.get(
    purpose="application_review"
)
types = old.get_model("contenttypes", "ContentType").objects
# The content types the code of that time had made (this test's migrate ran today's code,
# whose post_migrate made the new ones already): the old code knew only the old models.
types.filter(app_label="talentstation", model__contains="score").delete()
types.filter(
    app_label="talentstation",
    model__in=["scorerassignment", "historicalscorerassignment", "sitevisitphoto",
               "expertaffiliation", "historicalexpertaffiliation"],
).delete()
for app_label, model in [("stations", "reviewassignment"), ("assessments", "scoresheet")]:
    types.get_or_create(app_label=app_label, model=model)
kind, _ = types.get_or_create(app_label="stations", model="application")
old.get_model("assessments", "ScoreSheet").objects.create(
    template=template, scorer=expert, content_type=kind, object_id=application.pk
)
print(assignment.pk)
"""

CHECK = """
import datetime
from django.db import connection
from django.db.migrations.loader import MigrationLoader

loader = MigrationLoader(connection)
new = loader.project_state(loader.graph.leaf_nodes()).apps
expert = new.get_model("talentstation", "User").objects.get(username="expert-m")
staff = new.get_model("talentstation", "User").objects.get(username="staff-m")
application = new.get_model("stations", "Application").objects.get()
moved = new.get_model("talentstation", "ScorerAssignment").objects.get()
assert (moved.scorer_id, moved.assigned_by_id) == (expert.pk, staff.pk)
assert (moved.content_type.app_label, moved.content_type.model) == ("stations", "application")
assert moved.object_id == application.pk
assert moved.visit_notes == "场地整洁" and moved.due_date == datetime.date(2026, 9, 20)
assert new.get_model("talentstation", "SiteVisitPhoto").objects.get().assignment_id == moved.pk
assert new.get_model("talentstation", "ExpertAffiliation").objects.get().expert_id == expert.pk
sheet = new.get_model("talentstation", "ScoreSheet").objects.get()
assert (sheet.scorer_id, sheet.object_id) == (expert.pk, application.pk)
types = new.get_model("contenttypes", "ContentType").objects
# their content types (with permissions and admin history) followed
assert not types.filter(app_label="stations", model="reviewassignment").exists()
assert types.filter(app_label="talentstation", model="scorerassignment").exists()
assert not types.filter(app_label="assessments", model="scoresheet").exists()
print("MIGRATED", moved.pk)
"""


pytestmark = pytest.mark.slow  # a minute of migrations: in the full pass only


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_panels_and_sheets_survive_the_moves(tmp_path):
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    for app_label, name in BEFORE:
        manage(env, "migrate", app_label, name, "-v0")
    assignment_pk = manage(env, "shell", "-c", INSERT).split()[-1]
    manage(env, "migrate", "-v0")
    assert manage(env, "shell", "-c", CHECK).split()[-2:] == ["MIGRATED", assignment_pk]


def test_rendering_the_migrations_states_leaves_no_fsm_receivers():
    """The migrations' copies of the models connect no lasting ``class_prepared`` receiver
    (django-fsm-2's collected them, which made ``migrate`` on a new database take minutes:
    talentstation.fsm_states); the project's own models still know their transitions."""
    from django.db.migrations.loader import MigrationLoader
    from django.db.models.signals import class_prepared

    from stations.models import HostUnit

    loader = MigrationLoader(None)  # the migration files only, no database
    before = len(class_prepared.receivers)
    for _ in range(3):
        state = loader.project_state()
        assert state.apps.get_model("stations", "HostUnit")  # rendered, with its FSM fields
    assert len(class_prepared.receivers) == before
    assert "verify" in {t.name for t in HostUnit().get_all_verification_transitions()}
