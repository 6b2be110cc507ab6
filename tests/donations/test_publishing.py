"""Scheduled publishing of an award (news on the donation page and in what's new): absent one
second before its time, present one second after, gone again when unpublished."""

from __future__ import annotations

import pytest

from core.publishing import publication_unpublish
from tests.donations.factories import AwardFactory
from tests.publishing_tools import DUE, just_after, just_before

pytestmark = pytest.mark.django_db

TITLE = "潮流まちづくり表彰"


def award_everywhere(client) -> dict[str, bool]:
    return {
        "donation page": TITLE in client.get("/donations/").content.decode(),
        "home": TITLE in client.get("/").content.decode(),
        "feed": TITLE in client.get("/feed.atom").content.decode(),
    }


def test_a_scheduled_award_appears_at_its_time_everywhere(client):
    AwardFactory(title_ja="公開中の表彰")
    award = AwardFactory(title_ja=TITLE, published_at=DUE)
    with just_before():
        assert not any(award_everywhere(client).values())
    with just_after():
        assert all(award_everywhere(client).values()), award_everywhere(client)
        publication_unpublish(award)
        assert not any(award_everywhere(client).values())


def test_an_award_links_to_its_project_only_while_the_project_is_public(client):
    award = AwardFactory(title_ja=TITLE, project__title_ja="潮流の事業", project__published_at=DUE)
    link = f'<a href="{award.project.get_absolute_url()}">潮流の事業</a>'
    with just_before():
        assert link not in client.get("/donations/").content.decode()
    with just_after():
        assert link in client.get("/donations/").content.decode()
