"""Personal-data retention: `manage.py anonymise_inquiries` erases what a company's contact
sent once the follow-up has been closed for INQUIRY_RETENTION_YEARS, everywhere it is stored,
and keeps the statistics."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from donations.models import DonationInquiry, InquiryNotification, InquiryStatus
from donations.services import inquiry_add_note, inquiry_change_status
from tests.hiratsuka_portal.factories import SitePageFactory

from .factories import ALL_SENT, DonationInquiryFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2031, 6, 1, 9, 0, tzinfo=TOKYO)
PERSONAL = ("山田 花子", "hanako@example.jp", "0463-00-0000", "平塚市浅間町9-1", "折り返し")


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(username="kifu", is_staff=True, password=None)


def follow_up(inquiry, statuses, user, at: datetime) -> DonationInquiry:
    with time_machine.travel(at, tick=False):
        for status in statuses:
            inquiry_change_status(inquiry=inquiry, to_status=status, changed_by=user)
        inquiry_add_note(inquiry=inquiry, author=user, body="山田 花子様に折り返し電話した")
    return inquiry


def make_inquiry(reference: str, created: datetime) -> DonationInquiry:
    with time_machine.travel(created, tick=False):
        inquiry = DonationInquiryFactory(
            reference=reference,
            contact_name="山田 花子",
            email="hanako@example.jp",
            phone="0463-00-0000",
            head_office_address="神奈川県平塚市浅間町9-1",
            message="折り返しお電話ください。",
            company_name="株式会社湘南テクノ",
            planned_amount=3_000_000,
            planned_fiscal_year=2025,
            notifications=ALL_SENT,
        )
    InquiryNotification.objects.filter(inquiry=inquiry).update(
        body="山田 花子 様\nhanako@example.jp\n0463-00-0000"
    )
    return inquiry


@pytest.fixture
def inquiries(staff_user):
    """Donated 5 years and a day ago (due), declined 4 years ago (kept), and one still open
    since 2025 (kept however old)."""
    old = make_inquiry("D25-OLD001", datetime(2025, 4, 1, tzinfo=TOKYO))
    follow_up(
        old,
        [InquiryStatus.CONTACTING, InquiryStatus.PLEDGED, InquiryStatus.DONATED],
        staff_user,
        NOW - timedelta(days=5 * 365 + 2),
    )
    recent = make_inquiry("D27-NEW001", datetime(2027, 4, 1, tzinfo=TOKYO))
    follow_up(recent, [InquiryStatus.DECLINED], staff_user, NOW - timedelta(days=4 * 365))
    still_open = make_inquiry("D25-OPEN01", datetime(2025, 4, 1, tzinfo=TOKYO))
    follow_up(
        still_open, [InquiryStatus.CONTACTING], staff_user, datetime(2025, 5, 1, tzinfo=TOKYO)
    )
    return old, recent, still_open


def run(*args) -> str:
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("anonymise_inquiries", *args, stdout=out)
    return out.getvalue()


def stored_text(inquiry: DonationInquiry) -> str:
    """Everything stored about the inquiry: the record, its notes, its e-mails and the audit
    trail of each."""
    inquiry.refresh_from_db()
    parts = [str(list(DonationInquiry.objects.filter(pk=inquiry.pk).values()))]
    parts += [str(list(inquiry.history.values()))]
    parts += [str(list(inquiry.notes.values()))]
    parts += [str(list(inquiry.notifications.values()))]
    for model in (type(inquiry.notes.model()), InquiryNotification):
        if hasattr(model, "history"):
            parts.append(str(list(model.history.filter(inquiry_id=inquiry.pk).values())))
    return "\n".join(parts)


def holds_personal_data(inquiry: DonationInquiry) -> bool:
    text = stored_text(inquiry)
    return any(value in text for value in PERSONAL)


def test_a_dry_run_reports_and_changes_nothing(inquiries):
    old = inquiries[0]
    before = stored_text(old)
    output = run("--dry-run")
    assert "D25-OLD001" in output and "D27-NEW001" not in output and "D25-OPEN01" not in output
    assert "1件の問い合わせが匿名化の対象です（保存期間5年）" in output
    assert stored_text(old) == before
    assert DonationInquiry.objects.filter(anonymised_at__isnull=False).count() == 0


def test_the_run_erases_the_personal_data_everywhere_and_keeps_the_statistics(inquiries):
    old, recent, still_open = inquiries
    assert holds_personal_data(old)
    output = run()
    assert "1件の問い合わせを匿名化しました。" in output
    assert not holds_personal_data(old)
    old.refresh_from_db()
    assert old.anonymised_at == NOW
    assert old.contact_name == "（保存期間経過のため削除）"
    assert old.message == "（保存期間経過のため削除）"
    assert old.notes.get().body == "（保存期間経過のため削除）"
    acknowledgement = old.notifications.get(kind=InquiryNotification.Kind.ACKNOWLEDGEMENT)
    assert acknowledgement.recipient.endswith(".invalid")
    assert acknowledgement.body == "（保存期間経過のため削除）"
    # The statistics stay: status and its history, dates, amount, fiscal year, the company.
    assert old.status == InquiryStatus.DONATED
    assert old.status_changes.count() == 3
    assert (old.planned_amount, old.planned_fiscal_year) == (3_000_000, 2025)
    assert old.company_name == "株式会社湘南テクノ"
    assert old.created_at == datetime(2025, 4, 1, tzinfo=TOKYO)
    # Recent and open inquiries are left alone.
    assert holds_personal_data(recent) and holds_personal_data(still_open)


def test_a_second_run_does_nothing(inquiries):
    run()
    old = DonationInquiry.objects.get(reference="D25-OLD001")
    versions = old.history.count()
    assert "0件の問い合わせを匿名化しました。" in run()
    assert old.history.count() == versions


def test_the_period_is_the_setting(inquiries, settings):
    settings.INQUIRY_RETENTION_YEARS = 3
    run()
    assert (
        not DonationInquiry.objects.get(reference="D27-NEW001")
        .history.filter(contact_name="山田 花子")
        .exists()
    )
    assert holds_personal_data(DonationInquiry.objects.get(reference="D25-OPEN01"))


def test_the_privacy_page_states_the_period_from_the_setting(client, settings):
    SitePageFactory(kind="privacy", title_ja="個人情報の取扱い")
    html = client.get(reverse("privacy")).content.decode()
    assert "お問い合わせの個人情報は、対応の終了から5年間保存し、その後消去します。" in html
    settings.INQUIRY_RETENTION_YEARS = 7
    html = client.get(reverse("privacy")).content.decode()
    assert "対応の終了から7年間保存し" in html
    english = client.get("/en" + reverse("privacy")).content.decode()
    assert "7 years" in english
