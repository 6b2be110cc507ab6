"""What's new on the home page, the Atom feed and the sitemap."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest

from agreements.models import AgreementEvent
from core.news import whats_new
from projects.models import Milestone
from tests.projects.factories import MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_home_lists_the_latest_dated_records_newest_first(client, seeded):
    page = client.get("/").content.decode()
    news = page.split('id="whats-new-heading"')[1].split("</section>")[0]
    assert "2019年3月19日に締結した連携協力協定が終了" in news
    assert "令和6年3月31日（2024年3月31日）" in news
    dates = [part.split('"')[0] for part in news.split('datetime="')[1:]]
    assert dates == sorted(dates, reverse=True)


def test_the_award_is_told_once(seeded):
    titles = [item.title for item in whats_new(limit=50)]
    assert sum("大臣表彰" in title for title in titles) == 1
    # Yet the project timeline and the agreement history still tell it.
    assert Milestone.objects.filter(occurred_on=datetime.date(2024, 2, 13)).exists()
    assert AgreementEvent.objects.filter(kind=AgreementEvent.Kind.AWARD).exists()


def test_future_and_unpublished_records_are_not_news(db):
    today = datetime.date(2026, 11, 23)
    published = ProjectFactory(is_published=True)
    draft = ProjectFactory(is_published=False)
    MilestoneFactory(project=published, title_ja="完了した試験", occurred_on=today)
    MilestoneFactory(project=published, title_ja="来年の試験", occurred_on=today.replace(year=2027))
    MilestoneFactory(project=draft, title_ja="下書きの試験", occurred_on=today)
    titles = [item.title for item in whats_new(today=today)]
    assert any("完了した試験" in title for title in titles)
    assert not any("来年の試験" in title or "下書きの試験" in title for title in titles)


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
    ]:
        assert f"http://testserver{path}" in locations, path
    alternates = {
        link.get("hreflang"): link.get("href")
        for link in locations["http://testserver/agreements/iis-2024/"].findall(f"{XHTML}link")
    }
    assert alternates["ja"] == "http://testserver/agreements/iis-2024/"
    assert alternates["en"] == "http://testserver/en/agreements/iis-2024/"
    assert "x-default" in alternates
    draft = ProjectFactory(slug="draft-project", is_published=False)
    assert draft.slug not in client.get("/sitemap.xml").content.decode()


def test_robots_txt_names_the_sitemap(client):
    assert "Sitemap: http://testserver/sitemap.xml" in client.get("/robots.txt").content.decode()
