"""The agreements app's news (agreements/news.py): the steps of the agreements' history, once
they have happened and only where the public may see them; an award in the history is left to
the award's own record when there is one that day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

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
        agreement=AgreementFactory(published_at=None), title_ja="非公開の締結式", occurred_on=DAY
    )
    entries = {entry.title: entry for entry in whats_new(today=DAY)}
    assert set(entries) == {"協定締結式", "成果発表会"}
    assert {entry.kind for entry in entries.values()} == {"協定"}
    # A step of an agreement leads to the agreement, one of the history to the history of its
    # fiscal year (2024-03-25 is in FY2023); each page shows the step.
    assert entries["協定締結式"].url == "/agreements/iis-2024/"
    assert entries["成果発表会"].url == "/agreements/history/2023/"
    for title, entry in entries.items():
        page = client.get(entry.url)
        assert page.status_code == 200
        assert title in page.content.decode()


def test_an_award_in_the_history_is_news_unless_the_award_itself_is_told_that_day(db):
    AgreementEventFactory(kind=AgreementEvent.Kind.AWARD, title_ja="表彰式", occurred_on=DAY)
    assert [entry.title for entry in whats_new(today=DAY)] == ["表彰式"]
    AwardFactory(title_ja="大臣表彰", ceremony_on=DAY)
    assert [entry.title for entry in whats_new(today=DAY)] == ["大臣表彰"]


def test_other_steps_of_an_award_day_are_still_news(db):
    AwardFactory(title_ja="大臣表彰", ceremony_on=DAY)
    AgreementEventFactory(kind=AgreementEvent.Kind.CEREMONY, title_ja="記念式典", occurred_on=DAY)
    assert [entry.title for entry in whats_new(today=DAY)] == ["大臣表彰", "記念式典"]


def test_steps_of_one_day_on_one_agreement_are_one_item_led_by_the_signing(db):
    agreement = AgreementFactory(slug="iis-2024")
    # Entered in any order: the signing leads, the others are named with it.
    for kind, title in (
        (AgreementEvent.Kind.PRESENTATION, "成果の発表"),
        (AgreementEvent.Kind.CEREMONY, "協定締結式"),
        (AgreementEvent.Kind.SIGNING, "連携協力協定を締結"),
    ):
        AgreementEventFactory(agreement=agreement, kind=kind, title_ja=title, occurred_on=DAY)
    (entry,) = whats_new(today=DAY)
    assert entry.title == "連携協力協定を締結"
    assert entry.also == ("協定締結式", "成果の発表")
    assert entry.headline == "連携協力協定を締結（同日：協定締結式、成果の発表）"
    assert entry.url == "/agreements/iis-2024/"


def test_the_seeds_signing_day_is_one_item(seeded):
    day = [item for item in whats_new(today=DAY) if item.date == DAY]
    assert [item.headline for item in day] == [
        "東京大学生産技術研究所と連携協力協定を締結"
        "（同日：協定締結式、これまでの実績と今後についての発表）"
    ]
    with translation.override("en"):
        (entry,) = [item for item in whats_new(today=DAY) if item.date == DAY]
    assert entry.headline.startswith("Cooperation agreement concluded with the Institute")
    assert "(also that day: Signing ceremony" in entry.headline
