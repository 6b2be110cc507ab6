"""The donations panels of the staff dashboard: the figures by fiscal year, the inquiries by
status and those waiting for a first contact, who sees them, and their constant cost."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from donations.models import Donation, DonationInquiry, Donor, InquiryStatus
from projects.models import Project
from tests.core.dashboard_tools import dashboard_panels, staff_member, table_rows, text
from tests.donations.factories import DonationFactory, DonationInquiryFactory, DonorFactory
from tests.projects.factories import ProjectFactory
from tests.two_factor_tools import verified_login

pytestmark = pytest.mark.django_db

DONATION_PANELS = {
    "donations-by-fiscal-year",
    "pledged-and-received",
    "overdue-inquiries",
    "overdue-payments",
    "inquiries-by-status",
}
JST = datetime.timezone(datetime.timedelta(hours=9))


def received_at(inquiry: DonationInquiry, when: datetime.datetime) -> None:
    DonationInquiry.objects.filter(pk=inquiry.pk).update(created_at=when)


# --- Donations by fiscal year -------------------------------------------------------------------


def test_donations_by_fiscal_year_with_the_cumulative_total(staff_client):
    DonationFactory(fiscal_year=2022, amount=1_000_000)
    # Staff see every amount: an unpublished one counts here (not on the public page).
    DonationFactory(fiscal_year=2022, amount=500_000, publish_amount=False)
    DonationFactory(fiscal_year=2023, amount=2_000_000)
    DonationFactory(fiscal_year=2019, amount=24_000_000)

    panel = dashboard_panels(staff_client)["donations-by-fiscal-year"]

    assert table_rows(panel) == [
        ["年度", "件数", "金額", "累計"],
        ["令和元年度（2019年度）", "1件", "2,400万円", "2,400万円"],
        ["令和4年度（2022年度）", "2件", "150万円", "2,550万円"],
        ["令和5年度（2023年度）", "1件", "200万円", "2,750万円"],
        ["合計", "4件", "2,750万円", ""],
    ]
    # The chart: an image with its title and a description of every bar, drawn on the server.
    svg = panel.split("<svg")[1].split("</svg>")[0]
    assert 'role="img"' in svg
    assert 'aria-labelledby="donations-chart-title donations-chart-desc"' in svg
    assert '<title id="donations-chart-title">年度別の寄附金額</title>' in svg
    assert "令和4年度（2022年度） 150万円（2件）" in svg
    # Bars in proportion to the largest year, which takes the bar's full share of the width.
    assert svg.count("<rect") == 3
    assert ['width="68.0%"' in svg, 'width="4.1%"' in svg, 'width="5.4%"' in svg] == [True] * 3
    assert "2,400万円" in svg


def test_no_donation_yet(staff_client):
    panel = dashboard_panels(staff_client)["donations-by-fiscal-year"]
    assert "記録された寄附はまだありません。" in panel and "<svg" not in panel


# --- Inquiries by status ------------------------------------------------------------------------


def test_inquiries_by_status_link_to_the_filtered_list(staff_client):
    DonationInquiryFactory.create_batch(2)
    DonationInquiryFactory(status=InquiryStatus.CONTACTING)
    DonationInquiryFactory(status=InquiryStatus.DONATED)

    panel = dashboard_panels(staff_client)["inquiries-by-status"]

    assert table_rows(panel) == [
        ["対応状況", "件数"],
        ["受付", "2件"],
        ["連絡中", "1件"],
        ["寄附の申出あり", "0件"],
        ["寄附済み", "1件"],
        ["見送り（市）", "0件"],
        ["取下げ（企業）", "0件"],
        ["合計", "4件"],
    ]
    link = "/admin/donations/donationinquiry/?status__exact=received"
    assert f'<a href="{link}">受付</a>' in panel
    listed = staff_client.get(link).context["cl"].result_list
    assert {inquiry.status for inquiry in listed} == {"received"} and len(listed) == 2


# --- Waiting for a first contact ----------------------------------------------------------------


@time_machine.travel(datetime.datetime(2025, 5, 8, 10, 0, tzinfo=JST), tick=False)
def test_waiting_counts_working_days_across_golden_week(staff_client):
    # Thursday 8 May 2025, after Golden Week (3–6 May off, 29 April 昭和の日).
    overdue = DonationInquiryFactory(company_name="湘南テスト電機株式会社")
    received_at(overdue, datetime.datetime(2025, 4, 30, 17, 30, tzinfo=JST))  # 4 working days
    older = DonationInquiryFactory(company_name="相模テスト建設株式会社")
    received_at(older, datetime.datetime(2025, 4, 25, 9, 0, tzinfo=JST))  # 6 working days
    in_time = DonationInquiryFactory(company_name="平塚テスト港湾株式会社")
    # Seven calendar days but three working days ago: not overdue yet.
    received_at(in_time, datetime.datetime(2025, 5, 1, 9, 0, tzinfo=JST))
    contacted = DonationInquiryFactory(
        company_name="茅ヶ崎テスト株式会社", status=InquiryStatus.CONTACTING
    )
    received_at(contacted, datetime.datetime(2025, 4, 1, 9, 0, tzinfo=JST))
    older.assignee = staff_client.user
    older.save(update_fields=["assignee"])

    panel = dashboard_panels(staff_client)["overdue-inquiries"]

    rows = table_rows(panel)
    assert rows[0] == ["法人名", "先方の担当者", "受付日", "経過（開庁日）", "市の担当者"]
    assert rows[1:] == [
        [
            f"相模テスト建設株式会社 {older.reference}",
            "山田 太郎",
            "令和7年4月25日",
            "6日",
            "sangyo",
        ],
        [
            f"湘南テスト電機株式会社 {overdue.reference}",
            "山田 太郎",
            "令和7年4月30日",
            "4日",
            "未定",
        ],
    ]
    assert f'href="/admin/donations/donationinquiry/{overdue.pk}/change/"' in panel
    assert "平塚テスト港湾" not in panel and "茅ヶ崎テスト" not in panel


@time_machine.travel(datetime.datetime(2025, 1, 6, 9, 0, tzinfo=JST), tick=False)
def test_the_new_year_closing_is_not_counted(staff_client):
    # Received on the last working day of 2024; on 仕事始め it has waited one working day.
    inquiry = DonationInquiryFactory()
    received_at(inquiry, datetime.datetime(2024, 12, 27, 16, 0, tzinfo=JST))
    assert (
        "連絡待ちのお問い合わせはありません" in dashboard_panels(staff_client)["overdue-inquiries"]
    )
    with time_machine.travel(datetime.datetime(2025, 1, 9, 9, 0, tzinfo=JST), tick=False):
        assert inquiry.company_name in dashboard_panels(staff_client)["overdue-inquiries"]


@time_machine.travel(datetime.datetime(2025, 6, 16, 9, 0, tzinfo=JST), tick=False)
def test_the_overdue_list_shows_the_oldest_and_links_to_all(staff_client):
    inquiries = DonationInquiryFactory.create_batch(12)
    for day, inquiry in enumerate(inquiries, start=1):
        received_at(inquiry, datetime.datetime(2025, 5, day, 9, 0, tzinfo=JST))

    panel = dashboard_panels(staff_client)["overdue-inquiries"]

    assert "連絡待ちのお問い合わせ（12件、受付の古い順）" in panel
    assert len(table_rows(panel)) == 1 + 10
    assert inquiries[0].company_name in panel and inquiries[11].company_name not in panel
    link = panel.split('<p class="dashboard-panel__more"><a href="')[1].split('"')[0]
    assert "連絡待ちの12件をすべて見る" in panel
    listed = staff_client.get(link.replace("&amp;", "&")).context["cl"].result_list
    assert {inquiry.pk for inquiry in listed} == {inquiry.pk for inquiry in inquiries}


def test_without_the_personal_data_permission_the_contact_person_is_not_shown(client):
    inquiry = DonationInquiryFactory(contact_name="鈴木 花子")
    received_at(inquiry, timezone.now() - datetime.timedelta(days=30))
    follow_up = staff_member("follow-up", "donations.view_donationinquiry")
    client.force_login(follow_up)

    panel = dashboard_panels(client)["overdue-inquiries"]

    assert inquiry.company_name in panel
    assert "鈴木" not in panel and "先方の担当者" not in panel

    follow_up.user_permissions.add(
        *staff_member("officer", "donations.view_personal_data").user_permissions.all()
    )
    follow_up = type(follow_up).objects.get(pk=follow_up.pk)
    client.force_login(follow_up)
    assert "鈴木 花子" in dashboard_panels(client)["overdue-inquiries"]


# --- Who sees what ------------------------------------------------------------------------------


def test_each_role_sees_the_panels_of_what_it_may_view(client, staff):
    DonationFactory()
    editor = staff_member("editor", "projects.view_project", "projects.change_project")
    officer = staff_member(
        "officer",
        "donations.view_donation",
        "donations.change_donation",
        "donations.view_donationinquiry",
        "donations.change_donationinquiry",
        "donations.view_personal_data",
    )
    viewer_of_donations = staff_member("viewer", "donations.view_donation")

    seen = {}
    for user in (editor, officer, viewer_of_donations, staff):
        # The superuser past the second factor it must give; the others need none.
        verified_login(client, user)
        seen[user.username] = set(dashboard_panels(client))

    assert seen["editor"] == {"latest-changes", "upcoming-publications"}
    assert seen["officer"] == DONATION_PANELS | {"latest-changes"}
    assert seen["viewer"] == {"donations-by-fiscal-year", "latest-changes"}
    assert seen[staff.username] == DONATION_PANELS | {"latest-changes", "upcoming-publications"}


def test_a_staff_member_without_any_permission_sees_no_panel(client):
    client.force_login(staff_member("newcomer"))
    assert dashboard_panels(client) == {}


# --- A constant number of queries ---------------------------------------------------------------


def _records(count: int, user) -> None:
    """``count`` donations and ``count`` inquiries (every status, all received long ago), each
    with its first version in the audit trail by ``user``."""
    donors = bulk_create_with_history(
        [DonorFactory.build() for _ in range(5)], Donor, default_user=user
    )
    donations = [
        DonationFactory.build(
            donor=donors[index % len(donors)],
            fiscal_year=2016 + index % 9,
            receipt_number=f"C{count}-{index}",
        )
        for index in range(count)
    ]
    bulk_create_with_history(donations, Donation, default_user=user)
    statuses = list(InquiryStatus)
    inquiries = [
        DonationInquiryFactory.build(status=statuses[index % len(statuses)])
        for index in range(count)
    ]
    bulk_create_with_history(inquiries, DonationInquiry, default_user=user)
    DonationInquiry.objects.update(created_at=timezone.now() - datetime.timedelta(days=40))
    # As many projects waiting for their publication date.
    soon = timezone.now() + datetime.timedelta(days=3)
    first = Project.objects.count()
    bulk_create_with_history(
        [
            ProjectFactory.build(slug=f"scheduled-{first + index}", published_at=soon)
            for index in range(count)
        ],
        Project,
        default_user=user,
    )


def _dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        panels = dashboard_panels(client)
    assert set(panels) == DONATION_PANELS | {"latest-changes", "upcoming-publications"}
    return len(context.captured_queries)


def test_the_dashboard_costs_the_same_queries_at_5_and_at_500_records(staff_client):
    _records(5, staff_client.user)
    few = _dashboard_queries(staff_client)
    assert "合計 5件" in text(dashboard_panels(staff_client)["inquiries-by-status"])

    _records(495, staff_client.user)
    many = _dashboard_queries(staff_client)

    assert few == many
    panels = dashboard_panels(staff_client)
    assert "合計 500件" in text(panels["donations-by-fiscal-year"])
    assert "合計 500件" in text(panels["inquiries-by-status"])
    assert "（84件、受付の古い順）" in panels["overdue-inquiries"]
    assert "変更者：sangyo" in panels["latest-changes"]
