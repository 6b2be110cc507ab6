"""Personal-data retention: the personal data a company sent with an inquiry is erased once
the follow-up has been closed for ``settings.INQUIRY_RETENTION_YEARS`` (the privacy page says
so), by ``manage.py anonymise_inquiries`` run daily.

What is erased and what is kept (a decision documented in the README, "Operations"):

* erased — everything about the contact person: department, name and its reading, e-mail,
  phone; the head office's postal code and address; the company's message; the staff's notes
  (they quote calls and e-mails); the stored e-mails (their body, the company's address as
  recipient, the last delivery error) — in the records and in their audit trail;
* erased too — the 寄附申出書 issued for the inquiry (it prints the representative's name and the
  head office's address): its PDF file, and those facts in its snapshot; the row stays, with
  who issued it and when, its SHA-256 and the rest of what it printed. The copies of it
  attached to the e-mails that sent it are deleted the same way. (Unlike the receipt, which
  the city keeps as the record of money received, the application was a pre-filled form for
  the company: the one the company signed and returned is filed on paper by the city.)
* kept — the statistics: reference, status and its history, dates, planned amount and fiscal
  year, projects, publication consents, assignee, and the company's name, reading and 法人番号
  (a company's name is public information about a legal person, not personal data, and the
  city needs it to tell which companies were approached).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import DonationApplication, DonationInquiry, InquiryNote, InquiryNotification

logger = logging.getLogger(__name__)

ERASED = "（保存期間経過のため削除）"
# What an erased e-mail address becomes: the reserved .invalid domain can never receive mail.
ERASED_EMAIL = "deleted@anonymised.invalid"
# Fields too short for the placeholder are emptied.
INQUIRY_ERASURES = {
    "department": ERASED,
    "contact_name": ERASED,
    "contact_name_kana": ERASED,
    "email": ERASED_EMAIL,
    "phone": "",
    "postal_code": "",
    "head_office_address": ERASED,
    "representative": ERASED,
    "message": ERASED,
}
# The personal facts an issued application printed, in its snapshot.
APPLICATION_SNAPSHOT_ERASURES = {
    "postal_code": "",
    "head_office_address": ERASED,
    "representative": ERASED,
}
NOTE_ERASURES = {"body": ERASED}
NOTIFICATION_ERASURES = {"body": ERASED, "last_error": ""}
CHANGE_REASON = "保存期間経過による個人情報の消去"


def retention_cutoff(*, now: datetime, years: int) -> datetime:
    """The moment ``years`` years before ``now`` (29 February becomes the 28th)."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def _scrub_history(model, erasures: dict, **lookup) -> None:
    """The audit trail keeps every past version: erase the same fields there (when the model
    keeps one), without adding a version of its own."""
    history = getattr(model, "history", None)
    if history is not None:
        history.filter(**lookup).update(**erasures)


def inquiry_anonymise(*, inquiry: DonationInquiry, now: datetime | None = None) -> None:
    """Erase the personal data of one closed inquiry, its notes and its stored e-mails, in
    the records and in their audit trail, and mark it anonymised. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        inquiry = DonationInquiry.objects.select_for_update().get(pk=inquiry.pk)
        if inquiry.anonymised_at is not None:
            return
        company_email = inquiry.email
        for field, value in INQUIRY_ERASURES.items():
            setattr(inquiry, field, value)
        inquiry.anonymised_at = now
        # The placeholders are not form input: the erased fields are not validated again.
        inquiry.full_clean(exclude=[*INQUIRY_ERASURES, "submission_token", "reference"])
        inquiry._change_reason = CHANGE_REASON
        inquiry.save()
        _scrub_history(DonationInquiry, INQUIRY_ERASURES, id=inquiry.pk)

        notes = InquiryNote.objects.filter(inquiry=inquiry)
        notes.update(**NOTE_ERASURES)
        _scrub_history(InquiryNote, NOTE_ERASURES, inquiry_id=inquiry.pk)

        notifications = InquiryNotification.objects.filter(inquiry=inquiry)
        # The company's address as recipient; the city's own (staff notice) is not personal.
        notifications.filter(
            Q(kind=InquiryNotification.Kind.ACKNOWLEDGEMENT) | Q(recipient__iexact=company_email)
        ).update(recipient=ERASED_EMAIL)
        notifications.update(**NOTIFICATION_ERASURES)
        _scrub_history(InquiryNotification, NOTIFICATION_ERASURES, inquiry_id=inquiry.pk)
        _erase_applications(inquiry, now=now)
    logger.info("Inquiry %s: personal data erased (retention period over).", inquiry.reference)


def _erase_applications(inquiry: DonationInquiry, *, now: datetime) -> None:
    """The issued applications' files and personal facts, and the copies the e-mails carried.
    The files are deleted once the erasure is committed (a rollback keeps them)."""
    files: list[tuple[object, str]] = []
    for application in DonationApplication.objects.filter(inquiry=inquiry, erased_at=None):
        if application.file:
            files.append((DonationApplication.file.field.storage, application.file.name))
        # A queryset update: an issued application is never saved again (see its save()).
        DonationApplication.objects.filter(pk=application.pk).update(
            file="",
            snapshot={**application.snapshot, **APPLICATION_SNAPSHOT_ERASURES},
            erased_at=now,
        )
    sent = InquiryNotification.objects.filter(
        inquiry=inquiry, kind=InquiryNotification.Kind.APPLICATION
    ).exclude(attachment="")
    for name in sent.values_list("attachment", flat=True):
        files.append((InquiryNotification.attachment.field.storage, name))
    sent.update(attachment="")

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


def inquiries_due_for_anonymisation(*, years: int, now: datetime | None = None):
    """The closed inquiries whose retention period is over, oldest closing first."""
    now = now or timezone.now()
    return DonationInquiry.objects.due_for_anonymisation(
        closed_before=retention_cutoff(now=now, years=years)
    )
