"""The public record of donations (/donations/) and its home-page summary, as visitors see them."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from donations.models import Donation, Scheme
from donations.tax import TaxReliefExample, approximate, tax_relief_example
from tests.page_tools import JAPANESE, TextOutsideJapaneseParts, html
from tests.projects.factories import ProjectFactory

from .factories import AwardFactory, DonationFactory, DonorFactory, DonorInterviewFactory
from .record_tools import table_rows

pytestmark = pytest.mark.django_db


def text(fragment: str) -> str:
    """The visible text of an HTML fragment, with whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())


FUNDED = "第3世代波力発電、電池推進船、ブルーカーボン"


# --- The seed's record -------------------------------------------------------------------------


def test_the_table_shows_the_seed_rows_by_fiscal_year_with_subtotals_and_total(client, seeded):
    rows = table_rows(html(client, "/donations/"))
    # The city never said which donation went to which project: no per-donation column.
    assert rows == [
        ["寄附者", "寄附金額"],
        ["令和3年度（2021年度）"],
        ["ヤフー株式会社 様（現在のLINEヤフー株式会社）", "2,400万円"],
        ["小計", "2,400万円"],
        ["令和4年度（2022年度）"],
        ["ヤフー株式会社 様（現在のLINEヤフー株式会社）", "3,000万円"],
        ["小計", "3,000万円"],
        ["令和5年度（2023年度）"],
        ["株式会社ウイルプラスホールディングス 様", "100万円"],
        ["匿名（個人） その他の寄附", "50万円"],
        ["ダイヤモンド・リアルティ・マネジメント株式会社 様", "100万円"],
        ["小計", "250万円"],
    ]
    # The cumulative total of every year stands above the table (it shows the latest years).
    assert "累計 5,650万円" in text(page_record(client, "/donations/"))


def test_a_year_page_shows_that_years_rows_with_its_total(client, seeded):
    page = html(client, "/donations/2022/")
    assert "<h1>令和4年度（2022年度）の寄附実績</h1>" in page
    assert table_rows(page) == [
        ["寄附者", "寄附金額"],
        ["令和4年度（2022年度）"],
        ["ヤフー株式会社 様（現在のLINEヤフー株式会社）", "3,000万円"],
        ["小計", "3,000万円"],
    ]
    assert "年度の合計 3,000万円" in text(page_record(client, "/donations/2022/"))
    # The other years are one link away, newest first; the donation page's record too.
    others = page.split('class="record-years-nav"')[1].split("</nav>")[0]
    assert others.index('href="/donations/2023/"') < others.index('href="/donations/2021/"')
    assert 'href="/donations/2022/"' not in others
    assert 'href="/donations/#record-heading"' in page


def page_record(client, url: str) -> str:
    """The record's section of a page."""
    return html(client, url).split('id="record-heading"')[1].split("</section>")[0]


def test_the_table_is_marked_up_for_screen_readers(client, seeded):
    page = html(client, "/donations/")
    table = page.split('<table class="table donation-table">')[1].split("</table>")[0]
    assert "<caption>" in table
    assert table.count('<th scope="col"') == 2
    assert table.count('<th scope="rowgroup" id="record-fy') == 3
    # An amount names its column, its fiscal year and its donor, so all three are read with it
    # (tests/security/test_markup.py checks every cell of every table).
    assert '<td headers="record-amount record-fy2023 record-fy2023-1"' in table
    assert '<th scope="row" id="record-fy2023-1" headers="record-donor record-fy2023">' in table
    assert table.count("<tbody>") == 3
    # The cumulative total is above the table, which holds the latest years only.
    assert "<tfoot>" not in table
    # Every seed amount is published: no note about excluded amounts.
    assert "非公表" not in page
    year_page = html(client, "/donations/2023/")
    table = year_page.split('<table class="table donation-table">')[1].split("</table>")[0]
    assert "<caption>令和5年度（2023年度）の寄附者と寄附金額</caption>" in table
    assert '<td headers="record-amount record-fy2023 record-fy2023-1"' in table
    assert table.count('<th scope="rowgroup" id="record-fy') == 1


