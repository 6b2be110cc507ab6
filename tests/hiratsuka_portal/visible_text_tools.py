"""What a member of staff reads on an admin page, and the English words left in it.

The text read is the page's text nodes outside <script>, <style> and <textarea>, plus the
attributes a browser shows or speaks (title, aria-label, placeholder, alt, and the value of a
button). What staff typed is data, not the admin's wording: the values of inputs and
textareas are not read at all, and every text the database holds (``stored_texts``) is
removed from what is read before English words are looked for, so the seed's English
translations, organisation names such as 「IIS」 or e-mail addresses never count.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.apps import apps
from django.db import models

# Proper nouns, abbreviations and units that are Japanese usage as they stand.
ALLOWED_WORDS = frozenset(
    {
        "URL",
        "PDF",
        "CSV",
        "XLSX",
        "JSON",
        "NPO",
        "IIS",
        "NEDO",
        "AUV",
        "CO",  # CO2
        "ID",
        "IP",  # IPアドレス
        "LINE",  # LINEヤフー株式会社, a company's name in a help text
        "YouTube",
        "WebP",
        "PNG",
        "JPEG",
        "SVG",
        "HTML",
        "QR",
        "Excel",
        "UTF",  # UTF-8
        "Shift",  # Shift_JIS, the encoding Excel writes on Japanese Windows
        "JIS",
        "BOM",
        # Django's own Japanese help for multiple selects names the keys:
        # 「Control キーを押したまま…Mac は Command キー…」
        "Control",
        "Command",
        "Mac",
        "LDAP",  # Django's Japanese help text on passwords managed elsewhere
        "AA",  # JIS X 8341-3 conformance levels
        "AAA",
    }
)

# The attributes whose text a browser shows (a tooltip, a placeholder) or a screen reader reads.
SHOWN_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
BUTTON_TYPES = ("submit", "button", "reset")
UNREAD_TAGS = frozenset({"script", "style", "textarea", "template"})

# A word of two or more letters standing alone: not the letters inside 「CO2」's neighbours, a
# code such as 「67a04bde」 or a version 「v2」.
ENGLISH_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z'’]+(?![A-Za-z0-9])")
# Addresses and e-mail addresses are not words anyone reads as English.
ADDRESS = re.compile(r"(?:https?://|mailto:|/)[^\s「」（）()、。]*|[\w.+-]+@[\w.-]+")


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._unread_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in UNREAD_TAGS:
            self._unread_depth += 1
        self._read_attributes(tag, dict(attrs))

    def handle_startendtag(self, tag, attrs):
        self._read_attributes(tag, dict(attrs))

    def handle_endtag(self, tag):
        if tag in UNREAD_TAGS and self._unread_depth:
            self._unread_depth -= 1

    def handle_data(self, data):
        if not self._unread_depth and data.strip():
            self.texts.append(data.strip())

    def _read_attributes(self, tag, attrs):
        if self._unread_depth:
            return
        for name in SHOWN_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag in ("input", "button") and attrs.get("type") in BUTTON_TYPES and attrs.get("value"):
            self.texts.append(attrs["value"])


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser.texts


def stored_texts() -> list[str]:
    """Every text the database holds that contains a Latin letter (names, translations, file
    names, addresses, usernames), and every record's own name (``str``), longest first so
    that a longer text is removed before a shorter one inside it."""
    texts: set[str] = set()
    for model in apps.get_models():
        # A field with choices stores a code (「received」) that the admin must show by its
        # label (受付): such codes are not data a page may show.
        fields = [
            field.attname
            for field in model._meta.concrete_fields
            if isinstance(
                field, models.CharField | models.TextField | models.FileField | models.JSONField
            )
            and not field.choices
        ]
        if fields:
            for row in model._default_manager.values_list(*fields):
                for value in row:
                    texts.update(_strings_in(value))
        if not model._meta.auto_created:
            texts.update(str(obj) for obj in model._default_manager.all())
    return sorted(
        (text.strip() for text in texts if re.search("[A-Za-z]", text) and text.strip()),
        key=len,
        reverse=True,
    )


def _strings_in(value) -> set[str]:
    """The lines of a stored text, the keys and texts of stored JSON, and the parts of a
    dotted name (a task's 「donations.tasks.deliver_notification」 is shown by its last part)."""
    if isinstance(value, dict):
        return {str(key) for key in value} | {
            s for item in value.values() for s in _strings_in(item)
        }
    if isinstance(value, list | tuple):
        return {s for item in value for s in _strings_in(item)}
    if not value or isinstance(value, bool | int | float):
        return set()
    lines = set(str(value).splitlines())
    return lines | {part for line in lines if "." in line for part in line.split(".")}


def english_words(html: str, data: list[str]) -> list[str]:
    """The English words staff read on the page that are neither data nor allowed."""
    found: list[str] = []
    for text in visible_texts(html):
        words = _words(text)
        if not words:
            continue
        for stored in data:
            if stored in text:
                # Only where it stands as words of its own: the name 「A」 says nothing of
                # the 「A」 inside 「Agreement」.
                text = re.sub(rf"(?<![A-Za-z]){re.escape(stored)}(?![A-Za-z])", " ", text)
        found += _words(text)
    return found


def _words(text: str) -> list[str]:
    text = ADDRESS.sub(" ", text)
    return [word for word in ENGLISH_WORD.findall(text) if word not in ALLOWED_WORDS]
