"""The receipt (受領証) mailed to the company with the letter of thanks (礼状): issued and sent
from the donation list in one step, or sent again from the receipt's page; the letter's wording
a site text staff edit, in the company's language; every step with its author."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from core.japanese import date_label
from donations.models import DonationReceipt, DonorLetter, InquiryNotification
from donations.services import (
    notification_deliver,
    receipt_issue,
    receipt_issue_and_send,
    receipt_send,
)
from tests.admin_tools import admin_url, open_page, page_messages, post_change_form
from tests.core.pdf_tools import assert_text
from tests.projects.factories import ProjectFactory

from .factories import DonationFactory, DonationInquiryFactory, DonorFactory
from .inquiry_tools import run_worker

pytestmark = pytest.mark.django_db

ACTION = "issue_and_send_receipts"


def pledged_donation(*, language: str = "ja", **overrides):
    """A donation recorded from a company's inquiry (in ``language``), not yet receipted."""
    inquiry = DonationInquiryFactory(
        language=language,
        company_name="株式会社湘南テクノ" if language == "ja" else "Shonan Techno Co., Ltd.",
        contact_name="山田 花子" if language == "ja" else "Hanako Yamada",
        email="hanako@shonan-techno.example.jp",
        status="donated",
    )
    fields = {
        "donor": DonorFactory(name_ja="株式会社湘南テクノ", name_en="Shonan Techno Co., Ltd."),
        "fiscal_year": 2024,
        "amount": 1_500_000,
        "received_on": dt.date(2024, 10, 1),
        "receipt_number": "",
        "inquiry": inquiry,
        "projects": [
            ProjectFactory(title_ja="第3世代波力発電", title_en="Third-generation wave power")
        ],
    }
    return DonationFactory(**(fields | overrides))


def run_action(client, *donations, action: str = ACTION):
    return client.post(
        reverse("admin:donations_donation_changelist"),
        {"action": action, "_selected_action": [str(d.pk) for d in donations]},
        follow=True,
    )


def receipt_mails(donation) -> list[InquiryNotification]:
    return list(
        InquiryNotification.objects.filter(
            inquiry=donation.inquiry, kind=InquiryNotification.Kind.RECEIPT
        ).order_by("pk")
    )


def deliver(notification: InquiryNotification):
    """Send the queued mail as the worker does; the message the company receives."""
    assert notification_deliver(notification_id=notification.pk) == "sent"
    return mail.outbox[-1]


# --- The action on the donation list --------------------------------------------------------------


def test_the_action_issues_the_receipt_and_mails_it_with_the_japanese_letter(
    seeded, staff_client, staff
):
    donation = pledged_donation()

    response = run_action(staff_client, donation)

    receipt = donation.receipts.get()
    assert receipt.kind == DonationReceipt.Kind.ORIGINAL and receipt.issued_by == staff
    number = receipt.snapshot["receipt_number"]
    assert (
        "success",
        f"{donation}：受領証（原本、{number}）を発行し、お問い合わせ "
        f"{donation.inquiry.reference} のメールアドレスあてに礼状を添えて送付します"
        "（送信は自動で行い、状況はお問い合わせのページに表示します）。",
    ) in page_messages(response)
    (notification,) = receipt_mails(donation)
    assert notification.requested_by == staff
    assert mail.outbox == []  # queued: sent by the worker after commit

    message = deliver(notification)
    assert message.to == ["hanako@shonan-techno.example.jp"]
    assert message.subject == f"【平塚市】寄附金受領証の送付と御礼（受領証番号 {number}）"
    for text in (
        "株式会社湘南テクノ\n山田 花子 様",
        "拝啓",
        "企業版ふるさと納税",
        "平塚市の「第3世代波力発電」に",
        "寄附金額：1,500,000円",
        f"受領日：{date_label(dt.date(2024, 10, 1), 'ja')}",
        f"受領証番号：{number}",
        "税額控除",
        "敬具",
        "平塚市長",
        "産業振興課 企業支援・労政担当",
        "0463-21-9758",
    ):
        assert text in message.body, text
    assert "{" not in message.body
    ((name, content, mimetype),) = message.attachments
    assert name == f"受領証_{number}.pdf" and mimetype == "application/pdf"
    assert content == receipt.file.open("rb").read()
    assert_text(content, "受領証", number, "株式会社湘南テクノ 様", "1,500,000円")


