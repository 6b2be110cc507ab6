"""Pledged vs received per fiscal year and per project (issue 12, point 8): the figures, the
dashboard panel 「申出額と受領額」 and its CSV for Excel, who may see them, and their constant
cost."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donations.models import Donation, DonationInquiry, InquiryStatus, Scheme
from donations.pledge_totals import Figures, pledge_totals
from donations.services import donation_record_from_inquiry
from tests.core.dashboard_tools import dashboard_panels, staff_member, table_rows, text
from tests.projects.factories import ProjectFactory

from .factories import DonationFactory, DonationInquiryFactory, DonorFactory

pytestmark = pytest.mark.django_db

PANEL = "pledged-and-received"
CSV_URL = "/admin/donations/donation/pledge-totals.csv"

CSV_HEADERS = [
    "年度",
    "年度（和暦）",
    "区分",
    "取組み",
    "申出件数",
    "申出額（円）",
    "受領件数",
    "受領額（円）",
    "未納件数",
    "未納額（円）",
]


def csv_rows(response) -> list[list[str]]:
    """The CSV as Excel reads it: UTF-8 announced by its BOM."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def made_up(staff):
    """A small record: a pledge still unpaid, a pledge paid with a different amount and then
    a further payment (naming two projects), a pledge naming no project, pledges that do not
    count, a donation typed in directly and a gift under another scheme."""
    wave = ProjectFactory(title_ja="第3世代波力発電", position=1)
    auv = ProjectFactory(title_ja="AUV", position=2)
    DonationInquiryFactory(
        status=InquiryStatus.PLEDGED,
        planned_fiscal_year=2025,
        planned_amount=3_000_000,
        projects=[wave],
    )
    paid = DonationInquiryFactory(
        status=InquiryStatus.PLEDGED,
        planned_fiscal_year=2025,
        planned_amount=2_000_000,
        projects=[wave, auv],
    )
    # Paid less than pledged in FY2025, then the rest in FY2026.
    donation_record_from_inquiry(
        inquiry=paid, amount=1_500_000, received_on=dt.date(2025, 7, 1), recorded_by=staff
    )
    donation_record_from_inquiry(
        inquiry=paid,
        amount=500_000,
        received_on=dt.date(2026, 4, 10),
        recorded_by=staff,
        further_payment=True,
    )
    DonationInquiryFactory(
        status=InquiryStatus.PLEDGED, planned_fiscal_year=2026, planned_amount=1_000_000
    )
    # Not pledged (yet, or any more): not counted.
    DonationInquiryFactory(status=InquiryStatus.CONTACTING, planned_amount=9_000_000)
    DonationInquiryFactory(
        status=InquiryStatus.WITHDRAWN, planned_fiscal_year=2025, planned_amount=8_000_000
    )
    # Recorded before the inquiry form existed: received, never pledged here.
    DonationFactory(fiscal_year=2024, amount=24_000_000)
    # Another scheme is no 企業版ふるさと納税: not compared with the pledges.
    DonationFactory(fiscal_year=2024, amount=50_000, scheme=Scheme.OTHER)
    return {"wave": wave, "auv": auv, "paid": paid}


# --- The figures --------------------------------------------------------------------------------


def test_figures_per_fiscal_year_and_per_project(made_up):
    paid = DonationInquiry.objects.get(pk=made_up["paid"].pk)
    assert paid.status == InquiryStatus.DONATED and paid.donations.count() == 2

    totals = pledge_totals()

    by_year = {year.fiscal_year: year.total for year in totals.years}
    assert by_year == {
        2024: Figures(received_count=1, received_amount=24_000_000),
        2025: Figures(
            pledged_count=2,
            pledged_amount=5_000_000,
            received_count=1,
            received_amount=1_500_000,
            unpaid_count=1,
            unpaid_amount=3_000_000,
        ),
        2026: Figures(
            pledged_count=1,
            pledged_amount=1_000_000,
            received_count=1,
            received_amount=500_000,
            unpaid_count=1,
            unpaid_amount=1_000_000,
        ),
    }
    assert totals.total == Figures(3, 6_000_000, 3, 26_000_000, 2, 4_000_000)
    # The donation naming two projects counts under each; the others under 指定なし.
    assert [(row.label, row.figures) for row in totals.projects] == [
        ("第3世代波力発電", Figures(2, 5_000_000, 2, 2_000_000, 1, 3_000_000)),
        ("AUV", Figures(1, 2_000_000, 2, 2_000_000, 0, 0)),
        ("取組みの指定なし", Figures(1, 1_000_000, 1, 24_000_000, 1, 1_000_000)),
    ]
    fy2025 = next(year for year in totals.years if year.fiscal_year == 2025)
    assert [(row.label, row.figures.received_amount) for row in fy2025.projects] == [
        ("第3世代波力発電", 1_500_000),
        ("AUV", 1_500_000),
    ]


