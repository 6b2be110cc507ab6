"""The project list in pages of 24 cards: every project reachable, each page at a stable URL."""

from __future__ import annotations

import re

import pytest

from projects.models import Project
from projects.views import PROJECTS_PER_PAGE
from tests.page_tools import html

from .factories import ProjectFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def card_titles(page: str) -> list[str]:
    return re.findall(r'<h3 class="card-title h5"><a href="[^"]*">([^<]*)</a>', page)


def pagination_nav(page: str) -> str:
    match = re.search(r'<nav class="pagination-nav".*?</nav>', page, re.DOTALL)
    assert match, "no pagination"
    return match.group(0)


@pytest.fixture
def fifty_projects(db) -> list[Project]:
    """50 public projects: three pages (24, 24 and 2), in the list's order."""
    robots = ThemeFactory(slug="robots", name_ja="ロボット")
    projects = [
        ProjectFactory(
            title_ja=f"プロジェクト{number:02d}",
            title_en=f"Project {number:02d}",
            status=Project.Status.COMPLETED if number % 2 else Project.Status.ACTIVE,
            themes=[robots],
        )
        for number in range(1, 51)
    ]
    return projects


def test_page_one_is_the_plain_url_with_the_first_24_cards(client, fifty_projects):
    page = html(client, "/projects/")
    assert card_titles(page) == [f"プロジェクト{n:02d}" for n in range(1, 25)]
    assert "50件のプロジェクト" in page
    assert '全50件中 <span class="nowrap">1〜24件目</span>' in page
    assert "<h1>研究開発プロジェクト</h1>" in page


def test_page_two_shows_the_next_cards_and_says_its_number(client, fifty_projects):
    page = html(client, "/projects/?page=2")
    assert card_titles(page) == [f"プロジェクト{n:02d}" for n in range(25, 49)]
    assert '全50件中 <span class="nowrap">25〜48件目</span>' in page
    assert '<h1>研究開発プロジェクト<span class="nowrap">（2ページ目）</span></h1>' in page
    assert "<title>研究開発プロジェクト（2ページ目） |" in page


def test_the_last_page_holds_the_rest(client, fifty_projects):
    page = html(client, "/projects/?page=3")
    assert card_titles(page) == ["プロジェクト49", "プロジェクト50"]
    nav = pagination_nav(page)
    assert 'rel="prev"' in nav and 'rel="next"' not in nav


def test_every_project_is_on_exactly_one_page(client, fifty_projects):
    seen = [
        title
        for number in (1, 2, 3)
        for title in card_titles(html(client, f"/projects/?page={number}"))
    ]
    assert sorted(seen) == sorted(project.title_ja for project in fifty_projects)


def test_the_navigation_is_labelled_and_marks_the_current_page(client, fifty_projects):
    nav = pagination_nav(html(client, "/projects/?page=2"))
    assert 'aria-label="プロジェクト一覧のページ"' in nav
    assert re.search(r'<a href="/projects/\?page=2" aria-current="page">', nav)
    # Page 1 is the plain URL, never ?page=1.
    assert '<a href="/projects/" rel="prev">前のページ</a>' in nav
    assert '<a href="/projects/?page=3" rel="next">次のページ</a>' in nav
    assert "page=1" not in nav
    assert nav.count('aria-current="page"') == 1


def test_the_filters_are_kept_in_the_page_links(client, fifty_projects):
    # 25 completed projects: two pages.
    page = html(client, "/projects/?status=completed&theme=robots")
    assert "25件のプロジェクト" in page
    nav = pagination_nav(page)
    assert 'href="/projects/?status=completed&amp;theme=robots&amp;page=2"' in nav
    second = html(client, "/projects/?status=completed&theme=robots&page=2")
    assert card_titles(second) == ["プロジェクト49"]
    assert 'href="/projects/?status=completed&amp;theme=robots" rel="prev"' in second


@pytest.mark.parametrize("number", ["0", "-1", "abc", "1.5", " 2", "4", "999", "99999999999999"])
def test_a_page_that_is_not_there_is_404(client, fifty_projects, number):
    assert client.get("/projects/", {"page": number}).status_code == 404


def test_a_short_list_has_no_navigation(client, db):
    ProjectFactory.create_batch(3)
    page = html(client, "/projects/")
    assert 'class="pagination-nav"' not in page
    assert "全3件中" not in page
    assert client.get("/projects/?page=2").status_code == 404


def test_an_empty_list_is_page_one_not_404(client, db):
    page = html(client, "/projects/?status=completed")
    assert "条件に合うプロジェクトはありません。" in page


def test_the_page_size_fills_rows_of_two_and_three_cards():
    assert PROJECTS_PER_PAGE % 6 == 0


def test_pages_in_english(client, fifty_projects):
    page = html(client, "/en/projects/?page=2")
    assert card_titles(page) == [f"Project {n:02d}" for n in range(25, 49)]
    assert "(page 2)" in page
    assert '<span class="nowrap">25–48</span> of 50' in page
    nav = pagination_nav(page)
    assert 'aria-label="Pages of the project list"' in nav
    assert '<a href="/en/projects/?page=3" rel="next">Next page</a>' in nav
    assert client.get("/en/projects/?page=9").status_code == 404


# --- The research facilities under the cards: the first of each kind, all on the kind's page ---


def test_the_list_shows_the_first_facilities_of_each_kind_and_links_to_all(client, db):
    from projects.models import Facility
    from projects.views import FACILITIES_SHOWN

    from .factories import FacilityFactory

    towers = [
        FacilityFactory(kind=Facility.Kind.TOWER, name_ja=f"観測塔{number:02d}", position=number)
        for number in range(1, FACILITIES_SHOWN + 3)
    ]
    FacilityFactory(kind=Facility.Kind.PORT, name_ja="平塚新港")
    page = html(client, "/projects/")
    shown = re.findall(r"観測塔(\d{2})", page)
    assert shown == [f"{n:02d}" for n in range(1, FACILITIES_SHOWN + 1)]
    assert f'<a href="/projects/facilities/tower/">観測タワーすべて（{len(towers)}件）</a>' in page
    # A kind that fits has no link.
    assert "/projects/facilities/port/" not in page
    whole = html(client, "/projects/facilities/tower/")
    assert "<h1>研究拠点・実験施設（観測タワー）</h1>" in whole
    assert re.findall(r"観測塔(\d{2})", whole) == [f"{n:02d}" for n in range(1, len(towers) + 1)]
    for tower in towers:
        assert f'id="facility-{tower.pk}"' in whole
        assert tower.get_absolute_url() == f"/projects/facilities/tower/#facility-{tower.pk}"
    assert "平塚新港" not in whole
    english = html(client, "/en/projects/facilities/tower/")
    assert "<h1>Research sites and facilities: Observation tower</h1>" in english


@pytest.mark.parametrize("kind", ["nonsense", "plant"])
def test_a_kind_without_facilities_is_404(client, db, kind):
    from projects.models import Facility

    from .factories import FacilityFactory

    FacilityFactory(kind=Facility.Kind.TOWER)
    assert client.get(f"/projects/facilities/{kind}/").status_code == 404
