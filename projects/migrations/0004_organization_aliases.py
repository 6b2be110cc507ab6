"""Other names (aliases) staff enter for an organisation — a company's former or present name, an
abbreviation — which the site search reads beside the name, in every language; with the trigram
index (PostgreSQL only) that serves that search, as for the other searched columns (see
0003_search_trigram_indexes)."""

from django.db import migrations, models

INDEX = "projects_organization_aliases_trgm"


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {quote(INDEX)} ON {quote('projects_organization')} "
        f"USING gin ((UPPER({quote('aliases')}::text)) gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0003_search_trigram_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalorganization',
            name='aliases',
            field=models.TextField(blank=True, help_text='旧称・現在の名称・略称など、名称のほかに使われる名称を1行に1つ入力します（英語の名称も同じ欄に）。サイト内検索では日本語・英語のページとも、名称と同じように検索されます。', verbose_name='ほかの名称'),
        ),
        migrations.AddField(
            model_name='organization',
            name='aliases',
            field=models.TextField(blank=True, help_text='旧称・現在の名称・略称など、名称のほかに使われる名称を1行に1つ入力します（英語の名称も同じ欄に）。サイト内検索では日本語・英語のページとも、名称と同じように検索されます。', verbose_name='ほかの名称'),
        ),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
