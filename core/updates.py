"""最終更新日: the date a page's content last changed, read from the records it shows.

A record with a date of its own (``updated_at``) gives that date; any other record gives the
latest entry of its audit trail (django-simple-history records every staff edit, and
``load_seed`` the day a seed record was put on the portal). A publishable record also counts
its publication, at its ``published_at`` once that time is reached: a scheduled record coming
due is a change of the page although nobody edited anything then. Whatever a page shows, the
answer is one query: a ``MAX`` over one ``MAX`` per table and date.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

from django.db import connection, models
from django.utils import timezone

from .publishing import Publishable

Shown = type[models.Model] | models.Model | Iterable[models.Model]


@functools.cache
def _date_sources(model: type[models.Model]) -> tuple[tuple[str, str, bool], ...]:
    """(table, column, is the publication time) of each date of ``model``'s rows: their
    last change (``updated_at``, else the audit trail's), and their publication.

    Kept per model for the life of the process: it depends on the model's definition only, and
    reading the audit trail's table builds a history manager (a noticeable share of a page
    that names a dozen models, as the open-data index does)."""
    sources = []
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        sources.append((model._meta.db_table, model._meta.get_field("updated_at").column, False))
    elif (history := getattr(model, "history", None)) is not None:
        sources.append((history.model._meta.db_table, "history_date", False))
    if issubclass(model, Publishable):
        sources.append((model._meta.db_table, model._meta.get_field("published_at").column, True))
    return tuple(sources)


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
    # A publication counts once its time is reached, never ahead of it.
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    selects: list[str] = []
    params: list = []

    def add(table: str, column: str, is_publication: bool, pks: set | None) -> None:
        conditions = []
        if is_publication:
            conditions.append(f"{quote(column)} <= %s")
            params.append(now)
        if pks is not None:
            conditions.append(f"{quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(pks))})")
            params.extend(sorted(pks))
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        # Only quoted names from the models' own metadata go into the text; every value is a
        # parameter.
        selects.append(f"SELECT MAX({quote(column)}) AS latest FROM {quote(table)}{where}")  # noqa: S608

    for model in sorted(whole, key=lambda m: m._meta.label):
        for source in _date_sources(model):
            add(*source, None)
    for model, pks in sorted(rows.items(), key=lambda item: item[0]._meta.label):
        if model in whole or not pks:
            continue
        for source in _date_sources(model):
            add(*source, pks)
    if not selects:
        return None
    sql = f"SELECT MAX(latest) FROM ({' UNION ALL '.join(selects)}) AS dates"  # noqa: S608 (as above)
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
