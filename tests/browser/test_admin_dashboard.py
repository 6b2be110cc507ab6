"""The staff dashboard in a real browser: accessible (axe), readable on a desktop and a phone,
its yen figures on one line."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from donations.models import DonationInquiry, InquiryStatus
from projects.models import Project
from tests.donations.factories import DonationInquiryFactory
from tests.two_factor_tools import totp_device

from .conftest import axe_violations, lines_of
from .two_factor_steps import enter_the_code

SCREENSHOTS = Path("/tmp/dashboard")
PASSWORD = "hiratsuka-dashboard-2025"


@pytest.fixture
def signed_in(visit_at_width, seeded_live):
    """A superuser signed in through the login page, with inquiries waiting for a contact and a
    large pledge naming two projects (the longest figures of 申出額と受領額)."""
    superuser = get_user_model().objects.create_superuser(
        username="sangyo", email="sangyo@example.jp", password=PASSWORD
    )
    totp_device(superuser)
    DonationInquiryFactory(
        status=InquiryStatus.PLEDGED,
        planned_amount=123_456_789,
        projects=list(Project.objects.all()[:2]),
    )
    for inquiry in DonationInquiryFactory.create_batch(3):
        DonationInquiry.objects.filter(pk=inquiry.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=20)
        )
    page = visit_at_width.page
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "sangyo")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    enter_the_code(page, superuser)
    page.wait_for_url("**/admin/")
    return visit_at_width


def test_the_dashboard_is_accessible_and_readable(signed_in):
    page = signed_in.page
    width = page.viewport_size["width"]
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"dashboard-{width}.png", full_page=True)

    assert page.get_by_role("heading", name="年度別の寄附").is_visible()
    assert page.get_by_role("img", name="年度別の寄附金額").is_visible()
    assert page.get_by_role("heading", name="最近の変更").is_visible()
    assert page.get_by_role("heading", name="申出額と受領額").is_visible()
    assert page.get_by_role("region", name="取組み別の申出額・受領額・未納（全年度）").count() == 1
    report = axe_violations(page)
    assert not report, report
    # Every yen figure on one line, and nothing wider than the screen.
    figures = lines_of(page, ".dashboard-panel .figure")
    assert figures and all(lines == 1 for _text, lines in figures), figures
    assert "1億2,345万6,789円" in [figure for figure, _lines in figures]
    overflow = page.evaluate(
        "[...document.querySelectorAll('.dashboard-panel')]"
        ".filter(panel => panel.getBoundingClientRect().right > window.innerWidth + 1).length"
    )
    assert overflow == 0
    assert not signed_in.foreign_requests()
    assert not signed_in.console_errors
