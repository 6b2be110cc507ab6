"""The donations app's open data (donations/opendata.py): donations.csv in the 推奨データセット's
layout and donations.json, both publishing only what the donors agreed to."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from donations.models import Donation, Scheme
from tests.core.opendata_tools import (
    CORPORATE_NUMBER,
    csv_rows,
    json_of,
    path_of,
)
from tests.core.opendata_tools import DONATIONS_CSV_HEADER as HEADER
from tests.projects.factories import ProjectFactory

from .factories import DonationFactory, DonorFactory

pytestmark = pytest.mark.django_db


# --- donations.csv -----------------------------------------------------------------------------


def test_donations_csv_follows_the_recommended_dataset_layout(client, seeded):
    response = client.get("/opendata/donations.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv; charset=utf-8")
    assert response.content.startswith(b"\xef\xbb\xbf")
    # CRLF line ends, as the csv module writes them (RFC 4180), and no bare LF.
    assert response.content.count(b"\r\n") == 6
    assert b"\n" not in response.content.replace(b"\r\n", b"")

    header, *rows = csv_rows(response)
    assert header == HEADER
    assert len(rows) == 5
    assert all(len(row) == len(HEADER) for row in rows)
    assert {row[0] for row in rows} == {"142034"}
    assert {row[2] for row in rows} == {"平塚市"}
    assert [row[1] for row in rows] == [str(pk) for pk in range(1, 6)]

    first = dict(zip(header, rows[0], strict=True))
    assert first == {
        "全国地方公共団体コード": "142034",
        "ID": "1",
        "地方公共団体名": "平塚市",
        "年度（西暦）": "2021",
        "年度（和暦）": "令和3年度",
        "寄附者名": "ヤフー株式会社",
        "法人番号": "",
        "寄附金額（円）": "24000000",
        "活用先の取組み": first["活用先の取組み"],
        "制度": "企業版ふるさと納税",
    }
    # The city never said which donation went to which project: no row claims one.
    assert {row[8] for row in rows} == {""}
    assert [row[4] for row in rows] == [
        "令和3年度",
        "令和4年度",
        "令和5年度",
        "令和5年度",
        "令和5年度",
    ]
    assert sum(int(row[7]) for row in rows) == 56_500_000


def test_donations_csv_never_names_an_anonymous_donor(client, seeded):
    anonymous = Donation.objects.get(donor__is_anonymous=True)
    header, *rows = csv_rows(client.get("/opendata/donations.csv"))
    row = dict(zip(header, next(r for r in rows if r[1] == str(anonymous.pk)), strict=True))
    assert row["寄附者名"] == ""
    assert row["法人番号"] == ""
    assert row["寄附金額（円）"] == "500000"
    assert row["制度"] == "その他の寄附"


def test_donations_csv_leaves_out_what_the_donor_did_not_agree_to_publish(client, db):
    hidden_project = ProjectFactory(published_at=None, title_ja="非公開の取組み")
    shown_project = ProjectFactory(title_ja="公開中の取組み")
    named = DonationFactory(
        donor=DonorFactory(name_ja="湘南公表工業株式会社", corporate_number=CORPORATE_NUMBER),
        amount=2_000_000,
        projects=[shown_project, hidden_project],
    )
    amount_withheld = DonationFactory(
        donor=DonorFactory(name_ja="金額非公表商事株式会社"), amount=3_330_000, publish_amount=False
    )
    name_withheld = DonationFactory(
        donor=DonorFactory(name_ja="名称非公表物産株式会社", corporate_number="8700110005901"),
        amount=4_440_000,
        publish_name=False,
    )
    anonymous = DonationFactory(
        donor=DonorFactory(anonymous=True),
        scheme=Scheme.OTHER,
        amount=50_000,
        publish_name=True,
    )

    response = client.get("/opendata/donations.csv")
    text = response.content.decode("utf-8-sig")
    header, *rows = csv_rows(response)
    by_id = {row[1]: dict(zip(header, row, strict=True)) for row in rows}

    assert by_id[str(named.pk)]["寄附者名"] == "湘南公表工業株式会社"
    assert by_id[str(named.pk)]["法人番号"] == CORPORATE_NUMBER
    assert by_id[str(named.pk)]["寄附金額（円）"] == "2000000"
    assert by_id[str(named.pk)]["活用先の取組み"] == "公開中の取組み"
    assert "非公開の取組み" not in text

    assert by_id[str(amount_withheld.pk)]["寄附者名"] == "金額非公表商事株式会社"
    assert by_id[str(amount_withheld.pk)]["寄附金額（円）"] == ""
    assert "3330000" not in text

    assert by_id[str(name_withheld.pk)]["寄附者名"] == ""
    assert by_id[str(name_withheld.pk)]["法人番号"] == ""
    assert by_id[str(name_withheld.pk)]["寄附金額（円）"] == "4440000"
    assert "名称非公表物産" not in text
    assert "8700110005901" not in text

    # An anonymous donor stays unnamed even when the donation says the name may be published.
    assert by_id[str(anonymous.pk)]["寄附者名"] == ""
    assert by_id[str(anonymous.pk)]["制度"] == "その他の寄附"


def test_donations_csv_is_in_japanese_from_the_english_url_too(client, seeded):
    ja = client.get("/opendata/donations.csv")
    en = client.get("/en/opendata/donations.csv")
    assert en.status_code == 200
    assert en.content == ja.content


def test_donations_csv_takes_the_same_number_of_queries_with_5_and_50_donations(client, db):
    projects = ProjectFactory.create_batch(3)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get("/opendata/donations.csv")
        assert response.status_code == 200
        return len(context.captured_queries)

    DonationFactory.create_batch(5, projects=projects)
    with_five = queries()
    assert len(csv_rows(client.get("/opendata/donations.csv"))) == 6
    DonationFactory.create_batch(45, projects=projects)
    with_fifty = queries()
    assert len(csv_rows(client.get("/opendata/donations.csv"))) == 51
    assert with_fifty == with_five


# --- donations.json ----------------------------------------------------------------------------


def test_donations_json_carries_the_published_record_and_its_totals(client, seeded):
    # The envelope (licence, credit line, URLs) is every JSON file's: tests/core/test_opendata.py.
    data = json_of(client.get("/opendata/donations.json"))
    assert data["count"] == len(data["items"]) == 5
    assert data["published_total"] == 56_500_000
    assert [year["fiscal_year"] for year in data["fiscal_years"]] == [2021, 2022, 2023]
    assert data["fiscal_years"][0]["fiscal_year_wareki"] == "令和3年度"

    first = data["items"][0]
    assert first["id"] == 1
    assert first["fiscal_year"] == 2021
    assert first["amount"] == 24_000_000
    assert first["donor"]["name"] == {"ja": "ヤフー株式会社", "en": "Yahoo Japan Corporation"}
    assert first["donor"]["disclosure"]["code"] == "published"
    assert first["scheme"]["code"] == "corporate_hometown_tax"
    assert first["scheme"]["label"]["ja"] == "企業版ふるさと納税"

    anonymous = next(item for item in data["items"] if item["donor"]["name"] is None)
    assert anonymous["donor"]["disclosure"]["code"] == "anonymous"
    assert anonymous["donor"]["corporate_number"] is None
    assert anonymous["scheme"]["code"] == "other"


def test_donations_json_states_what_the_donations_overall_supported(client, seeded):
    data = json_of(client.get("/opendata/donations.json"))
    # No donation is credited to projects the city never attributed it to...
    assert all(item["projects"] == [] for item in data["items"])
    # ...the city's statement is about the record as a whole, and the file says so.
    supported = data["supported_projects"]
    assert supported["statement"]["ja"].startswith("これまで、複数年にわたり多くの寄附をいただき")
    assert [project["slug"] for project in supported["projects"]] == [
        "wave-power-3rd-generation",
        "battery-powered-ship",
        "blue-carbon",
    ]
    # The index documents both fields for what they are.
    index = client.get("/opendata/").content.decode()
    assert "この寄附の活用先として市が記録した取組み" in index
    assert "個々の寄附の活用先を示すものではありません" in index


def test_donations_json_urls_are_absolute_and_resolve(client, seeded):
    data = json_of(client.get("/opendata/donations.json"))
    urls = {data["source_page"]["ja"], data["source_page"]["en"], *data["url"].values()}
    for project in data["supported_projects"]["projects"]:
        urls.update(project["url"].values())
    assert "http://testserver/en/projects/wave-power-3rd-generation/" in urls
    for url in urls:
        assert client.get(path_of(url)).status_code == 200, url


def test_donations_json_withholds_what_the_donor_did_not_agree_to_publish(client, db):
    DonationFactory(
        donor=DonorFactory(name_ja="名称非公表物産株式会社", name_en="Withheld Trading"),
        publish_name=False,
        publish_amount=False,
        amount=7_770_000,
    )
    DonationFactory(amount=1_000_000)
    response = client.get("/opendata/donations.json")
    text = response.content.decode()
    assert "名称非公表物産" not in text and "Withheld Trading" not in text
    assert "7770000" not in text
    data = json.loads(text)
    withheld = data["items"][0]
    assert withheld["donor"] == {
        "disclosure": withheld["donor"]["disclosure"],
        "name": None,
        "kind": None,
        "corporate_number": None,
    }
    assert withheld["donor"]["disclosure"]["code"] == "withheld"
    assert withheld["amount"] is None and withheld["amount_published"] is False
    # The unpublished amount stays out of the totals: anyone could subtract the others.
    assert data["published_total"] == 1_000_000
    assert data["fiscal_years"][0]["has_unpublished_amounts"] is True
