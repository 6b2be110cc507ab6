"""The checks behind the 試験結果表's 適合 where no browser rule decides: the styles (focus
ring, relative text sizes, no reordering), unique ids, and instructions that do not rely on
shape or position alone."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from tests.page_tools import html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]

CSS = (Path(settings.BASE_DIR) / "static/css/portal.css").read_text(encoding="utf-8")
PAGES = [
    "/",
    "/projects/",
    "/projects/wave-power-3rd-generation/",
    "/research-group/",
    "/donations/",
    "/donations/inquiry/",
    "/agreements/",
    "/agreements/iis-2019/",
    "/opendata/",
    "/search/?q=波力",
    "/accessibility/",
    "/privacy/",
]


def test_focus_is_always_visible():
    # 2.4.7: one focus ring for everything; an element may drop the outline only for mouse focus.
    assert re.search(r":focus-visible[^{]*\{[^}]*outline:\s*\d", CSS.replace("\n", " "))
    for rule in re.findall(r"([^{}]+)\{[^}]*outline:\s*(?:none|0)\b", CSS):
        assert ":focus-visible" not in rule and ":focus" in rule, rule


def test_text_sizes_are_relative():
    # 1.4.4: no font size in pixels, so browser zoom and text size settings apply.
    assert not re.search(r"font-size:\s*[\d.]+px", CSS)


def test_no_style_reorders_the_content():
    # 1.3.2: what is shown follows the document order.
    assert not re.search(
        r"(?<![-\w])order:\s*-?\d|flex-direction:\s*\w+-reverse|direction:\s*rtl", CSS
    )


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs):
        if value := dict(attrs).get("id"):
            self.ids[value] += 1


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_no_id_is_used_twice(client, seeded, prefix):
    # 4.1.1 (and labels and aria references that point to one element).
    for url in PAGES:
        parser = Ids()
        parser.feed(html(client, prefix + url))
        assert not [i for i, n in parser.ids.items() if n > 1], url


SENSORY = re.compile(
    r"(右|左|上|下)(の|にある)(ボタン|欄|図|表|リンク)|赤(い|色の|字の)|丸い|四角い"
)


def test_instructions_do_not_rely_on_shape_colour_or_position(client, seeded):
    # 1.3.3: an instruction names what to use, never only where it is or what it looks like.
    for url in PAGES:
        text = re.sub(r"<[^>]+>", " ", html(client, url))
        assert not SENSORY.search(text), (url, SENSORY.search(text))
