"""The research group's meetings: the next and the latest few on its page, every one of them on
the page of its fiscal year (和暦 with 西暦), reached from an index of the years."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from projects.views import MEETINGS_SHOWN
from tests.page_tools import html

from .factories import MeetingFactory, ResearchGroupFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def group(db):
    return ResearchGroupFactory()


def test_the_group_page_shows_the_next_and_the_latest_meetings_only(client, group):
    now = timezone.now()
    for days in range(1, 16):
        MeetingFactory(
            research_group=group,
            title_ja=f"過去{days:02d}",
            starts_at=now - dt.timedelta(days=days),
        )
        MeetingFactory(
            research_group=group,
            title_ja=f"予定{days:02d}",
            starts_at=now + dt.timedelta(days=days),
        )
    page = html(client, "/research-group/")
    upcoming, past = page.split("今後の予定")[1].split("これまでの会議・活動")
    assert [f"予定{d:02d}" in upcoming for d in range(1, 16)] == [
        d <= MEETINGS_SHOWN for d in range(1, 16)
    ]
    assert [f"過去{d:02d}" in past for d in range(1, 16)] == [
        d <= MEETINGS_SHOWN for d in range(1, 16)
    ]
    # The latest first among those held, the soonest first among those to come.
    assert past.index("過去01") < past.index("過去02")
    assert upcoming.index("予定01") < upcoming.index("予定02")
    assert '<a href="/research-group/meetings/">すべての会議・活動（年度別）</a>' in page


def test_the_index_lists_each_fiscal_year_with_its_count(client, group):
    # 23:59 on 31 March 2025 in Tokyo is FY2024; 00:00 on 1 April is FY2025.
    MeetingFactory(research_group=group, starts_at=dt.datetime(2025, 3, 31, 23, 59, tzinfo=TOKYO))
    MeetingFactory(research_group=group, starts_at=dt.datetime(2025, 4, 1, 0, 0, tzinfo=TOKYO))
    MeetingFactory(research_group=group, starts_at=dt.datetime(2025, 9, 1, 10, 0, tzinfo=TOKYO))
    MeetingFactory(research_group=group, starts_at=dt.datetime(2019, 5, 1, 10, 0, tzinfo=TOKYO))
    MeetingFactory(
        research_group=group,
        starts_at=dt.datetime(2018, 5, 1, 10, 0, tzinfo=TOKYO),
        published_at=None,
    )
    page = html(client, "/research-group/meetings/")
    assert "<h1>年度別の会議・活動</h1>" in page
    listed = page.split('<ul class="year-index">')[1].split("</ul>")[0]
    years = re.findall(
        r'<a href="([^"]+)">([^<]+)</a> <span class="year-index__count">(\d+)件', listed
    )
    assert years == [
        ("/research-group/meetings/2025/", "令和7年度（2025年度）", "2"),
        ("/research-group/meetings/2024/", "令和6年度（2024年度）", "1"),
        ("/research-group/meetings/2019/", "令和元年度（2019年度）", "1"),
    ]


def test_a_years_page_lists_that_years_meetings_in_date_order(client, group):
    MeetingFactory(
        research_group=group,
        title_ja="三月の総会",
        starts_at=dt.datetime(2025, 3, 31, 23, 59, tzinfo=TOKYO),
    )
    MeetingFactory(
        research_group=group,
        title_ja="十月の視察",
        starts_at=dt.datetime(2025, 10, 1, 10, tzinfo=TOKYO),
    )
    MeetingFactory(
        research_group=group,
        title_ja="四月の研究会",
        starts_at=dt.datetime(2025, 4, 1, 0, 0, tzinfo=TOKYO),
    )
    MeetingFactory(
        research_group=group,
        title_ja="下書きの会議",
        starts_at=dt.datetime(2025, 5, 1, 10, tzinfo=TOKYO),
        published_at=None,
    )
    page = html(client, "/research-group/meetings/2025/")
    assert "<h1>令和7年度（2025年度）の会議・活動</h1>" in page
    assert "三月の総会" not in page and "下書きの会議" not in page
    assert page.index("四月の研究会") < page.index("十月の視察")
    assert "三月の総会" in html(client, "/research-group/meetings/2024/")


def test_a_meeting_links_to_the_page_that_shows_it(client, group):
    meeting = MeetingFactory(
        research_group=group,
        title_ja="水槽実験",
        starts_at=dt.datetime(2021, 1, 15, 10, tzinfo=TOKYO),
    )
    assert meeting.get_absolute_url() == f"/research-group/meetings/2020/#meeting-{meeting.pk}"
    page = html(client, "/research-group/meetings/2020/")
    assert f'id="meeting-{meeting.pk}"' in page and "水槽実験" in page


@pytest.mark.parametrize("year", ["2030", "1999", "0", "99999"])
def test_a_year_without_meetings_is_404(client, group, year):
    MeetingFactory(research_group=group, starts_at=dt.datetime(2024, 6, 1, 10, tzinfo=TOKYO))
    assert client.get(f"/research-group/meetings/{year}/").status_code == 404


def test_the_meetings_of_an_unpublished_group_are_404(client, db):
    MeetingFactory(
        research_group=ResearchGroupFactory(published_at=None),
        starts_at=dt.datetime(2024, 6, 1, 10, tzinfo=TOKYO),
    )
    assert client.get("/research-group/meetings/").status_code == 404
    assert client.get("/research-group/meetings/2024/").status_code == 404


def test_the_pages_in_english(client, group):
    MeetingFactory(
        research_group=group,
        title_en="Tank test",
        starts_at=dt.datetime(2024, 6, 1, 10, tzinfo=TOKYO),
    )
    index = html(client, "/en/research-group/meetings/")
    assert '<html lang="en">' in index
    assert '<a href="/en/research-group/meetings/2024/">FY2024</a>' in index
    page = html(client, "/en/research-group/meetings/2024/")
    assert "<h1>Meetings and activities in FY2024</h1>" in page
    assert "Tank test" in page
    assert "All meetings and activities, by fiscal year" in html(client, "/en/research-group/")


def test_the_admins_view_on_site_leads_to_the_meetings_year_page(client, group):
    from django.contrib import admin

    from projects.models import Meeting

    meeting = MeetingFactory(
        research_group=group, starts_at=dt.datetime(2023, 2, 1, 10, tzinfo=TOKYO)
    )
    draft = MeetingFactory(
        research_group=group,
        starts_at=dt.datetime(2023, 3, 1, 10, tzinfo=TOKYO),
        published_at=None,
    )
    meeting_admin = admin.site._registry[Meeting]
    assert (
        meeting_admin.view_on_site(meeting)
        == f"/research-group/meetings/2022/#meeting-{meeting.pk}"
    )
    # A draft opens as its preview on the same page.
    assert (
        meeting_admin.view_on_site(draft)
        == f"/research-group/meetings/2022/?preview=1#meeting-{draft.pk}"
    )
