"""The first active score sheets, from 榕高新区人社规〔2024〕2号, read from
fixtures/score_sheets.yaml:

- 建站专家评审: the conditions of Art. 6–8, as eight items whose maximums sum to 100;
- 驿站考核（附件2）: the five items of Annex 2 with their official tiers, best first.

The measures give tiers but no points: the points in the file are the first configuration,
kept only as seed data. Staff change them by making a new version in admin, never in code.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

from talentstation import fixtures

PURPOSES = ("application_review", "station_assessment")


def seed(apps, schema_editor):
    Template = apps.get_model("assessments", "ScoreSheetTemplate")
    Item = apps.get_model("assessments", "ScoreItem")
    Tier = apps.get_model("assessments", "ScoreTier")
    now = timezone.now()
    sheets = fixtures.load("score_sheets.yaml")
    for purpose in PURPOSES:
        sheet = sheets[purpose]
        fixtures.score_sheet_maximum(sheet)  # refuses a sheet whose maximum is not 100
        if Template.objects.filter(purpose=purpose).exists():
            continue
        template = Template.objects.create(
            name=sheet["name"],
            purpose=purpose,
            version=1,
            status="active",
            note=sheet["note"],
            created_at=now,
            activated_at=now,
        )
        for order, spec in enumerate(sheet["items"], start=1):
            tiers = spec.get("tiers")
            item = Item.objects.create(
                template=template,
                order=order,
                title=spec["title"],
                description=spec.get("description", ""),
                kind="tiers" if tiers else "range",
                weight=Decimal("1"),
                max_points=None if tiers else Decimal(str(spec["max_points"])),
            )
            for tier_order, tier in enumerate(tiers or [], start=1):
                Tier.objects.create(
                    item=item,
                    order=tier_order,
                    label=tier["label"],
                    points=Decimal(str(tier["points"])),
                )


def unseed(apps, schema_editor):
    Template = apps.get_model("assessments", "ScoreSheetTemplate")
    Sheet = apps.get_model("assessments", "ScoreSheet")
    seeded = Template.objects.filter(version=1, purpose__in=PURPOSES)
    if not Sheet.objects.filter(template__in=seeded).exists():
        for template in seeded:
            template.items.all().delete()
        seeded.delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
