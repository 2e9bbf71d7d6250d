"""The data files of the top-level ``fixtures/`` folder.

- ``policy_2024.yaml`` — the first policy settings version (read by a migration);
- ``score_sheets.yaml`` — the first score sheets (read by a migration);
- ``annex2_rubric.yaml`` — version 2 of the Annex 2 sheet, with points and tier conditions;
- ``demo.yaml`` — the demo district of ``manage.py load_demo``;
- ``front_door_2024.yaml`` and ``measures_2024_zh.txt`` — the policy document, its annexes, the
  service guide, the contact office and the FAQ of the public front door (read by a migration).

The files are data only; the code that turns them into rows stays with its migration or
command. Values are converted by the model fields they are meant for (:func:`field_values`).
"""

from decimal import Decimal
from pathlib import Path

import yaml

FOLDER = Path(__file__).resolve().parent.parent / "fixtures"


def load(name: str):
    """The parsed content of ``fixtures/<name>`` (YAML, safe loader)."""
    return yaml.safe_load((FOLDER / name).read_text(encoding="utf-8"))


def field_values(model, values: dict) -> dict:
    """``values`` converted by ``model``'s fields (e.g. "60" → Decimal for a DecimalField),
    leaving out the keys the model has no field for (a migration's model may predate a field)."""
    fields = {f.name: f for f in model._meta.concrete_fields}
    return {name: fields[name].to_python(value) for name, value in values.items() if name in fields}


def score_sheet_maximum(sheet: dict) -> Decimal:
    """The best possible total of a score sheet of ``score_sheets.yaml``: it must be 100."""
    maximum = Decimal("0")
    for item in sheet["items"]:
        if item.get("tiers"):
            maximum += max(Decimal(str(tier["points"])) for tier in item["tiers"])
        else:
            maximum += Decimal(str(item["max_points"]))
    if maximum != Decimal("100"):
        raise ValueError(f"{sheet['name']}: the maximum is {maximum}, not 100")
    return maximum
