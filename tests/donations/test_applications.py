"""The 寄附申出書 (donation application, 様式第1号): produced when staff accept an inquiry as a
pledge, pre-filled from it as a tagged PDF, frozen once issued, re-issued after a correction,
e-mailed to the company with the PDF attached, and downloadable by the company from a private
link that expires."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import quote

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.japanese import date_label
from donations.models import (
    DonationApplication,
    DonationInquiry,
    InquiryNotification,
    InquiryStatus,
)
from donations.services import (
    application_issue,
    application_send,
    inquiry_change_status,
    notification_deliver,
)
from donations.services.applications import application_link_path
from donations.services.retention import inquiry_anonymise
from tests.admin_tools import page_messages, post_change_form
from tests.core.factories import SiteProfileFactory
from tests.core.pdf_tools import assert_accessible_japanese_pdf, assert_text, pdf_info, squeezed

from .application_tools import link_in, pledged_inquiry, run_action
from .factories import DonationInquiryFactory
from .inquiry_tools import CONFIRM, FORM, send, valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def city_contact(db):
    """The city's contact, which the form, the e-mail and the pages give."""
    return SiteProfileFactory()


# --- The PDF ---------------------------------------------------------------------------------


def test_the_application_is_a_tagged_pdf_prefilled_from_the_inquiry(staff):
    application = application_issue(inquiry=pledged_inquiry(), issued_by=staff)
    content = application.file.read()
    assert hashlib.sha256(content).hexdigest() == application.sha256
    text = assert_text(
        content,
        "様式第1号",
        "寄附申出書",
        "平塚市長 あて",
        squeezed(date_label(timezone.localdate(), "ja")),
        "株式会社湘南テクノ",
        "カブシキガイシャショウナンテクノ",
        "〒220-0012 神奈川県横浜市西区みなとみらい1-1-1",
        "代表取締役 湘南 一郎",
        "7000012050002",
        "第3世代波力発電",
        "2,400,000円（240万円）",
        "令和8年度（2026年度）",
        "納付方法振込",
        "法人名の公表公表に同意する",
        "寄附額の公表公表に同意しない",
        "D26-APL234",
        "ここに記名押印または署名してください",
        "産業振興課",
        "0463-21-9758",
    )
    # Everything the company told the city is printed: no blank but the seal or signature.
    assert "（ご記入ください）" not in text
    assert_accessible_japanese_pdf(content, title="寄附申出書 株式会社湘南テクノ", language="ja")
    assert pdf_info(content)["Pages"] == "1"
    assert application.snapshot["company_name"] == "株式会社湘南テクノ"
    assert application.snapshot["amount"] == 2_400_000


def test_what_the_inquiry_left_empty_is_a_blank_for_the_company_to_fill(db, staff):
    inquiry = pledged_inquiry(
        representative="", corporate_number="", payment_method="", projects=[]
    )
    text = assert_text(
        application_issue(inquiry=inquiry, issued_by=staff).file.read(),
        "代表者の役職・氏名",
        "法人番号",
        "寄附の対象とする事業",
        "□納付書",
        "□振込",
        "□その他",
        "（いずれかに印を付けてください）",
        "ここに記名押印または署名してください",
    )
    # The representative, the 法人番号 and the projects: each a marked blank, never "None".
    assert text.count("（ご記入ください）") == 3
    assert "None" not in text


def test_an_application_only_for_a_pledged_inquiry(db, staff, stored_files):
    inquiry = DonationInquiryFactory(status=InquiryStatus.CONTACTING)
    with pytest.raises(ValidationError) as error:
        application_issue(inquiry=inquiry, issued_by=staff)
    assert error.value.code == "not_pledged"
    assert "「寄附の申出あり」のお問い合わせにだけ" in error.value.messages[0]
    with pytest.raises(ValidationError):
        application_send(inquiry=inquiry, sent_by=staff, link_url="https://example.invalid/")
    assert not DonationApplication.objects.exists()
    assert not InquiryNotification.objects.filter(kind="application").exists()
    assert stored_files() == []


# --- The pledge step, re-issuing, freezing ------------------------------------------------------


