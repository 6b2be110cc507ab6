"""Open data, whatever the file (core.opendata and the site's views): the catalogue the apps
register, answers that are cached per data version and conditional (ETag, Last-Modified, 304),
the files' types and names, and the index page with the licence and the credit line. What each
file holds is tested beside its app (tests/<app>/test_opendata.py)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.test import RequestFactory

from agreements.models import Agreement
from core import opendata
from donations.opendata import DonationsCsv
from hiratsuka_portal import opendata_views
from projects.opendata import ProjectsJson
from tests.core.opendata_tools import DONATIONS_CSV_HEADER as HEADER
from tests.core.opendata_tools import FILES, json_of
from tests.donations.factories import DonationFactory
from tests.projects.factories import MeetingFactory, ProjectFactory

# Every test here runs on the seed, loaded once for the module (tests/conftest.py: module_seed).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]


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


# --- The catalogue -----------------------------------------------------------------------------


def test_the_files_are_discovered_in_the_order_the_index_lists_them(client, seeded):
    filenames = [url.rsplit("/", 1)[1] for url in FILES]
    assert [dataset.filename for dataset in opendata.datasets()] == filenames
    html = client.get("/opendata/").content.decode()
    positions = [html.index(f'href="{url}"') for url in FILES]
    assert positions == sorted(positions)


def test_a_second_file_of_a_registered_name_is_refused(monkeypatch):
    monkeypatch.setattr(opendata, "_datasets", dict(opendata._datasets))
    before = opendata.datasets()
    duplicate = re.escape("'donations.csv' is already registered")
    with pytest.raises(ImproperlyConfigured, match=duplicate):
        opendata.register(DonationsCsv())
    assert opendata.datasets() == before


def test_an_unknown_file_is_not_found(client, seeded):
    assert client.get("/opendata/donations.xml").status_code == 404
    assert client.get("/en/opendata/unknown.json").status_code == 404
    # The view serves registered files only, whatever name it is given.
    with pytest.raises(Http404):
        opendata_views.dataset_file(RequestFactory().get("/"), filename="donations.xml")


@pytest.mark.parametrize("name", ["donations.json", "projects.json", "agreements.json"])
def test_every_json_file_carries_the_municipal_envelope(client, seeded, name):
    data = json_of(client.get(f"/opendata/{name}"))
    assert data["municipality_code"] == "142034"
    assert data["publisher"]["ja"] == "平塚市"
    assert data["license"]["name"]["ja"] == "公共データ利用規約（第1.0版）"
    assert data["license"]["url"]["ja"].startswith("https://www.digital.go.jp/")
    assert data["license"]["compatible_with"]["name"] == "CC BY 4.0"
    assert (
        "出典：平塚市 知的対流推進事業ポータル（http://testserver/opendata/）"
        in (data["attribution"]["ja"])
    )
    assert "http://testserver/en/opendata/" in data["attribution"]["en"]
    assert opendata.LICENCE_URL_EN in data["attribution"]["en"]
    assert data["url"] == {
        "ja": f"http://testserver/opendata/{name}",
        "en": f"http://testserver/en/opendata/{name}",
    }
    assert data["documentation"] == {
        "ja": "http://testserver/opendata/",
        "en": "http://testserver/en/opendata/",
    }
    # No "generated at": the last change is the audit trail's, which load_seed starts.
    assert data["last_modified"] is not None
    assert "generated_at" not in data
    # The metadata first, then the items, counted.
    assert list(data)[-1] == "items"
    assert data["count"] == len(data["items"])


def test_a_json_files_last_modified_is_its_datas_last_change_in_utc(client, seeded):
    change_data("/opendata/projects.json")
    last_modified = json_of(client.get("/opendata/projects.json"))["last_modified"]
    assert last_modified.endswith("+00:00")


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
