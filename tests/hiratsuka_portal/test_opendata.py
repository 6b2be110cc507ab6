"""Open data (/opendata/): the five files as a program reads them, and the index page."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement
from donations.models import Donation, Scheme
from donations.opendata import DonationsCsv
from projects.models import Project
from projects.opendata import ProjectsJson
from tests.agreements.factories import AgreementEventFactory, ArticleFactory
from tests.donations.factories import DonationFactory, DonorFactory
from tests.projects.factories import (
    FundingFactory,
    MeetingFactory,
    MilestoneFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipationFactory,
    ProjectFactory,
    ResearchGroupFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")
HEADER = [
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "年度（西暦）",
    "年度（和暦）",
    "寄附者名",
    "法人番号",
    "寄附金額（円）",
    "活用先の取組み",
    "制度",
]
FILES = [
    "/opendata/donations.csv",
    "/opendata/donations.json",
    "/opendata/projects.json",
    "/opendata/agreements.json",
    "/opendata/meetings.ics",
]
# A valid 法人番号 (its first digit is the check digit of the other twelve).
CORPORATE_NUMBER = "7123456789012"


@pytest.fixture(autouse=True)
def _empty_cache():
    # The rendered files live in the cache, keyed by the data's version; a test must not be
    # served a body another test's (rolled back) data happened to share a version with.
    cache.clear()
    yield
    cache.clear()


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def json_of(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content.decode("utf-8"))


def calendar_of(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "testserver", url
    return parts.path


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
    assert "第3世代波力発電" in first["活用先の取組み"].split(";")
    assert len(first["活用先の取組み"].split(";")) == 3
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
    hidden_project = ProjectFactory(is_published=False, title_ja="非公開の取組み")
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


def test_donations_json_carries_its_metadata_and_the_published_record(client, seeded):
    data = json_of(client.get("/opendata/donations.json"))
    assert data["municipality_code"] == "142034"
    assert data["publisher"]["ja"] == "平塚市"
    assert data["license"]["name"]["ja"] == "公共データ利用規約（第1.0版）"
    assert data["license"]["url"]["ja"].startswith("https://www.digital.go.jp/")
    assert data["license"]["compatible_with"]["name"] == "CC BY 4.0"
    assert (
        "出典：平塚市 知的対流推進事業ポータル（http://testserver/opendata/）"
        in (data["attribution"]["ja"])
    )
    assert data["url"] == {
        "ja": "http://testserver/opendata/donations.json",
        "en": "http://testserver/en/opendata/donations.json",
    }
    # No "generated at": the seed has no audit trail yet, so the last change is unknown.
    assert data["last_modified"] is None
    assert "generated_at" not in data

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


def test_donations_json_urls_are_absolute_and_resolve(client, seeded):
    data = json_of(client.get("/opendata/donations.json"))
    urls = {data["source_page"]["ja"], data["source_page"]["en"], *data["url"].values()}
    for item in data["items"]:
        for project in item["projects"]:
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


# --- projects.json -----------------------------------------------------------------------------


def test_projects_json_lists_the_published_projects_with_their_details(client, seeded):
    ProjectFactory(is_published=False, slug="draft-project", title_ja="準備中の取組み")
    data = json_of(client.get("/opendata/projects.json"))
    assert data["count"] == len(data["items"]) == Project.objects.public().count()
    assert "draft-project" not in json.dumps(data)

    project = next(p for p in data["items"] if p["slug"] == "wave-power-3rd-generation")
    assert project["title"] == {"ja": "第3世代波力発電", "en": "Third-generation wave power"}
    assert project["status"]["code"] in {choice.value for choice in Project.Status}
    assert set(project["period"]) == {
        "start_fiscal_year",
        "start_fiscal_year_wareki",
        "end_fiscal_year",
        "end_fiscal_year_wareki",
    }
    for key in ("themes", "organizations", "funding", "milestones", "outcomes"):
        assert isinstance(project[key], list), key
    assert project["organizations"], "the seed names the project's organisations"
    assert {"name", "kind", "role", "role_note"} <= set(project["organizations"][0])

    for item in data["items"]:
        for url in item["url"].values():
            assert client.get(path_of(url)).status_code == 200, url


def test_projects_json_with_every_kind_of_detail(client, db):
    theme = ThemeFactory(slug="wave", name_ja="波力発電", name_en="Wave power")
    lead = OrganizationFactory(name_ja="平塚波力株式会社", corporate_number=CORPORATE_NUMBER)
    project = ProjectFactory(
        slug="tested", themes=[theme], leads=[lead], start_fiscal_year=2019, end_fiscal_year=None
    )
    ParticipationFactory(project=project, role="partner", role_note_ja="試験海域の提供")
    FundingFactory(project=project, start_fiscal_year=2022, end_fiscal_year=2024)
    MilestoneFactory(project=project, occurred_on=dt.date(2024, 6, 1), is_planned=False)
    OutcomeFactory(projects=[project], organizations=[lead])

    item = json_of(client.get("/opendata/projects.json"))["items"][0]
    assert item["period"] == {
        "start_fiscal_year": 2019,
        "start_fiscal_year_wareki": "令和元年度",
        "end_fiscal_year": None,
        "end_fiscal_year_wareki": None,
    }
    assert item["themes"] == [{"slug": "wave", "name": {"ja": "波力発電", "en": "Wave power"}}]
    assert [org["role"]["code"] for org in item["organizations"]] == ["lead", "partner"]
    assert item["organizations"][0]["corporate_number"] == CORPORATE_NUMBER
    assert item["organizations"][1]["role_note"]["ja"] == "試験海域の提供"
    assert item["funding"][0]["period"]["end_fiscal_year_wareki"] == "令和6年度"
    assert item["milestones"][0]["date"] == "2024-06-01"
    assert item["outcomes"][0]["organizations"][0]["ja"] == "平塚波力株式会社"


# --- agreements.json ---------------------------------------------------------------------------


def test_agreements_json_has_the_agreements_with_derived_status(client, seeded):
    data = json_of(client.get("/opendata/agreements.json"))
    assert data["count"] == 2
    today = timezone.localdate()
    by_slug = {item["slug"]: item for item in data["items"]}
    assert set(by_slug) == {"iis-2019", "iis-2024"}
    first, second = by_slug["iis-2019"], by_slug["iis-2024"]
    assert first["signed_on"] == "2019-03-19"
    assert first["in_force_until"] == "2024-03-31"
    assert first["status"]["code"] == Agreement.objects.get(slug="iis-2019").status_on(today)
    assert first["status"]["code"] == "ended"
    assert second["signed_on"] == "2024-03-25"
    assert second["supersedes"] == {"id": first["id"], "slug": "iis-2019"}
    assert first["superseded_by"] == {"id": second["id"], "slug": "iis-2024"}
    assert any(item["articles"] for item in data["items"])
    assert all(item["purpose"]["ja"] for item in data["items"])
    events = [event for item in data["items"] for event in item["events"]]
    events += data["history_events"]
    assert len(events) == 6
    assert {event["kind"]["code"] for event in events} >= {"signing"}

    urls = {*data["source_page"].values()}
    for item in data["items"]:
        urls.update(item["url"].values())
        for article in item["articles"]:
            for project in article["projects"]:
                urls.update(project["url"].values())
    for url in urls:
        assert client.get(path_of(url)).status_code == 200, url


def test_agreements_json_status_follows_the_calendar(client, seeded, monkeypatch):
    def on(day: dt.date):
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)
        response = client.get("/opendata/agreements.json")
        statuses = {item["slug"]: item["status"]["code"] for item in json_of(response)["items"]}
        return response["ETag"], statuses

    before_end, statuses = on(dt.date(2024, 3, 31))
    assert statuses == {"iis-2019": "in_force", "iis-2024": "in_force"}
    after_end, statuses = on(dt.date(2024, 4, 1))
    assert statuses == {"iis-2019": "ended", "iis-2024": "in_force"}
    # Nothing was edited, yet the file changed: a new version for those who revalidate.
    assert after_end != before_end


def test_agreements_json_lists_an_articles_published_projects_only(client, db):
    shown = ProjectFactory(slug="shown")
    hidden = ProjectFactory(slug="hidden", is_published=False)
    article = ArticleFactory(projects=[shown, hidden])
    AgreementEventFactory(agreement=article.agreement)
    item = json_of(client.get("/opendata/agreements.json"))["items"][0]
    assert [p["slug"] for p in item["articles"][0]["projects"]] == ["shown"]
    assert item["events"][0]["date"] == "2019-03-19"
    assert item["events"][0]["kind"]["code"] == "signing"


# --- meetings.ics ------------------------------------------------------------------------------


def test_meetings_ics_is_a_calendar_of_the_research_groups_meetings(client, seeded):
    response = client.get("/opendata/meetings.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = calendar_of(response)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Tokyo"
    assert "平塚海洋エネルギー研究会" in str(calendar["X-WR-CALNAME"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]

    events = calendar.walk("VEVENT")
    assert len(events) == 2
    general = next(event for event in events if str(event["SUMMARY"]) == "総会")
    start = general.decoded("DTSTART")
    assert start == dt.datetime(2018, 2, 23, 13, 30, tzinfo=TOKYO)
    assert start.utcoffset() == dt.timedelta(hours=9)
    assert general["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert str(general["LOCATION"]) == "平塚市役所304会議室"
    assert str(general["URL"]) == "http://testserver/research-group/"
    assert client.get(path_of(str(general["URL"]))).status_code == 200
    assert str(general["UID"]) == "meeting-1@testserver"
    assert general.decoded("DTSTAMP").tzinfo is not None
    assert "総会" in str(general["DESCRIPTION"])


def test_meetings_ics_is_the_same_bytes_for_the_same_data(client, seeded):
    first = client.get("/opendata/meetings.ics").content
    cache.clear()
    assert client.get("/opendata/meetings.ics").content == first


def test_meetings_ics_in_english_links_to_the_english_page(client, seeded):
    calendar = calendar_of(client.get("/en/opendata/meetings.ics"))
    general = next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == "meeting-1@testserver")
    assert str(general["SUMMARY"]) == "General meeting"
    assert str(general["LOCATION"]) == "Room 304, Hiratsuka City Hall"
    assert str(general["URL"]) == "http://testserver/en/research-group/"


def test_meetings_ics_with_an_end_time_and_a_stamp_from_the_last_change(client, db):
    meeting = MeetingFactory(
        starts_at=dt.datetime(2025, 5, 20, 14, 0, tzinfo=TOKYO),
        ends_at=dt.datetime(2025, 5, 20, 16, 30, tzinfo=TOKYO),
        participants=31,
    )
    MeetingFactory(research_group=ResearchGroupFactory(is_published=False))
    response = client.get("/opendata/meetings.ics")
    (event,) = calendar_of(response).walk("VEVENT")
    assert event.decoded("DTEND") == dt.datetime(2025, 5, 20, 16, 30, tzinfo=TOKYO)
    assert "31" in str(event["DESCRIPTION"])
    last_change = meeting.history.latest("history_date").history_date
    assert abs(event.decoded("DTSTAMP") - last_change) < dt.timedelta(seconds=1)
    assert response.has_header("Last-Modified")


# --- Every file: conditional, cached, named ----------------------------------------------------


def change_data(url: str) -> None:
    """Record a change to the data the file at ``url`` is built from."""
    if "donations" in url:
        DonationFactory()
    elif "projects" in url:
        ProjectFactory()
    elif "agreements" in url:
        agreement = Agreement.objects.get(slug="iis-2024")
        agreement.purpose_ja += "（改訂）"
        agreement.save()
    else:
        MeetingFactory(research_group_id=1)


@pytest.mark.parametrize("url", FILES)
def test_each_file_answers_conditional_requests(client, seeded, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first["Cache-Control"] in {"public, no-cache", "no-cache, public"}
    assert "filename*=utf-8''142034_" in first["Content-Disposition"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""

    change_data(url)
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.content != first.content
    assert client.get(url, headers={"If-None-Match": changed["ETag"]}).status_code == 304
    # The change went through the audit trail: now the file has a Last-Modified date too.
    assert changed.has_header("Last-Modified")


@pytest.mark.parametrize("url", FILES)
def test_each_file_answers_if_modified_since(client, seeded, url):
    change_data(url)
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, headers={"If-Modified-Since": last_modified}).status_code == 304


@pytest.mark.parametrize("url", FILES)
def test_each_file_is_read_only(client, seeded, url):
    assert client.head(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.parametrize(
    ("url", "content_type", "disposition"),
    [
        ("/opendata/donations.csv", "text/csv", "attachment"),
        ("/opendata/donations.json", "application/json", "inline"),
        ("/opendata/projects.json", "application/json", "inline"),
        ("/opendata/agreements.json", "application/json", "inline"),
        ("/opendata/meetings.ics", "text/calendar", "attachment"),
    ],
)
def test_each_file_has_its_type_and_name(client, seeded, url, content_type, disposition):
    response = client.get(url)
    assert response["Content-Type"].split(";")[0] == content_type
    name = f"142034_{url.rsplit('/', 1)[1]}"
    assert response["Content-Disposition"] == (
        f"{disposition}; filename=\"{name}\"; filename*=utf-8''{name}"
    )


def test_a_revalidation_renders_nothing(client, seeded, monkeypatch):
    etag = client.get("/opendata/donations.csv")["ETag"]
    cache.clear()

    def fail(*args, **kwargs):
        raise AssertionError("rendered for a 304")

    monkeypatch.setattr(DonationsCsv, "render", fail)
    response = client.get("/opendata/donations.csv", headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_a_file_is_rendered_once_per_data_version(client, seeded, monkeypatch):
    calls = []
    render = ProjectsJson.render

    def counting(*args, **kwargs):
        calls.append(1)
        return render(*args, **kwargs)

    monkeypatch.setattr(ProjectsJson, "render", counting)
    first = client.get("/opendata/projects.json").content
    assert client.get("/opendata/projects.json").content == first
    assert len(calls) == 1


def test_urls_in_a_file_name_the_host_it_was_asked_from(client, seeded):
    assert b"http://testserver/" in client.get("/opendata/projects.json").content
    other = client.get("/opendata/projects.json", headers={"Host": "localhost"})
    assert b"http://localhost/projects/" in other.content
    assert b"testserver" not in other.content


# --- The index page ----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_index_lists_every_file(client, seeded, prefix):
    response = client.get(f"{prefix}/opendata/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for url in FILES:
        assert f'href="{prefix}{url}"' in html, url
        assert url.rsplit("/", 1)[1] in html
    for column in HEADER:
        assert column in html
    assert "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0" in html
    assert "CC BY 4.0" in html
    assert 'aria-current="page"' in html


def test_index_in_japanese_explains_licence_and_credit(client, seeded):
    html = client.get("/opendata/").content.decode()
    assert "<h1>オープンデータ</h1>" in html
    assert "公共データ利用規約（第1.0版）" in html
    assert "出典：平塚市 知的対流推進事業ポータル（http://testserver/opendata/）" in html
    assert "加工して作成" in html
    assert "UTF-8（BOM付き）" in html
    assert "142034" in html
    # The CSV header is Japanese on every page: marked so that screen readers read it so.
    assert '<code lang="ja">寄附金額（円）</code>' in html


def test_index_page_is_english_under_en(client, seeded):
    response = client.get("/en/opendata/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert '<code lang="ja">全国地方公共団体コード</code>' in html
    assert "http://testserver/en/opendata/" in html
