"""The latest changes across the audit trail: who created, changed or deleted which record, when.

Every model with a django-simple-history trail is found through the app registry (the kit names
no app), and only the models the user may view are read. Whatever the number of tables and
rows, it costs three queries:

1. one ``UNION ALL`` over the historical tables' common columns, newest first, limited;
2. one ``UNION ALL`` of the chosen rows' snapshots (as JSON), to name each record as its
   ``__str__`` does, from the version the change left;
3. one query for the users who made the changes.

A record whose name needs another record (a donation names its donor) would cost a query per
entry: it is named by its kind and number instead (「寄附 #12」), and its link says the rest.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models import F, Value
from django.db.models.functions import JSONObject
from django.utils.translation import gettext_lazy as _

from .dashboard import admin_record_url, can_view
from .japanese import staff_name

__all__ = ["Change", "historical_models", "recent_changes"]

LIMIT = 10

# simple_history's history_type: created, changed, deleted.
KINDS = {"+": _("作成"), "~": _("変更"), "-": _("削除")}


@dataclass(frozen=True)
class Change:
    model: type[models.Model]
    object_id: int | str
    date: datetime.datetime
    kind: str
    record: str
    user: str
    url: str

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def model_name(self) -> str:
        return str(self.model._meta.verbose_name)


def historical_models() -> list[type[models.Model]]:
    """The historical models simple_history created, in the registry's order."""
    return [model for model in apps.get_models() if hasattr(model, "instance_type")]


def recent_changes(user, *, limit: int = LIMIT) -> list[Change]:
    """The latest ``limit`` changes of the records ``user`` may view, newest first."""
    visible = {
        model._meta.label: model
        for model in historical_models()
        if can_view(user, model.instance_type)
    }
    if not visible:
        return []
    entries = _latest_entries(visible, limit)
    names = _record_names(visible, entries)
    users = _user_names({entry["user_id"] for entry in entries} - {None})
    changes = []
    for entry in entries:
        historical = visible[entry["label"]]
        model = historical.instance_type
        changes.append(
            Change(
                model=model,
                object_id=entry["object_id"],
                date=entry["date"],
                kind=entry["type"],
                record=names.get((entry["label"], entry["history_id"]))
                or _fallback_name(model, entry["object_id"]),
                user=users.get(entry["user_id"], ""),
                # A deleted record has no change page; simple_history still shows its history.
                url=admin_record_url(
                    model, entry["object_id"], "history" if entry["type"] == "-" else "change"
                ),
            )
        )
    return changes


def _latest_entries(visible: dict[str, type[models.Model]], limit: int) -> list[dict]:
    # Every column is an annotation with a name no model field has, so that each part selects
    # the same columns in the same order.
    columns = {
        "label": None,
        "history_id": "history_id",
        "date": "history_date",
        "type": "history_type",
        "user_id": "history_user_id",
        "object_id": None,
    }
    # PostgreSQL can limit each table's part (read from its history_date index); SQLite
    # cannot order or slice inside a compound statement, and limits the whole only.
    per_part = connection.features.supports_slicing_ordering_in_compound and len(visible) > 1
    parts = []
    for label, historical in visible.items():
        sources = {
            **columns,
            "label": Value(label, output_field=models.CharField()),
            "object_id": historical.instance_type._meta.pk.attname,
        }
        part = historical.objects.annotate(
            **{
                f"_dashboard_{name}": F(source) if isinstance(source, str) else source
                for name, source in sources.items()
            }
        ).values_list(*(f"_dashboard_{name}" for name in columns))
        part = part.order_by("-history_date")[:limit] if per_part else part.order_by()
        parts.append(part)
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    rows = union.order_by("-_dashboard_date", "-_dashboard_history_id")[:limit]
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _record_names(
    visible: dict[str, type[models.Model]], entries: list[dict]
) -> dict[tuple[str, int], str]:
    """Each entry's record named from its snapshot, in one query."""
    chosen: dict[str, list[int]] = defaultdict(list)
    for entry in entries:
        chosen[entry["label"]].append(entry["history_id"])
    parts = []
    for label, history_ids in chosen.items():
        historical = visible[label]
        fields = {
            field.attname: F(field.attname)
            for field in historical.instance_type._meta.concrete_fields
        }
        parts.append(
            historical.objects.filter(history_id__in=history_ids)
            .annotate(
                _dashboard_label=Value(label, output_field=models.CharField()),
                _dashboard_history_id=F("history_id"),
                _dashboard_snapshot=JSONObject(**fields),
            )
            .values_list("_dashboard_label", "_dashboard_history_id", "_dashboard_snapshot")
            .order_by()
        )
    if not parts:
        return {}
    # The historical models' default ordering names columns the union does not select.
    union = (parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]).order_by()
    return {
        (label, history_id): _name(visible[label].instance_type, snapshot)
        for label, history_id, snapshot in union
    }


class _NeedsAQuery(Exception):
    pass


class _NotLoaded:
    """Stands for a related record, which naming the record must not fetch."""

    def __getattr__(self, name):
        raise _NeedsAQuery

    def __str__(self):
        raise _NeedsAQuery

    def __format__(self, spec):
        raise _NeedsAQuery


def _refuse_queries(execute, sql, params, many, context):
    raise _NeedsAQuery


def _name(model: type[models.Model], snapshot: dict | str) -> str:
    """``str()`` of the record as the snapshot left it; empty when that needs the database."""
    if not isinstance(snapshot, dict):
        return ""
    values = {}
    for field in model._meta.concrete_fields:
        value = snapshot.get(field.attname)
        try:
            values[field.attname] = None if value is None else field.to_python(value)
        except ValidationError:
            values[field.attname] = value
    try:
        instance = model(**values)
        for field in model._meta.concrete_fields:
            if field.is_relation:
                field.set_cached_value(instance, _NotLoaded())
        # Any other way to the database (a reverse relation) is refused as well.
        with connection.execute_wrapper(_refuse_queries):
            return str(instance)
    except (_NeedsAQuery, ObjectDoesNotExist, TypeError, ValueError):
        return ""


def _fallback_name(model: type[models.Model], object_id) -> str:
    return f"{model._meta.verbose_name} #{object_id}"


def _user_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {user.pk: staff_name(user) for user in get_user_model().objects.filter(pk__in=ids)}
