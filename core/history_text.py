"""The audit trail in words a member of staff reads (issue 11, point 3): who made a version, what
kind of change it was, and each changed field as 「項目：旧 → 新」.

Part of the kit: it works on any model django-simple-history tracks, and names none of ours.
Labels are the fields' verbose names; a translated field (django-modeltranslation) appears once
per language as 「名称（日本語）」/「名称（英語）」 and its base field, a copy of the Japanese one,
not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

from .japanese import date_label, fiscal_year_label, format_yen, staff_name

HISTORY_TYPES = {"+": _("作成"), "~": _("変更"), "-": _("削除")}
LANGUAGE_NAMES = {"ja": _("日本語"), "en": _("英語")}
# Long texts are cut in the list: the version page shows them whole.
LONG_TEXT = 80


@dataclass(frozen=True)
class FieldChange:
    """One changed field of a version: its label and its old and new values, as text."""

    label: str
    old: str
    new: str


def author_label(user) -> str:
    """Who made a version: the user's full name, else the user name; nobody is the system
    (the seed load and commands run without a user)."""
    if user is None:
        return gettext("システム（初期データ）")
    return staff_name(user)


def history_type_label(history_type: str) -> str:
    return str(HISTORY_TYPES.get(history_type, history_type))


def translation_bases(model) -> set[str]:
    """The base fields modeltranslation added language copies of (``name`` for ``name_ja``)."""
    try:
        return set(translator.get_options_for_model(model).all_fields)
    except NotRegistered:
        return set()


def field_label(field) -> str:
    language = getattr(field, "language", None)
    translated = getattr(field, "translated_field", None)
    if language and translated is not None:
        name = LANGUAGE_NAMES.get(language, language)
        return f"{translated.verbose_name}（{name}）"
    return str(field.verbose_name)


def value_text(field, value, *, yen: bool = False, shorten: bool = True) -> str:
    """``value`` of ``field`` as staff read it: choices by their label, はい/いいえ, yen,
    Japanese dates, related records by name, long texts shortened, 「（空欄）」 for nothing."""
    if value is None or value == "" or value == [] or value == {}:
        return gettext("（空欄）")
    if (
        getattr(value, "model", None) is not None
        and hasattr(value, "pk")
        and not isinstance(value, models.Model)
    ):
        # simple-history's DeletedObject: a related record deleted since, or none at all.
        if value.pk is None:
            return gettext("（空欄）")
        return gettext("（削除された%(name)s）") % {"name": value.model._meta.verbose_name}
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return gettext("はい") if value else gettext("いいえ")
    if isinstance(value, bool):
        return gettext("はい") if value else gettext("いいえ")
    if yen and isinstance(value, int):
        return format_yen(value)
    if isinstance(field, models.IntegerField) and field.name.endswith("fiscal_year"):
        return fiscal_year_label(value)
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{date_label(local.date())} {local:%H:%M}"
    if isinstance(value, date):
        return date_label(value)
    if isinstance(value, FieldFile):
        return value.name or gettext("（空欄）")
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = " ".join(str(value).split())
    return Truncator(text).chars(LONG_TEXT) if shorten else text


def hidden_fields(model, hidden: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """Fields a diff leaves out: the translated fields' base copies, the automatic
    timestamps (the version has its own date), and ``hidden`` (personal data)."""
    automatic = {
        field.name
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    return translation_bases(model) | automatic | set(hidden)


def field_changes(
    model,
    new_record,
    old_record,
    *,
    hidden: set[str] | frozenset[str] = frozenset(),
    yen_fields: set[str] | frozenset[str] = frozenset(),
    shorten: bool = True,
) -> list[FieldChange]:
    """What changed from ``old_record`` to ``new_record`` (historical records of ``model``),
    in the order of the model's fields."""
    delta = new_record.diff_against(
        old_record,
        excluded_fields=hidden_fields(model, hidden),
        foreign_keys_are_objs=True,
    )
    by_name = {change.field: change for change in delta.changes}
    changes = []
    for field in model._meta.fields:
        change = by_name.get(field.name)
        if change is None:
            continue
        yen = field.name in yen_fields or field.name.endswith("amount")
        changes.append(
            FieldChange(
                label=field_label(field),
                old=value_text(field, change.old, yen=yen, shorten=shorten),
                new=value_text(field, change.new, yen=yen, shorten=shorten),
            )
        )
    return changes
