"""The 寄附申出書 in tests: a pledged inquiry to issue one for, the actions staff run on it, and
the e-mail's private link read back."""

from __future__ import annotations

import re

from django.urls import reverse

from donations.models import DonationInquiry, InquiryStatus, PaymentMethod
from tests.projects.factories import ProjectFactory

from .factories import ALL_SENT, DonationInquiryFactory

CHANGELIST = "admin:donations_donationinquiry_changelist"


def pledged_inquiry(**overrides) -> DonationInquiry:
    """A company that pledged: everything the application prints is known but what
    ``overrides`` leaves out."""
    fields = {
        "reference": "D26-APL234",
        "company_name": "株式会社湘南テクノ",
        "company_name_kana": "カブシキガイシャショウナンテクノ",
        "corporate_number": "7000012050002",
        "postal_code": "220-0012",
        "head_office_address": "神奈川県横浜市西区みなとみらい1-1-1",
        "representative": "代表取締役 湘南 一郎",
        "contact_name": "山田 花子",
        "email": "hanako@shonan-techno.example.jp",
        "planned_amount": 2_400_000,
        "planned_fiscal_year": 2026,
        "payment_method": PaymentMethod.TRANSFER,
        "consent_publish_name": True,
        "consent_publish_amount": False,
        "status": InquiryStatus.PLEDGED,
        "notifications": ALL_SENT,
    }
    fields |= overrides
    if "projects" not in fields:
        fields["projects"] = [
            ProjectFactory(title_ja="第3世代波力発電", title_en="Third-generation wave power")
        ]
    return DonationInquiryFactory(**fields)


def run_action(client, action: str, *inquiries):
    return client.post(
        reverse(CHANGELIST),
        {"action": action, "_selected_action": [str(i.pk) for i in inquiries]},
        follow=True,
    )


def link_in(body: str) -> str:
    """The private link (its path) an application e-mail gives."""
    match = re.search(r"https?://[^/\s]+(/(?:en/)?donations/application/[^/\s]+/)", body)
    assert match, body
    return match[1]
