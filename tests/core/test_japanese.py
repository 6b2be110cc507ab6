"""Tests for core.japanese and the ``japanese`` template library."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st

from core.japanese import (
    ERAS,
    date_label,
    era_for,
    fiscal_year,
    fiscal_year_bounds,
    fiscal_year_label,
    fiscal_year_wareki,
    format_man_yen,
    format_wareki_year,
    format_yen,
    is_english,
    normalize_kana_reading,
    normalize_number_text,
    wareki_date,
    wareki_year,
    year_month_label,
)

# ---------------------------------------------------------------------------
# Fiscal year
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 3, 31), 2023),
        (date(2024, 4, 1), 2024),
        (date(2024, 1, 1), 2023),
        (date(2023, 12, 31), 2023),
        (date(2020, 2, 29), 2019),
        (date(2019, 4, 30), 2019),
        (date(2019, 5, 1), 2019),
        (datetime(2024, 3, 31, 23, 59), 2023),
        (datetime(2024, 4, 1, 0, 0), 2024),
    ],
)
def test_fiscal_year_boundary(d: date, expected: int) -> None:
    assert fiscal_year(d) == expected


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2023, (date(2023, 4, 1), date(2024, 3, 31))),
        (2019, (date(2019, 4, 1), date(2020, 3, 31))),
        (1988, (date(1988, 4, 1), date(1989, 3, 31))),
    ],
)
def test_fiscal_year_bounds(fy: int, expected: tuple[date, date]) -> None:
    assert fiscal_year_bounds(fy) == expected


@pytest.mark.parametrize("bad", [True, False, 2023.0, "2023", None, Decimal(2023)])
def test_fiscal_year_bounds_rejects_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        fiscal_year_bounds(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("bad", ["2024-04-01", 20240401, None])
def test_fiscal_year_rejects_non_date(bad: object) -> None:
    with pytest.raises(TypeError):
        fiscal_year(bad)  # type: ignore[arg-type]


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)))
def test_fiscal_year_properties(d: date) -> None:
    fy = fiscal_year(d)
    start, end = fiscal_year_bounds(fy)
    assert start <= d <= end
    assert (end - start).days + 1 in (365, 366)
    following = d + timedelta(days=1)
    next_fy = fiscal_year(following)
    assert next_fy in (fy, fy + 1)
    assert (next_fy == fy + 1) == (following.month == 4 and following.day == 1)


# ---------------------------------------------------------------------------
# Wareki
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        # Earliest supported date: the Gregorian calendar reform.
        (date(1873, 1, 1), "明治6年1月1日"),
        # Meiji / Taisho
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        # Taisho / Showa
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        # Showa / Heisei
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1990, 1, 1), "平成2年1月1日"),
        # Heisei / Reiwa
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(2024, 3, 25), "令和6年3月25日"),
        (datetime(2019, 5, 1, 0, 0), "令和元年5月1日"),
    ],
)
def test_wareki_date(d: date, expected: str) -> None:
    assert wareki_date(d) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(1989, 1, 7), ("昭和", 64)),
        (date(1989, 1, 8), ("平成", 1)),
        (date(2019, 4, 30), ("平成", 31)),
        (date(2019, 5, 1), ("令和", 1)),
        (date(2024, 3, 25), ("令和", 6)),
    ],
)
def test_wareki_year(d: date, expected: tuple[str, int]) -> None:
    assert wareki_year(d) == expected


@pytest.mark.parametrize("d", [date(1872, 12, 31), date(1868, 10, 23), date(1, 1, 1)])
def test_wareki_before_gregorian_reform_is_rejected(d: date) -> None:
    with pytest.raises(ValueError, match="1873-01-01"):
        wareki_date(d)
    with pytest.raises(ValueError, match="1873-01-01"):
        wareki_year(d)


def test_eras_english_names_and_order() -> None:
    assert [(e.name, e.english) for e in ERAS] == [
        ("明治", "Meiji"),
        ("大正", "Taisho"),
        ("昭和", "Showa"),
        ("平成", "Heisei"),
        ("令和", "Reiwa"),
    ]
    starts = [e.start for e in ERAS]
    assert starts == sorted(starts)
    assert era_for(date(2019, 5, 1)).english == "Reiwa"
    assert era_for(date(2019, 4, 30)).english == "Heisei"


@pytest.mark.parametrize(
    ("era", "year", "expected"),
    [
        ("令和", 1, "令和元年"),
        ("令和", 6, "令和6年"),
        ("平成", 31, "平成31年"),
        ("昭和", 10, "昭和10年"),
    ],
)
def test_format_wareki_year(era: str, year: int, expected: str) -> None:
    assert format_wareki_year(era, year) == expected


@given(st.dates(min_value=date(1873, 1, 1), max_value=date(2200, 12, 31)))
def test_wareki_never_writes_year_one(d: date) -> None:
    text = wareki_date(d)
    assert not re.match(r"^\D+1年", text)
    name, year = wareki_year(d)
    assert text.startswith(name)
    assert year >= 1


# ---------------------------------------------------------------------------
# Date labels
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 3, 25), "令和6年3月25日（2024年3月25日）"),
        (date(2019, 5, 1), "令和元年5月1日（2019年5月1日）"),
        (date(1989, 1, 7), "昭和64年1月7日（1989年1月7日）"),
    ],
)
def test_date_label_japanese(d: date, expected: str) -> None:
    assert date_label(d, "ja") == expected
    with translation.override("ja"):
        assert date_label(d) == expected


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 3, 25), "March 25, 2024"),
        (date(2019, 5, 1), "May 1, 2019"),
        (date(1989, 12, 31), "December 31, 1989"),
    ],
)
def test_date_label_english(d: date, expected: str) -> None:
    assert date_label(d, "en") == expected
    assert date_label(d, "en-us") == expected
    with translation.override("en"):
        assert date_label(d) == expected


def test_language_detection() -> None:
    assert is_english("en")
    assert is_english("en-GB")
    assert not is_english("ja")
    assert not is_english("fr")
    with translation.override("en"):
        assert is_english()
    with translation.override("ja"):
        assert not is_english()
    with translation.override(None):
        # No active language at all: Japanese.
        assert date_label(date(2024, 3, 25)) == "令和6年3月25日（2024年3月25日）"


# ---------------------------------------------------------------------------
# Fiscal-year labels
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fy", "expected"),
    [
        (2023, "令和5年度（2023年度）"),
        (2019, "令和元年度（2019年度）"),
        (2018, "平成30年度（2018年度）"),
        (1989, "平成元年度（1989年度）"),
        (1988, "昭和63年度（1988年度）"),
        (2020, "令和2年度（2020年度）"),
    ],
)
def test_fiscal_year_label_japanese(fy: int, expected: str) -> None:
    assert fiscal_year_label(fy, "ja") == expected
    with translation.override("ja"):
        assert fiscal_year_label(fy) == expected


@pytest.mark.parametrize(
    ("fy", "expected"),
    [(2023, "令和5年度"), (2019, "令和元年度"), (2018, "平成30年度"), (1989, "平成元年度")],
)
def test_fiscal_year_wareki(fy: int, expected: str) -> None:
    assert fiscal_year_wareki(fy) == expected


@pytest.mark.parametrize("fy", [2023, 2019, 1988])
def test_fiscal_year_label_english(fy: int) -> None:
    assert fiscal_year_label(fy, "en") == f"FY{fy}"
    with translation.override("en"):
        assert fiscal_year_label(fy) == f"FY{fy}"


@pytest.mark.parametrize("bad", [True, 2023.0, "2023"])
def test_fiscal_year_label_rejects_non_int(bad: object) -> None:
    with pytest.raises(TypeError):
        fiscal_year_label(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        fiscal_year_wareki(bad)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Amounts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "ja", "en"),
    [
        (56_500_000, "56,500,000円", "¥56,500,000"),
        (0, "0円", "¥0"),
        (999, "999円", "¥999"),
        (1_000, "1,000円", "¥1,000"),
        (-1_234_567, "-1,234,567円", "-¥1,234,567"),
    ],
)
def test_format_yen(amount: int, ja: str, en: str) -> None:
    assert format_yen(amount, "ja") == ja
    assert format_yen(amount, "en") == en
    with translation.override("en"):
        assert format_yen(amount) == en
    with translation.override("ja"):
        assert format_yen(amount) == ja


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (56_500_000, "5,650万円"),
        (24_000_000, "2,400万円"),
        (500_000, "50万円"),
        (10_000, "1万円"),
        (1_234_567, "123万4,567円"),
        (9_999, "9,999円"),
        (1, "1円"),
        (0, "0円"),
        (120_000_000, "1億2,000万円"),
        (100_000_000, "1億円"),
        (100_005_000, "1億5,000円"),
        (123_456_789, "1億2,345万6,789円"),
        (99_999_999, "9,999万9,999円"),
        (1_000_000_000_000, "10,000億円"),
        (-56_500_000, "-5,650万円"),
        (-9_999, "-9,999円"),
    ],
)
def test_format_man_yen_japanese(amount: int, expected: str) -> None:
    assert format_man_yen(amount, "ja") == expected
    with translation.override("ja"):
        assert format_man_yen(amount) == expected


def test_format_man_yen_english() -> None:
    assert format_man_yen(56_500_000, "en") == "¥56,500,000"
    with translation.override("en"):
        assert format_man_yen(56_500_000) == "¥56,500,000"
        assert format_man_yen(-1_234_567) == "-¥1,234,567"


def _parse_man_yen(text: str) -> int:
    """Invert format_man_yen's Japanese output (test helper)."""
    match = re.fullmatch(r"(-?)(?:([\d,]+)億)?(?:([\d,]+)万)?([\d,]+)?円", text)
    assert match, text
    sign, oku, man, yen = match.groups()

    def num(part: str | None) -> int:
        return int(part.replace(",", "")) if part else 0

    value = num(oku) * 100_000_000 + num(man) * 10_000 + num(yen)
    return -value if sign else value


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_format_man_yen_round_trips(amount: int) -> None:
    text = format_man_yen(amount, "ja")
    assert _parse_man_yen(text) == amount


