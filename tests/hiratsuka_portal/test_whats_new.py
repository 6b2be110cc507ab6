"""What's new as the site shows it: the home page's list and the Atom feed (/feed.atom), both
composed from every app's entries. The merge itself is tested in tests/core/test_news.py, each
app's entries in tests/<app>/test_news.py."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

# Every test here runs on the seed, loaded once for the module (tests/conftest.py: module_seed).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]

ATOM = "{http://www.w3.org/2005/Atom}"


def test_home_lists_the_latest_dated_records_newest_first(client, seeded):
    page = client.get("/").content.decode()
    news = page.split('id="whats-new-heading"')[1].split("</section>")[0]
    assert "2019年3月19日に締結した連携協力協定が終了" in news
    assert "令和6年3月31日（2024年3月31日）" in news
    dates = [part.split('"')[0] for part in news.split('datetime="')[1:]]
    assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize(("prefix", "title"), [("", "新着情報"), ("/en", "what's new")])
def test_the_atom_feed_parses_and_links_to_the_site(client, seeded, prefix, title):
    response = client.get(f"{prefix}/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert title in feed.find(f"{ATOM}title").text
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= 5
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert f"http://testserver{prefix}/agreements/iis-2019/" in links
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(ids) == len(set(ids))
