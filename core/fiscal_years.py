"""Fiscal years as staff enter them: chosen from a list that writes each one in 和暦 with 西暦
beside it (令和5年度（2023年度）), as every list and page of the admin shows them.

``FiscalYearField`` is the model field for a fiscal year (a whole number, 2023): in the
database and in migrations it is exactly a ``PositiveSmallIntegerField``; only its form field
differs, so every ModelForm (the admin's, an inline's, an import's) offers the list without
each admin asking for it.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.db.models.fields import BLANK_CHOICE_LABEL
from django.utils import timezone

from .japanese import fiscal_year, fiscal_year_label

# The lists start with the research group's first year (FY2016, H28) and end a few years after
# the current one (plans); a stored year outside them is still offered, and kept as it is.
FIRST_OFFERED_FISCAL_YEAR = 2016
OFFERED_YEARS_AHEAD = 5


def offered_fiscal_years(*, today=None) -> list[int]:
    """The fiscal years offered, newest first: the current one and the coming ones on top."""
    current = fiscal_year(today or timezone.localdate())
    return list(range(current + OFFERED_YEARS_AHEAD, FIRST_OFFERED_FISCAL_YEAR - 1, -1))


class FiscalYearSelect(forms.Select):
    """A select of fiscal years labelled 令和5年度（2023年度）, worked out when it is drawn
    (a form built in March still offers the new year in April), with the value it holds
    among them even when it lies outside the usual range."""

    def get_context(self, name, value, attrs):
        years = offered_fiscal_years()
        held = _as_year(value)
        if held is not None and held not in years:
            years = sorted([*years, held], reverse=True)
        self.choices = [("", BLANK_CHOICE_LABEL), *((y, fiscal_year_label(y)) for y in years)]
        return super().get_context(name, value, attrs)


class FiscalYearFormField(forms.IntegerField):
    """A fiscal year chosen from ``FiscalYearSelect``; validated as the whole number it is."""

    widget = FiscalYearSelect

    def widget_attrs(self, widget):
        # No min/max/step: they belong to number inputs, not to a select.
        return {}


class FiscalYearField(models.PositiveSmallIntegerField):
    """A fiscal year (2023 for 2023-04-01 … 2024-03-31), offered in forms as
    ``FiscalYearFormField``."""

    def formfield(self, **kwargs):
        # The admin passes its number input for every integer field: the select replaces it.
        kwargs.pop("widget", None)
        return super().formfield(**{"form_class": FiscalYearFormField, **kwargs})

    def deconstruct(self):
        # Stored and migrated exactly as the integer field it is: changing a model's field to
        # this one needs no migration.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.PositiveSmallIntegerField", args, kwargs


def _as_year(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
