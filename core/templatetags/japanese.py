"""Template filters for Japanese municipal conventions.

Load with ``{% load japanese %}``. Every filter renders an empty string for ``None``, ``""``
or a value it cannot interpret instead of raising, so a missing value never breaks a page.
Labels follow the active language (see :mod:`core.japanese`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from core import japanese as jp

register = template.Library()


def _to_date(value: object) -> date | None:
    """Return ``value`` as a calendar date, or None if it is not a date.

    Aware datetimes are first converted to the current time zone, so a timestamp shortly
    after midnight in Japan lands on the Japanese calendar day.
    """
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _to_int(value: object) -> int | None:
    """Return ``value`` as an int if it is a whole number (int, integral Decimal/float, or
    a string of digits), otherwise None. Booleans are not numbers here."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() else None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        try:
            return int(value.strip().replace(",", ""))
        except ValueError:
            return None
    return None


def _date_text(value: object, label: Callable[[date], str]) -> str:
    """``label`` of ``value`` as a date; empty when it is none or outside the eras we know."""
    d = _to_date(value)
    if d is None:
        return ""
    try:
        return label(d)
    except ValueError:
        return ""


@register.filter(name="fiscal_year")
def fiscal_year_filter(value: object) -> int | str:
    """``{{ d|fiscal_year }}``: the fiscal year (April to March) of a date, e.g. ``2023``."""
    d = _to_date(value)
    return "" if d is None else jp.fiscal_year(d)


@register.filter(name="fiscal_year_label")
def fiscal_year_label_filter(value: object) -> str:
    """``{{ fy|fiscal_year_label }}``: ``令和5年度（2023年度）`` / ``FY2023``.

    Accepts a fiscal year number or a date (whose fiscal year is used).
    """
    d = _to_date(value)
    fy = jp.fiscal_year(d) if d is not None else _to_int(value)
    if fy is None:
        return ""
    try:
        return jp.fiscal_year_label(fy)
    except ValueError:
        return ""


@register.filter(name="wareki")
def wareki_filter(value: object) -> str:
    """``{{ d|wareki }}``: the wareki date, e.g. ``令和6年3月25日``."""
    return _date_text(value, jp.wareki_date)


@register.filter(name="date_label")
def date_label_filter(value: object) -> str:
    """``{{ d|date_label }}``: ``令和6年3月25日（2024年3月25日）`` / ``March 25, 2024``."""
    return _date_text(value, jp.date_label)


@register.filter(name="yen")
def yen_filter(value: object) -> str:
    """``{{ amount|yen }}``: ``56,500,000円`` / ``¥56,500,000``."""
    amount = _to_int(value)
    return "" if amount is None else jp.format_yen(amount)


@register.filter(name="man_yen")
def man_yen_filter(value: object) -> str:
    """``{{ amount|man_yen }}``: ``5,650万円`` / ``¥56,500,000``."""
    amount = _to_int(value)
    return "" if amount is None else jp.format_man_yen(amount)


@register.filter(name="year_month_label")
def year_month_label_filter(value: object) -> str:
    """``{{ d|year_month_label }}``: ``平成28年6月（2016年6月）`` / ``June 2016``."""
    return _date_text(value, jp.year_month_label)


@register.filter(name="time_label")
def time_label_filter(value: object) -> str:
    """``{{ dt|time_label }}``: the local time of day, ``13:30`` in both languages."""
    if not isinstance(value, datetime):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.hour}:{value.minute:02d}"
