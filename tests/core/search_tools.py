"""Reading the search page (/search/?q=) as a visitor does: its groups of results and their
titles."""

from __future__ import annotations

import re

from django.utils.html import escape


def search(client, query: str, *, prefix: str = "", **params) -> str:
    response = client.get(f"{prefix}/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def group(page: str, key: str) -> str:
    """One kind's section of the results page ("" when the kind found nothing)."""
    match = re.search(
        rf'<section class="search-group" aria-labelledby="results-{key}">.*?</section>', page, re.S
    )
    return match.group(0) if match else ""


def group_keys(page: str) -> list[str]:
    """The kinds that have results on the page, in the order it shows them."""
    return re.findall(r'<section class="search-group" aria-labelledby="results-([^"]+)">', page)


def plain(page: str) -> str:
    return re.sub(r"</?mark>", "", page)


def result_titles(page: str) -> list[str]:
    titles = re.findall(r'<h3 class="search-result__title"><a href="[^"]*">(.*?)</a></h3>', page)
    return [plain(title) for title in titles]


def result_links(page: str) -> dict[str, str]:
    """Each result's title and where it leads."""
    links = re.findall(r'<h3 class="search-result__title"><a href="([^"]*)">(.*?)</a></h3>', page)
    return {plain(title): url for url, title in links}


def assert_leads_to_its_section(client, url: str, shows: str = "") -> None:
    """A result's link opens a page that has the section (the anchor) it points at, and that
    page shows the text ``shows`` (the record found: not only a page it was once on)."""
    path, _, anchor = url.partition("#")
    response = client.get(path)
    assert response.status_code == 200, url
    content = response.content.decode()
    if anchor:
        assert f'id="{anchor}"' in content, url
    assert escape(shows) in content, (url, shows)
