"""The agreements app's open data (agreements/opendata.py): agreements.json, the agreements with
their articles, history and a status that follows the calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from agreements.models import Agreement
from tests.core.opendata_tools import json_of, path_of
from tests.projects.factories import ProjectFactory

from .factories import AgreementEventFactory, ArticleFactory

pytestmark = pytest.mark.django_db


def test_agreements_json_has_the_agreements_with_derived_status(client, seeded):
    data = json_of(client.get("/opendata/agreements.json"))
    assert data["count"] == 2
    today = timezone.localdate()
    by_slug = {item["slug"]: item for item in data["items"]}
    assert set(by_slug) == {"iis-2019", "iis-2024"}
    first, second = by_slug["iis-2019"], by_slug["iis-2024"]
    assert first["signed_on"] == "2019-03-19"
    assert first["in_force_until"] == "2024-03-31"
    assert first["status"]["code"] == Agreement.objects.get(slug="iis-2019").status_on(today)
    assert first["status"]["code"] == "ended"
    assert second["signed_on"] == "2024-03-25"
    assert second["supersedes"] == {"id": first["id"], "slug": "iis-2019"}
    assert first["superseded_by"] == {"id": second["id"], "slug": "iis-2024"}
    assert any(item["articles"] for item in data["items"])
    assert all(item["purpose"]["ja"] for item in data["items"])
    events = [event for item in data["items"] for event in item["events"]]
    events += data["history_events"]
    assert len(events) == 6
    assert {event["kind"]["code"] for event in events} >= {"signing"}

    urls = {*data["source_page"].values()}
    for item in data["items"]:
        urls.update(item["url"].values())
        for article in item["articles"]:
            for project in article["projects"]:
                urls.update(project["url"].values())
    for url in urls:
        assert client.get(path_of(url)).status_code == 200, url


def test_agreements_json_status_follows_the_calendar(client, seeded, monkeypatch):
    def on(day: dt.date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        response = client.get("/opendata/agreements.json")
        statuses = {item["slug"]: item["status"]["code"] for item in json_of(response)["items"]}
        return response["ETag"], statuses

    before_end, statuses = on(dt.date(2024, 3, 31))
    assert statuses == {"iis-2019": "in_force", "iis-2024": "in_force"}
    after_end, statuses = on(dt.date(2024, 4, 1))
    assert statuses == {"iis-2019": "ended", "iis-2024": "in_force"}
    # Nothing was edited, yet the file changed: a new version for those who revalidate.
    assert after_end != before_end


def test_agreements_json_lists_an_articles_published_projects_only(client, db):
    shown = ProjectFactory(slug="shown")
    hidden = ProjectFactory(slug="hidden", published_at=None)
    article = ArticleFactory(projects=[shown, hidden])
    AgreementEventFactory(agreement=article.agreement)
    item = json_of(client.get("/opendata/agreements.json"))["items"][0]
    assert [p["slug"] for p in item["articles"][0]["projects"]] == ["shown"]
    assert item["events"][0]["date"] == "2019-03-19"
    assert item["events"][0]["kind"]["code"] == "signing"
