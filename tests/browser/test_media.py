"""Media and the accessibility statement in a real browser at phone width: the drawings and
the 試験結果表 fit the screen, and the pages stay free of accessibility violations."""

from __future__ import annotations

import pytest

from .conftest import axe_violations

PAGES = ["/", "/en/", "/agreements/", "/en/agreements/", "/accessibility/", "/en/accessibility/"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_fit_a_phone_without_violations(browser, live_server, seeded_live, path):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(path)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == ""
    context.close()


def test_the_phone_gets_the_narrow_phases_drawing(browser, live_server, seeded_live):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/agreements/")
    image = page.locator("figure.drawing img")
    image.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    assert "relationship-phases-narrow-ja" in image.evaluate("img => img.currentSrc")
    context.close()


def test_the_criteria_table_reads_as_cards_on_a_phone(browser, live_server, seeded_live):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto("/accessibility/")
    assert page.locator(".conformance-table tbody tr").count() == 38
    assert page.locator(".table-cards__label").first.is_visible()
    context.close()
