"""Helpers for Japanese municipal conventions.

This module is pure Python apart from reading the active Django language. It covers:

* the Japanese fiscal year (April to March), named after the calendar year it starts in;
* Japanese era dates (wareki, 和暦) with the first year written as 元年;
* the bilingual date, fiscal-year and amount labels used across the portal.

Nothing here imports Django models, so it can be used from settings, migrations and tests.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import jaconv
from django.utils.translation import get_language

__all__ = [
    "ERAS",
    "Era",
    "date_label",
    "era_for",
    "fiscal_year",
    "fiscal_year_bounds",
    "fiscal_year_label",
    "fiscal_year_wareki",
    "format_man_yen",
    "format_wareki_year",
    "format_yen",
    "is_english",
    "normalize_kana_reading",
    "normalize_number_text",
    "wareki_date",
    "wareki_year",
    "year_month_label",
]

_ENGLISH_MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_MAN = 10_000  # 万
_OKU = 100_000_000  # 億


@dataclass(frozen=True, slots=True)
class Era:
    """A Japanese era (gengō) as used for wareki dates.

    ``start`` is the first Gregorian date written in this era. ``first_year`` is the
    Gregorian year that counts as year 1 (元年) of the era; it differs from
    ``start.year`` only for Meiji, whose wareki dates begin at the 1873 calendar reform
    while its years are still counted from 1868.
    """

    name: str
    english: str
    start: date
    first_year: int

    def year_of(self, d: date) -> int:
        """Return the era year (1 = 元年) of a date that falls within this era."""
        return d.year - self.first_year + 1


#: Supported eras, oldest first.
ERAS: tuple[Era, ...] = (
    # Japan adopted the Gregorian calendar on Meiji 6-01-01 (1873-01-01); earlier dates
    # were written in the lunisolar calendar and have no Gregorian wareki equivalent.
    Era("明治", "Meiji", date(1873, 1, 1), 1868),
    Era("大正", "Taisho", date(1912, 7, 30), 1912),
    Era("昭和", "Showa", date(1926, 12, 25), 1926),
    Era("平成", "Heisei", date(1989, 1, 8), 1989),
    Era("令和", "Reiwa", date(2019, 5, 1), 2019),
)


# ---------------------------------------------------------------------------
# Argument checking
# ---------------------------------------------------------------------------


def _as_date(d: object) -> date:
    """Return ``d`` as a plain :class:`date` (datetimes keep their own calendar date)."""
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    raise TypeError(f"expected a date, got {type(d).__name__}")


def _check_int(value: object, what: str) -> int:
    """Return ``value`` if it is a real ``int`` (``bool`` is rejected)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, got {type(value).__name__}")
    return value


def is_english(lang: str | None = None) -> bool:
    """Return True if ``lang`` (default: the active Django language) is English.

    Any code starting with ``"en"`` counts as English; everything else, including no
    active language at all, is treated as Japanese.
    """
    if lang is None:
        lang = get_language()
    return bool(lang) and lang.lower().startswith("en")


# ---------------------------------------------------------------------------
# Fiscal year
# ---------------------------------------------------------------------------


def fiscal_year(d: date) -> int:
    """Return the Japanese fiscal year (April to March) containing ``d``.

    A fiscal year is named after the calendar year in which it starts, so
    2024-03-31 is in FY2023 and 2024-04-01 is in FY2024.
    """
    d = _as_date(d)
    return d.year if d.month >= 4 else d.year - 1


def fiscal_year_bounds(fy: int) -> tuple[date, date]:
    """Return the first and last day (both inclusive) of fiscal year ``fy``."""
    fy = _check_int(fy, "fiscal year")
    return date(fy, 4, 1), date(fy + 1, 3, 31)


# ---------------------------------------------------------------------------
# Wareki (Japanese era dates)
# ---------------------------------------------------------------------------


def era_for(d: date) -> Era:
    """Return the era in force on ``d``.

    Raises ValueError for dates before 1873-01-01, which have no Gregorian wareki.
    """
    d = _as_date(d)
    for era in reversed(ERAS):
        if d >= era.start:
            return era
    raise ValueError(f"{d.isoformat()} predates the Gregorian calendar in Japan (1873-01-01)")


def wareki_year(d: date) -> tuple[str, int]:
    """Return ``(era name, era year)`` for ``d``, e.g. ``("令和", 6)`` for 2024-03-25."""
    d = _as_date(d)
    era = era_for(d)
    return era.name, era.year_of(d)


def format_wareki_year(era_name: str, year: int) -> str:
    """Format an era year, writing the first year as 元年: ``令和元年``, ``令和6年``."""
    year = _check_int(year, "era year")
    if year < 1:
        raise ValueError(f"era year must be at least 1, got {year}")
    return f"{era_name}元年" if year == 1 else f"{era_name}{year}年"


def wareki_date(d: date) -> str:
    """Return ``d`` as a wareki date, e.g. ``令和6年3月25日`` or ``令和元年5月1日``."""
    d = _as_date(d)
    return f"{format_wareki_year(*wareki_year(d))}{d.month}月{d.day}日"


