"""The donation record by fiscal year: /donations/ shows every year's total and the donors of the
latest years; each year's donors are on a page of their own (/donations/<fiscal_year>/)."""

from __future__ import annotations

import pytest

from donations.models import Donation
from donations.records import (
    DONORS_SHOWN_PER_YEAR,
    LATEST_YEARS_SHOWN,
    donation_record,
    record_totals,
)
from tests.page_tools import html

from .factories import DonationFactory, DonorFactory
from .record_tools import table_rows

pytestmark = pytest.mark.django_db

YEARS = range(2015, 2025)


@pytest.fixture
def long_record(db):
    """Ten fiscal years, each with a named donor and one whose amount is not published."""
    for fiscal_year in YEARS:
        DonationFactory(
            fiscal_year=fiscal_year,
            donor=DonorFactory(name_ja=f"寄附{fiscal_year}株式会社"),
            amount=1_000_000 * (fiscal_year - 2010),
        )
        DonationFactory(fiscal_year=fiscal_year, amount=9_876_543, publish_amount=False)


def year_headers(page: str) -> list[str]:
    return [row[0] for row in table_rows(page) if len(row) == 1]


def test_the_donation_page_shows_the_donors_of_the_latest_years_only(client, long_record):
    page = html(client, "/donations/")
    assert year_headers(page) == [
        "令和4年度（2022年度）",
        "令和5年度（2023年度）",
        "令和6年度（2024年度）",
    ]
    assert "寄附2021株式会社" not in page and "寄附2024株式会社" in page
    # Every year's total is still in the chart, and every year links to its page.
    chart = page.split('<figure class="totals-chart"')[1].split("</figure>")[0]
    assert chart.count('class="totals-chart__row"') == len(YEARS)
    for fiscal_year in YEARS:
        assert f'href="/donations/{fiscal_year}/"' in page


@pytest.fixture
def crowded_year(db):
    """FY2024 with three donations more than /donations/ shows of a year, the last of them
    unpublished; FY2023 with two."""
    for number in range(1, DONORS_SHOWN_PER_YEAR + 3):
        DonationFactory(
            fiscal_year=2024,
            donor=DonorFactory(name_ja=f"寄附{number:02d}株式会社"),
            amount=1_000_000,
        )
    DonationFactory(fiscal_year=2024, amount=9_876_543, publish_amount=False)
    for number in (1, 2):
        DonationFactory(fiscal_year=2023, donor=DonorFactory(name_ja=f"前年度{number}株式会社"))


def test_the_donation_page_shows_the_first_donors_of_a_crowded_year(client, crowded_year):
    rows = table_rows(html(client, "/donations/"))
    year_2024 = rows[rows.index(["令和6年度（2024年度）"]) :]
    shown = [row[0] for row in year_2024[1 : DONORS_SHOWN_PER_YEAR + 1]]
    assert shown == [f"寄附{number:02d}株式会社 様" for number in range(1, 11)]
    # Then a link to the rest, and the subtotal of the whole year, not of the rows shown.
    assert year_2024[DONORS_SHOWN_PER_YEAR + 1 :] == [
        ["令和6年度（2024年度）の寄附者すべて（13件）"],
        ["小計", "1,200万円（非公表の金額を除く）"],
    ]
    # A year within the limit is shown whole, with no such link.
    assert ["前年度2株式会社 様", "100万円"] in rows
    assert not any("令和5年度（2023年度）の寄附者すべて" in row[0] for row in rows)


def test_the_link_leads_to_every_donor_of_the_year(client, crowded_year):
    page = html(client, "/donations/")
    assert '<a href="/donations/2024/">令和6年度（2024年度）の寄附者すべて（13件）</a>' in page
    donors = [row[0] for row in table_rows(html(client, "/donations/2024/"))]
    assert "寄附12株式会社 様" in donors and "寄附11株式会社 様" in donors
    assert len(donors) == 1 + 1 + 13 + 1  # the column headers, the year, 13 donors, the subtotal


def test_the_link_to_a_crowded_year_in_english(client, crowded_year):
    page = html(client, "/en/donations/")
    assert '<a href="/en/donations/2024/">Donors of FY2024 — all 13</a>' in page


def test_each_year_page_shows_its_own_rows(client, long_record):
    page = html(client, "/donations/2016/")
    assert "<h1>平成28年度（2016年度）の寄附実績</h1>" in page
    assert table_rows(page) == [
        ["寄附者", "寄附金額"],
        ["平成28年度（2016年度）"],
        ["寄附2016株式会社 様", "600万円"],
        [table_rows(page)[3][0], "非公表"],
        ["小計", "600万円（非公表の金額を除く）"],
    ]
    assert "987万" not in page and "9,876,543" not in page


def test_the_totals_in_sql_are_those_of_the_record(long_record):
    # The chart's totals (one query) and the tables' (donation_record) never disagree.
    DonationFactory(fiscal_year=2020, amount=2_345_678, publish_amount=False)
    record = donation_record(Donation.objects.for_public_table())
    totals = record_totals(Donation.objects.all())
    assert [(y.fiscal_year, y.total, y.has_unpublished) for y in totals.years] == [
        (y.fiscal_year, y.total, y.has_unpublished) for y in record.years
    ]
    assert totals.total == record.total
    assert totals.latest_years() == list(YEARS)[-LATEST_YEARS_SHOWN:]


def test_a_year_with_only_unpublished_amounts_totals_zero(client, db):
    DonationFactory(fiscal_year=2024, amount=5_000_000, publish_amount=False)
    assert ["小計", "0円（非公表の金額を除く）"] in table_rows(html(client, "/donations/2024/"))


@pytest.mark.parametrize("url", ["/donations/2014/", "/donations/2025/", "/donations/99999/"])
def test_a_year_without_donations_is_not_found(client, long_record, url):
    assert client.get(url).status_code == 404


def test_no_year_page_before_any_donation(client, db):
    assert client.get("/donations/2024/").status_code == 404


def test_the_year_page_in_english(client, long_record):
    page = html(client, "/en/donations/2016/")
    assert '<html lang="en">' in page
    assert "FY2016" in page and "¥6,000,000" in page
    assert "平成" not in page and "令和" not in page
    assert 'href="/en/donations/2024/"' in page


def test_the_admins_view_on_site_leads_to_the_year_page(db):
    from django.contrib import admin

    donation = DonationFactory(fiscal_year=2023)
    donation_admin = admin.site._registry[Donation]
    assert donation_admin.view_on_site(donation) == "/donations/2023/#record-heading"
