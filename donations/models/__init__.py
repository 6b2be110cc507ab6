"""Donations: the public record of corporate hometown-tax donations (``record``) and the
inquiries companies send before donating, with the city's follow-up (``inquiries``).

Every model is importable from here, as it was before the package was split:
``from donations.models import Donation`` works wherever it did.
"""

from .applications import DonationApplication, DonationApplicationQuerySet
from .inquiries import (
    CLOSED_STATUSES,
    INQUIRY_PERSONAL_FIELDS,
    INQUIRY_TRANSITIONS,
    DonationInquiry,
    DonationInquiryQuerySet,
    InquiryNote,
    InquiryNotification,
    InquiryStatus,
    InquiryStatusChange,
    PaymentMethod,
)
from .letters import (
    DEFAULT_LETTER,
    LETTER_PLACEHOLDERS,
    DonorLetter,
    letter_render,
    letter_text_errors,
)
from .record import (
    MINIMUM_CORPORATE_DONATION,
    Award,
    Donation,
    DonationQuerySet,
    DonationReceipt,
    DonationReceiptQuerySet,
    Donor,
    DonorInterview,
    DonorInterviewQuerySet,
    DonorQuerySet,
    ReceiptSerial,
    Scheme,
)

__all__ = [
    "CLOSED_STATUSES",
    "DEFAULT_LETTER",
    "INQUIRY_PERSONAL_FIELDS",
    "INQUIRY_TRANSITIONS",
    "LETTER_PLACEHOLDERS",
    "MINIMUM_CORPORATE_DONATION",
    "Award",
    "Donation",
    "DonationApplication",
    "DonationApplicationQuerySet",
    "DonationInquiry",
    "DonationInquiryQuerySet",
    "DonationQuerySet",
    "DonationReceipt",
    "DonationReceiptQuerySet",
    "Donor",
    "DonorInterview",
    "DonorInterviewQuerySet",
    "DonorLetter",
    "DonorQuerySet",
    "InquiryNote",
    "InquiryNotification",
    "InquiryStatus",
    "InquiryStatusChange",
    "PaymentMethod",
    "ReceiptSerial",
    "Scheme",
    "letter_render",
    "letter_text_errors",
]
