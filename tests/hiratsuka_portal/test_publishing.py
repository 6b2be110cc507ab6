"""The site's own texts are published like any record: a page as a whole, and each of its
sections on its own (a revised paragraph can wait for the day it takes effect)."""

from __future__ import annotations

import pytest

from core.publishing import publication_unpublish
from tests.hiratsuka_portal.factories import SitePageFactory, SitePageSectionFactory
from tests.publishing_tools import DUE, just_after, just_before

pytestmark = pytest.mark.django_db


def test_a_scheduled_section_of_a_policy_appears_on_the_day_it_takes_effect(client):
    page = SitePageFactory(kind="privacy", title_ja="個人情報の取扱い")
    SitePageSectionFactory(page=page, heading_ja="現行の条文")
    SitePageSectionFactory(page=page, heading_ja="改正後の保存期間", published_at=DUE)
    with just_before():
        html = client.get("/privacy/").content.decode()
        assert "現行の条文" in html and "改正後の保存期間" not in html
    with just_after():
        assert "改正後の保存期間" in client.get("/privacy/").content.decode()


def test_a_draft_page_is_not_shown_but_staff_can_preview_it(client, staff_client):
    page = SitePageFactory(kind="accessibility", title_ja="ウェブアクセシビリティ方針")
    SitePageSectionFactory(page=page, heading_ja="方針の見出し")
    publication_unpublish(page)
    assert client.get("/accessibility/").status_code == 404
    response = staff_client.get("/accessibility/?preview=1")
    assert response.status_code == 200
    assert "方針の見出し" in response.content.decode()


def test_the_introduction_waits_for_its_time_on_the_home_page(client):
    page = SitePageFactory(kind="introduction", title_ja="知的対流とは", published_at=DUE)
    SitePageSectionFactory(page=page, heading_ja="事業の紹介")
    with just_before():
        assert "事業の紹介" not in client.get("/").content.decode()
    with just_after():
        assert "事業の紹介" in client.get("/").content.decode()
