"""The donations page in a real browser: accessible in both languages, self-contained, and its
tax example usable from the keyboard without JavaScript."""

import pytest

from .conftest import axe_violations

PAGES = [
    "/donations/",
    "/en/donations/",
    "/donations/?amount=1000000",
    "/en/donations/?amount=1000000",
    "/donations/?amount=abc",
]


@pytest.mark.parametrize("path", PAGES)
def test_donations_page_has_no_accessibility_violations(visit, seeded_live, path):
    visit.page.goto(path)
    visit.page.wait_for_load_state("networkidle")
    report = axe_violations(visit.page)
    assert report == "", report
    assert visit.foreign_requests() == []
    assert visit.console_errors == []


def test_home_page_with_the_donation_summary_is_accessible(visit, seeded_live):
    visit.page.goto("/")
    assert visit.page.get_by_text("5,650万円").is_visible()
    report = axe_violations(visit.page)
    assert report == "", report


def test_tax_example_works_from_the_keyboard_without_javascript(browser, live_server, seeded_live):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/donations/")
    field = page.get_by_label("寄附額（円）")
    field.focus()
    page.keyboard.type("１，０００，０００")
    page.keyboard.press("Enter")
    page.wait_for_url("**/donations/?amount=*")
    result = page.locator(".tax-example__result")
    assert result.get_by_role("heading", level=3).inner_text() == "100万円を寄附した場合の目安"
    relief = result.get_by_role("row", name="軽減額の合計（最大で約90%）")
    assert relief.get_by_role("cell").inner_text() == "約90万円"
    assert "約10万円" in result.inner_text()
    # The visitor's input stays in the field, normalised or not, for another try.
    assert page.get_by_label("寄附額（円）").input_value() == "１，０００，０００"
    context.close()


def test_tax_example_error_is_announced_with_the_field(browser, live_server, seeded_live):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/donations/")
    page.get_by_label("寄附額（円）").fill("5万")
    page.get_by_role("button", name="計算する").press("Enter")
    page.wait_for_url("**/donations/?amount=*")
    field = page.get_by_label("寄附額（円）")
    assert field.get_attribute("aria-invalid") == "true"
    description = field.evaluate(
        """element => element.getAttribute("aria-describedby").split(" ")
            .map(id => document.getElementById(id).textContent.trim()).join(" ")"""
    )
    assert "寄附額は数字だけで入力してください" in description
    assert page.locator(".tax-example__result").count() == 0
    context.close()
