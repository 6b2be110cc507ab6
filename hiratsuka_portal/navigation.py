"""The site's main navigation, declared once.

Each entry names a URL pattern. An entry whose pattern is not (yet) installed is left out rather
than rendered as a dead link, so a section appears in the menu the moment its app serves it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise


MAIN_NAVIGATION: tuple[NavItem, ...] = (
    NavItem("projects:project-list", _("研究開発プロジェクト")),
    NavItem("projects:research-group", _("平塚海洋エネルギー研究会")),
    NavItem("donations:donation-list", _("企業版ふるさと納税・寄附")),
    NavItem("agreements:agreement-list", _("東京大学生産技術研究所との協定")),
    NavItem("opendata-index", _("オープンデータ")),
)


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str | Promise
    current: bool


def navigation_links(
    current_path: str, items: tuple[NavItem, ...] = MAIN_NAVIGATION
) -> list[NavLink]:
    """Resolve the menu for the active language, marking the section the visitor is in."""
    links = []
    for item in items:
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append(NavLink(url=url, label=item.label, current=current_path.startswith(url)))
    return links
