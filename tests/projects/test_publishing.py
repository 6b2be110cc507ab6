"""Scheduled publishing of projects and meetings: absent one second before their time and
present one second after — on their page, in search, in the feed, in the sitemap and in open
data (even where the file was cached before) — and gone again when unpublished."""

from __future__ import annotations

import datetime

import pytest

from core.publishing import publication_unpublish
from tests.core.opendata_tools import calendar_of, json_of
from tests.core.search_tools import group, result_titles, search
from tests.projects.factories import (
    MeetingFactory,
    MilestoneFactory,
    ProjectFactory,
    ResearchGroupFactory,
)
from tests.publishing_tools import DUE, at, just_after, just_before

pytestmark = pytest.mark.django_db


def project_everywhere(client) -> dict[str, bool]:
    """Where the public finds the project 潮流発電の実証 and its milestone."""
    return {
        "page": client.get("/projects/tidal/").status_code == 200,
        "list": "潮流発電の実証" in client.get("/projects/").content.decode(),
        "search": "潮流発電の実証" in result_titles(group(search(client, "潮流"), "projects")),
        "feed": "潮流の陸上試験" in client.get("/feed.atom").content.decode(),
        "sitemap": "/projects/tidal/" in client.get("/sitemap.xml").content.decode(),
        "open data": "潮流発電の実証"
        in [
            item["title"]["ja"] for item in json_of(client.get("/opendata/projects.json"))["items"]
        ],
    }


def test_a_scheduled_project_appears_at_its_time_everywhere(client):
    ProjectFactory(title_ja="公開中の波力発電")
    project = ProjectFactory(slug="tidal", title_ja="潮流発電の実証", published_at=DUE)
    MilestoneFactory(project=project, title_ja="潮流の陸上試験")
    with just_before():
        assert not any(project_everywhere(client).values())
    with just_after():
        # The open-data file cached a second ago is rendered afresh: the publication changed it.
        assert all(project_everywhere(client).values()), project_everywhere(client)
        publication_unpublish(project)
        assert not any(project_everywhere(client).values())


def meeting_everywhere(client) -> dict[str, bool]:
    ics = calendar_of(client.get("/opendata/meetings.ics"))
    return {
        "page": "潮流視察会" in client.get("/research-group/").content.decode(),
        "search": any(
            "潮流視察会" in t
            for t in result_titles(group(search(client, "潮流視察会"), "meetings"))
        ),
        "feed": "潮流視察会" in client.get("/feed.atom").content.decode(),
        "open data": "潮流視察会" in [str(event["SUMMARY"]) for event in ics.walk("VEVENT")],
    }


def test_a_scheduled_meeting_appears_at_its_time_everywhere(client):
    group_ = ResearchGroupFactory()
    MeetingFactory(research_group=group_, title_ja="公開中の総会")
    # Held before its publication time, whatever the factory's running sequence of dates (the
    # feed tells of meetings held).
    meeting = MeetingFactory(
        research_group=group_,
        title_ja="潮流視察会",
        published_at=DUE,
        starts_at=DUE - datetime.timedelta(days=30),
    )
    with just_before():
        assert not any(meeting_everywhere(client).values())
    with just_after():
        assert all(meeting_everywhere(client).values()), meeting_everywhere(client)
        publication_unpublish(meeting)
        assert not any(meeting_everywhere(client).values())


def test_a_meeting_of_a_draft_group_stays_hidden_whatever_its_own_time(client):
    meeting = MeetingFactory(research_group=ResearchGroupFactory(published_at=None))
    with at(DUE):
        assert meeting.publication_state == "published"
        assert client.get("/research-group/").status_code == 404
        assert not calendar_of(client.get("/opendata/meetings.ics")).walk("VEVENT")


def test_the_yearly_activity_counts_only_published_meetings(client):
    group_ = ResearchGroupFactory()
    MeetingFactory(research_group=group_, participants=20)
    MeetingFactory(research_group=group_, participants=7, published_at=None)
    page = client.get("/research-group/").content.decode()
    assert "20人" in page and "27人" not in page
