"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's
live server. Playwright's own browser download cannot work on a closed network, so the tests
launch the system Chromium (installed by `make browser-packages`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import load_seed

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# beside one unless told that this (single-threaded, test-only) use is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Chromium is not installed: run `make browser-packages`.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@dataclass
class Visit:
    """What a page did while a test looked at it."""

    page: Page
    origin: str
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        return [
            url
            for url in self.requests
            if not url.startswith(self.origin) and urlsplit(url).scheme not in {"data", "blob"}
        ]


def _visit(browser, live_server, **context_options) -> Iterator[Visit]:
    context = browser.new_context(base_url=live_server.url, **context_options)
    page = context.new_page()
    record = Visit(page=page, origin=live_server.url)
    page.on("request", lambda request: record.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            record.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    yield record
    context.close()


@pytest.fixture
def visit(browser, live_server) -> Iterator[Visit]:
    yield from _visit(browser, live_server)


# The widths every public page is checked at: a desktop screen and a phone (iPhone 12 to 15).
SCREEN_WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.fixture(params=list(SCREEN_WIDTHS.values()), ids=list(SCREEN_WIDTHS))
def visit_at_width(request, browser, live_server) -> Iterator[Visit]:
    """`visit` at a desktop width and again at a phone's width."""
    yield from _visit(browser, live_server, viewport={"width": request.param, "height": 844})


def lines_of(page: Page, selector: str) -> list[tuple[str, int]]:
    """Each element's text and the number of lines it takes on screen (its text range's boxes)."""
    return page.locator(selector).evaluate_all(
        """elements => elements.filter(element => element.offsetParent !== null).map(element => {
            const range = document.createRange();
            range.selectNodeContents(element);
            const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
            return [element.textContent.trim(), tops.size];
        })"""
    )


@pytest.fixture
def seeded_live(transactional_db) -> None:
    load_seed()


def axe_violations(page: Page) -> str:
    """Run axe-core (all its rules, best practices included) and describe any violation."""
    results = Axe().run(page)
    if results.violations_count == 0:
        return ""
    return results.generate_report()
