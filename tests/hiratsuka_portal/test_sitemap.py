"""/sitemap.xml: the home page, what each app registered (core.sitemaps) and the site's own
pages, in both languages with their alternates; and robots.txt, which names it."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_the_sitemap_lists_every_public_page_with_its_alternates(client, seeded):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = {url.find(f"{SITEMAP}loc").text: url for url in root.findall(f"{SITEMAP}url")}
    for path in [
        "/",
        "/projects/",
        "/projects/wave-power-3rd-generation/",
        "/research-group/",
        "/donations/",
        "/agreements/iis-2024/",
        "/opendata/",
        "/en/projects/auv/",
        # The pages that list what the list pages show only the latest or first of.
        "/research-group/meetings/",
        "/research-group/meetings/2017/",
        "/en/research-group/meetings/2017/",
        "/agreements/history/",
        "/agreements/history/2023/",
        "/agreements/all/",
        "/donations/2021/",
        "/donations/2023/",
        "/en/donations/2022/",
    ]:
        assert f"http://testserver{path}" in locations, path
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in locations["http://testserver/agreements/iis-2024/"].findall(f"{XHTML}link")
    }
    assert alternates["ja"] == "http://testserver/agreements/iis-2024/"
    assert alternates["en"] == "http://testserver/en/agreements/iis-2024/"
    assert "x-default" in alternates
    draft = ProjectFactory(slug="draft-project", published_at=None)
    assert draft.slug not in client.get("/sitemap.xml").content.decode()


def test_robots_txt_names_the_sitemap(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()