def test_the_panel_shows_both_tables_with_the_rules(staff_client, made_up):
    panel = dashboard_panels(staff_client)[PANEL]

    assert "申出額と受領額" in panel
    assert table_rows(panel) == [
        ["年度", "申出額", "受領額", "未納"],
        ["令和6年度（2024年度）", "0円（0件）", "2,400万円（1件）", "0円（0件）"],
        ["令和7年度（2025年度）", "500万円（2件）", "150万円（1件）", "300万円（1件）"],
        ["令和8年度（2026年度）", "100万円（1件）", "50万円（1件）", "100万円（1件）"],
        ["合計", "600万円（3件）", "2,600万円（3件）", "400万円（2件）"],
        ["取組み", "申出額", "受領額", "未納"],
        ["第3世代波力発電", "500万円（2件）", "200万円（2件）", "300万円（1件）"],
        ["AUV", "200万円（1件）", "200万円（2件）", "0円（0件）"],
        ["取組みの指定なし", "100万円（1件）", "2,400万円（1件）", "100万円（1件）"],
    ]
    said = text(panel)
    assert "その他の寄附は含みません" in said
    assert "取組み別の金額を足すと合計を上回ることがあります" in said
    # Each figure and each count is kept whole (nowrap), and may go under the other.
    assert '<span class="figure">2,400万円</span><wbr><span class="figure">（1件）</span>' in panel
    # Both tables scroll in a region named by their caption on a narrow screen.
    for caption in ("years", "projects"):
        assert f'role="region" aria-labelledby="panel-{PANEL}-{caption}-caption"' in panel
    assert f'href="{reverse("admin:donations_pledge_totals_csv")}"' in panel


def test_nothing_pledged_or_received_yet(staff_client):
    DonationInquiryFactory(status=InquiryStatus.RECEIVED)
    panel = dashboard_panels(staff_client)[PANEL]
    assert "寄附の申出も、記録された企業版ふるさと納税の寄附もまだありません。" in panel
    assert "<table" not in panel
    assert csv_rows(staff_client.get(CSV_URL)) == [CSV_HEADERS]


# --- The CSV ------------------------------------------------------------------------------------


def test_the_csv_has_each_year_with_its_projects_then_every_year(staff_client, made_up):
    response = staff_client.get(reverse("admin:donations_pledge_totals_csv"))

    assert "attachment" in response["Content-Disposition"]
    assert "%E7%94%B3%E5%87%BA%E9%A1%8D" in response["Content-Disposition"]  # 申出額…
    assert csv_rows(response) == [
        CSV_HEADERS,
        ["2024", "令和6年度", "年度計", "", "0", "0", "1", "24000000", "0", "0"],
        ["2024", "令和6年度", "取組み別", "取組みの指定なし", "0", "0", "1", "24000000", "0", "0"],
        ["2025", "令和7年度", "年度計", "", "2", "5000000", "1", "1500000", "1", "3000000"],
        [
            "2025",
            "令和7年度",
            "取組み別",
            "第3世代波力発電",
            "2",
            "5000000",
            "1",
            "1500000",
            "1",
            "3000000",
        ],
        ["2025", "令和7年度", "取組み別", "AUV", "1", "2000000", "1", "1500000", "0", "0"],
        ["2026", "令和8年度", "年度計", "", "1", "1000000", "1", "500000", "1", "1000000"],
        ["2026", "令和8年度", "取組み別", "第3世代波力発電", "0", "0", "1", "500000", "0", "0"],
        ["2026", "令和8年度", "取組み別", "AUV", "0", "0", "1", "500000", "0", "0"],
        [
            "2026",
            "令和8年度",
            "取組み別",
            "取組みの指定なし",
            "1",
            "1000000",
            "0",
            "0",
            "1",
            "1000000",
        ],
        ["", "全年度", "合計", "", "3", "6000000", "3", "26000000", "2", "4000000"],
        [
            "",
            "全年度",
            "取組み別",
            "第3世代波力発電",
            "2",
            "5000000",
            "2",
            "2000000",
            "1",
            "3000000",
        ],
        ["", "全年度", "取組み別", "AUV", "1", "2000000", "2", "2000000", "0", "0"],
        [
            "",
            "全年度",
            "取組み別",
            "取組みの指定なし",
            "1",
            "1000000",
            "1",
            "24000000",
            "1",
            "1000000",
        ],
    ]


