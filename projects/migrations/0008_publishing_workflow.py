from django.db import migrations, models
from django.utils import timezone

APP = "projects"
# Models that had the is_published switch: the published ones are published now.
WAS_PUBLISHED_FLAG = ("project", "facility", "researchgroup")
# Models that were shown whenever their parent was: all of them are published now.
WAS_ALWAYS_SHOWN = ("meeting", "milestone")


def publish_what_was_public(apps, schema_editor):
    """Every record the public saw before keeps being shown: published as of this migration."""
    now = timezone.now()
    for name in WAS_PUBLISHED_FLAG:
        for model_name in (name, f"historical{name}"):
            apps.get_model(APP, model_name).objects.filter(is_published=True).update(
                published_at=now
            )
    for name in WAS_ALWAYS_SHOWN:
        for model_name in (name, f"historical{name}"):
            apps.get_model(APP, model_name).objects.update(published_at=now)


def flag_what_is_public(apps, schema_editor):
    now = timezone.now()
    for name in WAS_PUBLISHED_FLAG:
        for model_name in (name, f"historical{name}"):
            apps.get_model(APP, model_name).objects.filter(published_at__lte=now).update(
                is_published=True
            )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0007_url_name_instead_of_slug"),
    ]

    operations = [
        migrations.AddField(
            model_name="facility",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます（過去の日時なら今すぐ、未来の日時なら公開予約）。",
                null=True,
                verbose_name="公開日時",
            ),
        ),
        migrations.AddField(
            model_name="historicalfacility",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます（過去の日時なら今すぐ、未来の日時なら公開予約）。",
                null=True,
                verbose_name="公開日時",
            ),
        ),
        migrations.AddField(
            model_name="historicalmeeting",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます（過去の日時なら今すぐ、未来の日時なら公開予約）。",
                null=True,
                verbose_name="公開日時",
            ),
        ),
        migrations.AddField(
            model_name="historicalmilestone",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます（過去の日時なら今すぐ、未来の日時なら公開予約）。",
                null=True,
                verbose_name="公開日時",
            ),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます（過去の日時なら今すぐ、未来の日時なら公開予約）。",
                null=True,
                verbose_name="公開日時",
            ),
        ),
        migrations.AddField(
            model_name="historicalresearchgroup",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます（過去の日時なら今すぐ、未来の日時なら公開予約）。",
                null=True,
                verbose_name="公開日時",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます（過去の日時なら今すぐ、未来の日時なら公開予約）。",
                null=True,
                verbose_name="公開日時",
            ),
        ),
        migrations.AddField(
            model_name="milestone",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます（過去の日時なら今すぐ、未来の日時なら公開予約）。",
                null=True,
                verbose_name="公開日時",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます（過去の日時なら今すぐ、未来の日時なら公開予約）。",
                null=True,
                verbose_name="公開日時",
            ),
        ),
        migrations.AddField(
            model_name="researchgroup",
            name="published_at",
            field=models.DateTimeField(
                blank=True,
                db_index=True,
                help_text="空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます（過去の日時なら今すぐ、未来の日時なら公開予約）。",
                null=True,
                verbose_name="公開日時",
            ),
        ),
        migrations.RunPython(publish_what_was_public, flag_what_is_public),
        migrations.RemoveField(
            model_name="facility",
            name="is_published",
        ),
        migrations.RemoveField(
            model_name="historicalfacility",
            name="is_published",
        ),
        migrations.RemoveField(
            model_name="historicalproject",
            name="is_published",
        ),
        migrations.RemoveField(
            model_name="historicalresearchgroup",
            name="is_published",
        ),
        migrations.RemoveField(
            model_name="project",
            name="is_published",
        ),
        migrations.RemoveField(
            model_name="researchgroup",
            name="is_published",
        ),
    ]