@pytest.mark.django_db(transaction=True)
def test_an_english_speaking_company_gets_the_english_letter_through_the_worker(
    seeded, staff_client
):
    donation = pledged_donation(language="en")

    run_action(staff_client, donation)
    run_worker()

    receipt = donation.receipts.get()
    number = receipt.snapshot["receipt_number"]
    (message,) = mail.outbox
    assert message.to == ["hanako@shonan-techno.example.jp"]
    assert message.subject == (
        f"[Hiratsuka City] Your donation receipt and our thanks (receipt no. {number})"
    )
    for text in (
        "Shonan Techno Co., Ltd.\nDear Hanako Yamada,",
        "donation to Third-generation wave power",
        "Amount: ¥1,500,000",
        "Date received: October 1, 2024",
        f"Receipt number: {number}",
        "Yours sincerely,",
        "Mayor of Hiratsuka City",
        "Phone: 0463-21-9758",
    ):
        assert text in message.body, text
    assert "拝啓" not in message.body
    # The receipt itself is an official document: Japanese, exactly as issued.
    ((name, content, _mimetype),) = message.attachments
    assert name == f"受領証_{number}.pdf"
    assert content == receipt.file.open("rb").read()
    assert receipt_mails(donation)[0].state == InquiryNotification.State.SENT


def test_a_donation_without_an_inquiry_is_refused_with_a_reason_and_nothing_is_done(
    seeded, staff_client
):
    typed_in = DonationFactory(receipt_number="")
    undated = pledged_donation(received_on=None)
    sendable = pledged_donation()

    response = run_action(staff_client, typed_in, undated, sendable)

    messages = page_messages(response)
    assert (
        "error",
        f"{typed_in}：受領証を発行・送付できませんでした。この寄附はお問い合わせから記録された"
        "ものではないため、企業のメールアドレスがわかりません。受領証は郵送などでお渡しください。",
    ) in messages
    assert any(
        level == "error" and str(undated) in text and "受領日が登録されていない" in text
        for level, text in messages
    )
    assert not typed_in.receipts.exists() and not undated.receipts.exists()
    typed_in.refresh_from_db()
    assert typed_in.receipt_number == ""  # no number taken for a receipt never issued
    assert receipt_mails(undated) == []
    assert InquiryNotification.objects.filter(kind="receipt").count() == 1
    assert sendable.receipts.count() == 1


def test_an_anonymised_inquiry_has_no_address_left_to_send_to(seeded, staff_client):
    from django.utils import timezone

    donation = pledged_donation()
    donation.inquiry.anonymised_at = timezone.now()
    donation.inquiry.save(update_fields=["anonymised_at"])

    response = run_action(staff_client, donation)

    assert any(
        level == "error" and "保存期間の経過により消去" in text
        for level, text in page_messages(response)
    )
    assert not donation.receipts.exists()


def test_the_action_is_offered_beside_issuing(staff_client, db):
    DonationFactory()
    page = staff_client.get(reverse("admin:donations_donation_changelist")).content.decode()
    offered = '<option value="issue_and_send_receipts">受領証を発行してメールで送付する</option>'
    assert offered in page
    assert '<option value="issue_receipts">受領証を発行する</option>' in page


@pytest.mark.parametrize("role", ["編集者", "閲覧者"])
def test_editors_and_viewers_can_neither_issue_nor_send(seeded, user_with_role, staff, role):
    client = user_with_role(role)
    donation = pledged_donation()
    receipt = receipt_issue(donation=donation, issued_by=staff)

    changelist = client.get(reverse("admin:donations_donation_changelist"))
    if changelist.status_code == 200:
        assert ACTION not in changelist.content.decode()
        run_action(client, donation)
    receipt_page = client.get(admin_url(DonationReceipt, "change", receipt.pk))
    if receipt_page.status_code == 200:  # a viewer reads the receipt, without the button
        assert "礼状を添えてメールで送付する" not in receipt_page.content.decode()
    send = client.post(reverse("admin:donations_donationreceipt_send", args=[receipt.pk]))
    assert send.status_code == 403

    assert donation.receipts.count() == 1
    assert receipt_mails(donation) == []


