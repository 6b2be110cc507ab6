"""The second step of a staff sign-in in a real browser: the code of the account's
authenticator app (tests/two_factor_tools.py gives the account one with a known secret)."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.two_factor_tools import current_code, totp_device

CODE_LABEL = "確認コード（6桁）"


def enter_the_code(page: Page, user) -> None:
    """On the code step the password led to: the app's code typed in and sent."""
    page.wait_for_url("**/admin/two-factor/verify/**")
    page.get_by_label(CODE_LABEL).fill(current_code(totp_device(user)))
    page.get_by_role("button", name="ログイン").click()
