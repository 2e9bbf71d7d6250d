from django.db import migrations


def create_first_version(apps, schema_editor):
    from talentstation.models.policy import POLICY_2024

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
