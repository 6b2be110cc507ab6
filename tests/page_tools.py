"""Reading the public pages as a visitor's browser gets them: the page's HTML, and the text a
screen reader would read in the page's language rather than in Japanese."""

from __future__ import annotations

import re
from html.parser import HTMLParser


def html(client, url: str) -> str:
    """The page at ``url``, which must open (200)."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


class TextOutsideJapaneseParts(HTMLParser):
    """Collects a page's text that is not inside an element marked lang="ja"."""

    VOID = {"meta", "link", "img", "br", "hr", "input", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            inside = bool(self.stack and self.stack[-1]) or dict(attrs).get("lang") == "ja"
            self.stack.append(inside)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.text.append(data)


JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uff01-\uff5e]")
