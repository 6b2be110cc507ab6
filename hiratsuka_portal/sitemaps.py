"""/sitemap.xml: every public page, in Japanese and English, with hreflang alternates — the home
page, what the apps registered (``core.sitemaps``), then the site's own pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from core import sitemaps


def site_sitemaps() -> dict[str, type[Sitemap]]:
    class StaticPagesSitemap(sitemaps.PagesSitemap):
        url_names = (
            "home",
            *sitemaps.registered_pages(),
            "opendata-index",
            "accessibility",
            "privacy",
        )

    return {"pages": StaticPagesSitemap, **sitemaps.registered_sitemaps()}
