"""The agreements app's news (agreements/news.py): the steps of the agreements' history, once
they have happened and only where the public may see them; an award in the history is left to
the award's own record when there is one that day."""

from __future__ import annotations

import datetime as dt

import pytest

from agreements.models import AgreementEvent
from core.news import whats_new
from tests.donations.factories import AwardFactory

from .factories import AgreementEventFactory, AgreementFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 3, 25)


def test_steps_of_the_history_are_news_once_taken_and_only_if_public(client, db):
    agreement = AgreementFactory(slug="iis-2024")
    AgreementEventFactory(agreement=agreement, title_ja="協定締結式", occurred_on=DAY)
    AgreementEventFactory(agreement=None, title_ja="成果発表会", occurred_on=DAY)
    AgreementEventFactory(agreement=agreement, title_ja="次の式典", occurred_on=dt.date(2025, 1, 1))
    AgreementEventFactory(
        agreement=AgreementFactory(is_published=False), title_ja="非公開の締結式", occurred_on=DAY
    )
    entries = {entry.title: entry for entry in whats_new(today=DAY)}
    assert set(entries) == {"協定締結式", "成果発表会"}
    assert {entry.kind for entry in entries.values()} == {"協定"}
    # A step of an agreement leads to the agreement, one of the history to the list page.
    assert entries["協定締結式"].url == "/agreements/iis-2024/"
    assert entries["成果発表会"].url == "/agreements/"
    for entry in entries.values():
        assert client.get(entry.url).status_code == 200


def test_an_award_in_the_history_is_news_unless_the_award_itself_is_told_that_day(db):
    AgreementEventFactory(kind=AgreementEvent.Kind.AWARD, title_ja="表彰式", occurred_on=DAY)
    assert [entry.title for entry in whats_new(today=DAY)] == ["表彰式"]
    AwardFactory(title_ja="大臣表彰", ceremony_on=DAY)
    assert [entry.title for entry in whats_new(today=DAY)] == ["大臣表彰"]


def test_other_steps_of_an_award_day_are_still_news(db):
    AwardFactory(title_ja="大臣表彰", ceremony_on=DAY)
    AgreementEventFactory(kind=AgreementEvent.Kind.CEREMONY, title_ja="記念式典", occurred_on=DAY)
    assert [entry.title for entry in whats_new(today=DAY)] == ["大臣表彰", "記念式典"]