@pytest.mark.parametrize("func", [format_yen, format_man_yen])
@pytest.mark.parametrize("bad", [True, False, 1.0, Decimal(1), "1000", None])
def test_amounts_reject_non_int(func: Callable[..., str], bad: object) -> None:
    with pytest.raises(TypeError):
        func(bad, "ja")
    with pytest.raises(TypeError):
        func(bad, "en")


# ---------------------------------------------------------------------------
# Template filters
# ---------------------------------------------------------------------------


def render(source: str, **context: object) -> str:
    return Template("{% load japanese %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "value", "ja", "en"),
    [
        ("{{ v|wareki }}", date(2019, 5, 1), "令和元年5月1日", "令和元年5月1日"),
        ("{{ v|wareki }}", date(1989, 1, 7), "昭和64年1月7日", "昭和64年1月7日"),
        ("{{ v|fiscal_year }}", date(2024, 3, 31), "2023", "2023"),
        ("{{ v|fiscal_year }}", date(2024, 4, 1), "2024", "2024"),
        ("{{ v|fiscal_year_label }}", 2019, "令和元年度（2019年度）", "FY2019"),
        ("{{ v|fiscal_year_label }}", date(2024, 3, 31), "令和5年度（2023年度）", "FY2023"),
        ("{{ v|fiscal_year_label }}", "1989", "平成元年度（1989年度）", "FY1989"),
        (
            "{{ v|date_label }}",
            date(2024, 3, 25),
            "令和6年3月25日（2024年3月25日）",
            "March 25, 2024",
        ),
        (
            "{{ v|date_label }}",
            datetime(2024, 3, 25, 23, 0),
            "令和6年3月25日（2024年3月25日）",
            "March 25, 2024",
        ),
        ("{{ v|yen }}", 56_500_000, "56,500,000円", "¥56,500,000"),
        ("{{ v|yen }}", Decimal(56500000), "56,500,000円", "¥56,500,000"),
        ("{{ v|man_yen }}", 56_500_000, "5,650万円", "¥56,500,000"),
        ("{{ v|man_yen }}", 120_000_000, "1億2,000万円", "¥120,000,000"),
        ("{{ v|man_yen }}", 1_234_567, "123万4,567円", "¥1,234,567"),
    ],
)
def test_filters_follow_active_language(source: str, value: object, ja: str, en: str) -> None:
    with translation.override("ja"):
        assert render(source, v=value) == ja
    with translation.override("en"):
        assert render(source, v=value) == en


