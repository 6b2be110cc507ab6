"""SiteProfile now belongs to the kit (core.0001 took its tables over): forget it here without
touching the database."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("hiratsuka_portal", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="HistoricalSiteProfile"),
                migrations.DeleteModel(name="SiteProfile"),
            ],
            database_operations=[],
        ),
    ]
