"""The site's own pages, as a visitor gets them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.views.defaults import server_error

from core.models import SiteProfile
from hiratsuka_portal.models import SitePage
from tests.page_tools import JAPANESE, TextOutsideJapaneseParts

from .factories import SitePageFactory, SitePageSectionFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(settings.BASE_DIR)


def text_of(response) -> str:
    return response.content.decode()


def test_home_is_japanese_at_the_root(client, seeded):
    response = client.get("/")
    html = text_of(response)
    assert response.status_code == 200
    assert '<html lang="ja">' in html
    assert response["Content-Language"] == "ja"
    # The program's introduction with the convection metaphor, from the seed document.
    assert "知的対流推進事業" in html
    assert "やかんを下から熱すると" in html
    assert "「知的対流拠点」" in html
    assert (
        "2024年度から、波力発電関連分野での新産業創出促進事業は知的対流推進事業にて継続します。"
        in html
    )


def test_home_in_english_under_en(client, seeded):
    response = client.get("/en/")
    html = text_of(response)
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Intellectual Convection Program" in html
    assert "Heat a kettle from below" in html
    assert "Skip to main content" in html
    assert "やかん" not in html


@pytest.mark.parametrize("url", ["/en/", "/en/accessibility/", "/en/privacy/", "/en/missing/"])
def test_english_pages_mark_every_japanese_word(client, seeded, url):
    # JIS X 8341-3 3.1.2 (language of parts): Japanese inside an English page carries lang="ja"
    # so that screen readers switch voice; unmarked Japanese means a missing translation.
    parser = TextOutsideJapaneseParts()
    parser.feed(text_of(client.get(url)))
    unmarked = JAPANESE.findall("".join(parser.text))
    assert unmarked == [], "".join(parser.text)


def test_every_page_has_skip_link_landmarks_and_one_h1(client, seeded):
    for url in ["/", "/en/", "/accessibility/", "/en/accessibility/", "/privacy/", "/en/privacy/"]:
        html = text_of(client.get(url))
        assert re.search(r'<a class="skip-link" href="#main">', html), url
        assert '<main id="main"' in html, url
        assert html.count("<h1") == 1, url
        assert "<header" in html and "<footer" in html, url


def test_language_switcher_keeps_the_current_page(client, seeded):
    html = text_of(client.get("/privacy/?ref=footer"))
    assert '<a href="/en/privacy/?ref=footer" lang="en" hreflang="en">English</a>' in html
    html = text_of(client.get("/en/accessibility/"))
    assert '<a href="/accessibility/" lang="ja" hreflang="ja">日本語</a>' in html
    assert '<link rel="alternate" hreflang="en" href="http://testserver/en/accessibility/">' in html


def test_footer_contact_comes_from_the_editable_profile(client, seeded):
    html = text_of(client.get("/"))
    assert "産業振興課 企業支援・労政担当" in html
    assert '<a href="tel:0463-21-9758">0463-21-9758</a>' in html
    assert "sangyo-s@city.hiratsuka.kanagawa.jp" in html

    profile = SiteProfile.objects.get()
    profile.phone = "0463-21-0000"
    profile.section_ja = "企業支援担当"
    profile.save()
    html = text_of(client.get("/"))
    assert "0463-21-0000" in html and "0463-21-9758" not in html
    assert "産業振興課 企業支援担当" in html

    english = text_of(client.get("/en/"))
    assert "Industrial Promotion Division" in english


def test_policy_pages_show_the_staff_written_sections(client, seeded):
    html = text_of(client.get("/accessibility/"))
    assert "JIS X 8341-3:2016" in html
    assert "適合レベルAA" in html
    assert "<h2" in html and "試験の方法" in html
    html = text_of(client.get("/privacy/"))
    assert "寄附に関するお問い合わせフォーム" in html
    assert "<ul><li>法人名とその読み、法人番号、本社所在地</li>" in html
    assert "Privacy notice" in text_of(client.get("/en/privacy/"))


def test_staff_edits_to_a_policy_appear_at_once(client, db):
    page = SitePageFactory(kind=SitePage.Kind.PRIVACY, title_ja="個人情報の取扱い")
    SitePageSectionFactory(page=page, heading_ja="新しい見出し", body_ja="<b>太字</b>にはならない")
    html = text_of(client.get("/privacy/"))
    assert "新しい見出し" in html
    # Staff text is escaped, never trusted as HTML.
    assert "&lt;b&gt;太字&lt;/b&gt;にはならない" in html


def test_unpublished_policy_page_is_a_404_not_an_error(client, db):
    response = client.get("/accessibility/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url", "lang", "message"),
    [
        ("/no-such-page/", "ja", "ページが見つかりません"),
        ("/en/no-such-page/", "en", "Page not found"),
    ],
)
def test_not_found_page_is_styled_and_in_the_visitors_language(client, seeded, url, lang, message):
    response = client.get(url)
    html = text_of(response)
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in html
    assert message in html
    assert 'class="site-header"' in html
    # The language switcher cannot offer a counterpart of a missing page: it offers the home page.
    assert '<a href="/en/" lang="en" hreflang="en"' in html or lang == "en"


def test_server_error_page_stands_alone():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "システムエラーが発生しました" in html
    assert "Sorry, something went wrong" in html
    assert "/static/css/portal.css" in html


def test_home_page_query_count_is_constant(client, seeded, django_assert_num_queries):
    # The introduction with its sections (2), the featured projects with their themes and
    # lead organisations (3), the donation total (1), the agreement in force (1), what's new
    # (one per source: awards, milestones, meetings, agreement events: 4), the footer's
    # contact (1) and the page's 最終更新日 (1: one MAX over what the page shows).
    with django_assert_num_queries(13):
        client.get("/")
    SitePageSectionFactory.create_batch(
        20, page=SitePage.objects.get(kind=SitePage.Kind.INTRODUCTION)
    )
    with django_assert_num_queries(13):
        client.get("/")


def test_pages_send_a_strict_content_security_policy(client, seeded):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"


def test_pages_reference_nothing_outside_the_site(client, seeded):
    for url in ["/", "/en/", "/accessibility/", "/privacy/", "/no-such-page/"]:
        html = text_of(client.get(url))
        external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]*)"', html)
        # Only the page's own alternates (absolute URLs on this host) may be absolute — and the
        # links to other sites staff entered (the city's main site), each marked 外部リンク.
        marked = re.findall(r'<a class="external-link" href="([^"]*)"', html)
        assert marked == ["https://www.city.hiratsuka.kanagawa.jp/"], url
        assert all(link.startswith("http://testserver/") or link in marked for link in external), (
            url,
            external,
        )


def test_head_requests_are_answered(client, seeded):
    assert client.head("/").status_code == 200
    assert client.post("/").status_code == 405


def test_healthz_reports_a_reachable_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    # A real unreachable database: a separate process whose SQLite file cannot be opened.
    script = (
        "import django; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode())"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing-directory/db.sqlite3",
        "DJANGO_SETTINGS_MODULE": "hiratsuka_portal.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.startswith("503 "), result.stdout + result.stderr
    assert '"status": "unavailable"' in result.stdout


def test_robots_txt_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Disallow: /admin/" in response.content.decode()


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
