"""The agreements' history: the latest steps on the agreements' page, the whole history on
the pages of each fiscal year (和暦 with 西暦), reached from an index of the years."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from agreements.views import EVENTS_SHOWN
from tests.page_tools import html

from .factories import AgreementEventFactory, AgreementFactory

pytestmark = pytest.mark.django_db


def timeline_titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="timeline__title">([^<]*)</h3>', page)


@pytest.fixture
def long_history(db):
    """Fifteen steps of no agreement, one a month from April 2020, and one draft."""
    events = [
        AgreementEventFactory(
            agreement=None,
            title_ja=f"経緯{number:02d}",
            title_en=f"Step {number:02d}",
            occurred_on=dt.date(2020, 4, 1) + dt.timedelta(days=31 * (number - 1)),
        )
        for number in range(1, 16)
    ]
    AgreementEventFactory(
        agreement=None, title_ja="下書きの経緯", occurred_on=dt.date(2020, 5, 1), published_at=None
    )
    return events


def test_the_agreements_page_shows_the_latest_steps_oldest_first(client, long_history):
    page = html(client, "/agreements/")
    assert timeline_titles(page) == [f"経緯{n:02d}" for n in range(16 - EVENTS_SHOWN, 16)]
    assert f"最近の{EVENTS_SHOWN}件です。" in page
    assert '<a href="/agreements/history/">これまでのすべての経緯（年度別）</a>' in page


def test_the_index_lists_the_fiscal_years_with_their_counts(client, long_history):
    page = html(client, "/agreements/history/")
    years = re.findall(
        r'<a href="([^"]+)">([^<]+)</a> <span class="year-index__count">(\d+)件', page
    )
    # April 2020 – March 2021 is FY2020 (12 steps), April – June 2021 FY2021; the draft is not.
    assert years == [
        ("/agreements/history/2021/", "令和3年度（2021年度）", "3"),
        ("/agreements/history/2020/", "令和2年度（2020年度）", "12"),
    ]


def test_a_years_page_shows_every_step_of_that_year(client, long_history):
    page = html(client, "/agreements/history/2020/")
    assert "<h1>令和2年度（2020年度）の経緯</h1>" in page
    assert timeline_titles(page) == [f"経緯{n:02d}" for n in range(1, 13)]
    assert "下書きの経緯" not in page
    assert timeline_titles(html(client, "/agreements/history/2021/")) == [
        "経緯13",
        "経緯14",
        "経緯15",
    ]


def test_every_step_is_on_the_page_its_link_names(client, long_history):
    for event in long_history:
        path, _, anchor = event.get_absolute_url().partition("#")
        page = html(client, path)
        assert f'id="{anchor}"' in page and event.title_ja in page


def test_steps_of_an_agreement_are_on_the_history_too(client, db):
    agreement = AgreementFactory(slug="iis-2024")
    AgreementEventFactory(
        agreement=agreement, title_ja="協定締結式", occurred_on=dt.date(2024, 3, 25)
    )
    page = html(client, "/agreements/history/2023/")
    assert "協定締結式" in page
    assert 'href="/agreements/iis-2024/"' in page


@pytest.mark.parametrize("year", ["2019", "2030", "0", "99999"])
def test_a_year_without_history_is_404(client, long_history, year):
    assert client.get(f"/agreements/history/{year}/").status_code == 404


def test_history_pages_in_english(client, long_history):
    index = html(client, "/en/agreements/history/")
    assert '<a href="/en/agreements/history/2020/">FY2020</a>' in index
    assert "12 events" in index
    page = html(client, "/en/agreements/history/2020/")
    assert "<h1>History in FY2020</h1>" in page
    assert "Step 01" in page
    assert "The whole history, by fiscal year" in html(client, "/en/agreements/")


def test_the_admins_view_on_site_leads_to_the_history_of_the_year(db):
    from django.contrib import admin

    from agreements.models import AgreementEvent

    event = AgreementEventFactory(agreement=None, occurred_on=dt.date(2024, 2, 13))
    event_admin = admin.site._registry[AgreementEvent]
    assert event_admin.view_on_site(event) == f"/agreements/history/2023/#event-{event.pk}"
