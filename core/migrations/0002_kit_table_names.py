"""Give the contact's tables the kit's names and move its content types along, so that admin log
entries and permissions that name the contact keep pointing at it."""

from django.db import migrations

MODELS = ("siteprofile", "historicalsiteprofile")


def move_content_types(apps, schema_editor, old, new):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            ContentType.objects.using(db).filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    move_content_types(apps, schema_editor, "hiratsuka_portal", "core")


def backwards(apps, schema_editor):
    move_content_types(apps, schema_editor, "core", "hiratsuka_portal")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="siteprofile", table=None),
        migrations.AlterModelTable(name="historicalsiteprofile", table=None),
        migrations.RunPython(forwards, backwards),
    ]
