"""The agreements' page shows those in force and the last signed; every agreement is on
/agreements/all/, a page at a time."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from agreements.views import AGREEMENTS_PER_PAGE, AGREEMENTS_SHOWN
from tests.page_tools import html

from .factories import AgreementFactory

pytestmark = pytest.mark.django_db


def card_titles(page: str) -> list[str]:
    cards = page.split('<ol class="agreement-list">')[1].split("</ol>")[0].split("<li")[1:]
    return [re.search(r"<h3[^>]*><a [^>]*>([^<]*)</a>", card).group(1) for card in cards]


@pytest.fixture
def many_agreements(db):
    """30 agreements signed a year apart, all ended but the oldest, which is still in force."""
    oldest = AgreementFactory(
        title_ja="最初の協定", signed_on=dt.date(1990, 4, 1), in_force_until=None
    )
    for index in range(1, 30):
        signed_on = dt.date(1990 + index, 4, 1)
        AgreementFactory(
            title_ja=f"協定{1990 + index}",
            signed_on=signed_on,
            in_force_until=signed_on + dt.timedelta(days=300),
        )
    return oldest


def test_the_seed_page_shows_both_agreements_and_no_link_to_more(client, seeded):
    page = html(client, "/agreements/")
    assert len(card_titles(page)) == 2
    assert 'href="/agreements/all/"' not in page


def test_the_page_shows_the_agreement_in_force_and_the_last_signed(client, many_agreements):
    page = html(client, "/agreements/")
    titles = card_titles(page)
    # In signing order, as before: the one in force, then the last five signed.
    assert len(titles) == AGREEMENTS_SHOWN + 1
    assert "最初の協定" in titles[0]
    assert [title.split("（")[0] for title in titles[1:]] == [
        "協定2015",
        "協定2016",
        "協定2017",
        "協定2018",
        "協定2019",
    ]
    assert "agreement-card--current" in page
    assert '<a href="/agreements/all/">ほかの24件を含むすべての協定</a>' in page


def test_every_agreement_is_on_a_page_of_all_agreements(client, many_agreements):
    first = html(client, "/agreements/all/")
    second = html(client, "/agreements/all/?page=2")
    titles = card_titles(first) + card_titles(second)
    assert len(card_titles(first)) == AGREEMENTS_PER_PAGE
    assert len(titles) == 30 and len(set(titles)) == 30
    # The last signed first.
    assert titles[0].startswith("協定2019") and titles[-1].startswith("最初の協定")
    assert "30件の協定" in first and 'rel="next"' in first
    assert "（2ページ目）" in second
    assert client.get("/agreements/all/?page=3").status_code == 404


def test_the_page_of_all_agreements_in_english(client, many_agreements):
    page = html(client, "/en/agreements/all/")
    assert '<html lang="en">' in page
    assert "30 agreements" in page
    assert 'href="/en/agreements/all/?page=2"' in page
