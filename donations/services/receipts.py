"""Writes of the public record: issuing a donation's receipt (受領証) and sending it to the
company, with the letter of thanks (礼状), through the inquiry's durable e-mail queue.

Keyword-only, validated inside a transaction, called by the admin (see ``donations.services``).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.japanese import date_label, fiscal_year, fiscal_year_label, format_yen, wareki_year
from core.models import SiteProfile
from core.pdf import pdf_filename, render_pdf
from core.storage import files_removed_on_failure

from ..models import (
    DEFAULT_LETTER,
    Donation,
    DonationReceipt,
    DonorLetter,
    InquiryNotification,
    ReceiptSerial,
    Scheme,
    letter_render,
    letter_text_errors,
)
from .inquiries import Attachment, notification_queue

# --- Receipts (受領証) --------------------------------------------------------------------------

# Receipts are official documents for the donor's tax return: always in Japanese.
RECEIPT_LANGUAGE = "ja"


def receipt_issue(*, donation: Donation, issued_by: AbstractBaseUser) -> DonationReceipt:
    """Issue the receipt (受領証) for a recorded donation, with the city as issuer.

    The first call issues the original; every later call issues a re-issue marked 「再発行」.
    Each is stored as it was printed (the PDF, its SHA-256 and the facts on it) and none is
    ever changed. A donation without its date received gets no receipt; one without a receipt
    number is given the next one (``receipt_number_assign``), which it keeps for good.
    """
    with files_removed_on_failure() as keep, transaction.atomic():
        # Locked, so that two members of staff issuing at once get one original (the
        # database allows only one) and one re-issue rather than an error.
        donation = (
            Donation.objects.select_for_update(of=("self",))
            .select_related("donor")
            .get(pk=donation.pk)
        )
        _check_receipt_data(donation)
        if not donation.receipt_number:
            donation.receipt_number = receipt_number_assign(issued_on=timezone.localdate())
            donation.full_clean()
            # The record's history names who gave the number, also outside a request.
            donation._history_user = issued_by
            donation.save(update_fields=["receipt_number"])
        original = donation.receipts.originals().first()
        kind = DonationReceipt.Kind.REISSUE if original else DonationReceipt.Kind.ORIGINAL
        issued_at = timezone.now()
        with translation.override(RECEIPT_LANGUAGE):
            snapshot = _receipt_snapshot(
                donation=donation, kind=kind, issued_at=issued_at, original=original
            )
        pdf = render_pdf("pdf/receipt.html", _receipt_context(snapshot), language=RECEIPT_LANGUAGE)
        receipt = DonationReceipt(
            donation=donation,
            kind=kind,
            issued_at=issued_at,
            issued_by=issued_by,
            sha256=hashlib.sha256(pdf.content).hexdigest(),
            snapshot=snapshot,
        )
        receipt.file.save(_receipt_file_name(snapshot), ContentFile(pdf.content), save=False)
        keep(receipt.file)
        receipt.full_clean()
        receipt.save()
    return receipt


def receipt_number_assign(*, issued_on: datetime.date) -> str:
    """The next receipt number of the fiscal year ``issued_on`` falls in, in the city's format
    (``settings.RECEIPT_NUMBER_FORMAT``, e.g. 平産第2024-001号).

    Call it inside the transaction that stores the number: the fiscal year's counter row is
    locked until that transaction ends, so concurrent issues wait for each other and never
    take the same serial (the database's unique receipt number is the last guard). A number
    already typed by hand in the past is skipped rather than repeated."""
    year = fiscal_year(issued_on)
    # get_or_create survives two first issues of a year racing to create the row.
    ReceiptSerial.objects.get_or_create(fiscal_year=year)
    counter = ReceiptSerial.objects.select_for_update().get(fiscal_year=year)
    era, era_year = wareki_year(datetime.date(year, 12, 31))
    while True:
        counter.last_serial += 1
        number = settings.RECEIPT_NUMBER_FORMAT.format(
            fiscal_year=year, era=era, era_year=era_year, serial=counter.last_serial
        )
        if not Donation.objects.filter(receipt_number=number).exists():
            break
    counter.save(update_fields=["last_serial"])
    return number


def _check_receipt_data(donation: Donation) -> None:
    """A receipt states the date received, and is addressed to the donor."""
    if not donation.received_on:
        raise ValidationError(
            _(
                "受領日が登録されていない寄附には、受領証を発行できません。"
                "寄附の記録に受領日を登録してから発行してください。"
            ),
            code="receipt_data_missing",
        )
    if not donation.donor.name:
        raise ValidationError(
            _("寄附者の名称が登録されていないため、受領証を発行できません。"),
            code="receipt_donor_unnamed",
        )


def _receipt_snapshot(
    *,
    donation: Donation,
    kind: str,
    issued_at: datetime.datetime,
    original: DonationReceipt | None,
) -> dict:
    """What the receipt prints, as JSON: the receipt is rendered from this and nothing else."""
    return {
        "kind": str(kind),
        "receipt_number": donation.receipt_number,
        "donor_name": donation.donor.name,
        "amount": donation.amount,
        "received_on": donation.received_on.isoformat(),
        "fiscal_year": donation.fiscal_year,
        "scheme": donation.scheme,
        "scheme_label": str(Scheme(donation.scheme).label),
        "projects": [str(project.title) for project in donation.projects.order_by("position")],
        "issuer": SiteProfile.objects.as_issuer(),
        "issued_at": issued_at.isoformat(),
        "issued_on": timezone.localdate(issued_at).isoformat(),
        "original_issued_on": (
            timezone.localdate(original.issued_at).isoformat() if original else None
        ),
    }


def _receipt_context(snapshot: dict) -> dict:
    def day(value: str | None) -> datetime.date | None:
        return datetime.date.fromisoformat(value) if value else None

    return {
        "receipt": snapshot,
        "is_reissue": snapshot["kind"] == DonationReceipt.Kind.REISSUE,
        "received_on": day(snapshot["received_on"]),
        "issued_on": day(snapshot["issued_on"]),
        "original_issued_on": day(snapshot["original_issued_on"]),
    }


def _receipt_file_name(snapshot: dict) -> str:
    # Unguessable: a receipt names a donor and an amount, and is served to staff only.
    number = re.sub(r"[^A-Za-z0-9_-]+", "-", snapshot["receipt_number"]).strip("-")[:40]
    return f"{number or 'receipt'}-{snapshot['kind']}-{secrets.token_hex(8)}.pdf"


def receipt_document_name(receipt: DonationReceipt) -> str:
    """The receipt's file name as staff download it and the company receives it:
    ``受領証_平産第2024-001号.pdf``, ``受領証_平産第2024-001号_再発行.pdf``."""
    with translation.override(RECEIPT_LANGUAGE):
        parts = [gettext("受領証"), receipt.snapshot.get("receipt_number", "")]
        if receipt.kind == DonationReceipt.Kind.REISSUE:
            parts.append(str(DonationReceipt.Kind.REISSUE.label))
    return pdf_filename("_".join(part for part in parts if part))


# --- Sending the receipt with the letter of thanks (礼状) --------------------------------------


def receipt_check_sendable(donation: Donation) -> None:
    """A receipt is mailed to the e-mail address of the inquiry the donation was recorded
    from: without one, the city knows no address of the company's to send it to."""
    inquiry = donation.inquiry
    if inquiry is None:
        raise ValidationError(
            _(
                "この寄附はお問い合わせから記録されたものではないため、企業のメールアドレスが"
                "わかりません。受領証は郵送などでお渡しください。"
            ),
            code="receipt_no_company_email",
        )
    if inquiry.anonymised_at is not None or not inquiry.email:
        raise ValidationError(
            _(
                "お問い合わせ %(reference)s の個人情報は保存期間の経過により消去されているため、"
                "メールでは送付できません。"
            ),
            code="receipt_no_company_email",
            params={"reference": inquiry.reference},
        )


def receipt_send(*, receipt: DonationReceipt, sent_by: AbstractBaseUser) -> InquiryNotification:
    """Queue the e-mail that sends ``receipt`` to the company: the letter of thanks
    (``DonorLetter``) in the inquiry's language as the mail's text, and the receipt's PDF,
    byte for byte as it was issued, attached.

    The mail goes through the inquiry's durable queue (sent after commit, retried, listed on the
    inquiry's page with ``sent_by`` as the member of staff who had it sent). A re-issue can be
    sent too: its mail says that the receipt is a re-issue."""
    receipt = DonationReceipt.objects.select_related("donation__donor", "donation__inquiry").get(
        pk=receipt.pk
    )
    donation = receipt.donation
    receipt_check_sendable(donation)
    inquiry = donation.inquiry
    with receipt.file.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != receipt.sha256:
        # Never mail a document that is not the one the city issued.
        raise ValidationError(
            _("保存されている受領証のファイルが発行時のものと一致しないため、送付できません。"),
            code="receipt_file_altered",
        )
    # The letter exists in the site's languages; the receipt itself is always Japanese.
    language = inquiry.language if inquiry.language in DEFAULT_LETTER else RECEIPT_LANGUAGE
    letter = DonorLetter.objects.current()
    with translation.override(language):
        subject, body = letter_compose(letter=letter, receipt=receipt, language=language)
    return notification_queue(
        inquiry=inquiry,
        kind=InquiryNotification.Kind.RECEIPT,
        recipient=inquiry.email,
        subject=subject,
        body=body,
        attachment=Attachment(name=receipt_document_name(receipt), content=content),
        requested_by=sent_by,
    )


def letter_compose(
    *, letter: DonorLetter, receipt: DonationReceipt, language: str
) -> tuple[str, str]:
    """The letter's subject and body in ``language`` for ``receipt`` (call it inside
    ``translation.override(language)``)."""
    subject, body = letter.texts(language)
    for text in (subject, body):
        if not (text or "").strip() or letter_text_errors(text):
            # Only reachable if the row was written around the admin's validation.
            raise ValidationError(
                _(
                    "礼状の文面が空か、使えない差込み項目があります。"
                    "管理画面で礼状の文面を直してください。"
                ),
                code="letter_invalid",
            )
    values = letter_values(receipt=receipt, language=language)
    subject, body = letter_render(subject, values), letter_render(body, values)
    if receipt.kind == DonationReceipt.Kind.REISSUE:
        original_on = receipt.snapshot.get("original_issued_on")
        subject = gettext("%(subject)s（再発行）") % {"subject": subject}
        note = gettext("※ 添付の受領証は再発行したものです。")
        if original_on:
            note = gettext("※ 添付の受領証は再発行したものです（原本の発行日：%(date)s）。") % {
                "date": date_label(datetime.date.fromisoformat(original_on), language)
            }
        body = f"{note}\n\n{body}"
    return subject, body


def letter_values(*, receipt: DonationReceipt, language: str) -> dict[str, str]:
    """What the letter's placeholders stand for, written for ``language``: the receipt's
    facts as printed on it, the company as the inquiry names it, the city's contact."""
    snapshot = receipt.snapshot
    donation = receipt.donation
    inquiry = donation.inquiry
    project_titles = [str(project.title) for project in donation.projects.order_by("position")]
    separator = ", " if language == "en" else "、"
    profile = SiteProfile.objects.current()
    contact_lines = []
    if profile is not None:
        contact_lines = [
            " ".join(
                part for part in (profile.organization, profile.department, profile.section) if part
            ),
            gettext("電話：") + profile.phone,
            gettext("メール：") + profile.email,
        ]
    return {
        "company": inquiry.company_name if inquiry else snapshot.get("donor_name", ""),
        "contact_name": inquiry.contact_name if inquiry else "",
        "amount": format_yen(snapshot["amount"], language),
        "received_on": date_label(datetime.date.fromisoformat(snapshot["received_on"]), language),
        "fiscal_year": fiscal_year_label(snapshot["fiscal_year"], language),
        "projects": separator.join(project_titles) or gettext("平塚市の知的対流推進事業"),
        "receipt_number": snapshot.get("receipt_number", ""),
        "reference": inquiry.reference if inquiry else "",
        "city_contact": "\n".join(contact_lines) or gettext("平塚市"),
    }


def receipt_issue_and_send(
    *, donation: Donation, issued_by: AbstractBaseUser
) -> tuple[DonationReceipt, InquiryNotification]:
    """Issue the donation's receipt (``receipt_issue``: the original, or a re-issue) and queue
    it to the company with the letter of thanks (``receipt_send``), in one transaction: a
    receipt that cannot be sent is not issued either."""
    receipt_check_sendable(Donation.objects.select_related("inquiry").get(pk=donation.pk))
    receipt = None
    try:
        with transaction.atomic():
            receipt = receipt_issue(donation=donation, issued_by=issued_by)
            notification = receipt_send(receipt=receipt, sent_by=issued_by)
    except BaseException:
        if receipt is not None:
            # Rolled back with the transaction: nothing refers to the issued file any more.
            DonationReceipt.file.field.storage.delete(receipt.file.name)
        raise
    return receipt, notification
