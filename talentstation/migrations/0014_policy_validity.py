import datetime

from django.db import migrations, models

# Art. 23 of 榕高新区人社规〔2024〕2号: valid for two years from 2024-07-02 (fixtures/policy_2024.yaml).
BASIS_2024 = "榕高新区人社规〔2024〕2号"
VALID_UNTIL_2024 = datetime.date(2026, 7, 1)


def set_validity_of_2024_versions(apps, schema_editor):
    """Every version saved so far applies the 2024 measures: it is valid as long as they are."""
    PolicyVersion = apps.get_model("talentstation", "PolicyVersion")
    PolicyVersion.objects.filter(title=BASIS_2024, valid_until__isnull=True).update(
        valid_until=VALID_UNTIL_2024
    )


class Migration(migrations.Migration):
    dependencies = [
        ("talentstation", "0013_front_door"),
    ]

    operations = [
        migrations.AddField(
            model_name="policyversion",
            name="valid_until",
            field=models.DateField(
                blank=True,
                help_text=(
                    "The last day the policy basis is valid (Art. 23: the 2024 measures run two "
                    "years from 2024-07-02). Empty: no end date. When it has passed, staff see a "
                    "to-do item until they save a successor or an extension as a new version."
                ),
                null=True,
                verbose_name="valid until",
            ),
        ),
        migrations.RunPython(set_validity_of_2024_versions, migrations.RunPython.noop),
    ]
