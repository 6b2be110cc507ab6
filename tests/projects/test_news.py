"""The projects app's news (projects/news.py): project milestones and the research group's
meetings, once they have happened and only where the public may see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from core.news import whats_new

from .factories import (
    TOKYO,
    MeetingFactory,
    MilestoneFactory,
    ProjectFactory,
    ResearchGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_future_and_unpublished_records_are_not_news(db):
    today = dt.date(2026, 11, 23)
    published = ProjectFactory()
    draft = ProjectFactory(published_at=None)
    MilestoneFactory(project=published, title_ja="完了した試験", occurred_on=today)
    MilestoneFactory(project=published, title_ja="来年の試験", occurred_on=today.replace(year=2027))
    MilestoneFactory(project=draft, title_ja="下書きの試験", occurred_on=today)
    titles = [item.title for item in whats_new(today=today)]
    assert any("完了した試験" in title for title in titles)
    assert not any("来年の試験" in title or "下書きの試験" in title for title in titles)


def test_a_milestone_is_told_with_its_project_and_leads_to_it(client, db):
    project = ProjectFactory(slug="tidal", title_ja="潮汐発電")
    MilestoneFactory(
        project=project,
        title_ja="陸上試験",
        description_ja="新型発電機の陸上試験を行いました。",
        occurred_on=dt.date(2024, 6, 1),
    )
    (entry,) = whats_new(today=dt.date(2024, 6, 1))
    assert (entry.date, entry.kind, entry.title) == (
        dt.date(2024, 6, 1),
        "プロジェクト",
        "潮汐発電：陸上試験",
    )
    assert entry.summary == "新型発電機の陸上試験を行いました。"
    assert entry.url == "/projects/tidal/"
    assert client.get(entry.url).status_code == 200


def test_meetings_are_news_once_held_and_only_of_a_public_group(client, db):
    held = MeetingFactory(
        title_ja="第1回研究会",
        place_ja="平塚市役所 本館",
        starts_at=dt.datetime(2024, 6, 1, 14, 0, tzinfo=TOKYO),
    )
    MeetingFactory(title_ja="次回の研究会", starts_at=dt.datetime(2024, 7, 1, 14, 0, tzinfo=TOKYO))
    MeetingFactory(
        research_group=ResearchGroupFactory(published_at=None),
        title_ja="非公開の研究会",
        starts_at=dt.datetime(2024, 5, 1, 14, 0, tzinfo=TOKYO),
    )
    (entry,) = whats_new(today=dt.date(2024, 6, 1))
    assert (entry.date, entry.title, entry.summary) == (
        dt.date(2024, 6, 1),
        "平塚海洋エネルギー研究会 第1回研究会（平塚市役所 本館）",
        "平塚市役所 本館",
    )
    assert entry.kind == held.get_kind_display()
    # The page of the meeting's fiscal year, which lists it (the group's page only the latest).
    assert entry.url == "/research-group/meetings/2024/"
    page = client.get(entry.url)
    assert page.status_code == 200
    assert "第1回研究会" in page.content.decode()


def test_a_meeting_is_news_of_its_day_in_japan(db):
    # 00:30 in Tokyo is still the previous day in UTC.
    MeetingFactory(title_ja="早朝の実験", starts_at=dt.datetime(2024, 6, 2, 0, 30, tzinfo=TOKYO))
    assert whats_new(today=dt.date(2024, 6, 1)) == []
    (entry,) = whats_new(today=dt.date(2024, 6, 2))
    assert entry.date == dt.date(2024, 6, 2)


def test_a_meeting_late_in_the_evening_is_news_of_that_day(db):
    # 23:30 in Tokyo: the last minutes of the day are still that day.
    MeetingFactory(title_ja="夜間の観測", starts_at=dt.datetime(2024, 6, 1, 23, 30, tzinfo=TOKYO))
    assert whats_new(today=dt.date(2024, 5, 31)) == []
    (entry,) = whats_new(today=dt.date(2024, 6, 1))
    assert entry.date == dt.date(2024, 6, 1)


def test_a_meeting_says_what_happened_with_its_group_and_place(db):
    # A title such as 「総会」 says nothing on the site's news list: the group and place say it.
    MeetingFactory(
        title_ja="総会",
        title_en="General meeting",
        place_ja="平塚市役所304会議室",
        place_en="Room 304, Hiratsuka City Hall",
        starts_at=dt.datetime(2018, 2, 23, 14, 0, tzinfo=TOKYO),
    )
    (entry,) = whats_new(today=dt.date(2018, 2, 23))
    assert entry.headline == "平塚海洋エネルギー研究会 総会（平塚市役所304会議室）"
    with translation.override("en"):
        (entry,) = whats_new(today=dt.date(2018, 2, 23))
    assert entry.headline == (
        "Hiratsuka Ocean Energy Study Group: General meeting (Room 304, Hiratsuka City Hall)"
    )


def test_a_meeting_title_naming_its_group_is_not_prefixed_twice(db):
    MeetingFactory(
        title_ja="平塚海洋エネルギー研究会 総会",
        place_ja="平塚市役所",
        starts_at=dt.datetime(2024, 6, 1, 14, 0, tzinfo=TOKYO),
    )
    (entry,) = whats_new(today=dt.date(2024, 6, 1))
    assert entry.headline == "平塚海洋エネルギー研究会 総会（平塚市役所）"


def test_two_meetings_of_one_day_are_one_item(db):
    for hour, title in ((10, "総会"), (14, "第5回研究会")):
        MeetingFactory(
            title_ja=title,
            place_ja="平塚市役所",
            starts_at=dt.datetime(2024, 6, 1, hour, 0, tzinfo=TOKYO),
        )
    (entry,) = whats_new(today=dt.date(2024, 6, 1))
    # The later one is listed first (newest first), the other named with it.
    assert entry.headline == (
        "平塚海洋エネルギー研究会 第5回研究会（平塚市役所）"
        "（同日：平塚海洋エネルギー研究会 総会（平塚市役所））"
    )


def test_the_seeds_meetings_say_what_happened(seeded):
    headlines = [item.headline for item in whats_new(today=dt.date(2018, 3, 1))]
    assert "平塚海洋エネルギー研究会 総会（平塚市役所304会議室）" in headlines
    assert "総会" not in headlines