def test_date_filters_use_local_time_for_aware_datetimes() -> None:
    # 2024-03-31 15:30 UTC is already 2024-04-01 00:30 in Japan: a new fiscal year.
    moment = datetime(2024, 3, 31, 15, 30, tzinfo=UTC)
    with timezone.override("Asia/Tokyo"), translation.override("ja"):
        assert render("{{ v|date_label }}", v=moment) == "令和6年4月1日（2024年4月1日）"
        assert render("{{ v|wareki }}", v=moment) == "令和6年4月1日"
        assert render("{{ v|fiscal_year }}", v=moment) == "2024"
        assert render("{{ v|fiscal_year_label }}", v=moment) == "令和6年度（2024年度）"
    with timezone.override("UTC"), translation.override("en"):
        assert render("{{ v|date_label }}", v=moment) == "March 31, 2024"


FILTERS = ["fiscal_year", "fiscal_year_label", "wareki", "date_label", "yen", "man_yen"]


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("value", [None, ""])
def test_filters_render_empty_for_missing_values(name: str, value: object) -> None:
    with translation.override("ja"):
        assert render(f"{{{{ v|{name} }}}}", v=value) == ""
        assert render(f"{{{{ missing|{name} }}}}") == ""
    with translation.override("en"):
        assert render(f"{{{{ v|{name} }}}}", v=value) == ""


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("value", ["not a value", True, 1.5, Decimal("1.5"), object(), [2024]])
def test_filters_render_empty_for_bad_input(name: str, value: object) -> None:
    with translation.override("ja"):
        assert render(f"{{{{ v|{name} }}}}", v=value) == ""


