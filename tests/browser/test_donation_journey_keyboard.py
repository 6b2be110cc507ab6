"""The staff side of the donation journey as a 寄附担当 (donations officer) does it in a real
browser with the keyboard alone: sign in, open the inquiry from the list, accept the pledge
with its payment method, e-mail the 寄附申出書, record the donation that came in, issue its
receipt and mail it with the letter of thanks — with axe run on every admin page on the way,
and on the page where the company downloads its application."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from donations.models import Donation, DonationInquiry, InquiryNotification, InquiryStatus
from tests.donations.factories import DonationInquiryFactory
from tests.donations.inquiry_tools import run_worker
from tests.projects.factories import ProjectFactory
from tests.two_factor_tools import current_code, totp_device

from .conftest import axe_violations
from .keyboard_tools import choose, follow, press, tab_to, type_date, type_into

PASSWORD = "nami-no-chikara-2026"


@pytest.fixture
def officer(transactional_db, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user(
        username="kifu", password=PASSWORD, is_staff=True, last_name="平塚", first_name="一郎"
    )
    user.groups.add(Group.objects.get(name="寄附担当"))
    # 寄附担当 sign in with an authenticator app's code besides the password.
    totp_device(user)
    return user


@pytest.fixture
def keyboard_visit(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def inquiry(transactional_db):
    project = ProjectFactory(slug="wave", title_ja="第3世代波力発電の実証")
    inquiry = DonationInquiryFactory(
        company_name="湘南マリン技研株式会社",
        corporate_number="7000012050002",
        status=InquiryStatus.CONTACTING,
        planned_amount=3_000_000,
        consent_publish_name=True,
        consent_publish_amount=False,
    )
    inquiry.projects.set([project])
    return inquiry


def assert_accessible(page) -> None:
    report = axe_violations(page)
    assert report == "", f"{page.url}\n{report}"


def test_a_donations_officer_does_the_staff_side_with_the_keyboard_alone(
    keyboard_visit, officer, inquiry, mailoutbox
):
    page = keyboard_visit
    today = timezone.localdate()

    # Sign in.
    page.goto("/admin/login/")
    type_into(page, page.get_by_label("ユーザー名"), "kifu")
    type_into(page, page.get_by_label("パスワード"), PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/admin/two-factor/verify/" in page.url
    assert_accessible(page)
    type_into(page, page.get_by_label("確認コード（6桁）"), current_code(totp_device(officer)))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/admin/")
    assert_accessible(page)

    # From the dashboard to the inquiry list, and the inquiry.
    press(page, page.locator("#content").get_by_role("link", name="寄附のお問い合わせ").first)
    page.wait_for_url("**/admin/donations/donationinquiry/")
    assert_accessible(page)
    press(page, page.get_by_role("link", name=inquiry.reference))
    page.wait_for_url(f"**/admin/donations/donationinquiry/{inquiry.pk}/change/")
    assert_accessible(page)

    # Accept the pledge: the status, how the company pays and the day the city asked.
    choose(page, page.get_by_label("対応状況:"), "寄附の申出あり")
    choose(page, page.get_by_label("納付方法:"), "振込")
    type_date(page, page.get_by_label("納付依頼日:"), today.isoformat())
    type_into(page, page.get_by_label("対応メモを追加:"), "申出書を受領。振込で納付予定。")
    follow(page, page.get_by_role("button", name="保存して編集を続ける"))
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.PLEDGED
    assert inquiry.payment_method == "transfer"
    assert inquiry.payment_requested_on == today
    assert_accessible(page)
    # Accepting the pledge issued the application; one more key press mails it.
    (application,) = inquiry.applications.all()
    follow(page, page.get_by_role("button", name="寄附申出書をメールで送付する"))
    assert "寄附申出書のメールを" in page.locator(".messagelist").inner_text()
    assert_accessible(page)

    # The money came in: record it as the donation, with the amount actually paid.
    press(page, page.get_by_role("link", name="寄附として記録する"))
    page.wait_for_url(f"**/{inquiry.pk}/record-donation/")
    assert_accessible(page)
    type_into(page, page.get_by_label("受領した金額（円）"), "2500000")
    type_date(page, page.get_by_label("受領日"), today.isoformat())
    follow(page, page.get_by_role("button", name="寄附として記録する"))
    donation = Donation.objects.get(inquiry=inquiry)
    assert donation.amount == 2_500_000
    assert (donation.publish_name, donation.publish_amount) == (True, False)
    assert DonationInquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.DONATED
    assert_accessible(page)

    # Issue the receipt from the donation list and mail it: tick the row with Space, choose
    # the action with the arrow keys, run it.
    follow(page, page.locator('#nav-sidebar a[href$="/admin/donations/donation/"]'))
    page.wait_for_url("**/admin/donations/donation/")
    assert_accessible(page)
    press(page, page.get_by_role("checkbox", name=str(donation)), " ")
    choose(page, page.get_by_label("操作:"), "受領証を発行してメールで送付する")
    follow(page, page.get_by_role("button", name="実行"))
    (receipt,) = donation.receipts.all()
    assert_accessible(page)

    # The worker sends both e-mails: the application, then the receipt with the letter.
    run_worker()
    sent = {n.kind: n for n in inquiry.notifications.filter(state=InquiryNotification.State.SENT)}
    assert sent["application"].requested_by == officer
    assert sent["receipt"].requested_by == officer
    application_mail, receipt_mail = [m for m in mailoutbox if m.to == [inquiry.email]][-2:]
    assert application_mail.attachments[0][2] == "application/pdf"
    assert receipt_mail.attachments[0][1] == receipt.file.open("rb").read()

    # The company opens the private link of the application e-mail.
    link = re.search(r"https?://\S+/donations/application/\S+/", application_mail.body).group(0)
    page.goto(link)
    assert "寄附申出書" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    download = page.get_by_role("link", name=re.compile("ダウンロード"))
    tab_to(page, download)
    with page.expect_download() as started:
        page.keyboard.press("Enter")
    assert started.value.path().read_bytes() == application.file.open("rb").read()
