"""The sitemap's registry (core.sitemaps): what the apps declare in their sitemaps.py is
discovered at start-up, and a section name is registered once. The sitemap the site composes
from it is tested in tests/hiratsuka_portal/test_sitemap.py."""

from __future__ import annotations

import pytest
from django.contrib.sitemaps import Sitemap
from django.core.exceptions import ImproperlyConfigured

from core import sitemaps


def test_the_apps_sitemaps_and_pages_are_discovered():
    assert list(sitemaps.registered_sitemaps()) == [
        "projects",
        "meeting-years",
        "donation-years",
        "agreements",
        "agreement-history-years",
    ]
    assert sitemaps.registered_pages() == (
        "projects:project-list",
        "projects:research-group",
        "projects:meeting-years",
        "donations:donation-list",
        "donations:inquiry",
        "agreements:agreement-list",
        "agreements:agreement-all",
        "agreements:history-years",
    )


def test_a_second_sitemap_of_a_registered_name_is_refused(monkeypatch):
    monkeypatch.setattr(sitemaps, "_sitemaps", dict(sitemaps._sitemaps))
    before = sitemaps.registered_sitemaps()
    with pytest.raises(ImproperlyConfigured, match="'projects' is already registered"):
        sitemaps.register("projects", Sitemap)
    assert sitemaps.registered_sitemaps() == before


def test_a_page_already_in_the_sitemap_is_refused(monkeypatch):
    monkeypatch.setattr(sitemaps, "_pages", list(sitemaps._pages))
    before = sitemaps.registered_pages()
    with pytest.raises(ImproperlyConfigured, match="projects:project-list"):
        sitemaps.register_pages("new:page", "projects:project-list")
    assert sitemaps.registered_pages() == before
