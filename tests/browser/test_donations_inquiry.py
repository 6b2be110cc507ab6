"""The donation inquiry form in a real browser: accessible, usable with the keyboard alone."""

import pytest
from playwright.sync_api import Page

from donations.models import DonationInquiry

from .conftest import axe_violations

pytestmark = pytest.mark.usefixtures("seeded_live")


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    # The time trap would make the test wait; it is tested on its own in tests/donations.
    settings.DONATION_INQUIRY_MIN_FILL_SECONDS = 0


def assert_accessible(page: Page) -> None:
    report = axe_violations(page)
    assert report == "", report


def tab_to(page: Page, element_id: str, limit: int = 80) -> None:
    """Move the focus with the Tab key alone until it reaches the element."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


def fill_by_keyboard(page: Page, language: str) -> None:
    typed = {
        "id_company_name": "株式会社湘南テクノ" if language == "ja" else "Shonan Techno Co., Ltd.",
        "id_company_name_kana": "しょうなんてくの",
        "id_postal_code": "220-0012",
        "id_head_office_address": "神奈川県横浜市西区みなとみらい1-1-1",
        "id_contact_name": "山田 花子",
        "id_contact_name_kana": "やまだ はなこ",
        "id_email": "hanako@shonan-techno.example.jp",
        "id_phone": "045-000-0000",
        "id_planned_amount": "1000000",
    }
    for element_id, text in typed.items():
        tab_to(page, element_id)
        page.keyboard.type(text)
    tab_to(page, "id_files_blue_return_0")
    page.keyboard.press("Space")
    tab_to(page, "id_projects_0")
    page.keyboard.press("Space")
    tab_to(page, "id_privacy_consent")
    page.keyboard.press("Space")
    tab_to(page, "submit-id-confirm")
    page.keyboard.press("Enter")


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_form_page_is_accessible_on_a_desktop_and_a_phone(visit_at_width, prefix):
    visit_at_width.page.goto(f"{prefix}/donations/inquiry/")
    assert_accessible(visit_at_width.page)


@pytest.mark.parametrize(("prefix", "language"), [("", "ja"), ("/en", "en")])
def test_the_form_is_completed_with_the_keyboard_alone(visit, prefix, language):
    page = visit.page
    page.goto(f"{prefix}/donations/inquiry/")
    assert_accessible(page)
    fill_by_keyboard(page, language)
    # The 確認 page: everything typed, read-only; nothing stored until 「送信する」.
    page.wait_for_url(f"**{prefix}/donations/inquiry/confirm/")
    assert page.locator("dd", has_text="hanako@shonan-techno.example.jp").is_visible()
    assert DonationInquiry.objects.count() == 0
    assert_accessible(page)
    page.get_by_role("button", name="送信する" if language == "ja" else "Send").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{prefix}/donations/inquiry/thanks/")
    reference = page.locator(".reference-number strong").inner_text()
    assert reference.startswith("D")
    assert DonationInquiry.objects.count() == 1
    assert DonationInquiry.objects.get().reference == reference
    assert_accessible(page)
    # Back from the thanks page reaches a GET (every step redirected): nothing is sent again.
    page.go_back()
    page.wait_for_url(f"**{prefix}/donations/inquiry/")
    assert DonationInquiry.objects.count() == 1
    assert visit.foreign_requests() == []
    assert visit.console_errors == []


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_errors_are_announced_and_lead_to_their_fields(visit, prefix):
    page = visit.page
    page.goto(f"{prefix}/donations/inquiry/")
    tab_to(page, "submit-id-confirm")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    summary = page.get_by_role("alert")
    assert summary.is_visible()
    assert_accessible(page)
    # Each error in the summary links to its field.
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_company_name"
    assert page.locator("#id_company_name").get_attribute("aria-invalid") == "true"


def test_the_address_is_filled_in_place_from_the_postal_code(visit):
    page = visit.page
    page.goto("/donations/inquiry/")
    page.locator("#id_company_name").fill("株式会社湘南テクノ")
    page.locator("#id_postal_code").fill("2540045")
    page.get_by_role("button", name="住所を自動入力").click()
    address = page.locator("#id_head_office_address")
    page.wait_for_function("document.getElementById('id_head_office_address').value !== ''")
    assert address.input_value() == "神奈川県平塚市見附町"
    # In place: what was typed elsewhere is still there, and the focus moved on to the address.
    assert page.locator("#id_company_name").input_value() == "株式会社湘南テクノ"
    assert page.evaluate("document.activeElement.id") == "id_head_office_address"
    page.locator("#id_postal_code").fill("0000000")
    page.get_by_role("button", name="住所を自動入力").click()
    status = page.get_by_role("status")
    status.filter(has_text="住所が見つかりませんでした").wait_for()
    assert_accessible(page)
    assert visit.foreign_requests() == []
    assert visit.console_errors == []
