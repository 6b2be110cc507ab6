"""The values of the change history (django-simple-history) as staff read them.

simple-history lists a change as 「対応状況: received → contacting」 and an emptied field as
「None」: the stored codes, not what the form showed. ``ReadableHistoryContextHelper`` writes
a choice by its label (受付 → 連絡中), yes/no as はい/いいえ and an empty value as （空欄）.
``CoreConfig.ready`` makes it the helper of every SimpleHistoryAdmin (``use_readable_history``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper


class ReadableHistoryContextHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value) -> Any:
        value = super().prepare_delta_change_value(change, value)
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return gettext("（空欄）")
        if isinstance(value, bool):
            return gettext("はい") if value else gettext("いいえ")
        if getattr(field, "flatchoices", None) and not isinstance(value, list):
            return dict(field.flatchoices).get(value, value)
        return value


def use_readable_history() -> None:
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryContextHelper(self.model, historical_record)

    SimpleHistoryAdmin.get_historical_record_context_helper = get_historical_record_context_helper
