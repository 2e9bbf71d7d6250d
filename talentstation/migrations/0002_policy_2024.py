from decimal import Decimal

from django.db import migrations

# The rules of 榕高新区人社规〔2024〕2号, frozen as they were when this migration was written.
POLICY_2024 = {
    "title": "榕高新区人社规〔2024〕2号",
    "publicity_working_days": 5,
    "pass_mark": Decimal("60"),
    "min_activities_per_year": 4,
    "min_person_times_per_year": 50,
    "excellent_count": 3,
    "award_first": Decimal("50000"),
    "award_second": Decimal("30000"),
    "award_third": Decimal("20000"),
    "upload_max_mb": 10,
    "stamped_scan_required": True,
}


def create_first_version(apps, schema_editor):
    PolicyVersion = apps.get_model("talentstation", "PolicyVersion")
    if not PolicyVersion.objects.exists():
        PolicyVersion.objects.create(
            version=1,
            note="《福州高新区人才驿站管理办法（试行）》的规定（初始版本）",
            **POLICY_2024,
        )


class Migration(migrations.Migration):
    dependencies = [("talentstation", "0001_initial")]
    operations = [migrations.RunPython(create_first_version, migrations.RunPython.noop)]
