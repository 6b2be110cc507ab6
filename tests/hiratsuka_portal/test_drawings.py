"""The drawings of the convection idea and of the relationship's phases: static SVG we serve
(no style, no script), each with its text alternative written out beside it."""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings

from tests.page_tools import html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]

DRAWINGS = Path(settings.BASE_DIR) / "static/img/drawings"


@pytest.mark.parametrize("path", sorted(DRAWINGS.glob("*.svg")), ids=lambda p: p.name)
def test_drawings_are_plain_accessible_svg(path):
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"<script|<style|\sstyle=|\son\w+=|<image|href=\"http", source)
    root = ElementTree.fromstring(source)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img" and root.find(f"{ns}title").text
    assert root.find(f"{ns}desc").text


@pytest.mark.parametrize(
    ("url", "drawing", "words"),
    [
        ("/", "convection-ja.svg", "企業・大学・NPO・市が囲んで議論を重ねます"),
        ("/en/", "convection-en.svg", "Companies, universities, NPOs and the city gather"),
        ("/agreements/", "relationship-phases-ja.svg", "「場所貸しがメイン」から「産業振興」"),
        ("/en/agreements/", "relationship-phases-en.svg", "from mainly lending the site"),
    ],
)
def test_pages_show_the_drawing_with_its_text_beside_it(client, seeded, url, drawing, words):
    page = html(client, url)
    figure = page.split('<figure class="drawing">')[1].split("</figure>")[0]
    assert f"img/drawings/{drawing.removesuffix('.svg')}" in figure
    assert re.search(r'alt="[^"]+"', figure)
    assert words in figure.split("<figcaption")[1]


def test_the_phases_table_stays_beside_the_drawing(client, seeded):
    page = html(client, "/agreements/")
    assert page.index('<figure class="drawing">') < page.index('<table class="table phase-table">')


@pytest.mark.parametrize(("prefix", "language"), [("", "ja"), ("/en", "en")])
def test_a_phone_gets_the_phases_one_below_the_other(client, seeded, prefix, language):
    figure = html(client, f"{prefix}/agreements/").split('<figure class="drawing">')[1]
    assert '<source media="(max-width: 40rem)"' in figure
    assert f"img/drawings/relationship-phases-narrow-{language}" in figure.split("</figure>")[0]