def test_the_donations_officer_can_issue_and_send(seeded, user_with_role):
    officer = user_with_role("寄附担当")
    donation = pledged_donation()

    run_action(officer, donation)

    (notification,) = receipt_mails(donation)
    assert notification.requested_by == officer.user
    assert donation.receipts.get().issued_by == officer.user


# --- Sending an issued receipt again ----------------------------------------------------------


def test_an_issued_receipt_is_sent_from_its_page_and_a_reissue_says_so(seeded, staff_client, staff):
    donation = pledged_donation()
    original = receipt_issue(donation=donation, issued_by=staff)
    reissue = receipt_issue(donation=donation, issued_by=staff)
    number = original.snapshot["receipt_number"]

    page = open_page(staff_client, admin_url(DonationReceipt, "change", reissue.pk))
    send_url = reverse("admin:donations_donationreceipt_send", args=[reissue.pk])
    assert f'action="{send_url}"' in page.content.decode()
    assert "礼状を添えてメールで送付する" in page.content.decode()
    assert staff_client.get(send_url).status_code == 405  # a GET sends nothing

    response = staff_client.post(send_url, follow=True)

    assert (
        "success",
        f"受領証_{number}_再発行.pdf を、お問い合わせ {donation.inquiry.reference} の"
        "メールアドレスあてに礼状を添えて送付します（送信は自動で行い、状況はお問い合わせの"
        "ページに表示します）。",
    ) in page_messages(response)
    message = deliver(receipt_mails(donation)[0])
    assert message.subject.endswith("（再発行）")
    original_on = date_label(dt.datetime.fromisoformat(original.snapshot["issued_on"]), "ja")
    assert message.body.startswith(
        f"※ 添付の受領証は再発行したものです（原本の発行日：{original_on}）。"
    )
    ((name, content, _mimetype),) = message.attachments
    assert name == f"受領証_{number}_再発行.pdf"
    assert content == reissue.file.open("rb").read() != original.file.open("rb").read()


def test_the_receipt_list_can_send_the_selected_receipts(seeded, staff_client, staff):
    donation = pledged_donation()
    receipt = receipt_issue(donation=donation, issued_by=staff)
    typed_in = DonationFactory()
    unsendable = receipt_issue(donation=typed_in, issued_by=staff)

    response = staff_client.post(
        reverse("admin:donations_donationreceipt_changelist"),
        {"action": "send_receipts", "_selected_action": [receipt.pk, unsendable.pk]},
        follow=True,
    )

    assert len(receipt_mails(donation)) == 1
    assert any(
        level == "error" and "企業のメールアドレスがわかりません" in text
        for level, text in page_messages(response)
    )


def test_a_receipt_file_changed_on_disk_is_not_mailed(seeded, staff):
    from django.core.exceptions import ValidationError

    donation = pledged_donation()
    receipt = receipt_issue(donation=donation, issued_by=staff)
    with open(receipt.file.path, "ab") as stored:
        stored.write(b"tampered")

    with pytest.raises(ValidationError, match="発行時のものと一致しない"):
        receipt_send(receipt=receipt, sent_by=staff)
    assert receipt_mails(donation) == []


# --- The audit trail --------------------------------------------------------------------------


def test_the_donation_and_the_inquiry_pages_say_who_had_the_receipt_sent(
    seeded, staff_client, user_with_role
):
    officer = user_with_role("寄附担当", username="shomu")
    donation = pledged_donation()
    run_action(officer, donation)
    number = donation.receipts.get().snapshot["receipt_number"]

    text = open_page(staff_client, admin_url(type(donation), "change", donation.pk)).content
    text = text.decode()
    assert "受領証の送付（メール）" in text
    assert f"<td>受領証_{number}.pdf</td><td>送信待ち</td><td>shomu</td>" in text
    # The address is the inquiry's personal data, shown only on its page.
    assert "hanako@shonan-techno.example.jp" not in text

    inquiry_page = open_page(
        staff_client, admin_url(type(donation.inquiry), "change", donation.inquiry.pk)
    ).content.decode()
    assert "受領証と礼状の送付（企業あて）" in inquiry_page
    assert f"受領証_{number}.pdf" in inquiry_page and "shomu" in inquiry_page


