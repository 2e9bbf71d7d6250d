"""Version 2 of the station assessment sheet (Annex 2), read from fixtures/annex2_rubric.yaml:
the tiers as the sheet words them, the bureau's first points (15/15/15/30/25) and the
conditions on the evidence that propose a tier.

It becomes the active version when the version active before it has not been used (no filled
sheet); otherwise it is left as a draft for staff to activate.
"""

from decimal import Decimal

from django.db import migrations
from django.utils import timezone

from talentstation import fixtures

PURPOSE = "station_assessment"


def seed(apps, schema_editor):
    Template = apps.get_model("talentstation", "ScoreSheetTemplate")
    Item = apps.get_model("talentstation", "ScoreItem")
    Tier = apps.get_model("talentstation", "ScoreTier")
    Condition = apps.get_model("talentstation", "ScoreTierCondition")
    Sheet = apps.get_model("talentstation", "ScoreSheet")
    data = fixtures.load("annex2_rubric.yaml")
    fixtures.score_sheet_maximum(data)  # refuses a sheet whose maximum is not 100
    if Template.objects.filter(purpose=PURPOSE, name=data["name"], note=data["note"]).exists():
        return
    now = timezone.now()
    previous = Template.objects.filter(purpose=PURPOSE, status="active").first()
    last = Template.objects.filter(purpose=PURPOSE).order_by("-version").first()
    template = Template.objects.create(
        name=data["name"],
        purpose=PURPOSE,
        version=(last.version if last else 0) + 1,
        status="draft",
        note=data["note"],
        based_on=previous,
        created_at=now,
    )
    for item_order, item in enumerate(data["items"], start=1):
        row = Item.objects.create(
            template=template, order=item_order, title=item["title"], kind="tiers"
        )
        for tier_order, tier in enumerate(item["tiers"], start=1):
            tier_row = Tier.objects.create(
                item=row, order=tier_order, label=tier["label"], points=Decimal(tier["points"])
            )
            for measure, operator, value in tier.get("conditions", []):
                Condition.objects.create(
                    tier=tier_row, measure=measure, operator=operator, value=Decimal(value)
                )
    if previous is None or not Sheet.objects.filter(template=previous).exists():
        # (the status fields are protected: rows are updated, not assigned)
        if previous is not None:
            Template.objects.filter(pk=previous.pk).update(status="retired")
        Template.objects.filter(pk=template.pk).update(status="active", activated_at=now)


class Migration(migrations.Migration):
    dependencies = [("talentstation", "0009_tier_conditions_and_assessment_settings")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
