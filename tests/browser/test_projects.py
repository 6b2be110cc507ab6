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
    "/research-group/meetings/",
    "/en/research-group/meetings/",
    "/research-group/meetings/2017/",
    "/en/research-group/meetings/2017/",
    "/research-group/members/local_company/",
    "/projects/facilities/tower/",
    "/en/projects/facilities/port/",
    "/en/research-group/outcomes/patent/",
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


def test_the_project_list_pages_are_accessible_and_fit_a_phone(browser, live_server, seeded_live):
    from tests.projects.factories import ProjectFactory

    ProjectFactory.create_batch(200)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/projects/?page=5")
    assert axe_violations(page) == ""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    nav = page.get_by_role("navigation", name="プロジェクト一覧のページ")
    current = nav.locator('[aria-current="page"]')
    assert current.inner_text().strip().endswith("5")
    # Every page link is one line (no number broken across lines) and a 44 px target.
    for link in nav.get_by_role("link").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        assert link.evaluate("element => element.getClientRects().length") == 1
    nav.get_by_role("link", name="次のページ").click()
    page.wait_for_url("**/projects/?page=6")
    assert page.get_by_role("heading", level=1).inner_text() == "研究開発プロジェクト（6ページ目）"
    context.close()
