"""The admin's sign-in page and the donation import preview in a real browser: accessible
(axe-core), and the sign-in goes through the real form (django-axes checks every attempt)."""

from base64 import b32decode

import pytest
from playwright.sync_api import Page

from donations.models import Donation
from tests.donations.factories import DonorFactory
from tests.spreadsheet_tools import csv_bytes
from tests.two_factor_tools import code_for_key, totp_device

from .conftest import axe_violations
from .two_factor_steps import enter_the_code

PASSWORD = "umi-no-kaze-2026"


@pytest.fixture
def superuser(transactional_db, django_user_model, settings):
    """A superuser with an authenticator app (superusers must sign in with its code)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_superuser(
        username="sangyo", email="sangyo@example.jp", password=PASSWORD
    )
    totp_device(user)
    return user


def sign_in(page: Page, password: str = PASSWORD) -> None:
    page.goto("/admin/login/")
    page.get_by_label("ユーザー名").fill("sangyo")
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()


def test_the_sign_in_page_is_accessible(visit, superuser):
    visit.page.goto("/admin/login/")
    report = axe_violations(visit.page)
    assert report == "", report


def test_the_lockout_page_is_accessible_and_japanese(visit, superuser):
    for _ in range(5):
        sign_in(visit.page, "wrong-password")
    sign_in(visit.page)
    assert "30分間ロックされています" in visit.page.content()
    report = axe_violations(visit.page)
    assert report == "", report


def test_the_code_step_is_accessible_and_leads_to_the_admin(visit, superuser):
    page = visit.page
    sign_in(page)
    page.wait_for_url("**/admin/two-factor/verify/**")
    code = page.get_by_label("確認コード（6桁）")
    assert code.get_attribute("autocomplete") == "one-time-code"
    assert code.get_attribute("inputmode") == "numeric"
    report = axe_violations(page)
    assert report == "", report
    # A wrong code: the error is read with the field.
    code.fill("000000" if code_for_key(totp_device(superuser).key) != "000000" else "111111")
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_load_state()
    assert page.get_by_label("確認コード（6桁）").get_attribute("aria-invalid") == "true"
    report = axe_violations(page)
    assert report == "", report
    page.get_by_role("link", name="回復コードでログインする").click()
    page.wait_for_url("**/admin/two-factor/recovery/**")
    report = axe_violations(page)
    assert report == "", report
    assert visit.console_errors == []


def test_the_enrolment_is_accessible_and_its_qr_code_drawn_here(visit, django_user_model):
    django_user_model.objects.create_superuser(
        username="kanri", email="kanri@example.jp", password=PASSWORD
    )
    page = visit.page
    page.goto("/admin/login/")
    page.get_by_label("ユーザー名").fill("kanri")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/admin/two-factor/enrol/**")
    qr = page.get_by_role("img", name="認証アプリで読み取るQRコード")
    box = qr.bounding_box()
    assert box["width"] >= 250 and box["width"] == box["height"]
    report = axe_violations(page)
    assert report == "", report
    assert visit.foreign_requests() == []
    assert visit.console_errors == []  # nothing refused by the CSP
    secret = page.locator(".two-factor-secret").inner_text().replace(" ", "")
    page.get_by_label("確認コード（6桁）").fill(code_for_key(b32decode(secret).hex()))
    page.get_by_role("button", name="設定を完了する").click()
    page.wait_for_url("**/admin/two-factor/recovery-codes/**")
    assert page.locator(".two-factor-codes li").count() == 10
    report = axe_violations(page)
    assert report == "", report
    page.get_by_role("link", name="保存しました。続ける").click()
    page.wait_for_url("**/admin/")


def test_the_import_preview_is_accessible(visit, superuser, tmp_path):
    DonorFactory(name_ja="株式会社湘南テクノ")
    page = visit.page
    sign_in(page)
    enter_the_code(page, superuser)
    page.wait_for_url("**/admin/")
    page.goto("/admin/donations/donation/import/")
    assert "取り込みの書式" in page.content()
    report = axe_violations(page)
    assert report == "", report
    sheet = tmp_path / "寄附.csv"
    sheet.write_bytes(
        csv_bytes(
            [
                ["年度", "寄附者", "金額（円）", "名称を公表する"],
                ["2023", "株式会社湘南テクノ", "1000000", "はい"],
                ["2023", "株式会社湘南テクノ", "50000", "はい"],
            ],
            "cp932",
        )
    )
    page.set_input_files("#id_import_file", str(sheet))
    page.select_option("#id_format", "0")
    page.get_by_role("button", name="確定").click()
    page.wait_for_load_state()
    content = page.content()
    assert "エラーのある行があります" in content
    assert "企業版ふるさと納税の寄附は100,000円以上です。" in content
    report = axe_violations(page)
    assert report == "", report
    # The good file's preview, with its confirmation.
    sheet.write_bytes(
        csv_bytes([["年度", "寄附者", "金額（円）"], ["2023", "株式会社湘南テクノ", "1000000"]])
    )
    page.set_input_files("#id_import_file", str(sheet))
    page.select_option("#id_format", "0")
    page.get_by_role("button", name="確定").click()
    page.wait_for_load_state()
    assert "プレビュー" in page.content()
    report = axe_violations(page)
    assert report == "", report
    page.get_by_role("button", name="インポート実行").click()
    page.wait_for_url("**/admin/donations/donation/")
    assert Donation.objects.count() == 1