def test_the_donations_overall_are_stated_as_a_statement_about_the_record(client, seeded):
    page = html(client, "/donations/")
    record = page.split('id="record-heading"')[1].split("</section>")[0]
    statement = record.split('class="record-statement"')[1].split("</ul>")[0]
    assert "これまで、複数年にわたり多くの寄附をいただき、次の取組みが行われています。" in statement
    for slug in ("wave-power-3rd-generation", "battery-powered-ship", "blue-carbon"):
        assert f'<a href="/projects/{slug}/">' in statement
    table = record.split("<table")[1]
    assert "活用先の取組み" not in table and "/projects/" not in table


def test_a_donation_staff_attributed_shows_its_projects_in_a_column(client, db):
    project = ProjectFactory(title_ja="記録された活用先")
    DonationFactory(fiscal_year=2024, amount=1_000_000, projects=[project])
    DonationFactory(fiscal_year=2024, amount=2_000_000)
    rows = table_rows(html(client, "/donations/"))
    assert rows[0] == ["寄附者", "寄附金額", "活用先の取組み"]
    assert [row[2] for row in rows if len(row) == 3 and row[0].endswith("様")] == [
        "記録された活用先",
        "",
    ]
    # On a phone each row is a card: a donation without projects has an empty cell (hidden by
    # the card layout), not the column's label with nothing under it.
    page = html(client, "/donations/")
    label = '<span class="table-cards__label" aria-hidden="true">活用先の取組み</span>'
    assert page.count(label) == 1
    assert '<td headers="record-projects record-fy2024 record-fy2024-2"></td>' in page


def test_page_explains_the_scheme_and_its_rules(client, seeded, settings):
    settings.CORPORATE_HOMETOWN_TAX_LAST_FISCAL_YEAR = 2030
    page = html(client, "/donations/")
    assert "<h1>企業版ふるさと納税・寄附</h1>" in page
    assert "地方創生応援税制" in page
    assert "第3期平塚市総合戦略「重点戦略2 活気あふれる産業づくり」" in page
    assert (
        "産業の持続可能性の向上と基盤産業の集積に向けた投資を促進するとともに、デジタル化や"
        "脱炭素化などの新市場への参入が期待できる技術開発や実証プロジェクトなどを誘致し、"
        "研究開発拠点化や製品化を推進します。" in page
    )
    assert (
        '<a href="/projects/wave-power-3rd-generation/">第3世代波力発電</a>を平塚海域に設置するため'
        in page
    )
    assert "1回につき10万円以上" in page
    assert "本社（主たる事務所）が平塚市内にある企業" in page and "支店" in page
    assert "経済的な利益" in page
    assert "受領証" in page and "受領日" in page
    # The scheme's end comes from the setting, never a literal.
    assert "令和12年度（2030年度）まで" in page
    assert "2027" not in page
    assert "約90%" in page and "約30%" in page and "60%" in page and "税理士" in page


def test_breadcrumbs_and_menu(client, seeded):
    page = html(client, "/donations/")
    current = '<li class="breadcrumb-item active" aria-current="page">企業版ふるさと納税・寄附</li>'
    assert current in page
    assert '<a href="/donations/" aria-current="page">企業版ふるさと納税・寄附</a>' in page


def test_call_to_action_links_to_the_inquiry_form_and_names_the_contact(client, seeded):
    page = html(client, "/donations/")
    cta = page.split('<section class="cta-box"')[1].split("</section>")[0]
    assert 'href="/donations/inquiry/"' in cta
    assert "平塚市 産業振興課 企業支援・労政担当" in cta
    assert '<a href="tel:0463-21-9758">0463-21-9758</a>' in cta
    assert "sangyo-s@city.hiratsuka.kanagawa.jp" in cta


