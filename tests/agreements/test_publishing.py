"""Scheduled publishing of the agreements' history: an event is absent one second before its
time and present one second after — on the agreement's page and the history, in search, in the
feed and in agreements.json — and gone again when unpublished."""

from __future__ import annotations

import pytest

from core.publishing import publication_unpublish
from tests.agreements.factories import AgreementEventFactory, AgreementFactory
from tests.core.opendata_tools import json_of
from tests.core.search_tools import group, result_titles, search
from tests.publishing_tools import DUE, just_after, just_before

pytestmark = pytest.mark.django_db

TITLE = "潮流協定の調印式"


def event_everywhere(client, slug: str) -> dict[str, bool]:
    data = json_of(client.get("/opendata/agreements.json"))
    events = [event for item in data["items"] for event in item["events"]]
    events += data["history_events"]
    return {
        "agreement page": TITLE in client.get(f"/agreements/{slug}/").content.decode(),
        "history": TITLE in client.get("/agreements/").content.decode(),
        "search": TITLE in result_titles(group(search(client, "潮流協定"), "events")),
        "feed": TITLE in client.get("/feed.atom").content.decode(),
        "open data": TITLE in [event["title"]["ja"] for event in events],
    }


def test_a_scheduled_event_appears_at_its_time_everywhere(client):
    agreement = AgreementFactory(slug="iis")
    AgreementEventFactory(agreement=agreement, title_ja="公開中の締結")
    event = AgreementEventFactory(
        agreement=agreement, title_ja=TITLE, kind="ceremony", published_at=DUE
    )
    with just_before():
        assert not any(event_everywhere(client, "iis").values())
    with just_after():
        assert all(event_everywhere(client, "iis").values()), event_everywhere(client, "iis")
        publication_unpublish(event)
        assert not any(event_everywhere(client, "iis").values())


def test_a_scheduled_event_of_no_agreement_appears_in_the_history_at_its_time(client):
    AgreementFactory(slug="iis")
    AgreementEventFactory(agreement=None, title_ja=TITLE, kind="award", published_at=DUE)
    with just_before():
        found = event_everywhere(client, "iis")
        assert not found["history"] and not found["open data"]
    with just_after():
        found = event_everywhere(client, "iis")
        assert found["history"] and found["open data"] and found["search"]
