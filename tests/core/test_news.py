"""What's new (core.news): the merge of the apps' dated entries — newest first, the entry that
tells an occasion before the others of its day, a retelling dropped only where such an entry
tells the same occasion on the same day, and the limit. The sources here are small fakes
registered for the test alone; each app's own entries are tested in tests/<app>/test_news.py."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import news
from core.news import NewsItem, whats_new

TODAY = datetime.date(2024, 2, 20)


@pytest.fixture(autouse=True)
def registry(monkeypatch) -> list:
    """An empty registry for the test; the apps' sources are back afterwards."""
    sources: list = []
    monkeypatch.setattr(news, "_sources", sources)
    return sources


def item(day: int, title: str, **kwargs) -> NewsItem:
    return NewsItem(
        datetime.date(2024, 2, day), "テスト", title, f"/{title}/", f"{title}の説明", **kwargs
    )


def source(*items: NewsItem):
    """A source that, as the apps' do, gives its entries up to today, newest first."""

    def entries(today: datetime.date, limit: int) -> list[NewsItem]:
        dated = sorted((i for i in items if i.date <= today), key=lambda i: i.date, reverse=True)
        return dated[:limit]

    return entries


def titles(items: list[NewsItem]) -> list[str]:
    return [entry.title for entry in items]


def test_entries_of_every_source_are_merged_newest_first():
    news.register(source(item(1, "a1"), item(10, "a10")))
    news.register(source(item(5, "b5"), item(12, "b12")))
    assert titles(whats_new(today=TODAY)) == ["b12", "a10", "b5", "a1"]


def test_a_source_is_asked_for_todays_entries_and_twice_the_limit():
    asked = []

    @news.register
    def recording(today: datetime.date, limit: int) -> list[NewsItem]:
        asked.append((today, limit))
        return []

    whats_new(today=TODAY, limit=3)
    # Twice: some of its entries may be folded into others.
    assert asked == [(TODAY, 6)]


def test_today_is_the_local_date_by_default(monkeypatch):
    asked = []
    news.register(lambda today, limit: asked.append(today) or [])
    monkeypatch.setattr(news.timezone, "localdate", lambda: TODAY)
    whats_new()
    assert asked == [TODAY]


def test_on_one_day_the_teller_comes_first_then_the_sources_in_their_order():
    news.register(source(item(13, "meeting")))
    news.register(source(item(13, "milestone")))
    news.register(source(item(13, "award", tells="award")))
    news.register(source(item(12, "earlier")))
    assert titles(whats_new(today=TODAY)) == ["award", "meeting", "milestone", "earlier"]


def test_a_retelling_is_dropped_when_an_entry_tells_the_same_occasion_that_day():
    news.register(source(item(13, "award", tells="award")))
    news.register(source(item(13, "the project's award", retells="award")))
    news.register(source(item(13, "the agreement's award", retells="award")))
    assert titles(whats_new(today=TODAY)) == ["award"]


def test_a_retelling_stays_when_nothing_tells_its_occasion_that_day():
    news.register(source(item(13, "award", tells="award")))
    news.register(
        source(
            # Another day: the award of the 13th does not make it a repetition.
            item(12, "the project's award the day before", retells="award"),
            # Another occasion on the same day.
            item(13, "the signing", retells="signing"),
        )
    )
    # No entry tells anything: a retelling is all there is, and it is told.
    news.register(source(item(5, "an award nobody else tells", retells="award")))
    assert titles(whats_new(today=TODAY)) == [
        "award",
        "the signing",
        "the project's award the day before",
        "an award nobody else tells",
    ]


def test_the_list_is_cut_at_the_limit_after_dropping_retellings():
    news.register(source(*(item(day, f"entry {day}") for day in range(1, 11))))
    news.register(source(item(10, "award", tells="award")))
    news.register(source(item(10, "the retelling", retells="award")))
    assert titles(whats_new(today=TODAY, limit=3)) == ["award", "entry 10", "entry 9"]
    assert len(whats_new(today=TODAY)) == news.LIMIT == 8
    assert titles(whats_new(today=TODAY, limit=20))[-1] == "entry 1"


