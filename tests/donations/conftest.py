"""Fixtures the donations tests share (the project-wide ones are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from donations.models import DonationInquiry
from tests.projects.factories import ProjectFactory

from .factories import ALL_SENT, DonationInquiryFactory


@pytest.fixture
def inquiry(django_user_model) -> DonationInquiry:
    """An inquiry as staff find it in the admin: naming a project, its two e-mails sent and
    assigned to a colleague (kikaku). What the admin tests look for in it is set here."""
    assignee = django_user_model.objects.create_user(
        username="kikaku", is_staff=True, password=None
    )
    return DonationInquiryFactory(
        reference="D26-ABC234",
        company_name="株式会社湘南テクノ",
        company_name_kana="カブシキガイシャショウナンテクノ",
        corporate_number="7000012050002",
        head_office_address="神奈川県横浜市西区みなとみらい1-1-1",
        contact_name="山田 花子",
        email="hanako@shonan-techno.example.jp",
        assignee=assignee,
        projects=[
            ProjectFactory(title_ja="第3世代波力発電", title_en="Third-generation wave power")
        ],
        notifications=ALL_SENT,
    )
