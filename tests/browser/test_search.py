"""Site search in a real browser: accessible results in both languages, and the header's search
box usable from the keyboard alone, without JavaScript."""

import pytest

from .conftest import axe_violations

PAGES = [
    "/search/?q=波力",
    "/en/search/?q=wave",
    "/search/",
    "/en/search/",
    "/search/?q=%25",
    "/search/?q=潮流",
]


@pytest.mark.parametrize("path", PAGES)
def test_search_pages_have_no_accessibility_violations(visit_at_width, seeded_live, path):
    visit_at_width.page.goto(path)
    report = axe_violations(visit_at_width.page)
    assert report == "", report
    assert visit_at_width.foreign_requests() == []
    assert visit_at_width.console_errors == []


def test_results_are_grouped_under_headings_with_marked_matches(visit, seeded_live):
    page = visit.page
    page.goto("/search/?q=波力")
    assert page.get_by_role("heading", level=1).inner_text() == "サイト内検索"
    projects = page.get_by_role("region", name="研究開発プロジェクト")
    assert projects.get_by_role("heading", level=2).inner_text().startswith("研究開発プロジェクト")
    links = projects.get_by_role("link")
    assert links.first.inner_text() == "第3世代波力発電"
    assert projects.locator("mark").first.inner_text() == "波力"
    # The search field keeps the query, so it can be refined.
    assert page.get_by_role("searchbox", name="検索語").input_value() == "波力"


@pytest.mark.parametrize("java_script_enabled", [True, False])
def test_header_search_box_works_from_the_keyboard(
    browser, live_server, seeded_live, java_script_enabled
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=java_script_enabled)
    page = context.new_page()
    page.goto("/projects/")
    # Tab from the top of the page: skip link, site title, then the search box.
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "site-search-q"
    assert page.get_by_role("search", name="サイト内検索").is_visible()
    page.keyboard.type("波力船")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_role("link", name="波力船").first.is_visible()
    assert page.get_by_role("searchbox", name="検索語").input_value() == "波力船"
    context.close()


def test_english_header_search_searches_english(visit, seeded_live):
    page = visit.page
    page.goto("/en/")
    box = page.locator("#site-search-q")
    box.focus()
    page.keyboard.type("wave")
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/search/?q=wave")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("link", name="Third-generation wave power").is_visible()
