"""The site's pages in a real browser: accessible, keyboard usable, bilingual, self-contained."""

import pytest

from tests.two_factor_tools import totp_device

from .conftest import axe_violations
from .two_factor_steps import enter_the_code

PAGES = ["/", "/en/", "/accessibility/", "/en/accessibility/", "/privacy/", "/en/privacy/"]


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_accessibility_violations(visit_at_width, seeded_live, path):
    visit_at_width.page.goto(path)
    report = axe_violations(visit_at_width.page)
    assert report == "", report


@pytest.mark.parametrize("path", [*PAGES, "/no-such-page/"])
def test_page_loads_nothing_from_outside_and_breaks_no_policy(visit, seeded_live, path):
    visit.page.goto(path)
    visit.page.wait_for_load_state("networkidle")
    assert visit.foreign_requests() == []
    # A blocked stylesheet or script (Content-Security-Policy) would show up here; the only
    # error allowed is the missing page's own 404.
    expected = ["Failed to load resource: the server responded with a status of 404 (Not Found)"]
    assert visit.console_errors == (expected if path == "/no-such-page/" else [])
    stylesheets = visit.page.evaluate("document.styleSheets.length")
    assert stylesheets >= 2


def test_html_lang_matches_the_language(visit, seeded_live):
    visit.page.goto("/")
    assert visit.page.get_attribute("html", "lang") == "ja"
    visit.page.goto("/en/")
    assert visit.page.get_attribute("html", "lang") == "en"


def test_skip_link_is_first_and_moves_focus_to_main(visit, seeded_live):
    page = visit.page
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "本文へ移動"
    # It becomes visible when focused, so sighted keyboard users see it.
    assert page.locator(".skip-link").bounding_box()["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # The next Tab continues from the main content, not from the header's links.
    page.keyboard.press("Tab")
    after_main = page.evaluate(
        """() => {
            const position = document.getElementById("main")
                .compareDocumentPosition(document.activeElement);
            return (position & (Node.DOCUMENT_POSITION_FOLLOWING
                                | Node.DOCUMENT_POSITION_CONTAINED_BY)) !== 0;
        }"""
    )
    assert after_main


def test_language_switcher_keeps_the_page(visit, seeded_live):
    page = visit.page
    page.goto("/privacy/")
    page.get_by_role("navigation", name="言語の切り替え").get_by_role(
        "link", name="English"
    ).click()
    page.wait_for_url("**/en/privacy/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Privacy notice"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="日本語").click()
    page.wait_for_url(lambda url: url.endswith("/privacy/") and "/en/" not in url)
    assert page.get_by_role("heading", level=1).inner_text() == "個人情報の取扱い"


def test_language_switcher_works_from_the_keyboard(visit, seeded_live):
    page = visit.page
    page.goto("/")
    english = page.get_by_role("link", name="English")
    english.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/")
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .endswith("the Intellectual Convection Program")
    )


def test_layout_fits_a_phone_screen(browser, live_server, seeded_live):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto("/")
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def test_staff_edit_the_contact_in_the_admin_under_the_strict_policy(
    visit, seeded_live, django_user_model
):
    superuser = django_user_model.objects.create_superuser(
        "sangyo", "sangyo@example.jp", "correct-horse-9"
    )
    totp_device(superuser)
    page = visit.page
    page.goto("/admin/")
    page.get_by_label("ユーザー名").fill("sangyo")
    page.get_by_label("パスワード").fill("correct-horse-9")
    page.get_by_role("button", name="ログイン").click()
    enter_the_code(page, superuser)
    page.get_by_role("link", name="サイト情報・問い合わせ先").first.click()
    page.locator("#result_list").get_by_role("link", name="平塚市").click()
    page.get_by_label("電話番号:").fill("0463-21-1234")
    page.get_by_role("button", name="保存", exact=True).click()
    assert page.locator(".messagelist .success").count() == 1
    assert visit.console_errors == []
    page.goto("/")
    assert page.get_by_role("link", name="0463-21-1234").is_visible()


def test_printed_page_shows_the_content_without_the_menus(visit, seeded_live):
    page = visit.page
    page.goto("/accessibility/")
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").is_visible()
    assert not page.locator(".language-switcher").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    # The contact stays on paper.
    assert page.locator(".site-footer address").is_visible()


def _phone(browser, live_server, **options):
    return browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, **options
    ).new_page()


@pytest.mark.parametrize("java_script_enabled", [True, False])
def test_on_a_phone_the_menu_is_one_button_that_opens_from_the_keyboard(
    browser, live_server, seeded_live, java_script_enabled
):
    page = _phone(browser, live_server, java_script_enabled=java_script_enabled)
    page.goto("/")
    menu = page.get_by_role("navigation", name="メインメニュー")
    # <summary>: a button to assistive technology (Chromium's disclosure triangle role).
    button = menu.locator("summary", has_text="メニュー")
    links = menu.get_by_role("link")
    # Folded: the page's content starts right under the header.
    assert button.is_visible()
    assert not links.first.is_visible()
    assert page.get_by_role("heading", level=1).bounding_box()["y"] < 844 / 2
    # Tab reaches the button; Enter opens the menu, Space closes and opens it again.
    for _ in range(20):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    assert button.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert menu.locator("details").evaluate("element => element.open")
    assert links.get_by_text("企業版ふるさと納税・寄附").is_visible()
    page.keyboard.press("Space")
    assert not links.first.is_visible()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "ホーム"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/projects/")
    page.context.close()


def test_on_a_desktop_the_whole_menu_shows_without_a_button(visit, seeded_live):
    page = visit.page
    page.goto("/en/")
    menu = page.get_by_role("navigation", name="Main menu")
    assert not menu.locator("summary", has_text="Menu").is_visible()
    links = menu.get_by_role("link")
    assert links.count() == 6
    assert all(links.nth(index).is_visible() for index in range(links.count()))


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize(
    ("prefix", "label", "button"),
    [("", "サイト内を検索", "検索"), ("/en", "Search this site", "Search")],
)
def test_the_header_search_box_is_labelled_and_searches(
    browser, live_server, seeded_live, width, prefix, label, button
):
    page = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 844}
    ).new_page()
    page.goto(f"{prefix}/donations/")
    search = page.get_by_role("search")
    box = search.get_by_role("searchbox", name=label)
    assert box.is_visible()
    box.fill("波力")
    search.get_by_role("button", name=button).click()
    page.wait_for_url(f"**{prefix}/search/?q=*")
    assert page.get_by_role("heading", level=1).is_visible()
    page.context.close()
