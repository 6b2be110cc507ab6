"""/accessibility/ as a statement in the format of 総務省「みんなの公共サイト運用ガイドライン」:
the target level, the scope, the date and method of the test, and the 試験結果表 of every
WCAG 2.0 level A and AA success criterion — in plain words, in both languages."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from hiratsuka_portal.models import AccessibilityCriterion
from tests.page_tools import html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]

# WCAG 2.0 (= JIS X 8341-3:2016) success criteria of levels A and AA.
LEVEL_A = [
    "1.1.1",
    "1.2.1",
    "1.2.2",
    "1.2.3",
    "1.3.1",
    "1.3.2",
    "1.3.3",
    "1.4.1",
    "1.4.2",
    "2.1.1",
    "2.1.2",
    "2.2.1",
    "2.2.2",
    "2.3.1",
    "2.4.1",
    "2.4.2",
    "2.4.3",
    "2.4.4",
    "3.1.1",
    "3.2.1",
    "3.2.2",
    "3.3.1",
    "3.3.2",
    "4.1.1",
    "4.1.2",
]
LEVEL_AA = [
    "1.2.4",
    "1.2.5",
    "1.4.3",
    "1.4.4",
    "1.4.5",
    "2.4.5",
    "2.4.6",
    "2.4.7",
    "3.1.2",
    "3.2.3",
    "3.2.4",
    "3.3.3",
    "3.3.4",
]


class TableReader(HTMLParser):
    """The rows of the conformance table: (cell kind, text), as a screen reader reads them
    (the labels a phone shows in each cell are hidden from it)."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.rows: list[list[tuple[str, str]]] = []
        self.cell: tuple[str, list[str]] | None = None
        self.header_scopes: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "conformance-table" in (attrs.get("class") or ""):
            self.inside = True
        if not self.inside:
            return
        if tag == "tr":
            self.rows.append([])
        if tag == "span" and (self.hidden or attrs.get("aria-hidden") == "true"):
            self.hidden += 1
        if tag in ("th", "td"):
            self.cell = (tag, [])
            if tag == "th":
                self.header_scopes.append(attrs.get("scope", ""))

    def handle_endtag(self, tag):
        if tag == "span" and self.hidden:
            self.hidden -= 1
        if tag == "table":
            self.inside = False
        if self.inside and tag in ("th", "td") and self.cell:
            self.rows[-1].append((self.cell[0], " ".join("".join(self.cell[1]).split())))
            self.cell = None

    def handle_data(self, data):
        if self.cell and not self.hidden:
            self.cell[1].append(data)


def table_of(page: str) -> TableReader:
    reader = TableReader()
    reader.feed(page)
    return reader


def test_the_statement_gives_level_scope_date_and_method(client, seeded):
    page = html(client, "/accessibility/")
    assert "JIS X 8341-3:2016" in page and "適合レベルAA" in page
    assert "対象範囲" in page and "このポータルサイトで公開するすべてのページ" in page
    assert "試験日：令和8年（2026年）11月" in page
    assert "試験の方法" in page and "キーボードだけでの操作" in page


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_statement_speaks_without_tool_jargon(client, seeded, prefix):
    page = html(client, f"{prefix}/accessibility/")
    assert not re.search(r"axe|chromium|playwright", page, re.IGNORECASE)


@pytest.mark.parametrize(
    ("prefix", "results", "header"),
    [
        ("", {"適合", "該当なし", "不適合"}, ["達成基準", "適合レベル", "結果", "注記"]),
        (
            "/en",
            {"Conforms", "Not applicable", "Does not conform"},
            ["Success criterion", "Level", "Result", "Notes"],
        ),
    ],
)
def test_the_table_lists_all_38_criteria_with_a_result_each(
    client, seeded, prefix, results, header
):
    table = table_of(html(client, f"{prefix}/accessibility/"))
    head, *rows = table.rows
    assert [text for _, text in head] == header
    assert table.header_scopes[:4] == ["col"] * 4
    assert len(rows) == 38
    numbers = []
    for row in rows:
        (kind, criterion), (_, level), (_, result), (_, note) = row
        assert kind == "th"  # each row headed by its criterion
        number, name = criterion.split(" ", 1)
        numbers.append(number)
        assert name
        assert level == ("A" if number in LEVEL_A else "AA")
        assert result in results
        assert note
    assert sorted(numbers) == sorted(LEVEL_A + LEVEL_AA)


def test_the_names_are_the_standards_in_each_language(client, seeded):
    ja = html(client, "/accessibility/")
    en = html(client, "/en/accessibility/")
    assert "1.4.3</span> コントラスト（最低限レベル）" in ja
    assert "1.4.3</span> Contrast (Minimum)" in en
    assert "4.1.2</span> 名前（name）、役割（role）及び値（value）" in ja
    assert "4.1.2</span> Name, Role, Value" in en


def test_results_are_only_what_the_site_supports(seeded):
    results = dict(AccessibilityCriterion.objects.values_list("number", "result"))
    conforms = AccessibilityCriterion.Result.CONFORMS
    not_applicable = AccessibilityCriterion.Result.NOT_APPLICABLE
    # Tested in the browser tests (contrast, keyboard, language, headings, text alternatives).
    for number in ["1.1.1", "1.4.3", "2.1.1", "2.4.1", "2.4.6", "3.1.1", "3.1.2", "4.1.2"]:
        assert results[number] == conforms, number
    # No audio or video is embedded: the videos are links to the video service.
    for number in ["1.2.1", "1.2.2", "1.2.3", "1.2.4", "1.2.5", "1.4.2"]:
        assert results[number] == not_applicable, number