def test_funded_projects_interviews_and_award(client, seeded):
    page = html(client, "/donations/")
    assert "複数年にわたり多くの寄附をいただき" in page
    for slug in ("wave-power-3rd-generation", "battery-powered-ship", "blue-carbon"):
        assert f'<a href="/projects/{slug}/">' in page
    assert "LINEヤフー株式会社 インタビュー" in page
    assert "株式会社ウイルプラスホールディングス インタビュー" in page
    assert "<iframe" not in page
    award = page.split('aria-labelledby="awards-heading"')[1]
    assert "令和5年度「地方創生応援税制（企業版ふるさと納税）に係る大臣表彰」" in award
    assert "<dd>内閣府</dd>" in award
    assert '<time datetime="2024-02-13">令和6年2月13日（2024年2月13日）</time>' in award
    assert "神奈川県内で初めて" in award and "津田副市長" in award
    # The award names the city's program, in the seed's words; the project is only related.
    assert "<dt>対象の取組み</dt><dd>「波力発電関連分野での新産業創出促進事業」</dd>" in award
    assert (
        '<dt>関連するプロジェクト</dt><dd><a href="/projects/wave-power-3rd-generation/">'
        "第3世代波力発電</a></dd>" in award
    )


def test_totals_chart_beside_the_table(client, seeded):
    page = html(client, "/donations/")
    chart = page.split('<figure class="totals-chart"')[1].split("</figure>")[0]
    # FY2022 is the largest year; the others are drawn in proportion to it.
    assert '<rect width="100%"' in chart and '<rect width="80%"' in chart
    assert '<rect width="8%"' in chart
    assert 'aria-hidden="true"' in chart and "250万円" in chart


def test_english_page(client, seeded):
    page = html(client, "/en/donations/")
    assert '<html lang="en">' in page
    assert "FY2021" in page and "FY2023" in page
    assert "¥24,000,000" in page and "¥56,500,000" in page
    assert "Yahoo Japan Corporation" in page and "(now LY Corporation)" in page
    assert "Cabinet Office" in page and "February 13, 2024" in page
    assert 'href="/en/donations/inquiry/"' in page
    assert "令和" not in page


def test_english_page_marks_every_japanese_word(client, seeded):
    # Fails only while the English catalogue lacks this page's strings (filled separately).
    parser = TextOutsideJapaneseParts()
    parser.feed(html(client, "/en/donations/?amount=1000000"))
    unmarked = JAPANESE.findall("".join(parser.text))
    assert unmarked == [], "".join(parser.text)


# --- What is shown in place of names and amounts -----------------------------------------------


def test_anonymous_donor_shows_anonymous(client, db):
    DonationFactory(donor=DonorFactory(anonymous=True), scheme=Scheme.OTHER, amount=300_000)
    rows = table_rows(html(client, "/donations/"))
    assert ["匿名（個人） その他の寄附", "30万円"] in rows


def test_unpublished_name_is_never_in_the_page(client, db):
    donor = DonorFactory(name_ja="秘密工業株式会社", name_en="Secret Industries Ltd.")
    DonationFactory(donor=donor, publish_name=False, amount=2_000_000)
    for url in ("/donations/", "/en/donations/", "/"):
        page = html(client, url)
        assert "秘密工業" not in page and "Secret Industries" not in page, url
    rows = table_rows(html(client, "/donations/"))
    assert ["非公表", "200万円"] in rows