def test_the_csv_holds_no_personal_data_and_no_company(staff_client):
    DonationInquiryFactory(
        status=InquiryStatus.PLEDGED,
        company_name="株式会社湘南テクノ",
        contact_name="鈴木 花子",
        contact_name_kana="スズキ ハナコ",
        email="hanako@shonan-techno.example.jp",
        phone="0463-00-1234",
        head_office_address="神奈川県横浜市西区みなとみらい1-1-1",
        message="波力発電を応援したい",
    )
    DonationFactory(donor=DonorFactory(name_ja="湘南テスト電機株式会社"))

    content = staff_client.get(CSV_URL).content.decode("utf-8-sig")
    panel = dashboard_panels(staff_client)[PANEL]

    for shown in (content, panel):
        for private in (
            "湘南テクノ",
            "鈴木",
            "スズキ",
            "hanako",
            "0463-00-1234",
            "みなとみらい",
            "応援したい",
            "湘南テスト電機",
        ):
            assert private not in shown
    assert "1,000,000" not in content and "1000000" in content  # plain numbers for Excel


def test_the_csv_is_only_read(staff_client):
    assert staff_client.post(CSV_URL).status_code == 405


# --- Who sees them ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("寄附担当", True),
        # 閲覧者 may read every donation and inquiry in the admin: the totals show no more.
        ("閲覧者", True),
        ("編集者", False),
    ],
)
def test_each_role(user_with_role, role, allowed):
    DonationFactory()
    client = user_with_role(role)

    assert (PANEL in dashboard_panels(client)) is allowed
    response = client.get(CSV_URL)
    assert response.status_code == (200 if allowed else 403)


def test_viewing_donations_alone_is_not_enough(client):
    # The figures compare pledges with donations: both must be open to the user.
    for permission in ("donations.view_donation", "donations.view_donationinquiry"):
        client.force_login(staff_member(permission.split(".")[1], permission))
        assert PANEL not in dashboard_panels(client)
        assert client.get(CSV_URL).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(CSV_URL)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


# --- A constant number of queries ---------------------------------------------------------------


def _records(count: int) -> None:
    """``count`` pledges and ``count`` donations over several years, naming none, one or two
    of three projects."""
    projects = [ProjectFactory() for _ in range(3)]
    choices = [[], projects[:1], projects[1:], [projects[2]]]
    statuses = [InquiryStatus.PLEDGED, InquiryStatus.DONATED, InquiryStatus.RECEIVED]
    inquiries = DonationInquiry.objects.bulk_create(
        [
            DonationInquiryFactory.build(
                status=statuses[index % len(statuses)], planned_fiscal_year=2020 + index % 6
            )
            for index in range(count)
        ]
    )
    donations = Donation.objects.bulk_create(
        [
            DonationFactory.build(
                donor=DonorFactory(),
                fiscal_year=2020 + index % 6,
                receipt_number=f"Q{count}-{index}",
            )
            for index in range(count)
        ]
    )
    Inquiry, Gift = DonationInquiry.projects.through, Donation.projects.through
    Inquiry.objects.bulk_create(
        Inquiry(donationinquiry_id=inquiry.pk, project_id=project.pk)
        for index, inquiry in enumerate(inquiries)
        for project in choices[index % len(choices)]
    )
    Gift.objects.bulk_create(
        Gift(donation_id=donation.pk, project_id=project.pk)
        for index, donation in enumerate(donations)
        for project in choices[index % len(choices)]
    )


def test_five_queries_at_5_and_at_200_records(django_assert_num_queries, staff_client):
    _records(5)
    with django_assert_num_queries(5):
        few = pledge_totals()
    _records(195)
    with django_assert_num_queries(5):
        many = pledge_totals()

    assert few.total.pledged_count + few.total.received_count < 10
    assert many.total.received_count == 200
    # 2 of each 3 inquiries are pledged or donated.
    assert many.total.pledged_count == sum(1 for index in range(5) if index % 3 != 2) + sum(
        1 for index in range(195) if index % 3 != 2
    )


def test_the_csv_and_the_dashboard_cost_the_same_at_5_and_at_200_records(staff_client):
    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert staff_client.get(url).status_code == 200
        return len(context.captured_queries)

    _records(5)
    few = (queries(CSV_URL), queries("/admin/"))
    _records(195)
    assert (queries(CSV_URL), queries("/admin/")) == few
