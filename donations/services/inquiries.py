"""Writes of the inquiry follow-up: submitting an inquiry, following it up (status, assignee,
notes) and delivering its e-mails.

Every function is keyword-only, validates with ``full_clean()`` inside a transaction, and is
what views, admin actions and commands call.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.models import SiteProfile
from core.storage import files_removed_on_failure
from projects.models import Project

from ..models import (
    INQUIRY_TRANSITIONS,
    DonationInquiry,
    InquiryNote,
    InquiryNotification,
    InquiryStatus,
    InquiryStatusChange,
)
from ..tasks import deliver_notification

logger = logging.getLogger(__name__)

# Unambiguous characters for reference numbers read out over the phone (no 0/O, 1/I/L).
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def retry_delay(attempts: int) -> timedelta:
    """The wait before the next try of an e-mail that has failed ``attempts`` times: the
    DONATION_MAIL_RETRY_MINUTES in turn, the last one repeated (the cap)."""
    minutes = settings.DONATION_MAIL_RETRY_MINUTES
    return timedelta(minutes=minutes[min(attempts, len(minutes)) - 1])


@dataclass(frozen=True)
class InquiryData:
    """What the public form collected, already validated and normalised."""

    company_name: str
    company_name_kana: str
    corporate_number: str
    postal_code: str
    head_office_address: str
    files_blue_return: bool
    department: str
    contact_name: str
    contact_name_kana: str
    email: str
    phone: str
    planned_amount: int
    planned_fiscal_year: int
    consent_publish_name: bool
    consent_publish_amount: bool
    message: str
    representative: str = ""


def new_reference() -> str:
    year = timezone.localdate().strftime("%y")
    code = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"D{year}-{code}"


def inquiry_submit(
    *,
    data: InquiryData,
    projects: Iterable[Project],
    language: str,
    submission_token: str,
) -> tuple[DonationInquiry, bool]:
    """Store an inquiry with its two e-mails, in one transaction; send them after commit.

    Returns ``(inquiry, created)``. A second submission of the same form (``submission_token``)
    returns the inquiry the first one stored, so a double click stores one inquiry.
    """
    existing = DonationInquiry.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            inquiry = DonationInquiry(
                **data.__dict__,
                reference=_unused_reference(),
                submission_token=submission_token,
                language=language,
                privacy_consented_at=timezone.now(),
            )
            inquiry.full_clean(exclude=["submission_token", "reference"])
            inquiry.save()
            inquiry.projects.set(projects)
            InquiryStatusChange.objects.create(
                inquiry=inquiry, from_status="", to_status=InquiryStatus.RECEIVED
            )
            for notification in _notifications_for(inquiry):
                _store_and_enqueue(notification)
    except IntegrityError:
        # Two submissions of the same form raced; the other one stored the inquiry.
        existing = DonationInquiry.objects.filter(submission_token=submission_token).first()
        if existing is None:
            raise
        return existing, False
    return inquiry, True


def _unused_reference() -> str:
    while True:
        reference = new_reference()
        if not DonationInquiry.objects.filter(reference=reference).exists():
            return reference


def _notifications_for(inquiry: DonationInquiry) -> list[InquiryNotification]:
    context = {
        "inquiry": inquiry,
        "projects": list(inquiry.projects.all()),
        "site_profile": SiteProfile.objects.current(),
    }
    acknowledgement = render_email(
        "donations/email/acknowledgement", context, language=inquiry.language
    )
    # Staff read the notice in Japanese, whatever language the company wrote in.
    staff_notice = render_email("donations/email/staff_notice", context, language="ja")
    return [
        InquiryNotification(
            inquiry=inquiry,
            kind=InquiryNotification.Kind.ACKNOWLEDGEMENT,
            recipient=inquiry.email,
            **acknowledgement,
        ),
        InquiryNotification(
            inquiry=inquiry,
            kind=InquiryNotification.Kind.STAFF_NOTICE,
            recipient=settings.DONATION_INQUIRY_STAFF_EMAIL,
            **staff_notice,
        ),
    ]


@dataclass(frozen=True)
class Attachment:
    """A PDF sent with an e-mail: the file name the recipient sees, and its bytes."""

    name: str
    content: bytes


def notification_queue(
    *,
    inquiry: DonationInquiry,
    kind: str,
    recipient: str,
    subject: str,
    body: str,
    attachment: Attachment | None = None,
    requested_by: AbstractBaseUser | None = None,
) -> InquiryNotification:
    """Store an e-mail about ``inquiry`` and hand it to the durable queue (sent after commit,
    retried with back-off, visible to staff on the inquiry's page with who had it sent)."""
    notification = InquiryNotification(
        inquiry=inquiry,
        requested_by=requested_by,
        kind=kind,
        recipient=recipient,
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
    )
    with files_removed_on_failure() as keep, transaction.atomic():
        if attachment is not None:
            notification.attachment_name = attachment.name
            # Unguessable: the copy names a company and an amount.
            stored_as = f"{kind}-{secrets.token_hex(8)}.pdf"
            notification.attachment.save(stored_as, ContentFile(attachment.content), save=False)
            keep(notification.attachment)
        _store_and_enqueue(notification)
    return notification


def _store_and_enqueue(notification: InquiryNotification) -> None:
    notification.full_clean()
    notification.save()
    # The task row is written in the caller's transaction: the worker sees it only once the
    # inquiry (or the document) is committed, and never loses it.
    deliver_notification.enqueue(notification.pk)


def render_email(template: str, context: dict, *, language: str) -> dict[str, str]:
    """An e-mail's subject and body from ``<template>_subject.txt`` and ``<template>.txt`` in
    ``language``, as ``notification_queue`` takes them."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", context)
        body = render_to_string(f"{template}.txt", context)
    return {"subject": " ".join(subject.split()), "body": body.strip() + "\n"}


def notification_deliver(
    *, notification_id: int, attempt: int | None = None
) -> InquiryNotification.State:
    """Send one notification e-mail; on failure record why and schedule the next attempt.

    The row is locked only to claim the attempt and to record its outcome, never while the
    mail server is being talked to (that can take the whole SMTP timeout).
    """
    with transaction.atomic():
        notification = InquiryNotification.objects.select_for_update().get(pk=notification_id)
        # Only a pending e-mail is sent: a sent one is done, a failed one waits for staff.
        if notification.state != InquiryNotification.State.PENDING:
            return notification.state
        # A task queued for an attempt another task has already made (staff's 「今すぐ送信する」
        # ran before the scheduled retry, or was clicked twice) does nothing: one mail, once.
        if attempt is not None and attempt != notification.attempts + 1:
            return notification.state
        notification.attempts += 1
        # No attempt is scheduled while this one is under way: 「今すぐ送信する」 sees it.
        notification.next_attempt_at = None
        notification.save(update_fields=["attempts", "next_attempt_at"])
    try:
        message = EmailMessage(
            subject=notification.subject,
            body=notification.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.recipient],
        )
        if notification.attachment:
            with notification.attachment.open("rb") as document:
                message.attach(notification.attachment_name, document.read(), "application/pdf")
        message.send()
    except Exception as error:  # any failure of the mail server must leave a trace
        logger.warning("Notification %s not sent: %s", notification.pk, error)
        return _record_failure(notification, f"{type(error).__name__}: {error}")
    with transaction.atomic():
        notification.state = InquiryNotification.State.SENT
        notification.sent_at = timezone.now()
        notification.next_attempt_at = None
        notification.last_error = ""
        notification.save(update_fields=["state", "sent_at", "next_attempt_at", "last_error"])
    return notification.state


def _record_failure(notification: InquiryNotification, error: str) -> InquiryNotification.State:
    with transaction.atomic():
        notification.last_error = error[:2000]
        # Days of trying count from when the mail was queued, or from staff's last request: a
        # mail staff send again gets the same days of retries as a new one.
        trying_since = notification.send_now_requested_at or notification.created_at
        give_up_at = trying_since + timedelta(days=settings.DONATION_MAIL_GIVE_UP_DAYS)
        if timezone.now() < give_up_at:
            _schedule_attempt(notification, timezone.now() + retry_delay(notification.attempts))
        else:
            notification.state = InquiryNotification.State.FAILED
            notification.next_attempt_at = None
        notification.save(update_fields=["last_error", "next_attempt_at", "state"])
    return notification.state


def _schedule_attempt(notification: InquiryNotification, when) -> None:
    """Queue the next attempt for ``when`` (None: at once), naming which attempt it is, so that
    whichever task makes that attempt first is the only one that sends."""
    notification.next_attempt_at = when
    deliver_notification.using(run_after=when).enqueue(
        notification.pk, attempt=notification.attempts + 1
    )


def notification_resend(
    *, notification: InquiryNotification, requested_by: AbstractBaseUser | None = None
) -> None:
    """Staff ask for another try of an e-mail that failed for good (after fixing an address,
    or once the server is back). A pending e-mail already has its next attempt scheduled."""
    with transaction.atomic():
        notification = InquiryNotification.objects.select_for_update().get(pk=notification.pk)
        if notification.state != InquiryNotification.State.FAILED:
            raise ValidationError(
                _(
                    "送信に失敗した通知メールだけを再送できます（送信待ちのものは自動で再試行します）。"
                ),
                code="not_failed",
            )
        notification.state = InquiryNotification.State.PENDING
        notification.attempts = 0
        notification.next_attempt_at = None
        # Recorded as a request to send now: who asked, and the start of its days of retries.
        notification.send_now_requested_by = requested_by
        notification.send_now_requested_at = timezone.now()
        notification.save(
            update_fields=[
                "state",
                "attempts",
                "next_attempt_at",
                "send_now_requested_by",
                "send_now_requested_at",
            ]
        )
        deliver_notification.enqueue(notification.pk)


def notification_send_now(
    *, notification: InquiryNotification, requested_by: AbstractBaseUser
) -> bool:
    """Staff ask for an e-mail to be tried at once rather than at its next scheduled attempt
    (the mail server is back; a failed one after fixing the cause). Returns False when an
    attempt is already queued to run now or under way: a second click queues nothing more.

    The row is locked while deciding, and the queued task names the attempt it makes, so the
    scheduled retry it overtakes does nothing: the mail is sent once.
    """
    with transaction.atomic():
        notification = InquiryNotification.objects.select_for_update().get(pk=notification.pk)
        if notification.state == InquiryNotification.State.SENT:
            raise ValidationError(
                _("この通知メールは送信済みです（%(sent_at)s）。もう一度は送信しません。"),
                code="already_sent",
                params={
                    "sent_at": timezone.localtime(notification.sent_at).strftime("%Y-%m-%d %H:%M")
                },
            )
        if notification.state == InquiryNotification.State.FAILED:
            notification.state = InquiryNotification.State.PENDING
        elif notification.next_attempt_at is None:
            # The first attempt, or one staff asked for, waits in the queue or is running.
            return False
        notification.send_now_requested_by = requested_by
        notification.send_now_requested_at = timezone.now()
        _schedule_attempt(notification, None)
        notification.save(
            update_fields=[
                "state",
                "next_attempt_at",
                "send_now_requested_by",
                "send_now_requested_at",
            ]
        )
    return True


def inquiry_change_status(
    *,
    inquiry: DonationInquiry,
    to_status: str,
    changed_by: AbstractBaseUser,
    issue_application: bool = True,
) -> InquiryStatusChange:
    """Move an inquiry along its follow-up, recording who did it and when.

    The pledge (寄附の申出あり) produces the 寄附申出書 in the same transaction; a caller that
    records more of the pledge first (the admin's follow-up form: the payment method) passes
    ``issue_application=False`` and issues it itself, in its own transaction, afterwards."""
    if to_status not in InquiryStatus.values:
        raise ValidationError(
            _("対応状況「%(status)s」はありません。"),
            code="invalid_status",
            params={"status": to_status},
        )
    with transaction.atomic():
        inquiry = DonationInquiry.objects.select_for_update().get(pk=inquiry.pk)
        if to_status not in INQUIRY_TRANSITIONS[inquiry.status]:
            raise ValidationError(
                _("「%(from)s」から「%(to)s」には変更できません。"),
                code="invalid_transition",
                params={
                    "from": InquiryStatus(inquiry.status).label,
                    "to": InquiryStatus(to_status).label,
                },
            )
        change = InquiryStatusChange(
            inquiry=inquiry, from_status=inquiry.status, to_status=to_status, changed_by=changed_by
        )
        change.full_clean()
        inquiry.status = to_status
        # The audit trail names who set the status, also outside a request (commands, tasks).
        inquiry._history_user = changed_by
        inquiry.save(update_fields=["status", "updated_at"])
        change.save()
        if to_status == InquiryStatus.PLEDGED and issue_application:
            # Imported here: the application's service builds on this module's e-mail queue.
            from .applications import application_issue

            application_issue(inquiry=inquiry, issued_by=changed_by)
    return change


def inquiry_set_representative(
    *, inquiry: DonationInquiry, representative: str, changed_by: AbstractBaseUser
) -> None:
    """Record the company's representative (代表者の役職・氏名), as printed on its 寄附申出書:
    the company may leave it out of the form, and staff hear it later."""
    with transaction.atomic():
        inquiry = DonationInquiry.objects.select_for_update().get(pk=inquiry.pk)
        inquiry.representative = " ".join(representative.split())
        inquiry.full_clean(
            exclude=[f.name for f in inquiry._meta.concrete_fields if f.name != "representative"]
        )
        inquiry._history_user = changed_by
        inquiry.save(update_fields=["representative", "updated_at"])


def inquiry_assign(*, inquiry: DonationInquiry, assignee: AbstractBaseUser | None) -> None:
    with transaction.atomic():
        inquiry.assignee = assignee
        inquiry.save(update_fields=["assignee", "updated_at"])


def inquiry_add_note(
    *, inquiry: DonationInquiry, author: AbstractBaseUser, body: str
) -> InquiryNote:
    with transaction.atomic():
        note = InquiryNote(inquiry=inquiry, author=author, body=body.strip())
        note.full_clean()
        note.save()
    return note