def test_unpublished_amount_is_left_out_of_the_totals_with_a_note(client, db):
    DonationFactory(fiscal_year=2024, amount=1_000_000)
    DonationFactory(fiscal_year=2024, amount=7_654_321, publish_amount=False)
    DonationFactory(fiscal_year=2025, amount=500_000)
    page = html(client, "/donations/")
    rows = table_rows(page)
    assert [row[1] for row in rows if len(row) > 1 and row[0].endswith("様")] == [
        "100万円",
        "非公表",
        "50万円",
    ]
    assert ["小計", "100万円（非公表の金額を除く）"] in rows
    assert ["小計", "50万円"] in rows
    assert "累計 150万円 （非公表の金額を除く）" in text(page_record(client, "/donations/"))
    assert "金額の公表に同意いただいていない寄附は、小計と累計に含めていません。" in page
    assert "765万" not in page and "7,654,321" not in page and "865万" not in page
    # The year's own page: the same rows, the same total without the unpublished amount.
    year_page = html(client, "/donations/2024/")
    assert table_rows(year_page)[2:] == [
        [rows[2][0], "100万円"],
        [rows[3][0], "非公表"],
        ["小計", "100万円（非公表の金額を除く）"],
    ]
    year_record = text(page_record(client, "/donations/2024/"))
    assert "年度の合計 100万円 （非公表の金額を除く）" in year_record
    assert "765万" not in year_page and "7,654,321" not in year_page and "865万" not in year_page
    home = html(client, "/")
    assert "150万円" in home and "865万" not in home


def test_no_donations_yet(client, db):
    page = html(client, "/donations/")
    assert "公表できる寄附実績はまだありません。" in page
    assert "donation-table" not in page
    assert 'href="/donations/inquiry/"' in page
    assert "donation-summary" not in html(client, "/")


def test_unpublished_projects_are_not_linked(client, db):
    draft = ProjectFactory(title_ja="下書きの取組み", published_at=None)
    DonationFactory(projects=[draft])
    assert "下書きの取組み" not in html(client, "/donations/")


def test_anonymous_donors_interviews_are_not_shown(client, db):
    DonorInterviewFactory(donor=DonorFactory(anonymous=True), video__title_ja="匿名の方の動画")
    DonorInterviewFactory(donor=DonorFactory(name_ja="湘南海運株式会社"))
    page = html(client, "/donations/")
    assert "匿名の方の動画" not in page
    assert "湘南海運株式会社 インタビュー" in page


# --- The tax example ---------------------------------------------------------------------------


def test_tax_relief_example_rounds_each_part_down():
    assert tax_relief_example(1_000_000) == TaxReliefExample(
        amount=1_000_000, deduction=300_000, credit=600_000, relief=900_000, burden=100_000
    )
    assert tax_relief_example(333_333) == TaxReliefExample(
        amount=333_333, deduction=99_999, credit=199_999, relief=299_998, burden=33_335
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        tax_relief_example(1_000_000).relief = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        tax_relief_example(1_000_000.0)  # type: ignore[arg-type]


@given(st.integers(min_value=0, max_value=10**13))
def test_tax_relief_parts_add_up_and_never_exceed_ninety_percent(amount):
    example = tax_relief_example(amount)
    assert example.deduction + example.credit == example.relief
    assert example.relief + example.burden == amount
    assert example.relief * 10 <= amount * 9
    assert example.burden * 10 >= amount
    assert all(isinstance(value, int) for value in dataclasses.astuple(example))


@pytest.mark.parametrize(
    "typed", ["1000000", "1,000,000", "１００００００", "１，０００，０００", " 1000000円 "]
)
def test_tax_example_for_one_million_yen(client, db, typed):
    page = html(client, f"/donations/?amount={typed}")
    result = page.split('class="tax-example__result"')[1].split("</section>")[0]
    assert "100万円を寄附した場合の目安" in result
    assert "約30万円" in result and "最大 約60万円" in result
    assert "約90万円" in result
    assert "企業の実質的な負担（約10%）" in result and "約10万円" in result
    assert "税理士" in result
    assert 'aria-invalid="true"' not in page


def test_tax_example_rounds_as_the_city_writes_it(client, db):
    page = html(client, "/donations/?amount=1234567")
    result = text(page.split('class="tax-example__result"')[1].split("</section>")[0])
    assert "123万4,567円を寄附した場合の目安" in result  # the amount itself stays exact
    assert "約37万円" in result  # 30% = 370,370: the relief rounded down to 万円
    assert "最大 約74万円" in result  # 60% = 740,740
    assert "約111万円" in result  # 90% = 1,111,110
    assert "約13万円" in result  # the burden, 123,457, rounded up: never understated
    assert "370円" not in result and "1,110円" not in result and "3,457円" not in result


@pytest.mark.parametrize(
    ("exact", "shown"),
    [
        (
            TaxReliefExample(1_234_567, 370_370, 740_740, 1_111_110, 123_457),
            TaxReliefExample(1_234_567, 370_000, 740_000, 1_110_000, 130_000),
        ),
        (
            TaxReliefExample(150_000, 45_000, 90_000, 135_000, 15_000),
            TaxReliefExample(150_000, 45_000, 90_000, 130_000, 15_000),
        ),
        (
            TaxReliefExample(1_000_000, 300_000, 600_000, 900_000, 100_000),
            TaxReliefExample(1_000_000, 300_000, 600_000, 900_000, 100_000),
        ),
    ],
)
def test_approximate_rounds_relief_down_and_burden_up(exact, shown):
    assert approximate(exact) == shown


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "寄附額は数字だけで入力してください"),
        ("100万円x", "寄附額は数字だけで入力してください"),
        ("1.5", "寄附額は数字だけで入力してください"),
        ("99999", "企業版ふるさと納税の寄附は1回10万円以上です。"),
        ("0", "企業版ふるさと納税の寄附は1回10万円以上です。"),
        ("-500000", "企業版ふるさと納税の寄附は1回10万円以上です。"),
        ("10000000001", "計算できるのは100億円までです。"),
        ("9" * 400, "計算できるのは100億円までです。"),
        ("", "寄附額を入力してください。"),
    ],
)
def test_bad_amounts_get_a_message_next_to_the_field(client, db, typed, message):
    response = client.get("/donations/", {"amount": typed})
    assert response.status_code == 200
    page = response.content.decode()
    field = page.split('<div class="tax-form__field">')[1].split("</div>\n          <div")[0]
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_amount_helptext id_amount_error"' in field
    assert '<div id="id_amount_error" class="tax-form__error">' in field
    assert message in field
    assert "tax-example__result" not in page


