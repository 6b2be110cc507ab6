"""The city speaks in its own voice: no notes about a source document, one English spelling
(American) and one date style in what visitors read (fixtures, templates, the catalogue)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FIXTURES = sorted((ROOT / "fixtures").glob("*.json"))
TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"

# Wording that describes a source document instead of stating the city's facts.
SOURCE_NOTES = [
    "資料に掲載された",
    "資料には",
    "資料では",
    "挙げられています",
    "挙げられている",
    "記載はありません",
    "記載されていません",
    "とされています",
    "磯焼対策",
    "source slide",
    "The source",
]
BRITISH = re.compile(
    r"\b(organis\w*|Organis\w*|recognis\w*|revitalis\w*|commercialis\w*|subsidis\w*|"
    r"centred|ageing|Labour|labour|catalogue|colour\w*|behaviour|programme|"
    r"digitalis\w*|decarbonis\w*|normalis\w*)\b"
)
# "19 March 2019": the site writes dates as "March 19, 2019" (core.japanese.date_label).
DAY_MONTH_YEAR = re.compile(
    r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{4}\b"
)


def fixture_texts(language: str) -> list[tuple[str, str]]:
    texts = []
    for path in FIXTURES:
        for item in json.loads(path.read_text(encoding="utf-8")):
            for name, value in item["fields"].items():
                if isinstance(value, str) and name.endswith(f"_{language}"):
                    texts.append((f"{path.name} {item['model']} {item['pk']} {name}", value))
    return texts


def catalogue_translations() -> list[str]:
    text = CATALOGUE.read_text(encoding="utf-8")
    return [
        "".join(re.findall(r'"(.*)"', block))
        for block in re.findall(r"^msgstr[^\n]*\n(?:\"[^\n]*\n)*", text, flags=re.MULTILINE)
    ]


@pytest.mark.parametrize("phrase", SOURCE_NOTES)
def test_no_page_text_reads_like_a_note_about_a_source(phrase):
    found = [where for where, value in fixture_texts("ja") + fixture_texts("en") if phrase in value]
    found += [str(path) for path in TEMPLATES if phrase in path.read_text(encoding="utf-8")]
    found += [value for value in catalogue_translations() if phrase in value]
    assert found == [], phrase


def test_english_is_american_with_one_date_style():
    texts = [value for _, value in fixture_texts("en")] + catalogue_translations()
    assert [BRITISH.findall(value) for value in texts if BRITISH.search(value)] == []
    assert [value for value in texts if DAY_MONTH_YEAR.search(value)] == []