def test_nothing_registered_is_no_news():
    assert whats_new(today=TODAY) == []


def test_a_source_registered_twice_is_refused_so_no_entry_is_told_twice():
    entries = source(item(13, "meeting"))
    news.register(entries)
    with pytest.raises(ImproperlyConfigured, match="already registered"):
        news.register(entries)
    assert titles(whats_new(today=TODAY)) == ["meeting"]


# --- One item per day and page -----------------------------------------------------------------


def on_page(day: int, title: str, url: str, **kwargs) -> NewsItem:
    return NewsItem(datetime.date(2024, 2, day), "テスト", title, url, f"{title}の説明", **kwargs)


def test_entries_of_one_day_leading_to_one_page_are_one_item_naming_the_others():
    news.register(source(on_page(13, "式典", "/a/"), on_page(13, "発表", "/a/")))
    news.register(source(on_page(13, "締結", "/a/", prominence=1)))
    (entry,) = whats_new(today=TODAY)
    # The most prominent leads; the others keep their merged order.
    assert (entry.title, entry.also, entry.url) == ("締結", ("式典", "発表"), "/a/")
    assert entry.headline == "締結（同日：式典、発表）"
    assert entry.summary == "締結の説明"


def test_the_first_entry_leads_when_none_is_more_prominent():
    news.register(source(on_page(13, "一つ目", "/a/")))
    news.register(source(on_page(13, "二つ目", "/a/")))
    assert [entry.headline for entry in whats_new(today=TODAY)] == ["一つ目（同日：二つ目）"]


def test_another_day_or_another_page_is_another_item():
    news.register(
        source(on_page(13, "a13", "/a/"), on_page(12, "a12", "/a/"), on_page(13, "b13", "/b/"))
    )
    entries = whats_new(today=TODAY)
    assert [entry.headline for entry in entries] == ["a13", "b13", "a12"]
    assert all(entry.also == () for entry in entries)


def test_a_title_told_twice_on_one_page_is_named_once():
    news.register(source(on_page(13, "締結", "/a/"), on_page(13, "締結", "/a/")))
    assert [entry.headline for entry in whats_new(today=TODAY)] == ["締結"]


def test_an_item_without_folded_entries_reads_as_its_title():
    assert item(13, "総会").headline == "総会"


def test_folding_never_leaves_the_list_short_of_items_that_exist():
    # Five entries of the 10th fold into one item: the sources are asked again for more.
    asked = []
    entries = [on_page(10, f"10日の{n}", "/a/") for n in range(5)]
    entries += [on_page(day, f"{day}日", f"/{day}/") for day in range(1, 10)]
    inner = source(*entries)

    @news.register
    def counting(today, limit):
        asked.append(limit)
        return inner(today, limit)

    assert [entry.title for entry in whats_new(today=TODAY, limit=3)] == ["10日の0", "9日", "8日"]
    # Asked for twice what the list shows; then for twice as many again.
    assert asked == [6, 12]
    # Enough items at the first asking: one round, one query per source.
    asked.clear()
    news.register(source(*(on_page(day, f"b{day}", f"/b{day}/") for day in range(11, 20))))
    whats_new(today=TODAY, limit=3)
    assert asked == [6]


def test_every_entry_folded_is_told_when_the_sources_run_out():
    news.register(source(*(on_page(10, f"10日の{n}", "/a/") for n in range(5))))
    (entry,) = whats_new(today=TODAY, limit=3)
    assert len(entry.also) == 4


def test_many_entries_of_one_day_on_different_pages_take_one_round():
    asked = []
    inner = source(*(on_page(10, f"10日の{n}", f"/{n}/") for n in range(50)))

    @news.register
    def counting(today, limit):
        asked.append(limit)
        return inner(today, limit)

    assert len(whats_new(today=TODAY, limit=3)) == 3
    assert asked == [6]