@pytest.mark.parametrize(
    ("name", "expected"),
    [("wareki", ""), ("date_label", ""), ("fiscal_year", "1872"), ("fiscal_year_label", "")],
)
def test_filters_render_empty_for_dates_without_wareki(name: str, expected: str) -> None:
    with translation.override("ja"):
        assert render(f"{{{{ v|{name} }}}}", v=date(1872, 12, 31)) == expected
    with translation.override("en"):
        assert render("{{ v|date_label }}", v=date(1872, 12, 31)) == "December 31, 1872"


@pytest.mark.parametrize(
    ("d", "ja", "en"),
    [
        (date(2016, 6, 1), "平成28年6月（2016年6月）", "June 2016"),
        (date(2019, 5, 1), "令和元年5月（2019年5月）", "May 2019"),
    ],
)
def test_year_month_label(d, ja, en):
    assert year_month_label(d, "ja") == ja
    assert year_month_label(d, "en") == en


def test_time_label_shows_tokyo_time():
    rendered = Template("{% load japanese %}{{ t|time_label }}").render(
        Context({"t": datetime(2018, 2, 23, 4, 30, tzinfo=UTC)})
    )
    assert rendered == "13:30"


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("２５４－８６８６", "254-8686"),
        ("０４６３ー２１ー９７５８", "0463-21-9758"),
        ("0463‐21‐9758", "0463-21-9758"),
        ("１，０００，０００", "1,000,000"),
        ("  123 ", "123"),
    ],
)
def test_normalize_number_text(typed, normalised):
    assert normalize_number_text(typed) == normalised


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("へいづか", "ヘイヅカ"),
        ("ﾍｲﾂﾞｶ", "ヘイヅカ"),
        ("かぶしきがいしゃ  ﾃｸﾉ", "カブシキガイシャ　テクノ"),
        ("ヤマダ　ハナコ", "ヤマダ　ハナコ"),
    ],
)
def test_normalize_kana_reading(typed, normalised):
    assert normalize_kana_reading(typed) == normalised
