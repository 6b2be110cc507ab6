"""The sitemap's parts: each app declares in its own ``sitemaps.py`` (discovered at start-up)
its pages that have no record behind them and the sitemaps of its records; the site's
/sitemap.xml (``hiratsuka_portal.sitemaps``) lists them after its own home page."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse


class PortalSitemap(Sitemap):
    i18n = True  # one entry per language …
    alternates = True  # … each listing the others as <xhtml:link rel="alternate" hreflang>
    x_default = True


class PagesSitemap(PortalSitemap):
    """Pages named by their URL: lists, forms, the site's own pages."""

    changefreq = "monthly"
    url_names: tuple[str, ...] = ()

    def items(self) -> list[str]:
        return list(self.url_names)

    def location(self, item: str) -> str:
        return reverse(item)


_pages: list[str] = []
_sitemaps: dict[str, type[Sitemap]] = {}


def register_pages(*url_names: str) -> None:
    """Pages of an app that stand for no record (``projects:project-list``)."""
    if repeated := sorted(
        {name for name in url_names if name in _pages or url_names.count(name) > 1}
    ):
        raise ImproperlyConfigured(f"Pages already in the sitemap: {', '.join(repeated)}.")
    _pages.extend(url_names)


def register(name: str, sitemap: type[Sitemap]) -> None:
    """A sitemap of an app's records, under a section name of its own."""
    if name in _sitemaps:
        raise ImproperlyConfigured(f"A sitemap {name!r} is already registered.")
    _sitemaps[name] = sitemap


def registered_pages() -> tuple[str, ...]:
    return tuple(_pages)


def registered_sitemaps() -> dict[str, type[Sitemap]]:
    return dict(_sitemaps)
