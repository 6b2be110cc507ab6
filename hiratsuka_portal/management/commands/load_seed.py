"""Load the facts of the source documents (fixtures/*.json) into the database, insert-only.

Unlike ``loaddata``, a record that already exists is left exactly as it is: staff edits made in
the admin are never overwritten, and running the command again adds nothing twice.

The seed is what the city has already made public: a publishable record the fixtures give no
publication time is published when it is loaded (as the data migration that introduced the
publishing workflow did for the records already online).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from core.publishing import Publishable

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
# The first version of every seeded record says where it came from, in the staff's words.
SEED_CHANGE_REASON = "初期データ（公開資料）の読み込み"


class Command(BaseCommand):
    help = "Insert the seed documents' facts (fixtures/*.json) that are not in the database yet."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database: str, **options):
        fixtures = sorted(FIXTURES_DIR.glob("*.json"))
        inserted_total = 0
        now = timezone.now()
        with transaction.atomic(using=database):
            touched_models = set()
            inserted_objects: dict[type, list] = {}
            for fixture in fixtures:
                inserted, skipped = 0, 0
                with fixture.open(encoding="utf-8") as stream:
                    for item in serializers.deserialize("json", stream, using=database):
                        model = type(item.object)
                        exists = model._default_manager.using(database).filter(pk=item.object.pk)
                        if exists.exists():
                            skipped += 1
                            continue
                        if (
                            isinstance(item.object, Publishable)
                            and item.object.published_at is None
                        ):
                            item.object.published_at = now
                        item.save(using=database)
                        touched_models.add(model)
                        inserted_objects.setdefault(model, []).append(item.object)
                        inserted += 1
                inserted_total += inserted
                self.stdout.write(
                    f"  {fixture.name}: {inserted} inserted, {skipped} already present"
                )
            self._reset_sequences(database, touched_models)
            self._record_history(database, inserted_objects, now)
        self.stdout.write(self.style.SUCCESS(f"Seed loaded: {inserted_total} new records."))

    @staticmethod
    def _record_history(database: str, inserted_objects: dict[type, list], now) -> None:
        # Fixtures are saved raw, which the audit trail does not see. Record the day each seed
        # record was put on the portal, as a staff edit would be: the trail starts there, and
        # pages take their 最終更新日 from it.
        for model, objects in inserted_objects.items():
            history = getattr(model, "history", None)
            if history is not None:
                history.bulk_history_create(
                    objects, default_change_reason=SEED_CHANGE_REASON, default_date=now
                )

    @staticmethod
    def _reset_sequences(database: str, models: set) -> None:
        # Explicit primary keys do not advance PostgreSQL sequences; without this, the next record
        # staff add would collide with a seeded one (loaddata does the same).
        connection = connections[database]
        statements = connection.ops.sequence_reset_sql(no_style(), list(models))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