def test_issuing_and_sending_outside_a_request_still_names_its_author(seeded, staff):
    donation = pledged_donation()

    receipt, notification = receipt_issue_and_send(donation=donation, issued_by=staff)

    assert receipt.issued_by == staff and notification.requested_by == staff
    # The receipt number given to the donation is a change of the record, by the same person.
    latest = donation.history.first()
    assert latest.receipt_number == receipt.snapshot["receipt_number"]
    assert latest.history_user == staff


# --- The letter's wording, a site text --------------------------------------------------------


def test_the_letter_is_there_from_the_start_in_both_languages(db):
    letter = DonorLetter.objects.get()
    assert letter.body_ja.startswith("{法人名}\n{ご担当者名} 様\n\n拝啓")
    assert "敬具" in letter.body_ja and "平塚市長" in letter.body_ja
    assert "Dear {ご担当者名}," in letter.body_en
    assert "{受領証番号}" in letter.subject_ja and "{受領証番号}" in letter.subject_en


def test_a_staff_edit_of_the_letter_changes_the_next_mail_and_is_in_its_history(
    seeded, staff_client, user_with_role
):
    officer = user_with_role("寄附担当", username="shomu")
    letter = DonorLetter.objects.get()
    new_body = letter.body_ja.replace("拝啓", "拝啓　新春の候、")
    new_subject = "【平塚市】ご寄附への御礼（{受領証番号}）"

    response = post_change_form(officer, letter, body_ja=new_body, subject_ja=new_subject)

    assert response.status_code == 302
    assert letter.history.first().history_user == officer.user
    history = open_page(staff_client, admin_url(DonorLetter, "history", letter.pk))
    assert "shomu" in history.content.decode()
    donation = pledged_donation()
    run_action(staff_client, donation)
    message = deliver(receipt_mails(donation)[0])
    number = donation.receipts.get().snapshot["receipt_number"]
    assert message.subject == f"【平塚市】ご寄附への御礼（{number}）"
    assert "拝啓　新春の候、" in message.body


@pytest.mark.parametrize(
    ("field", "text", "error"),
    [
        ("body_ja", "{法人名} 様 {寄附者の住所}", "差込み項目「{寄附者の住所}」は使えません。"),
        ("body_en", "Dear {company},", "差込み項目「{company}」は使えません。"),
        ("body_en", "Dear {法人名.__class__}", "差込み項目「{法人名.__class__}」は使えません。"),
        ("subject_en", "Receipt {寄附金額:>20}", "差込み項目「{寄附金額:>20}」は使えません。"),
        ("subject_ja", "受領証 {受領証番号", "波括弧（{ }）の対応が正しくありません。"),
        ("body_ja", "{{ inquiry.email }}", None),  # escaped braces are plain text
        ("body_en", "", "このフィールドは必須です。"),
    ],
)
def test_the_admin_refuses_unknown_placeholders_and_broken_braces(
    staff_client, db, field, text, error
):
    letter = DonorLetter.objects.get()
    before = getattr(letter, field)

    response = post_change_form(staff_client, letter, **{field: text})

    letter.refresh_from_db()
    if error is None:
        assert response.status_code == 302
        assert getattr(letter, field) == text
        return
    assert response.status_code == 200
    assert error in " ".join(response.context["adminform"].form.errors[field])
    assert getattr(letter, field) == before


def test_the_letter_admin_shows_a_preview_and_the_placeholders(staff_client, db):
    letter = DonorLetter.objects.get()
    page = open_page(staff_client, admin_url(DonorLetter, "change", letter.pk)).content.decode()
    assert "{法人名}、{ご担当者名}、{寄附金額}" in page  # the help text lists them
    assert "株式会社サンプル" in page and "1,000,000円" in page and "¥1,000,000" in page
    assert "Dear " in page
    assert staff_client.get(admin_url(DonorLetter, "add")).status_code == 403
    assert staff_client.get(admin_url(DonorLetter, "delete", letter.pk)).status_code == 403


@pytest.mark.parametrize(("role", "may_edit"), [("寄附担当", True), ("編集者", False)])
def test_the_letter_is_the_donations_officers_to_edit(user_with_role, db, role, may_edit):
    client = user_with_role(role)
    letter = DonorLetter.objects.get()
    if may_edit:
        response = post_change_form(client, letter, body_ja=letter.body_ja + "\n追伸")
        assert response.status_code == 302
        assert letter.history.first().history_user == client.user
    else:
        assert client.get(admin_url(DonorLetter, "change", letter.pk)).status_code == 403
