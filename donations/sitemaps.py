"""The donations app's pages in /sitemap.xml."""

from core import sitemaps

sitemaps.register_pages("donations:donation-list", "donations:inquiry")
