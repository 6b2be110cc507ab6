"""Trigram indexes for the site search (hiratsuka_portal/search.py) on PostgreSQL only.

The search matches with ``icontains``, which PostgreSQL runs as
``UPPER(column::text) LIKE UPPER('%term%')``. A GIN index with ``gin_trgm_ops`` over exactly that
expression lets the planner answer the match from the index (any substring of three characters
or more, Japanese included); an index on the bare column would not serve it. SQLite has no
pg_trgm, so there the operation does nothing and the search scans the (small) tables. For the
same reason the indexes are not declared in the models' Meta: `makemigrations` never sees them.
"""

from django.db import migrations

# Every translated column the search reads, in both languages.
SEARCHED_COLUMNS = {
    "projects_project": ("title", "summary", "description"),
    "projects_milestone": ("title", "description"),
    "projects_outcome": ("title", "description", "organizations_text"),
    "projects_facility": ("name", "description"),
    "projects_researchgroup": ("name", "purpose", "activities"),
    "projects_meeting": ("title", "place", "notes"),
    "projects_organization": ("name",),
}


def _indexes():
    for table, fields in SEARCHED_COLUMNS.items():
        for field in fields:
            for language in ("ja", "en"):
                column = f"{field}_{language}"
                yield f"{table}_{column}_trgm", table, column


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in _indexes():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} "
            f"USING gin ((UPPER({quote(column)}::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The pg_trgm extension stays: other apps' indexes use it too.
    for name, _table, _column in _indexes():
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_shared_corporate_number_validator"),
    ]

    operations = [
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