def date_label(d: date, lang: str | None = None) -> str:
    """Return the bilingual display form of a date.

    Japanese: ``令和6年3月25日（2024年3月25日）`` (full-width parentheses).
    English: ``March 25, 2024``.
    ``lang`` defaults to the active Django language.
    """
    d = _as_date(d)
    if is_english(lang):
        return f"{_ENGLISH_MONTHS[d.month - 1]} {d.day}, {d.year}"
    return f"{wareki_date(d)}（{d.year}年{d.month}月{d.day}日）"


def year_month_label(d: date, lang: str | None = None) -> str:
    """Return a month of a year, for facts known only to the month (a group founded in June).

    Japanese: ``平成28年6月（2016年6月）``. English: ``June 2016``.
    """
    d = _as_date(d)
    if is_english(lang):
        return f"{_ENGLISH_MONTHS[d.month - 1]} {d.year}"
    return f"{format_wareki_year(*wareki_year(d))}{d.month}月（{d.year}年{d.month}月）"


def fiscal_year_wareki(fy: int) -> str:
    """Return the wareki name of fiscal year ``fy``, e.g. ``令和5年度``.

    A fiscal year takes the era in force on 31 December of its starting calendar
    year, which gives the official names: FY2019 is 令和元年度 (not 平成31年度) and
    FY1988 is 昭和63年度.
    """
    fy = _check_int(fy, "fiscal year")
    return f"{format_wareki_year(*wareki_year(date(fy, 12, 31)))}度"


def fiscal_year_label(fy: int, lang: str | None = None) -> str:
    """Return the display label of fiscal year ``fy``.

    Japanese: ``令和5年度（2023年度）``. English: ``FY2023``.
    ``lang`` defaults to the active Django language.
    """
    fy = _check_int(fy, "fiscal year")
    if is_english(lang):
        return f"FY{fy}"
    return f"{fiscal_year_wareki(fy)}（{fy}年度）"


# ---------------------------------------------------------------------------
# Amounts
# ---------------------------------------------------------------------------


def format_yen(amount: int, lang: str | None = None) -> str:
    """Format a yen amount with thousands separators.

    Japanese: ``56,500,000円``. English: ``¥56,500,000``. Negative amounts get a leading
    minus sign (``-1,000円``, ``-¥1,000``).
    """
    amount = _check_int(amount, "amount")
    sign = "-" if amount < 0 else ""
    digits = f"{abs(amount):,}"
    if is_english(lang):
        return f"{sign}¥{digits}"
    return f"{sign}{digits}円"


def format_man_yen(amount: int, lang: str | None = None) -> str:
    """Format a yen amount the way the city writes it, in units of 億 and 万.

    Japanese examples: ``5,650万円`` (56,500,000), ``123万4,567円`` (1,234,567),
    ``9,999円``, ``1億2,000万円`` (120,000,000), ``1億円``, ``1億5,000円``
    (100,005,000). Zero units are omitted and ``円`` follows the last written part.
    Amounts of 1兆 and more are written as a number of 億 (``10,000億円``).
    English uses :func:`format_yen` (``¥56,500,000``).
    """
    amount = _check_int(amount, "amount")
    if is_english(lang):
        return format_yen(amount, lang)
    sign = "-" if amount < 0 else ""
    rest = abs(amount)
    if rest == 0:
        return "0円"
    oku, rest = divmod(rest, _OKU)
    man, yen = divmod(rest, _MAN)
    parts = []
    if oku:
        parts.append(f"{oku:,}億")
    if man:
        parts.append(f"{man:,}万")
    if yen:
        parts.append(f"{yen:,}")
    return f"{sign}{''.join(parts)}円"


# ---------------------------------------------------------------------------
# Normalising what people type
# ---------------------------------------------------------------------------

# Everything a Japanese keyboard produces where a hyphen is meant in a number.
_HYPHENS = str.maketrans(dict.fromkeys("‐‑‒–—―−－ーｰ", "-"))


def normalize_number_text(value: str) -> str:
    """Full-width digits, letters and hyphens to half-width, for postal codes, phone numbers,
    corporate numbers and amounts: ``"２５４－８６８６"`` → ``"254-8686"``."""
    return jaconv.z2h(value, kana=False, ascii=True, digit=True).translate(_HYPHENS).strip()


def normalize_kana_reading(value: str) -> str:
    """A reading (フリガナ) in full-width katakana, whatever the visitor typed: hiragana and
    half-width katakana are converted, runs of spaces become one full-width space."""
    katakana = jaconv.hira2kata(jaconv.h2z(value, kana=True, ascii=False, digit=False))
    return "　".join(katakana.replace("　", " ").split())


def staff_name(user) -> str:
    """A staff account's person as Japanese writes a name, family name first (湘南 花子) —
    Django's get_full_name() puts the given name first — else the user name."""
    full = " ".join(part for part in (user.last_name, user.first_name) if part)
    return full or user.get_username()
