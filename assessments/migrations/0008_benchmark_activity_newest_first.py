from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0007_cycles"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="activity",
            index=models.Index(fields=["-date", "-id"], name="activity_newest_first"),
        ),
    ]
