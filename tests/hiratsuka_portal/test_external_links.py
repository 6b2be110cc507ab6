"""Pages of other sites: links staff fill in (never an address the seed does not give), shown
marked 外部リンク once filled and not at all while empty; the footer links to the city's site."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from hiratsuka_portal.models import SitePage, SitePageSection
from tests.donations.factories import AwardFactory
from tests.page_tools import html

pytestmark = pytest.mark.django_db

CITY_SITE = "https://www.city.hiratsuka.kanagawa.jp/"
MARK = '<span class="external-link__mark">（外部リンク）<img'


def test_footer_links_to_the_city_main_site(client, seeded):
    footer = html(client, "/").split('<footer class="site-footer">')[1]
    assert f'<a class="external-link" href="{CITY_SITE}" target="_blank"' in footer
    assert f"平塚市ホームページ{MARK}" in footer
    english = html(client, "/en/").split('<footer class="site-footer">')[1]
    assert "Hiratsuka City website<span" in english and "(external link)" in english


def test_award_links_to_its_page_once_staff_enter_it(client, db):
    award = AwardFactory(url="")
    assert "外部リンク" not in html(client, "/donations/").split('id="awards-heading"')[1]
    # Saved as the admin saves it (a QuerySet.update() would bypass the signals that make the
    # cached public pages fresh).
    award.url = "https://www.example.go.jp/award/"
    award.save()
    awards = html(client, "/donations/").split('id="awards-heading"')[1]
    assert 'href="https://www.example.go.jp/award/"' in awards
    assert f"内閣府による表彰の紹介ページ{MARK}" in awards


def test_site_page_section_links_its_page_once_staff_enter_it(client, seeded):
    section = SitePageSection.objects.filter(page__kind=SitePage.Kind.INTRODUCTION).first()
    assert "関連ページ：" not in html(client, "/")
    section.link_url = "https://www.example.go.jp/manual.pdf"
    section.link_text_ja = "知的対流拠点の手引き（国土交通省）"
    section.link_text_en = "The manual (MLIT)"
    section.save()
    page = html(client, "/")
    assert (
        '関連ページ：<a class="external-link" href="https://www.example.go.jp/manual.pdf"' in page
    )
    assert f"知的対流拠点の手引き（国土交通省）{MARK}" in page
    assert "The manual (MLIT)<span" in html(client, "/en/")


def test_fixtures_invent_no_outside_address():
    """The seed names the outside pages but not their addresses: the link fields stay empty
    for staff to fill, except the city's own site (the domain of its e-mail address)."""
    addresses = []
    for path in Path(settings.BASE_DIR, "fixtures").glob("*.json"):
        for item in json.loads(path.read_text(encoding="utf-8")):
            for name in ("url", "link_url", "website"):
                if item["fields"].get(name):
                    addresses.append(item["fields"][name])
    assert addresses == [CITY_SITE]
