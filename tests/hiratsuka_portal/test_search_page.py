"""The search page (/search/?q=) and the header's search box: the form, what it says about the
query, and that no query breaks the page, in both languages. The engine is tested in
tests/core/test_search.py, what each app's records find in tests/<app>/test_search.py."""

from __future__ import annotations

import re

import pytest

from core.search import MAX_QUERY_LENGTH, MAX_TERMS
from projects.models import Project
from tests.core.search_tools import search

# Every test here runs on the seed, loaded once for the module (tests/conftest.py: module_seed).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]


# --- Hostile and odd input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "<script>alert(1)</script>",
        "%",
        "_",
        "'; DROP TABLE projects_project; --",
        "a" * 10_000,
        "波力\x00発電",
        "\x00",
        "   ",
        "🌊",
        "🌊 波力",
        "ＷＡＶＥ",
        "\u202e波力",
        "\\",
        '"><img src=x onerror=alert(1)>',
    ],
)
def test_hostile_or_odd_queries_give_a_page_not_an_error(client, seeded, query):
    for prefix in ("", "/en"):
        page = search(client, query, prefix=prefix)
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x" not in page
        assert "\x00" not in page
    assert Project.objects.count() == 8


def test_markup_in_the_query_is_shown_escaped(client, seeded):
    page = search(client, "<script>alert(1)</script>")
    assert "「&lt;script&gt;alert(1)&lt;/script&gt;」に一致する情報は見つかりませんでした" in page
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_empty_query_explains_what_can_be_searched(client, seeded):
    for url in ("/search/", "/search/?q=", "/search/?q=+++"):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert "<h1>サイト内検索</h1>" in page
        assert "検索できる情報" in page
        assert '<a href="/search/?q=%E6%B3%A2%E5%8A%9B">波力</a>' in page
        assert "ヤフー</a>" in page and "研究会</a>" in page
        assert "search-notice" not in page


def test_query_of_symbols_only_says_so(client, seeded):
    for query in ("%", "_", "!!!", "🌊"):
        page = search(client, query)
        assert "検索語には文字か数字を含めてください" in page, query
        assert "検索できる情報" in page


def test_long_query_is_cut_and_the_visitor_told(client, seeded):
    page = search(client, "波力" + "あ" * 10_000)
    assert f"先頭の{MAX_QUERY_LENGTH}文字で検索しました" in page
    assert 'value="波力' + "あ" * (MAX_QUERY_LENGTH - 2) + '"' in page


def test_many_terms_are_limited(client, seeded):
    page = search(client, " ".join(["波力"] + [f"語{n}" for n in range(MAX_TERMS + 5)]))
    assert f"最初の{MAX_TERMS}語で検索しました" in page


def test_only_get_and_head_are_allowed(client, seeded):
    assert client.post("/search/", {"q": "波力"}).status_code == 405
    assert client.head("/search/?q=波力").status_code == 200


# --- The header search box ---------------------------------------------------------------------


@pytest.mark.parametrize(("path", "action"), [("/", "/search/"), ("/en/", "/en/search/")])
def test_every_page_has_the_header_search_box(client, seeded, path, action):
    page = client.get(path).content.decode()
    form = re.search(r'<form class="site-search" role="search".*?</form>', page, re.S).group(0)
    assert f'action="{action}"' in form and 'method="get"' in form
    assert '<label class="visually-hidden" for="site-search-q">' in form
    assert 'type="search" id="site-search-q" name="q"' in form
    assert '<button class="btn btn-primary" type="submit">' in form


def test_language_switcher_keeps_the_query(client, seeded):
    page = search(client, "wave", prefix="/en")
    assert 'href="/search/?q=wave" lang="ja"' in page
