"""Driving a page with the keyboard alone, as a member of staff who does not use a mouse does:
Tab moves the focus, Enter follows a link or presses a button, Space ticks a box, the arrow
keys choose in a list, and text is typed where the focus is."""

from __future__ import annotations

from playwright.sync_api import Locator, Page

# More Tabs than any admin page has focusable elements before its content.
TAB_LIMIT = 400


def is_focused(target: Locator) -> bool:
    return target.evaluate("element => element === document.activeElement")


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus; fail if it never gets it (it is not reachable
    by keyboard, or is hidden from it)."""
    target.wait_for(state="attached")
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if is_focused(target):
            return
    raise AssertionError(f"Tab never reached {target}")


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def press(page: Page, target: Locator, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def follow(page: Page, target: Locator, key: str = "Enter") -> None:
    """Press the link or button with the focus on it, and wait for the page it leads to."""
    tab_to(page, target)
    with page.expect_navigation():
        page.keyboard.press(key)


def choose(page: Page, select: Locator, label: str) -> None:
    """Choose an option of a closed <select> with the arrow keys, as a keyboard user does."""
    tab_to(page, select)
    options = select.locator("option").all_inner_texts()
    wanted = next(i for i, text in enumerate(options) if text.strip() == label)
    current = select.evaluate("element => element.selectedIndex")
    key = "ArrowDown" if wanted > current else "ArrowUp"
    for _ in range(abs(wanted - current)):
        page.keyboard.press(key)
    chosen = select.evaluate("element => element.options[element.selectedIndex].text")
    assert chosen.strip() == label, f"chose {chosen!r}, wanted {label!r}"


def type_date(page: Page, target: Locator, value: str) -> None:
    """Type an ISO date into an <input type=date> field by field, in the order the browser's
    own language shows them (Debian's Chromium runs in en-US: month, day, year); two digits
    move on to the next field by themselves."""
    tab_to(page, target)
    year, month, day = value.split("-")
    for segment in (month, day, year):
        page.keyboard.type(segment)
    assert target.input_value() == value, target.input_value()
