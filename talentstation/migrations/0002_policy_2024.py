from django.db import migrations

from talentstation import fixtures


def create_first_version(apps, schema_editor):
    """The first policy settings version, from fixtures/policy_2024.yaml (榕高新区人社规〔2024〕2号).

    Only the fields this migration's model has are taken; fields added by later migrations
    (review_quorum, plaque_number_pattern) get their defaults there, which the file repeats.
    """
    PolicyVersion = apps.get_model("talentstation", "PolicyVersion")
    if not PolicyVersion.objects.exists():
        data = fixtures.load("policy_2024.yaml")
        rules = dict(data["rules"])
        # The file now holds the awards as a list by rank (migration 0011); the model of
        # this migration still had one column per rank.
        for pair, column in zip(rules["awards"], ("award_first", "award_second", "award_third")):
            rules[column] = pair["amount"]
        PolicyVersion.objects.create(
            version=1,
            note=data["note"],
            **fixtures.field_values(PolicyVersion, {"title": data["title"], **rules}),
        )


class Migration(migrations.Migration):
    dependencies = [("talentstation", "0001_initial")]
    operations = [migrations.RunPython(create_first_version, migrations.RunPython.noop)]
