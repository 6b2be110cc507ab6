"""Writes of the public record: issuing a donation's receipt (受領証).

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

from core.japanese import fiscal_year, wareki_year
from core.models import SiteProfile
from core.pdf import render_pdf

from ..models import (
    Donation,
    DonationReceipt,
    ReceiptSerial,
    Scheme,
)

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
    stored_name = ""
    try:
        with transaction.atomic():
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
                donation.save(update_fields=["receipt_number"])
            original = donation.receipts.originals().first()
            kind = DonationReceipt.Kind.REISSUE if original else DonationReceipt.Kind.ORIGINAL
            issued_at = timezone.now()
            with translation.override(RECEIPT_LANGUAGE):
                snapshot = _receipt_snapshot(
                    donation=donation, kind=kind, issued_at=issued_at, original=original
                )
            pdf = render_pdf(
                "pdf/receipt.html", _receipt_context(snapshot), language=RECEIPT_LANGUAGE
            )
            receipt = DonationReceipt(
                donation=donation,
                kind=kind,
                issued_at=issued_at,
                issued_by=issued_by,
                sha256=hashlib.sha256(pdf.content).hexdigest(),
                snapshot=snapshot,
            )
            receipt.file.save(_receipt_file_name(snapshot), ContentFile(pdf.content), save=False)
            stored_name = receipt.file.name
            receipt.full_clean()
            receipt.save()
    except BaseException:
        if stored_name:
            # Nothing refers to the file once the transaction has rolled back.
            DonationReceipt.file.field.storage.delete(stored_name)
        raise
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
    profile = SiteProfile.objects.current()
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
        "issuer": {
            "organization": profile.organization if profile else gettext("平塚市"),
            "department": profile.department if profile else "",
            "section": profile.section if profile else "",
            "phone": profile.phone if profile else "",
            "email": profile.email if profile else "",
        },
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
