"""The payment of a pledge (issue 12, point 3): staff record how the company pays (納付書 /
振込 / その他) and the day the city asked for the payment, on the inquiry's follow-up form while
it is pledged; the dashboard lists the pledges still unpaid DONATION_PAYMENT_OVERDUE_DAYS after
the request, in a constant number of queries."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from donations.models import DonationInquiry, InquiryStatus, PaymentMethod
from tests.admin_tools import admin_url, open_page, post_change_form
from tests.core.dashboard_tools import dashboard_panels, table_rows

from .factories import DonationFactory, DonationInquiryFactory

pytestmark = pytest.mark.django_db

JST = datetime.timezone(datetime.timedelta(hours=9))
TODAY = datetime.date(2025, 6, 30)


def follow_up(client, inquiry, **changes):
    """Sends the inquiry's follow-up form back as the browser would, with ``changes``."""
    return post_change_form(client, inquiry, **changes)


def form_errors(response) -> dict:
    assert response.status_code == 200
    return {k: list(v) for k, v in response.context["adminform"].form.errors.items()}


# --- On the follow-up form -----------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2025, 6, 30, 10, 0, tzinfo=JST), tick=False)
def test_the_pledge_records_the_method_and_the_request_with_who_did_it(user_with_role):
    officer = user_with_role("寄附担当")
    inquiry = DonationInquiryFactory(status=InquiryStatus.CONTACTING)

    response = follow_up(
        officer,
        inquiry,
        status=InquiryStatus.PLEDGED,
        payment_method=PaymentMethod.INVOICE,
        payment_requested_on="2025-06-27",
    )

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.PLEDGED
    assert inquiry.payment_method == PaymentMethod.INVOICE
    assert inquiry.payment_requested_on == datetime.date(2025, 6, 27)
    latest = inquiry.history.first()
    assert latest.payment_method == "invoice" and latest.history_user == officer.user
    page = open_page(officer, admin_url(DonationInquiry, "change", inquiry.pk)).content.decode()
    assert "納付方法" in page and "納付依頼日" in page


def test_a_payment_cannot_be_requested_before_a_method_is_chosen(staff_client):
    inquiry = DonationInquiryFactory(status=InquiryStatus.PLEDGED)

    response = follow_up(staff_client, inquiry, payment_requested_on="2025-06-01")

    assert form_errors(response) == {
        "payment_method": ["納付を依頼するには、先に納付方法を選んでください。"]
    }
    inquiry.refresh_from_db()
    assert inquiry.payment_requested_on is None


def test_the_payment_is_recorded_only_on_a_pledge(staff_client):
    inquiry = DonationInquiryFactory(status=InquiryStatus.CONTACTING)

    response = follow_up(staff_client, inquiry, payment_method=PaymentMethod.TRANSFER)

    assert form_errors(response) == {
        "payment_method": ["納付方法と納付依頼日は「寄附の申出あり」のときに記録します。"]
    }
    inquiry.refresh_from_db()
    assert inquiry.payment_method == ""


def test_a_closed_inquiry_keeps_its_payment_as_recorded(staff_client):
    inquiry = DonationInquiryFactory(
        status=InquiryStatus.DONATED,
        payment_method=PaymentMethod.TRANSFER,
        payment_requested_on=datetime.date(2025, 5, 1),
    )

    response = follow_up(staff_client, inquiry, payment_method=PaymentMethod.OTHER)

    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.payment_method == PaymentMethod.TRANSFER


# --- The dashboard's unpaid pledges --------------------------------------------------------------


def pledge(*, requested_on: datetime.date | None, **fields) -> DonationInquiry:
    return DonationInquiryFactory(
        status=InquiryStatus.PLEDGED,
        payment_method=PaymentMethod.INVOICE if requested_on else "",
        payment_requested_on=requested_on,
        **fields,
    )


@time_machine.travel(datetime.datetime(2025, 6, 30, 10, 0, tzinfo=JST), tick=False)
def test_the_dashboard_lists_the_pledges_unpaid_after_the_settings_days(staff_client, settings):
    settings.DONATION_PAYMENT_OVERDUE_DAYS = 30
    overdue = pledge(requested_on=datetime.date(2025, 5, 30), company_name="遅延工業株式会社")
    pledge(requested_on=datetime.date(2025, 5, 31), company_name="期限内株式会社")  # 30 days
    pledge(requested_on=None, company_name="未依頼株式会社")
    paid = pledge(requested_on=datetime.date(2025, 4, 1), company_name="納付済み株式会社")
    DonationFactory(inquiry=paid, fiscal_year=2025, received_on=datetime.date(2025, 6, 1))

    panel = dashboard_panels(staff_client)["overdue-payments"]

    assert "遅延工業株式会社" in panel and "31日" in panel and "納付書" in panel
    for name in ["期限内株式会社", "未依頼株式会社", "納付済み株式会社"]:
        assert name not in panel
    assert "市が納付を依頼してから30日を過ぎても" in panel
    assert overdue.get_absolute_url() in panel

    settings.DONATION_PAYMENT_OVERDUE_DAYS = 60
    panel = dashboard_panels(staff_client)["overdue-payments"]
    assert "遅延工業株式会社" not in panel
    assert "納付を依頼してから60日を過ぎて納付待ちの寄附の申出はありません。" in panel


def _overdue_payment_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        dashboard_panels(client)
    return len(context.captured_queries)


@time_machine.travel(datetime.datetime(2025, 6, 30, 10, 0, tzinfo=JST), tick=False)
def test_the_unpaid_pledges_cost_the_same_queries_at_5_and_at_50(staff_client, django_user_model):
    assignee = django_user_model.objects.create_user(username="kikaku", is_staff=True)
    for _ in range(5):
        pledge(requested_on=datetime.date(2025, 4, 1), assignee=assignee)
    few = _overdue_payment_queries(staff_client)

    for _ in range(45):
        pledge(requested_on=datetime.date(2025, 4, 1), assignee=assignee)
    many = _overdue_payment_queries(staff_client)

    assert few == many
    panel = dashboard_panels(staff_client)["overdue-payments"]
    assert "納付待ちの寄附の申出（50件、納付依頼の古い順）" in panel
    assert len(table_rows(panel)) == 1 + 10
    link = panel.split('<p class="dashboard-panel__more"><a href="')[1].split('"')[0]
    listed = staff_client.get(link.replace("&amp;", "&")).context["cl"].result_count
    assert listed == 50


def test_a_viewer_sees_the_unpaid_pledges_too(user_with_role):
    viewer = user_with_role("閲覧者")
    assert "overdue-payments" in dashboard_panels(viewer)
