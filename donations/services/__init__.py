"""Writes of the donations app (DESIGN.md §6.3), split as the models are: the inquiry follow-up,
the pledge recorded as a donation and the public record's receipts. Every function is
keyword-only, validates with ``full_clean()`` inside a transaction, and is what views, admin
actions and commands call."""

from .applications import application_issue, application_send
from .inquiries import (
    Attachment,
    InquiryData,
    inquiry_add_note,
    inquiry_assign,
    inquiry_change_status,
    inquiry_set_representative,
    inquiry_submit,
    notification_deliver,
    notification_queue,
    notification_resend,
    notification_send_now,
    retry_delay,
)
from .pledges import donation_record_from_inquiry, inquiry_set_payment
from .receipts import (
    letter_compose,
    receipt_check_sendable,
    receipt_document_name,
    receipt_issue,
    receipt_issue_and_send,
    receipt_number_assign,
    receipt_send,
)
from .retention import inquiries_due_for_anonymisation, inquiry_anonymise

__all__ = [
    "Attachment",
    "InquiryData",
    "application_issue",
    "application_send",
    "donation_record_from_inquiry",
    "inquiries_due_for_anonymisation",
    "inquiry_add_note",
    "inquiry_anonymise",
    "inquiry_assign",
    "inquiry_change_status",
    "inquiry_set_payment",
    "inquiry_set_representative",
    "inquiry_submit",
    "letter_compose",
    "notification_deliver",
    "notification_queue",
    "notification_resend",
    "notification_send_now",
    "receipt_check_sendable",
    "receipt_document_name",
    "receipt_issue",
    "receipt_issue_and_send",
    "receipt_number_assign",
    "receipt_send",
    "retry_delay",
]
