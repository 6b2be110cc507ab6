"""/donations/report.pdf: the donation record as a PDF, read back with poppler's tools."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import pdf
from donations.models import Donation
from tests.core.pdf_tools import (
    assert_accessible_japanese_pdf,
    assert_text,
    get_pdf,
    page_pixels,
    page_text,
    pdf_text,
    squeezed,
)
from tests.page_tools import html
from tests.projects.factories import ProjectFactory

from .factories import DonationFactory, DonorFactory
from .record_tools import table_rows

pytestmark = pytest.mark.django_db

URL = "/donations/report.pdf"


def test_seed_record_with_subtotals_and_total(client, seeded):
    content = get_pdf(client, URL).content
    assert_text(
        content,
        "企業版ふるさと納税等の寄附実績",
        "令和3年度（2021年度）",
        "ヤフー株式会社 様",
        "2,400万円",
        "3,000万円",
        "株式会社ウイルプラスホールディングス 様",
        "匿名（個人）",
        "小計",
        "250万円",
        "累計",
        "5,650万円",
        "第3世代波力発電",
    )
    info = assert_accessible_japanese_pdf(
        content, title="企業版ふるさと納税等の寄附実績", language="ja"
    )
    assert 1 <= int(info["Pages"]) <= 3


def test_the_pdf_shows_the_pages_table_cell_by_cell(client, db):
    # The same grouping code and the same table: every cell of the page, in the page's order.
    DonationFactory(fiscal_year=2023, amount=1_200_000)
    DonationFactory(fiscal_year=2023, amount=3_400_000, publish_amount=False)
    DonationFactory(fiscal_year=2024, amount=5_600_000, publish_name=False)
    DonationFactory(fiscal_year=2024, donor=DonorFactory(anonymous=True), amount=700_000)
    text = squeezed(pdf_text(get_pdf(client, URL).content))
    position = 0
    for row in table_rows(html(client, "/donations/")):
        for cell in filter(None, map(squeezed, row)):
            found = text.find(cell, position)
            assert found >= 0, f"{cell!r} missing after position {position}"
            position = found + len(cell)


def test_unpublished_names_and_amounts_never_appear(client, db):
    DonationFactory(fiscal_year=2024, amount=1_000_000)
    DonationFactory(
        fiscal_year=2024,
        donor=DonorFactory(name_ja="秘匿工業株式会社", name_en="Secret Industries"),
        amount=7_770_000,
        publish_name=False,
        publish_amount=False,
    )
    DonationFactory(
        fiscal_year=2024,
        donor=DonorFactory(name_ja="名前非公表商事", name_en="Unnamed Trading"),
        amount=3_330_000,
        publish_name=False,
    )
    DonationFactory(
        fiscal_year=2024,
        donor=DonorFactory(name_ja="金額非公表建設", name_en="Hidden Amount Builders"),
        amount=4_440_000,
        publish_amount=False,
    )
    for url in (URL, "/en" + URL):
        text = squeezed(pdf_text(get_pdf(client, url).content))
        for secret in ("秘匿工業", "SecretIndustries", "名前非公表商事", "UnnamedTrading"):
            assert secret not in text, (url, secret)
        for amount in ("777万", "7,770,000", "444万", "4,440,000"):
            assert amount not in text, (url, amount)
        # The published total leaves the unpublished amounts out: 100万 + 333万.
        assert ("433万円" if url == URL else "¥4,330,000") in text
    assert_text(get_pdf(client, URL).content, "金額非公表建設 様", "333万円", "非公表")


def test_english_version(client, seeded):
    content = get_pdf(client, "/en" + URL).content
    assert_text(
        content,
        "Yahoo Japan Corporation",
        "FY2021",
        "¥24,000,000",
        "¥56,500,000",
        "Third-generation wave power",
        "Hiratsuka City Intellectual Convection Program",
    )
    assert "令和" not in pdf_text(content)
    assert_accessible_japanese_pdf(
        content, title="Corporate hometown-tax and other donations received", language="en"
    )


def test_japanese_file_name_with_an_ascii_fallback(client, seeded):
    disposition = get_pdf(client, URL)["Content-Disposition"]
    assert disposition.startswith("inline;")
    assert 'filename="hiratsuka-donation-record.pdf"' in disposition
    assert f"filename*=utf-8''{quote('平塚市_寄附実績.pdf')}" in disposition


def test_revalidation_gets_304_without_rendering(client, seeded, monkeypatch):
    first = get_pdf(client, URL)
    etag = first["ETag"]
    assert "no-cache" in first["Cache-Control"]

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered again although nothing changed")

    monkeypatch.setattr(pdf, "render_pdf", must_not_render)
    assert client.get(URL, headers={"if-none-match": etag}).status_code == 304
    # Without a validator the copy rendered for this data version is served.
    again = get_pdf(client, URL)
    assert again.content == first.content and again["ETag"] == etag


def test_a_changed_donation_changes_the_report(client, seeded):
    first = get_pdf(client, URL)
    donation = Donation.objects.get(fiscal_year=2021)
    donation.amount = 25_000_000
    donation.save()
    response = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    # The audit trail dates the change: If-Modified-Since works as well as If-None-Match.
    assert response["Last-Modified"]
    assert_text(response.content, "2,500万円", "5,750万円")


def test_each_language_has_its_own_version(client, seeded):
    japanese, english = get_pdf(client, URL), get_pdf(client, "/en" + URL)
    assert japanese["ETag"] != english["ETag"]
    assert client.get("/en" + URL, headers={"if-none-match": english["ETag"]}).status_code == 304


def test_the_donations_page_links_to_the_pdf(client, seeded):
    page = html(client, "/donations/")
    assert '<a href="/donations/report.pdf" type="application/pdf">寄附実績（PDF版）</a>' in page
    assert 'href="/en/donations/report.pdf"' in html(client, "/en/donations/")


def test_report_without_donations(client, db):
    assert_text(get_pdf(client, URL).content, "公表できる寄附実績はまだありません。")


def test_rendering_takes_the_same_queries_whatever_the_number_of_donations(client, db):
    def queries_for_a_fresh_render() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            get_pdf(client, URL)
        return len(queries)

    project = ProjectFactory()
    DonationFactory(fiscal_year=2023, projects=[project])
    few = queries_for_a_fresh_render()
    for year in (2023, 2024, 2025):
        DonationFactory.create_batch(4, fiscal_year=year, projects=[project, ProjectFactory()])
    assert queries_for_a_fresh_render() == few


def _solid_blocks(image, is_colour, *, width: int, height: int) -> int:
    """How many pixel rows hold a horizontal run of at least ``width`` pixels of the colour
    that continues over ``height`` rows (a bar, not text or a rule)."""
    columns, rows = image.size
    pixels = image.load()
    runs = []
    for y in range(rows):
        ends, length = set(), 0
        for x in range(columns):
            length = length + 1 if is_colour(pixels[x, y]) else 0
            if length >= width:
                ends.add(x)
        runs.append(ends)
    return sum(
        1 for y in range(rows - height) if set.intersection(*(runs[y + dy] for dy in range(height)))
    )


@pytest.mark.slow
def test_the_chart_prints_in_colour_with_each_value_beside_its_bar(client, seeded):
    content = get_pdf(client, "/donations/report.pdf").content
    image = page_pixels(content, 1)

    def black(pixel):
        return max(pixel) < 70

    def blue(pixel):
        return pixel[2] > 150 and pixel[2] - pixel[0] > 80

    def mid_grey(pixel):
        # The bar's fill as a greyscale printer renders it: neither paper nor ink.
        luminance = 0.299 * pixel[0] + 0.587 * pixel[1] + 0.114 * pixel[2]
        return 70 < luminance < 190

    # No solid black bar (黒塗り), but three coloured bars, mid-tone in greyscale.
    assert _solid_blocks(image, black, width=20, height=4) == 0
    assert _solid_blocks(image, blue, width=20, height=4) > 0
    assert _solid_blocks(image.convert("L").convert("RGB"), mid_grey, width=20, height=4) > 0
    # Each bar's value is printed beside it as text.
    first_page = squeezed(page_text(content, 1))
    chart = first_page.split("年度別の寄附金額（公表分）")[1].split("年度別の寄附者と寄附金額")[0]
    for year, amount in [
        ("令和3年度", "2,400万円"),
        ("令和4年度", "3,000万円"),
        ("令和5年度", "250万円"),
    ]:
        assert year in chart and amount in chart, chart