def test_tax_example_errors_in_english_use_english_amounts(client, db):
    page = html(client, "/en/donations/?amount=5")
    error = page.split('<div id="id_amount_error" class="tax-form__error">')[1].split("</div>")[0]
    assert "¥100,000" in error and "万円" not in error


# --- Constant number of queries ----------------------------------------------------------------


def make_donations(count: int) -> None:
    projects = ProjectFactory.create_batch(2)
    for index in range(count):
        DonationFactory(
            fiscal_year=2020 + index % 6,
            donor=DonorFactory(anonymous=index % 7 == 0),
            scheme=Scheme.OTHER if index % 7 == 0 else Scheme.CORPORATE_HOMETOWN_TAX,
            publish_name=index % 3 != 0,
            publish_amount=index % 5 != 0,
            projects=projects,
        )
    DonorInterviewFactory.create_batch(max(1, count // 10))
    AwardFactory.create_batch(max(1, count // 20))


@pytest.mark.parametrize(
    "url", ["/donations/", "/donations/?amount=1000000", "/donations/2020/", "/"]
)
def test_pages_take_the_same_number_of_queries_with_5_and_100_donations(client, url):
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    make_donations(5)
    with_five = queries()
    make_donations(95)
    assert Donation.objects.count() == 100
    assert queries() == with_five


# --- The home page -----------------------------------------------------------------------------


def test_home_page_shows_the_total_and_links_to_the_inquiry_form(client, seeded):
    page = html(client, "/")
    summary = page.split('<section class="home-section donation-summary"')[1].split("</section>")[0]
    assert "5,650万円" in summary
    assert "令和3年度（2021年度）から令和5年度（2023年度）まで" in summary
    assert 'href="/donations/inquiry/"' in summary
    assert 'href="/donations/"' in summary


def test_home_page_summary_in_english(client, seeded):
    page = html(client, "/en/")
    assert "¥56,500,000" in page
    assert 'href="/en/donations/inquiry/"' in page
