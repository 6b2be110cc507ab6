"""The donations app's news (donations/news.py): the awards the city received, told on their
ceremony day — and told once, though the project and the agreement's history record them too."""

from __future__ import annotations

import datetime

import pytest

from agreements.models import AgreementEvent
from core.news import whats_new
from projects.models import Milestone

from .factories import AwardFactory

pytestmark = pytest.mark.django_db


def test_the_award_is_told_once(seeded):
    titles = [item.title for item in whats_new(limit=50)]
    assert sum("大臣表彰" in title for title in titles) == 1
    # Yet the project timeline and the agreement history still tell it.
    assert Milestone.objects.filter(occurred_on=datetime.date(2024, 2, 13)).exists()
    assert AgreementEvent.objects.filter(kind=AgreementEvent.Kind.AWARD).exists()


def test_the_award_told_is_the_awards_own_record(seeded):
    (award,) = [item for item in whats_new(limit=50) if "大臣表彰" in item.title]
    assert award.kind == "表彰"
    assert award.date == datetime.date(2024, 2, 13)
    assert award.tells == "award"


def test_an_award_is_news_from_its_ceremony_day_and_leads_to_it(client, db):
    award = AwardFactory(title_ja="地域活性化表彰", ceremony_on=datetime.date(2025, 2, 10))
    AwardFactory(title_ja="日付未定の表彰", ceremony_on=None)
    assert whats_new(today=datetime.date(2025, 2, 9)) == []
    (entry,) = whats_new(today=datetime.date(2025, 2, 10))
    assert (entry.date, entry.kind, entry.title) == (
        datetime.date(2025, 2, 10),
        "表彰",
        "地域活性化表彰",
    )
    assert entry.url == f"/donations/#award-{award.pk}-heading"
    page = client.get("/donations/").content.decode()
    assert f'id="award-{award.pk}-heading"' in page
