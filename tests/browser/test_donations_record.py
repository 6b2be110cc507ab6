"""The donations page in a real browser: accessible in both languages, self-contained, and its
tax example usable from the keyboard without JavaScript."""

import pytest

from .conftest import axe_violations, lines_of

PAGES = [
    "/donations/",
    "/en/donations/",
    "/donations/?amount=1000000",
    "/en/donations/?amount=1000000",
    "/donations/?amount=abc",
    "/donations/2023/",
    "/en/donations/2023/",
]


@pytest.mark.parametrize("path", PAGES)
def test_donations_page_has_no_accessibility_violations(visit_at_width, seeded_live, path):
    visit_at_width.page.goto(path)
    visit_at_width.page.wait_for_load_state("networkidle")
    report = axe_violations(visit_at_width.page)
    assert report == "", report
    assert visit_at_width.foreign_requests() == []
    assert visit_at_width.console_errors == []


def test_home_page_with_the_donation_summary_is_accessible(visit_at_width, seeded_live):
    visit_at_width.page.goto("/")
    assert visit_at_width.page.get_by_text("5,650万円").is_visible()
    report = axe_violations(visit_at_width.page)
    assert report == "", report


@pytest.mark.parametrize(
    ("prefix", "labels"),
    # The seeded donations name no project of their own (the record says what they supported
    # overall), so the table has no column of projects.
    [("", ["寄附金額"]), ("/en", ["Amount"])],
)
def test_on_a_phone_the_donation_table_reads_as_cards_and_no_amount_wraps(
    browser, live_server, seeded_live, prefix, labels
):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{prefix}/donations/")
    # No sideways scrolling: the table fits the screen as one card per row.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    amounts = lines_of(page, ".donation-table .figure")
    # 5 donations and 3 subtotals (「2,400万円」, 「¥24,000,000」…), each on one line; the
    # cumulative total above the table too.
    assert len(amounts) == 8, amounts
    assert all(lines == 1 for _, lines in amounts), amounts
    total = lines_of(page, ".record-cumulative .figure")
    assert len(total) == 1 and total[0][1] == 1, total
    # A year's page: its rows and its total, each amount on one line.
    page.goto(f"{prefix}/donations/2023/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    amounts = lines_of(page, ".donation-table .figure, .record-cumulative .figure")
    assert len(amounts) == 5 and all(lines == 1 for _, lines in amounts), amounts
    page.goto(f"{prefix}/donations/")
    # Each cell is shown under its column's label, itself never broken (「Amo｜unt」).
    shown = lines_of(page, ".donation-table .table-cards__label")
    assert {text for text, _ in shown} == set(labels)
    assert all(lines == 1 for _, lines in shown), shown
    context.close()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_on_a_desktop_the_donation_table_keeps_its_columns(visit, seeded_live, prefix):
    page = visit.page
    page.goto(f"{prefix}/donations/")
    headers = lines_of(page, ".donation-table thead th")
    assert len(headers) == 2 and all(lines == 1 for _, lines in headers), headers
    assert all(lines == 1 for _, lines in lines_of(page, ".donation-table .figure"))
    assert lines_of(page, ".donation-table .table-cards__label") == []


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
