"""Expert assignments become assignments of a scorer to any subject (an application's review,
a station's assessment): the application becomes a generic subject and the expert the scorer.
Rows are kept: each assignment's subject is its application."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def subjects_from_applications(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    application, _ = ContentType.objects.get_or_create(app_label="stations", model="application")
    for name in ("ReviewAssignment", "HistoricalReviewAssignment"):
        model = apps.get_model("stations", name)
        model.objects.update(content_type=application.pk, object_id=models.F("application_id"))


def applications_from_subjects(apps, schema_editor):
    for name in ("ReviewAssignment", "HistoricalReviewAssignment"):
        model = apps.get_model("stations", name)
        model.objects.update(application_id=models.F("object_id"))


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("stations", "0003_dates_not_in_the_future"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="reviewassignment", name="one_assignment_each"),
        migrations.AddField(
            model_name="reviewassignment",
            name="content_type",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                to="contenttypes.contenttype",
                verbose_name="kind of subject",
            ),
        ),
        migrations.AddField(
            model_name="reviewassignment",
            name="object_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="subject id"),
        ),
        migrations.AddField(
            model_name="historicalreviewassignment",
            name="content_type",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="contenttypes.contenttype",
                verbose_name="kind of subject",
            ),
        ),
        migrations.AddField(
            model_name="historicalreviewassignment",
            name="object_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="subject id"),
        ),
        migrations.RunPython(subjects_from_applications, applications_from_subjects),
        migrations.AlterField(
            model_name="reviewassignment",
            name="content_type",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                to="contenttypes.contenttype",
                verbose_name="kind of subject",
            ),
        ),
        migrations.AlterField(
            model_name="reviewassignment",
            name="object_id",
            field=models.PositiveBigIntegerField(verbose_name="subject id"),
        ),
        migrations.AlterField(
            model_name="historicalreviewassignment",
            name="object_id",
            field=models.PositiveBigIntegerField(verbose_name="subject id"),
        ),
        migrations.RemoveField(model_name="reviewassignment", name="application"),
        migrations.RemoveField(model_name="historicalreviewassignment", name="application"),
        migrations.RenameField(model_name="reviewassignment", old_name="expert", new_name="scorer"),
        migrations.RenameField(
            model_name="historicalreviewassignment", old_name="expert", new_name="scorer"
        ),
        migrations.AlterField(
            model_name="reviewassignment",
            name="scorer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="scorer_assignments",
                to=settings.AUTH_USER_MODEL,
                verbose_name="scorer",
            ),
        ),
        migrations.AlterField(
            model_name="historicalreviewassignment",
            name="scorer",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="scorer",
            ),
        ),
        migrations.AlterModelOptions(
            name="reviewassignment",
            options={
                "ordering": ["content_type", "object_id", "assigned_at"],
                "verbose_name": "expert assignment",
                "verbose_name_plural": "expert assignments",
            },
        ),
        migrations.AddConstraint(
            model_name="reviewassignment",
            constraint=models.UniqueConstraint(
                fields=("content_type", "object_id", "scorer"), name="one_assignment_per_subject"
            ),
        ),
    ]
