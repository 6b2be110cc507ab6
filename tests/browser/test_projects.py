"""The projects pages in a real browser: accessible in both languages, filters without JS."""

import pytest

from .conftest import axe_violations

PAGES = [
    "/projects/",
    "/en/projects/",
    "/projects/wave-power-3rd-generation/",
    "/en/projects/wave-power-3rd-generation/",
    "/projects/hiratsuka-wave-power-plant/",
    "/en/projects/hiratsuka-wave-power-plant/",
    "/research-group/",
    "/en/research-group/",
]


@pytest.mark.parametrize("path", PAGES)
def test_projects_pages_have_no_accessibility_violations(visit_at_width, seeded_live, path):
    visit_at_width.page.goto(path)
    report = axe_violations(visit_at_width.page)
    assert report == "", report
    assert visit_at_width.foreign_requests() == []
    assert visit_at_width.console_errors == []


def test_filter_form_works_from_the_keyboard_without_javascript(browser, live_server, seeded_live):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/projects/")
    page.get_by_label("状況").select_option(label="終了")
    page.get_by_label("状況").focus()
    page.keyboard.press("Tab")  # to the theme select
    page.keyboard.press("Tab")  # to the submit button
    page.keyboard.press("Enter")
    page.wait_for_url("**/projects/?status=completed*")
    cards = page.locator(".project-card h3").all_inner_texts()
    assert cards == ["平塚波力発電所（第2世代）"]
    context.close()


def test_milestone_timeline_reads_as_an_ordered_list_with_headings(visit, seeded_live):
    page = visit.page
    page.goto("/projects/wave-power-3rd-generation/")
    timeline = page.get_by_role("list").filter(has=page.locator(".timeline__item"))
    assert timeline.evaluate("element => element.tagName") == "OL"
    assert page.get_by_role("heading", name="新型発電機の陸上試験", level=3).is_visible()
