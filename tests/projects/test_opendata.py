"""The projects app's open data (projects/opendata.py): projects.json, the public projects with
their details, and meetings.ics, the research group's meetings as a calendar."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache

from projects.models import Project
from tests.core.opendata_tools import (
    CORPORATE_NUMBER,
    calendar_of,
    json_of,
    path_of,
)

from .factories import (
    TOKYO,
    FundingFactory,
    MeetingFactory,
    MilestoneFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipationFactory,
    ProjectFactory,
    ResearchGroupFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


# --- projects.json -----------------------------------------------------------------------------


def test_projects_json_lists_the_published_projects_with_their_details(client, seeded):
    ProjectFactory(published_at=None, slug="draft-project", title_ja="準備中の取組み")
    data = json_of(client.get("/opendata/projects.json"))
    assert data["count"] == len(data["items"]) == Project.objects.public().count()
    assert "draft-project" not in json.dumps(data)

    project = next(p for p in data["items"] if p["slug"] == "wave-power-3rd-generation")
    assert project["title"] == {"ja": "第3世代波力発電", "en": "Third-generation wave power"}
    assert project["status"]["code"] in {choice.value for choice in Project.Status}
    assert set(project["period"]) == {
        "start_fiscal_year",
        "start_fiscal_year_wareki",
        "end_fiscal_year",
        "end_fiscal_year_wareki",
    }
    for key in ("themes", "organizations", "funding", "milestones", "outcomes"):
        assert isinstance(project[key], list), key
    assert project["organizations"], "the seed names the project's organisations"
    assert {"name", "kind", "role", "role_note"} <= set(project["organizations"][0])

    for item in data["items"]:
        for url in item["url"].values():
            assert client.get(path_of(url)).status_code == 200, url


def test_projects_json_with_every_kind_of_detail(client, db):
    theme = ThemeFactory(slug="wave", name_ja="波力発電", name_en="Wave power")
    lead = OrganizationFactory(name_ja="平塚波力株式会社", corporate_number=CORPORATE_NUMBER)
    project = ProjectFactory(
        slug="tested", themes=[theme], leads=[lead], start_fiscal_year=2019, end_fiscal_year=None
    )
    ParticipationFactory(project=project, role="partner", role_note_ja="試験海域の提供")
    FundingFactory(project=project, start_fiscal_year=2022, end_fiscal_year=2024)
    MilestoneFactory(project=project, occurred_on=dt.date(2024, 6, 1), is_planned=False)
    OutcomeFactory(projects=[project], organizations=[lead])

    item = json_of(client.get("/opendata/projects.json"))["items"][0]
    assert item["period"] == {
        "start_fiscal_year": 2019,
        "start_fiscal_year_wareki": "令和元年度",
        "end_fiscal_year": None,
        "end_fiscal_year_wareki": None,
    }
    assert item["themes"] == [{"slug": "wave", "name": {"ja": "波力発電", "en": "Wave power"}}]
    assert [org["role"]["code"] for org in item["organizations"]] == ["lead", "partner"]
    assert item["organizations"][0]["corporate_number"] == CORPORATE_NUMBER
    assert item["organizations"][1]["role_note"]["ja"] == "試験海域の提供"
    assert item["funding"][0]["period"]["end_fiscal_year_wareki"] == "令和6年度"
    assert item["milestones"][0]["date"] == "2024-06-01"
    assert item["outcomes"][0]["organizations"][0]["ja"] == "平塚波力株式会社"


# --- meetings.ics ------------------------------------------------------------------------------


def test_meetings_ics_is_a_calendar_of_the_research_groups_meetings(client, seeded):
    response = client.get("/opendata/meetings.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = calendar_of(response)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Tokyo"
    assert "平塚海洋エネルギー研究会" in str(calendar["X-WR-CALNAME"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]

    events = calendar.walk("VEVENT")
    assert len(events) == 2
    general = next(event for event in events if str(event["SUMMARY"]) == "総会")
    start = general.decoded("DTSTART")
    assert start == dt.datetime(2018, 2, 23, 13, 30, tzinfo=TOKYO)
    assert start.utcoffset() == dt.timedelta(hours=9)
    assert general["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert str(general["LOCATION"]) == "平塚市役所304会議室"
    # The meeting on the page of its fiscal year, which lists it.
    assert str(general["URL"]) == "http://testserver/research-group/meetings/2017/#meeting-1"
    page = client.get(path_of(str(general["URL"])))
    assert page.status_code == 200
    assert 'id="meeting-1"' in page.content.decode()
    assert str(general["UID"]) == "meeting-1@testserver"
    assert general.decoded("DTSTAMP").tzinfo is not None
    assert "総会" in str(general["DESCRIPTION"])


def test_meetings_ics_is_the_same_bytes_for_the_same_data(client, seeded):
    first = client.get("/opendata/meetings.ics").content
    cache.clear()
    assert client.get("/opendata/meetings.ics").content == first


def test_meetings_ics_in_english_links_to_the_english_page(client, seeded):
    calendar = calendar_of(client.get("/en/opendata/meetings.ics"))
    general = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == "meeting-1@testserver")
    assert str(general["SUMMARY"]) == "General meeting"
    assert str(general["LOCATION"]) == "Room 304, Hiratsuka City Hall"
    assert str(general["URL"]) == "http://testserver/en/research-group/meetings/2017/#meeting-1"


def test_meetings_ics_with_an_end_time_and_a_stamp_from_the_last_change(client, db):
    meeting = MeetingFactory(
        starts_at=dt.datetime(2025, 5, 20, 14, 0, tzinfo=TOKYO),
        ends_at=dt.datetime(2025, 5, 20, 16, 30, tzinfo=TOKYO),
        participants=31,
    )
    MeetingFactory(research_group=ResearchGroupFactory(published_at=None))
    response = client.get("/opendata/meetings.ics")
    (event,) = calendar_of(response).walk("VEVENT")
    assert event.decoded("DTEND") == dt.datetime(2025, 5, 20, 16, 30, tzinfo=TOKYO)
    assert "31" in str(event["DESCRIPTION"])
    last_change = meeting.history.latest("history_date").history_date
    assert abs(event.decoded("DTSTAMP") - last_change) < dt.timedelta(seconds=1)
    assert response.has_header("Last-Modified")