def test_moving_an_inquiry_to_pledged_issues_its_application(db, staff):
    inquiry = pledged_inquiry(status=InquiryStatus.CONTACTING)
    inquiry_change_status(inquiry=inquiry, to_status=InquiryStatus.PLEDGED, changed_by=staff)
    application = inquiry.applications.get()
    assert application.issued_by == staff
    # The audit trail of the inquiry names who pledged it.
    assert inquiry.history.latest().history_user == staff


def test_the_follow_up_form_issues_it_with_the_payment_method_chosen_in_the_same_save(
    staff_client, staff
):
    inquiry = pledged_inquiry(status=InquiryStatus.CONTACTING, payment_method="")
    response = post_change_form(
        staff_client,
        inquiry,
        representative="代表取締役 湘南 二郎",
        status=InquiryStatus.PLEDGED,
        payment_method="invoice",
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    application = inquiry.applications.get()
    assert application.snapshot["payment_method_label"] == "納付書"
    assert application.snapshot["representative"] == "代表取締役 湘南 二郎"
    assert_text(application.file.read(), "納付方法納付書", "代表取締役 湘南 二郎")
    inquiry.refresh_from_db()
    assert inquiry.representative == "代表取締役 湘南 二郎"
    assert inquiry.history.latest().history_user == staff


def test_reissuing_makes_a_new_frozen_application_and_keeps_the_old_one(staff_client, staff):
    inquiry = pledged_inquiry(representative="")
    first = application_issue(inquiry=inquiry, issued_by=staff)
    first_bytes = first.file.read()

    inquiry.representative = "代表取締役 湘南 一郎"
    inquiry.save()
    response = run_action(staff_client, "reissue_applications", inquiry)
    assert ("success", "寄附申出書を1件作成しました。") in page_messages(response)

    first.refresh_from_db()
    second = inquiry.applications.latest_first().first()
    assert second != first
    assert list(inquiry.applications.all()) == [first, second]
    with first.file.open("rb") as stored:
        assert stored.read() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first.sha256
    assert first.snapshot["representative"] == ""
    assert_text(second.file.read(), "代表取締役 湘南 一郎")

    # Frozen: never saved again; the inquiry cannot be deleted from under it.
    first.sha256 = "0" * 64
    with pytest.raises(ValueError, match="never changed"):
        first.save()
    with pytest.raises(ProtectedError):
        inquiry.delete()

    page = staff_client.get(
        reverse("admin:donations_donationinquiry_change", args=[inquiry.pk])
    ).content.decode()
    assert "発行した寄附申出書" in page
    assert "作り直し前" in page and "最新" in page
    for application in (first, second):
        url = reverse("admin:donations_donationapplication_pdf", args=[application.pk])
        assert f'<a href="{url}" type="application/pdf">PDFを開く</a>' in page
    pdf = staff_client.get(reverse("admin:donations_donationapplication_pdf", args=[first.pk]))
    assert b"".join(pdf.streaming_content) == first_bytes


def test_the_application_admin_is_read_only(staff_client, staff):
    application = application_issue(inquiry=pledged_inquiry(), issued_by=staff)
    change_url = reverse("admin:donations_donationapplication_change", args=[application.pk])
    page = staff_client.get(change_url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert staff_client.post(change_url, {"issued_at": "2020-01-01"}).status_code == 403
    assert staff_client.get(reverse("admin:donations_donationapplication_add")).status_code == 403
    listing = staff_client.get(reverse("admin:donations_donationapplication_changelist"))
    assert "株式会社湘南テクノ" in listing.content.decode()


# --- Sending -----------------------------------------------------------------------------------


def test_the_action_mails_the_pdf_with_the_private_link(staff_client, staff, mailoutbox):
    inquiry = pledged_inquiry()
    application = inquiry.applications.first() or application_issue(
        inquiry=inquiry, issued_by=staff
    )
    response = run_action(staff_client, "send_applications", inquiry)
    assert ("success", "寄附申出書のメール1件を送信待ちにしました。") in page_messages(response)

    notification = inquiry.notifications.get(kind=InquiryNotification.Kind.APPLICATION)
    assert notification.requested_by == staff
    assert notification.recipient == "hanako@shonan-techno.example.jp"
    assert notification_deliver(notification_id=notification.pk) == "sent"
    (message,) = mailoutbox
    assert message.to == ["hanako@shonan-techno.example.jp"]
    assert message.subject == "【平塚市】寄附申出書をお送りします（受付番号 D26-APL234）"
    assert "株式会社湘南テクノ 山田 花子 様" in message.body
    assert "記名押印または署名をしてください。" in message.body
    expires_on = timezone.localdate() + dt.timedelta(days=30)
    assert f"このリンクの有効期限は{date_label(expires_on, 'ja')}です。" in message.body
    assert "電話：0463-21-9758" in message.body
    ((name, content, mimetype),) = message.attachments
    assert name == "寄附申出書_D26-APL234.pdf"
    assert mimetype == "application/pdf"
    assert content == application.file.open("rb").read()
    # The link in the e-mail opens the company's download page.
    assert Client().get(link_in(message.body)).status_code == 200

    # The notification list of the inquiry's page says who had it sent.
    page = staff_client.get(
        reverse("admin:donations_donationinquiry_change", args=[inquiry.pk])
    ).content.decode()
    assert "寄附申出書_D26-APL234.pdf" in page


def test_sending_without_an_application_issues_one_first(staff_client, staff, mailoutbox):
    inquiry = pledged_inquiry()
    assert not inquiry.applications.exists()
    response = staff_client.post(
        reverse("admin:donations_donationinquiry_send_application", args=[inquiry.pk])
    )
    assert response.status_code == 302
    assert inquiry.applications.count() == 1
    assert inquiry.notifications.filter(kind="application").count() == 1


def test_an_english_inquiry_gets_the_mail_in_english_with_an_english_link(staff, mailoutbox):
    inquiry = pledged_inquiry(language="en")
    notification = application_send(
        inquiry=inquiry, sent_by=staff, build_link_url=lambda path: f"https://portal.example{path}"
    )
    notification_deliver(notification_id=notification.pk)
    (message,) = mailoutbox
    assert "donation application" in message.subject.lower()
    assert "D26-APL234" in message.subject
    assert "/en/donations/application/" in message.body
    assert "This link works until" in message.body
    # The form itself stays the city's Japanese official form.
    assert_text(message.attachments[0][1], "寄附申出書")
    response = Client().get(link_in(message.body))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Download the donation application (PDF)" in page
    assert "Link valid until" in page


def test_sending_is_refused_for_an_inquiry_not_pledged(staff_client):
    inquiry = DonationInquiryFactory(status=InquiryStatus.RECEIVED)
    response = run_action(staff_client, "send_applications", inquiry)
    assert any(
        level == "error" and "「寄附の申出あり」のお問い合わせにだけ" in text
        for level, text in page_messages(response)
    )
    assert not inquiry.notifications.filter(kind="application").exists()


# --- The private link ----------------------------------------------------------------------------


def test_the_link_works_then_expires(staff):
    inquiry = pledged_inquiry()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        application = application_issue(inquiry=inquiry, issued_by=staff)
        url = application_link_path(application, language="ja")
        page = Client().get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "株式会社湘南テクノ" in html and "D26-APL234" in html
        assert "寄附申出書をダウンロードする（PDF）" in html
        expires_on = date_label(timezone.localdate() + dt.timedelta(days=30), "ja")
        assert expires_on in html
        assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
        assert "noindex" in page["X-Robots-Tag"]

        pdf = Client().get(f"{url}pdf/")
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        assert b"".join(pdf.streaming_content) == application.file.open("rb").read()
        assert "no-store" in pdf["Cache-Control"]
        assert "attachment" in pdf["Content-Disposition"]
        assert quote("寄附申出書_D26-APL234.pdf") in pdf["Content-Disposition"]

        traveller.shift(dt.timedelta(days=29, hours=23))
        assert Client().get(url).status_code == 200
        traveller.shift(dt.timedelta(hours=1, seconds=1))
        gone = Client().get(url)
        assert gone.status_code == 410
        assert "このリンクは有効期限が切れています" in gone.content.decode()
        assert "0463-21-9758" in gone.content.decode()
        assert Client().get(f"{url}pdf/").status_code == 410
        assert "noindex" in gone["X-Robots-Tag"]


def test_the_lifetime_is_a_setting(staff, settings):
    settings.DONATION_APPLICATION_LINK_DAYS = 7
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        application = application_issue(inquiry=pledged_inquiry(), issued_by=staff)
        url = application_link_path(application, language="ja")
        traveller.shift(dt.timedelta(days=7, seconds=1))
        assert Client().get(url).status_code == 410


def test_a_tampered_or_made_up_link_is_a_404_never_the_document(staff):
    application = application_issue(inquiry=pledged_inquiry(), issued_by=staff)
    url = application_link_path(application, language="ja")
    token = url.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, "abc", f"{token}x"):
        for suffix in ("", "pdf/"):
            response = Client().get(f"/donations/application/{bad}/{suffix}")
            assert response.status_code == 404
            assert response["Content-Type"].startswith("text/html")
            assert "ページが見つかりません" in response.content.decode()


def test_a_signature_made_for_something_else_is_refused(staff):
    from django.core import signing

    application = application_issue(inquiry=pledged_inquiry(), issued_by=staff)
    forged = signing.dumps({"application": application.pk})  # the default salt
    assert Client().get(f"/donations/application/{forged}/").status_code == 404


def test_the_link_of_a_superseded_withdrawn_or_anonymised_application_is_gone(staff):
    inquiry = pledged_inquiry()
    first = application_issue(inquiry=inquiry, issued_by=staff)
    first_url = application_link_path(first, language="ja")
    second = application_issue(inquiry=inquiry, issued_by=staff)
    second_url = application_link_path(second, language="ja")
    superseded = Client().get(first_url)
    assert superseded.status_code == 410
    assert "この寄附申出書は作り直されました" in superseded.content.decode()
    assert Client().get(second_url).status_code == 200

    inquiry_change_status(inquiry=inquiry, to_status=InquiryStatus.WITHDRAWN, changed_by=staff)
    assert Client().get(second_url).status_code == 410
    assert Client().get(f"{second_url}pdf/").status_code == 410


# --- Who may do what ----------------------------------------------------------------------------


def test_a_viewer_sees_that_it_was_issued_but_cannot_open_issue_or_send_it(user_with_role, staff):
    inquiry = pledged_inquiry()
    application = application_issue(inquiry=inquiry, issued_by=staff)
    viewer = user_with_role("閲覧者")
    page = viewer.get(reverse("admin:donations_donationinquiry_change", args=[inquiry.pk]))
    html = page.content.decode()
    assert "発行した寄附申出書" in html
    assert reverse("admin:donations_donationapplication_pdf", args=[application.pk]) not in html
    assert "寄附申出書をメールで送付する" not in html
    assert (
        viewer.get(
            reverse("admin:donations_donationapplication_pdf", args=[application.pk])
        ).status_code
        == 403
    )
    for name in ("issue_application", "send_application"):
        url = reverse(f"admin:donations_donationinquiry_{name}", args=[inquiry.pk])
        assert viewer.post(url).status_code == 403
    listing = viewer.get(reverse("admin:donations_donationinquiry_changelist")).content.decode()
    assert "send_applications" not in listing and "reissue_applications" not in listing
    run_action(viewer, "send_applications", inquiry)
    assert inquiry.applications.count() == 1
    assert not inquiry.notifications.filter(kind="application").exists()


def test_an_editor_sees_nothing_of_it(user_with_role, staff):
    inquiry = pledged_inquiry()
    application = application_issue(inquiry=inquiry, issued_by=staff)
    editor = user_with_role("編集者")
    for url in (
        reverse("admin:donations_donationapplication_changelist"),
        reverse("admin:donations_donationapplication_change", args=[application.pk]),
        reverse("admin:donations_donationapplication_pdf", args=[application.pk]),
    ):
        assert editor.get(url).status_code == 403, url
    assert (
        editor.post(
            reverse("admin:donations_donationinquiry_send_application", args=[inquiry.pk])
        ).status_code
        == 403
    )


def test_a_donations_officer_issues_and_sends_from_the_inquiry_page(user_with_role, mailoutbox):
    officer = user_with_role("寄附担当")
    inquiry = pledged_inquiry()
    change_url = reverse("admin:donations_donationinquiry_change", args=[inquiry.pk])
    html = officer.get(change_url).content.decode()
    assert "寄附申出書をメールで送付する" in html and "寄附申出書を作り直す" in html
    issue_url = reverse("admin:donations_donationinquiry_issue_application", args=[inquiry.pk])
    assert officer.get(issue_url).status_code == 405
    response = officer.post(issue_url, follow=True)
    assert ("success", "寄附申出書を作り直しました。") in page_messages(response)
    application = inquiry.applications.get()
    assert application.issued_by == officer.user
    response = officer.post(
        reverse("admin:donations_donationinquiry_send_application", args=[inquiry.pk]),
        follow=True,
    )
    assert any("送信待ちにしました" in text for _, text in page_messages(response))
    notification = inquiry.notifications.get(kind="application")
    assert notification.requested_by == officer.user


# --- The representative on the public form -------------------------------------------------------


def test_the_company_may_give_its_representative_on_the_form_and_sees_it_confirmed(client):
    page = client.get(FORM).content.decode()
    assert "代表者の役職・氏名" in page
    # Someone else's name than the person typing: the browser must not offer their own.
    assert re.search(r'<input[^>]*name="representative"[^>]*autocomplete="off"', page) or re.search(
        r'<input[^>]*autocomplete="off"[^>]*name="representative"', page
    )
    response = client.post(FORM, valid_data(representative="  代表取締役　湘南 一郎 "))
    assert response.status_code == 302 and response["Location"].endswith(CONFIRM)
    # Spaces, full-width or not, are tidied to one.
    assert "代表取締役 湘南 一郎" in client.get(CONFIRM).content.decode()
    assert client.post(CONFIRM, {"send": "1"}).status_code == 302
    assert DonationInquiry.objects.get().representative == "代表取締役 湘南 一郎"


def test_the_representative_may_be_left_out(client):
    assert send(client, FORM, valid_data()).status_code == 302
    assert DonationInquiry.objects.get().representative == ""


# --- Retention ----------------------------------------------------------------------------------


def test_erasing_the_inquirys_personal_data_erases_its_applications_files_and_personal_facts(
    staff, staff_client, django_capture_on_commit_callbacks, stored_files
):
    inquiry = pledged_inquiry()
    application = application_issue(inquiry=inquiry, issued_by=staff)
    url = application_link_path(application, language="ja")
    notification = application_send(application=application, sent_by=staff, link_url="https://x/")
    assert notification.attachment
    inquiry_change_status(inquiry=inquiry, to_status=InquiryStatus.WITHDRAWN, changed_by=staff)

    with django_capture_on_commit_callbacks(execute=True):
        inquiry_anonymise(inquiry=inquiry)

    application.refresh_from_db()
    assert application.erased_at is not None
    assert not application.file
    assert application.snapshot["representative"] == "（保存期間経過のため削除）"
    assert application.snapshot["head_office_address"] == "（保存期間経過のため削除）"
    assert application.snapshot["postal_code"] == ""
    # Kept: what the city needs to know it issued one, to whom, for how much, by whom, when.
    assert application.snapshot["company_name"] == "株式会社湘南テクノ"
    assert application.snapshot["amount"] == 2_400_000
    assert application.issued_by == staff
    notification.refresh_from_db()
    assert not notification.attachment
    assert stored_files() == []
    inquiry.refresh_from_db()
    assert inquiry.representative == "（保存期間経過のため削除）"

    assert Client().get(url).status_code == 410
    page = staff_client.get(
        reverse("admin:donations_donationinquiry_change", args=[inquiry.pk])
    ).content.decode()
    assert "消去済み（保存期間経過）" in page
    pdf = reverse("admin:donations_donationapplication_pdf", args=[application.pk])
    assert staff_client.get(pdf).status_code == 404


def test_a_superseded_application_is_not_sent(staff):
    inquiry = pledged_inquiry()
    first = application_issue(inquiry=inquiry, issued_by=staff)
    application_issue(inquiry=inquiry, issued_by=staff)
    with pytest.raises(ValidationError) as error:
        application_send(application=first, sent_by=staff, link_url="https://x/")
    assert error.value.code == "superseded"
    assert not inquiry.notifications.filter(kind="application").exists()


def test_a_failed_send_leaves_neither_an_application_nor_a_file(staff, stored_files, monkeypatch):
    import donations.services.applications as applications

    def broken_queue(**kwargs):
        raise ValidationError("broken")

    monkeypatch.setattr(applications, "notification_queue", broken_queue)
    inquiry = pledged_inquiry()
    with pytest.raises(ValidationError):
        application_send(inquiry=inquiry, sent_by=staff, link_url="https://x/")
    assert not inquiry.applications.exists()
    assert stored_files() == []
