"""Template helpers for the site's layout: the main menu and the language switcher."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, ResolverMatch, reverse, translate_url
from django.utils.translation import get_language, override

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
    match = getattr(request, "resolver_match", None)
    links = []
    for code, name in settings.LANGUAGES:
        url = _in_language(match, path, code) if match else translate_url(path, code)
        if url == path and code != current:
            # The page has no counterpart (a 404, say): offer that language's home page instead.
            with override(code):
                url = reverse("home")
        links.append(LanguageLink(code=code, name=name, url=url, current=code == current))
    return links


def _in_language(match: ResolverMatch, path: str, code: str) -> str:
    """What ``translate_url(path, code)`` gives for the request's own ``path``, from the match
    the request was served by rather than from resolving the path once more per language."""
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    try:
        with override(code):
            url = reverse(name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return path
    query = urlsplit(path).query
    return f"{url}?{query}" if query else url
