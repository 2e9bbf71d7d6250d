"""The shipped defaults live in fixtures/ as data: the 2024 policy settings and the two score
sheets. The seed migrations read them and must keep producing exactly the rows they produced
when the data were Python literals (tests/data/seed_rows.json was written from those)."""

import importlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from talentstation import fixtures

SEED_ROWS = Path(__file__).parent / "data" / "seed_rows.json"

SEED_MIGRATIONS = {
    "policy": ("talentstation", "0002_policy_2024", "create_first_version"),
    "score_sheets": ("assessments", "0002_seed_score_sheets", "seed"),
}


# The score sheets moved to talentstation after assessments 0003 (a state-only move): their
# seed runs on the models as the assessments app held them last.
SCORE_SHEETS_LAST_IN_ASSESSMENTS = ("assessments", "0003_text_maximum_lengths")


def latest_apps(app_label):
    """The app's models as its migrations leave them (the seed functions run on the current
    tables: later migrations added columns with defaults)."""
    loader = MigrationLoader(connection)
    if app_label == "assessments":
        return loader.project_state(SCORE_SHEETS_LAST_IN_ASSESSMENTS).apps
    return loader.project_state(loader.graph.leaf_nodes(app_label)).apps


def plain(value):
    return str(value) if isinstance(value, Decimal) else value


def run_seed(key):
    """Run one seed migration's function on an empty table, with the models as they were at
    that migration, inside the test's transaction (rolled back afterwards)."""
    app_label, name, function = SEED_MIGRATIONS[key]
    apps = latest_apps(app_label)
    if key == "policy":
        apps.get_model("talentstation", "PolicyVersion").objects.all().delete()
    else:
        from talentstation.models import ScoreTierCondition

        ScoreTierCondition.objects.all().delete()  # a later table the old models do not know
        templates = apps.get_model("assessments", "ScoreSheetTemplate").objects
        for template in templates.order_by("-version"):  # later versions point at earlier ones
            template.delete()
    module = importlib.import_module(f"{app_label}.migrations.{name}")
    getattr(module, function)(apps, None)
    return apps


def policy_rows(apps):
    model = apps.get_model("talentstation", "PolicyVersion")
    skip = {"id", "created_at", "created_by", "effective_from"}
    names = [f.attname for f in model._meta.concrete_fields if f.name not in skip]
    return [{n: plain(getattr(row, n)) for n in names} for row in model.objects.order_by("pk")]


def score_sheet_rows(apps):
    Template = apps.get_model("assessments", "ScoreSheetTemplate")
    rows = []
    for template in Template.objects.order_by("purpose"):
        items = []
        for item in template.items.order_by("order"):
            tiers = [
                {"order": t.order, "label": t.label, "points": plain(t.points)}
                for t in item.tiers.order_by("order")
            ]
            items.append(
                {
                    "order": item.order,
                    "title": item.title,
                    "description": item.description,
                    "kind": item.kind,
                    "weight": plain(item.weight),
                    "max_points": plain(item.max_points),
                    "tiers": tiers,
                }
            )
        rows.append(
            {
                "name": template.name,
                "purpose": template.purpose,
                "version": template.version,
                "status": template.status,
                "note": template.note,
                "activated": template.activated_at is not None,
                "items": items,
            }
        )
    return rows


def seed_rows():
    return {
        "policy": policy_rows(run_seed("policy")),
        "score_sheets": score_sheet_rows(run_seed("score_sheets")),
    }


@pytest.mark.django_db
def test_seed_migrations_produce_the_same_rows_as_before():
    expected = json.loads(SEED_ROWS.read_text(encoding="utf-8"))
    rows = seed_rows()
    # Fields added to PolicyVersion later are not part of this comparison.
    rows["policy"] = [{k: row.get(k) for k in expected["policy"][0]} for row in rows["policy"]]
    assert rows == expected


def test_the_defaults_are_data_files_in_fixtures():
    folder = Path(fixtures.__file__).resolve().parent.parent / "fixtures"
    for name in ("policy_2024.yaml", "score_sheets.yaml"):
        text = (folder / name).read_text(encoding="utf-8")
        assert text.startswith("#"), f"{name} starts with a comment saying what it is"
    policy = fixtures.load("policy_2024.yaml")
    assert policy["rules"]["publicity_working_days"] == 5
    sheets = fixtures.load("score_sheets.yaml")
    assert set(sheets) == {"application_review", "station_assessment"}


def test_a_sheet_whose_maximum_is_not_100_is_refused():
    sheet = fixtures.load("score_sheets.yaml")["station_assessment"]
    sheet["items"][0]["tiers"][0]["points"] = 25
    with pytest.raises(ValueError, match="not 100"):
        fixtures.score_sheet_maximum(sheet)


def test_the_policy_model_default_is_the_fixture():
    from talentstation.models.policy import policy_2024

    rules = policy_2024()
    assert rules["pass_mark"] == Decimal("60")
    assert rules["plaque_number_pattern"] == "榕高新人才驿站〔{year}〕{seq:03d}号"
