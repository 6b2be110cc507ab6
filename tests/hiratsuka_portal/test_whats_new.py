"""What's new as the site shows it: the home page's list and the Atom feed (/feed.atom), both
composed from every app's entries. The merge itself is tested in tests/core/test_news.py, each
app's entries in tests/<app>/test_news.py."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import pytest

from agreements.models import AgreementEvent

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


def news_items(page: str) -> list[tuple[str, str, str]]:
    """The home page's news list: each item's date, link and link text."""
    news = page.split('id="whats-new-heading"')[1].split("</section>")[0]
    return re.findall(r'<time datetime="([^"]+)">.*?<a href="([^"]+)">(.*?)</a>', news, re.S)


@pytest.mark.parametrize(
    ("prefix", "signing", "meeting"),
    [
        (
            "",
            "東京大学生産技術研究所と連携協力協定を締結"
            "（同日：協定締結式、これまでの実績と今後についての発表）",
            "平塚海洋エネルギー研究会 総会（平塚市役所304会議室）",
        ),
        (
            "/en",
            "Cooperation agreement concluded with the Institute of Industrial Science, the "
            "University of Tokyo (also that day: Signing ceremony, Presentations on the results "
            "so far and the future)",
            "Hiratsuka Ocean Energy Study Group: General meeting (Room 304, Hiratsuka City Hall)",
        ),
    ],
)
def test_each_item_says_what_happened_once(client, seeded, prefix, signing, meeting):
    items = news_items(client.get(f"{prefix}/").content.decode())
    texts = [html.unescape(text) for _date, _url, text in items]
    # The signing, its ceremony and the presentations of 2024-03-25 are one item.
    dates = [date for date, _url, _text in items]
    assert [t for d, t in zip(dates, texts, strict=True) if d == "2024-03-25"] == [signing]
    assert meeting in texts
    assert "総会" not in texts and "General meeting" not in texts
    # No two items of one day lead to the same page.
    assert len({(date, url) for date, url, _text in items}) == len(items)


def feed_entries(client) -> dict[str, str]:
    feed = ET.fromstring(client.get("/feed.atom").content)
    return {
        entry.find(f"{ATOM}id").text: entry.find(f"{ATOM}title").text
        for entry in feed.findall(f"{ATOM}entry")
    }


def test_feed_ids_name_the_page_and_the_day_and_stay_when_that_day_grows(client, seeded):
    before = feed_entries(client)
    assert before["/agreements/iis-2024/#news-2024-03-25"].startswith(
        "[協定] 東京大学生産技術研究所と連携協力協定を締結（同日：協定締結式、"
    )
    assert before["/donations/#news-2024-02-13-award-1-heading"].startswith("[表彰] 令和5年度")
    # Another step recorded for that day joins the item; no entry is added, no id changes.
    signing = AgreementEvent.objects.get(occurred_on="2024-03-25", kind="signing")
    AgreementEvent.objects.create(
        agreement=signing.agreement,
        occurred_on=signing.occurred_on,
        kind=AgreementEvent.Kind.PRESENTATION,
        title_ja="記者発表",
        title_en="Press release",
        published_at=signing.published_at,
    )
    after = feed_entries(client)
    assert after.keys() == before.keys()
    assert after["/agreements/iis-2024/#news-2024-03-25"].endswith("、記者発表）")
