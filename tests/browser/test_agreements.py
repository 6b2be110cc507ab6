"""The agreements pages in a real browser: accessible, and a history a screen reader can walk."""

from itertools import pairwise

import pytest

from .conftest import axe_violations

PAGES = [
    "/agreements/",
    "/en/agreements/",
    "/agreements/iis-2019/",
    "/en/agreements/iis-2019/",
    "/agreements/iis-2024/",
    "/en/agreements/iis-2024/",
    "/agreements/all/",
    "/en/agreements/all/",
    "/agreements/history/",
    "/en/agreements/history/",
    "/agreements/history/2023/",
    "/en/agreements/history/2023/",
]


@pytest.mark.parametrize("path", PAGES)
def test_agreement_pages_have_no_accessibility_violations(visit_at_width, seeded_live, path):
    visit_at_width.page.goto(path)
    report = axe_violations(visit_at_width.page)
    assert report == "", report
    assert visit_at_width.foreign_requests() == []
    assert visit_at_width.console_errors == []


@pytest.mark.parametrize(
    "path", ["/agreements/", "/agreements/iis-2019/", "/agreements/history/2023/"]
)
def test_headings_never_skip_a_level(visit, seeded_live, path):
    visit.page.goto(path)
    levels = visit.page.evaluate(
        "[...document.querySelectorAll('main h1, main h2, main h3, main h4')]"
        ".map(h => Number(h.tagName[1]))"
    )
    assert levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in pairwise(levels))


def test_the_history_is_an_ordered_list_of_headed_events_in_date_order(visit, seeded_live):
    page = visit.page
    page.goto("/agreements/")
    history = page.locator("section", has=page.get_by_role("heading", name="これまでの経緯"))
    timeline = history.get_by_role("list").first
    assert timeline.evaluate("element => element.tagName") == "OL"
    items = timeline.locator(":scope > li")
    assert items.count() >= 4
    dates = items.locator("time").evaluate_all("times => times.map(t => t.dateTime)")
    assert dates == sorted(dates)
    # Every event is reachable by heading navigation.
    assert items.locator("h3").count() == items.count()


def test_phases_read_as_cards_on_a_phone(browser, live_server, seeded_live):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/agreements/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    label = page.locator(".table-cards__label").first
    assert label.is_visible()
    context.close()
