"""Template helpers for the site's layout: menu, language switcher, editable text."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, override, pgettext

from hiratsuka_portal import images
from hiratsuka_portal.navigation import NavLink, navigation_links

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str
    url: str
    current: bool


@register.simple_tag(takes_context=True)
def main_navigation(context) -> list[NavLink]:
    request = context.get("request")
    return navigation_links(request.path if request else "")


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    """The current page in every language, so switching language keeps the visitor's place."""
    request = context.get("request")
    current = get_language()
    path = request.get_full_path() if request else "/"
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current:
            # The page has no counterpart (a 404, say): offer that language's home page instead.
            with override(code):
                url = reverse("home")
        links.append(LanguageLink(code=code, name=name, url=url, current=code == current))
    return links


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
    return mark_safe("\n".join(html))


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
