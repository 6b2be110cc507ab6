"""One inquiry walked through the whole donation journey, as the company and a 寄附担当 do it:
the form (入力 → 確認 → 完了), the pledge, the 寄附申出書 (PDF, e-mail, private link that
expires), the donation recorded from the pledge, the 受領証 mailed with the letter of thanks —
and at the end the public record, its PDF report and donations.csv show the company's name and
amount, or 非公表, exactly as the company consented, with nothing of the inquiry besides."""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from donations.models import Donation, DonationInquiry, InquiryNotification, InquiryStatus
from tests.admin_tools import admin_url, page_messages, post_change_form
from tests.core.factories import SiteProfileFactory
from tests.core.pdf_tools import assert_accessible_japanese_pdf, assert_text, pdf_text, squeezed
from tests.projects.factories import ProjectFactory

from .application_tools import link_in
from .inquiry_tools import FORM, run_worker, send, valid_data

pytestmark = pytest.mark.django_db(transaction=True)

JST = ZoneInfo("Asia/Tokyo")
COMPANY = "株式会社湘南マリンテック"
CORPORATE_NUMBER = "7000012050002"
# What the company told the city about its contact person: never public.
PERSONAL = ["山田 花子", "ヤマダ ハナコ", "hanako@shonan-techno.example.jp", "045-000-0000"]
MESSAGE = "波力発電の取組みを応援したいと考えています。"


def donations_csv_row(client, donation: Donation) -> tuple[dict[str, str], str]:
    """The donation's row of donations.csv, and the whole file's text."""
    text = client.get("/opendata/donations.csv").content.decode("utf-8-sig")
    header, *rows = csv.reader(io.StringIO(text))
    (row,) = [dict(zip(header, row, strict=True)) for row in rows if row[1] == str(donation.pk)]
    return row, text


