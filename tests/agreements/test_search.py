"""What the agreements app adds to the site search (agreements/search.py): the agreements, their
articles and their history, and the parties of a public agreement as organisations."""

from __future__ import annotations

import re

import pytest

from core.publishing import publication_publish_now
from tests.core.search_tools import (
    assert_leads_to_its_section,
    group,
    result_links,
    result_titles,
    search,
)
from tests.projects.factories import OrganizationFactory

from .factories import AgreementEventFactory, AgreementFactory, ArticleFactory

# Every test here runs on the seed, loaded once for the module (tests/conftest.py: module_seed).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]


@pytest.mark.parametrize(
    ("query", "key", "title"),
    [
        ("連携協力協定", "agreements", "東京大学生産技術研究所及び平塚市との連携協力協定"),
        ("人材の育成", "articles", "海洋再生可能エネルギーに関連した人材の育成に関すること。"),
        ("協定締結式", "events", "協定締結式"),
    ],
)
def test_every_kind_of_record_can_be_found(client, seeded, query, key, title):
    found = result_titles(group(search(client, query), key))
    assert title in found


def test_an_agreement_renders_in_english(client, seeded):
    assert group(search(client, "agreement", prefix="/en"), "agreements")


def test_the_two_agreements_of_the_same_title_are_told_apart_by_their_signing(client, seeded):
    agreements = group(search(client, "連携協力協定"), "agreements")
    metas = re.findall(r'<p class="search-result__meta">(.*?)</p>', agreements)
    # The one signed last first (the model's ordering).
    assert metas == ["令和6年3月25日（2024年3月25日）締結", "平成31年3月19日（2019年3月19日）締結"]
    articles = group(search(client, "人材の育成"), "articles")
    assert "連携協力協定（平成31年3月19日（2019年3月19日）締結）" in articles


@pytest.mark.parametrize(
    ("query", "key", "title", "url"),
    [
        (
            "人材の育成",
            "articles",
            "海洋再生可能エネルギーに関連した人材の育成に関すること。",
            "/agreements/iis-2019/#articles-heading",
        ),
        ("協定締結式", "events", "協定締結式", "/agreements/iis-2024/#events-heading"),
        # A step of the history that belongs to no agreement: the history of its fiscal year
        # (the list page shows only the latest steps).
        (
            "大臣表彰",
            "events",
            "令和5年度「地方創生応援税制（企業版ふるさと納税）に係る大臣表彰」の表彰式",
            "/agreements/history/2023/#event-2",
        ),
        # A party that no other public page names leads to the agreement it signed.
        ("生産技術研究所", "organizations", "東京大学生産技術研究所", "/agreements/iis-2024/"),
    ],
)
def test_each_result_leads_to_the_section_that_shows_it(client, seeded, query, key, title, url):
    links = result_links(group(search(client, query), key))
    assert links[title] == url
    assert_leads_to_its_section(client, url, shows=title)


def test_an_agreement_leads_to_its_page(client, seeded):
    page = group(search(client, "連携協力協定"), "agreements")
    urls = re.findall(r'<h3 class="search-result__title"><a href="([^"]*)">', page)
    assert urls == ["/agreements/iis-2024/", "/agreements/iis-2019/"]
    for url in urls:
        assert_leads_to_its_section(client, url)


def test_unpublished_agreement_and_what_hangs_off_it_are_never_found(client, seeded):
    party = OrganizationFactory(name_ja="潮流秘密大学")
    draft = AgreementFactory(title_ja="潮流に関する秘密協定", published_at=None, parties=[party])
    ArticleFactory(agreement=draft, text_ja="潮流の秘密研究に関すること")
    AgreementEventFactory(agreement=draft, title_ja="潮流秘密協定の締結式")
    page = search(client, "潮流")
    assert 'class="search-group"' not in page

    publication_publish_now(draft)
    page = search(client, "潮流")
    for key in ("agreements", "articles", "events", "organizations"):
        assert group(page, key), key


def test_a_step_of_the_history_without_an_agreement_is_found(client, seeded):
    AgreementEventFactory(agreement=None, title_ja="潮流発電の成果発表")
    assert result_titles(group(search(client, "潮流"), "events")) == ["潮流発電の成果発表"]
