"""最終更新日: the date a page's content last changed, read from the records it shows.

A record with a date of its own (``updated_at``) gives that date; any other record gives the
latest entry of its audit trail (django-simple-history records every staff edit, and
``load_seed`` the day a seed record was put on the portal). Whatever a page shows, the answer
is one query: a ``MAX`` over one ``MAX`` per table.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone

Shown = type[models.Model] | models.Model | Iterable[models.Model]


def _date_source(model: type[models.Model]) -> tuple[str, str] | None:
    """(table, column) holding the dates of ``model``'s rows, or None when it keeps none."""
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        return model._meta.db_table, model._meta.get_field("updated_at").column
    history = getattr(model, "history", None)
    if history is not None:
        return history.model._meta.db_table, "history_date"
    return None


def last_updated(*shown: Shown) -> datetime.datetime | None:
    """The latest change among what a page shows.

    Each argument is a model class (every row of it: a list page), a model instance (that
    record), or an iterable of instances (an evaluated or prefetched list — a plain queryset
    would cost a query of its own). None when no shown record carries a date.
    """
    whole: set[type[models.Model]] = set()
    rows: dict[type[models.Model], set] = {}
    for item in shown:
        if isinstance(item, type) and issubclass(item, models.Model):
            whole.add(item)
        elif isinstance(item, models.Model):
            rows.setdefault(type(item)._meta.concrete_model, set()).add(item.pk)
        elif item is not None:
            for instance in item:
                rows.setdefault(type(instance)._meta.concrete_model, set()).add(instance.pk)

    quote = connection.ops.quote_name
    selects: list[str] = []
    params: list = []
    for model in sorted(whole, key=lambda m: m._meta.label):
        if source := _date_source(model):
            table, column = source
            selects.append(f"SELECT MAX({quote(column)}) AS latest FROM {quote(table)}")
    for model, pks in sorted(rows.items(), key=lambda item: item[0]._meta.label):
        if model in whole or not pks:
            continue
        if source := _date_source(model):
            table, column = source
            placeholders = ", ".join(["%s"] * len(pks))
            selects.append(
                f"SELECT MAX({quote(column)}) AS latest FROM {quote(table)} "
                f"WHERE {quote(model._meta.pk.column)} IN ({placeholders})"
            )
            params.extend(sorted(pks))
    if not selects:
        return None
    sql = f"SELECT MAX(latest) FROM ({' UNION ALL '.join(selects)}) AS dates"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        (latest,) = cursor.fetchone()
    return _as_datetime(latest)


def _as_datetime(value) -> datetime.datetime | None:
    # SQLite hands back the stored text of an aggregate; PostgreSQL a datetime.
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value