@pytest.mark.parametrize(
    ("publish_name", "publish_amount"),
    [(True, False), (False, True)],
    ids=["name-only", "amount-only"],
)
def test_one_inquiry_from_the_form_to_the_public_record(
    client, user_with_role, mailoutbox, publish_name, publish_amount
):
    SiteProfileFactory()
    project = ProjectFactory(title_ja="第3世代波力発電の実証", slug="wave", accepts_donations=True)
    officer = user_with_role("寄附担当", username="kifu")
    start = dt.datetime(2026, 6, 1, 10, 0, tzinfo=JST)

    with time_machine.travel(start, tick=False) as clock:
        # 1. The company sends the form, through its confirmation step.
        answers = valid_data(
            company_name=COMPANY,
            corporate_number=CORPORATE_NUMBER,
            planned_amount="3000000",
            consent_publish_name="on" if publish_name else None,
            consent_publish_amount="on" if publish_amount else None,
            projects=[str(project.pk)],
            message=MESSAGE,
        )
        thanks = send(client, FORM, answers)
        assert thanks.status_code == 302, thanks.context and thanks.context["form"].errors
        inquiry = DonationInquiry.objects.get()
        assert (inquiry.consent_publish_name, inquiry.consent_publish_amount) == (
            publish_name,
            publish_amount,
        )

        # 2. The officer contacts the company, then accepts the pledge with its payment.
        post_change_form(officer, inquiry, status=InquiryStatus.CONTACTING)
        response = post_change_form(
            officer,
            inquiry,
            status=InquiryStatus.PLEDGED,
            payment_method="transfer",
            payment_requested_on="2026-06-01",
            representative="代表取締役 湘南 一郎",
        )
        assert response.status_code == 302, response.context and response.context["errors"]
        inquiry.refresh_from_db()
        assert inquiry.status == InquiryStatus.PLEDGED

        # 3. The pledge produced the 寄附申出書: a tagged PDF with the company's facts.
        application = inquiry.applications.get()
        document = application.file.open("rb").read()
        assert_text(document, COMPANY, CORPORATE_NUMBER, "3,000,000円", "第3世代波力発電の実証")
        assert_accessible_japanese_pdf(document, title=f"寄附申出書 {COMPANY}", language="ja")

        # 4. One action e-mails it with the PDF attached.
        officer.post(
            reverse("admin:donations_donationinquiry_changelist"),
            {"action": "send_applications", "_selected_action": [str(inquiry.pk)]},
        )
        run_worker()
        (application_mail,) = [m for m in mailoutbox if m.attachments and m.to == [inquiry.email]]
        ((name, attached, mimetype),) = application_mail.attachments
        assert (attached, mimetype) == (document, "application/pdf")
        assert name.endswith(".pdf")

        # 5. The private link works without a login, then expires.
        link = link_in(application_mail.body)
        company = Client()
        assert company.get(link).status_code == 200
        assert b"".join(company.get(f"{link}pdf/").streaming_content) == document
        assert company.get(f"{link[:-2]}x/").status_code == 404
        clock.shift(dt.timedelta(days=31))
        assert company.get(link).status_code == 410
        assert company.get(f"{link}pdf/").status_code == 410

        # 6. The money came in (a little less than pledged): record it from the pledge.
        response = officer.post(
            admin_url(DonationInquiry, "record_donation", inquiry.pk),
            {"amount": "2500000", "received_on": "2026-07-01"},
        )
        assert response.status_code == 302
        donation = Donation.objects.get(inquiry=inquiry)
        assert (donation.amount, donation.fiscal_year) == (2_500_000, 2026)
        assert (donation.publish_name, donation.publish_amount) == (publish_name, publish_amount)
        assert list(donation.projects.all()) == [project]
        assert DonationInquiry.objects.get(pk=inquiry.pk).status == InquiryStatus.DONATED

        # 7. Issue the receipt and mail it with the letter of thanks, in one action.
        response = officer.post(
            reverse("admin:donations_donation_changelist"),
            {"action": "issue_and_send_receipts", "_selected_action": [str(donation.pk)]},
            follow=True,
        )
        assert {level for level, _text in page_messages(response)} == {"success"}
        receipt = donation.receipts.get()
        run_worker()
        receipt_mail = mailoutbox[-1]
        assert receipt_mail.to == [inquiry.email]
        assert receipt_mail.attachments[0][1] == receipt.file.open("rb").read()
        assert COMPANY in receipt_mail.body

    # 8. Every step is in the audit trail with its author.
    steps = list(inquiry.status_changes.order_by("changed_at", "pk"))
    assert [(s.to_status, s.changed_by) for s in steps] == [
        ("received", None),
        ("contacting", officer.user),
        ("pledged", officer.user),
        ("donated", officer.user),
    ]
    assert application.issued_by == officer.user
    sent = inquiry.notifications.filter(state=InquiryNotification.State.SENT)
    assert {n.kind: n.requested_by for n in sent} == {
        "acknowledgement": None,
        "staff_notice": None,
        "application": officer.user,
        "receipt": officer.user,
    }
    assert donation.history.earliest().history_user == officer.user
    assert receipt.issued_by == officer.user
    assert {h.history_user for h in inquiry.history.exclude(history_type="+")} == {officer.user}

    # 9. The public record, exactly as consented; nothing of the inquiry is public.
    public = Client()
    page = public.get("/donations/").content.decode()
    report = squeezed(pdf_text(public.get("/donations/report.pdf").content))
    row, csv_text = donations_csv_row(public, donation)
    json_text = public.get("/opendata/donations.json").content.decode()
    if publish_name:
        assert COMPANY in page and COMPANY in report
        assert row["寄附者名"] == COMPANY
    else:
        assert COMPANY not in page + report + csv_text + json_text
        assert CORPORATE_NUMBER not in page + report + csv_text + json_text
        assert row["寄附者名"] == ""
    if publish_amount:
        assert "250万円" in page and "250万円" in report
        assert row["寄附金額（円）"] == "2500000"
    else:
        assert "非公表" in page
        assert "2500000" not in csv_text and "250万円" not in page + report
        assert row["寄附金額（円）"] == ""
    for fact in [*PERSONAL, MESSAGE, "代表取締役 湘南 一郎", inquiry.reference]:
        for shown in (page, report, csv_text, json_text):
            assert fact not in shown
