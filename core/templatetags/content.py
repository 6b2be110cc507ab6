"""Template filters for content: staff-written text, image renditions, lists and notes.

Every page and PDF template loads them with ``{% load content %}``.
"""

from __future__ import annotations

from pathlib import Path

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from core import images

register = template.Library()


@register.filter
def text_blocks(value: str | None) -> SafeString:
    """Render staff-written plain text as HTML without trusting it.

    Blank lines separate blocks; a block whose lines all start with "- " becomes a bulleted list,
    any other block a paragraph (single line breaks kept). Everything is escaped.
    """
    if not value:
        return mark_safe("")
    html = []
    for block in value.replace("\r\n", "\n").split("\n\n"):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        if not lines:
            continue
        if all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{escape(line[2:].strip())}</li>" for line in lines)
            html.append(f"<ul>{items}</ul>")
        else:
            html.append("<p>" + "<br>".join(escape(line) for line in lines) + "</p>")
    # Safe: every line is escaped above; only our own <ul>/<li>/<p>/<br> tags are not.
    return mark_safe("\n".join(html))  # noqa: S308


@register.simple_tag
def rendition_url(image, width: int) -> str:
    """``{% rendition_url image 960 %}``: the image resized for that width (WebP)."""
    return images.rendition_url(image, int(width))


@register.simple_tag
def rendition_srcset(image) -> str:
    """``srcset`` over the widths the templates use."""
    return images.rendition_srcset(image)


@register.filter
def names(items) -> str:
    """Join items' names the way the language lists them: 「A、B」 / "A, B"."""
    return pgettext("list separator", "、").join(str(item) for item in items)


@register.filter
def parenthesized(value) -> str:
    """A note in parentheses: 「（直通）」 / " (direct line)"; nothing for an empty note."""
    if not value:
        return ""
    return pgettext("parenthesised note", "（%(note)s）") % {"note": value}


def file_size_text(size: int) -> str:
    """A size as people read it on a city's site: 「3.1MB」, 「120KB」 / "3.1 MB", "120 KB"
    (units of 1,024, as file managers count them)."""
    if size >= 1024 * 1024:
        number, unit = f"{size / (1024 * 1024):.1f}", "MB"
    else:
        number, unit = str(max(1, round(size / 1024))), "KB"
    return pgettext("file size", "%(number)s%(unit)s") % {"number": number, "unit": unit}


@register.filter
def file_type_and_size(field_file) -> str:
    """「PDF：3.1MB」 / "PDF, 3.1 MB": the type and size of an attached file, read from the file
    itself (the type from its name); only the type when the stored file cannot be read."""
    if not field_file:
        return ""
    kind = Path(field_file.name).suffix.lstrip(".").upper()
    try:
        size = field_file.size
    except (OSError, ValueError):
        return kind
    return pgettext("file type and size", "%(type)s：%(size)s") % {
        "type": kind,
        "size": file_size_text(size),
    }
