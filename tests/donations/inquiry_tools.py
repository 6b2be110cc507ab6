"""Filling in the donation inquiry form (/donations/inquiry/) as a company's contact would."""

from __future__ import annotations

import time

from donations.abuse import issue_form_token

FORM = "/donations/inquiry/"


def valid_data(**overrides) -> dict:
    """The form filled in correctly; ``overrides`` change fields (``None`` leaves one out)."""
    data = {
        "company_name": "株式会社湘南テクノ",
        "company_name_kana": "カブシキガイシャショウナンテクノ",
        "corporate_number": "",
        "postal_code": "220-0012",
        "head_office_address": "神奈川県横浜市西区みなとみらい1-1-1",
        "department": "総務部",
        "contact_name": "山田 花子",
        "contact_name_kana": "ヤマダ ハナコ",
        "email": "hanako@shonan-techno.example.jp",
        "phone": "045-000-0000",
        "planned_amount": "1000000",
        "planned_fiscal_year": "2026",
        "consent_publish_name": "on",
        "message": "波力発電の取組みを応援したいと考えています。",
        "privacy_consent": "on",
        # A form shown ten seconds ago, as a person would send it.
        "form_token": issue_form_token(issued_at=time.time() - 10),
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
