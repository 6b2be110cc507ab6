"""The page cache (core/page_cache.py): a public page is rendered once for every anonymous
visitor until something it may show changes, and never for staff, previews or forms."""

from __future__ import annotations

import datetime
import os
import re
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.models import SiteProfile
from tests.core.factories import SiteProfileFactory
from tests.donations.factories import DonationFactory
from tests.donations.inquiry_tools import CONFIRM, FORM, valid_data
from tests.hiratsuka_portal.factories import SitePageSectionFactory
from tests.projects.factories import ProjectFactory, ThemeFactory
from tests.publishing_tools import DUE, at, just_after, just_before

pytestmark = pytest.mark.django_db


def queries_of(client: Client, url: str, **headers):
    """The response to ``url`` and how many SQL queries answering it took."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **headers)
    return response, len(context.captured_queries)


def headers_of(response) -> dict[str, str]:
    return {name: value for name, value in response.headers.items() if name != "Date"}


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["ja", "en"])
@pytest.mark.parametrize("page", ["/", "/projects/", "/privacy/", "/search/?q=波力"])
def test_the_second_visitor_is_served_from_the_cache_without_a_query(
    client, seeded, prefix, page, django_assert_num_queries
):
    first = client.get(prefix + page)
    assert first.status_code == 200

    with django_assert_num_queries(0):
        second = Client().get(prefix + page)

    assert second.status_code == 200
    assert second.content == first.content
    # The same headers, the security headers and the strict CSP included (they are added on
    # the way out, around the cache).
    assert headers_of(second) == headers_of(first)
    assert second["Content-Security-Policy"].startswith("default-src 'self'")
    assert second["Content-Language"] == ("en" if prefix else "ja")
    # Nobody's cookie is given to anybody.
    assert not first.cookies and not second.cookies


def test_japanese_and_english_pages_are_kept_apart(client, db):
    ProjectFactory(title_ja="波力船", title_en="Wave-powered boat")
    assert "波力船" in client.get("/projects/").content.decode()
    english = client.get("/en/projects/").content.decode()
    assert "Wave-powered boat" in english
    assert "Wave-powered boat" in client.get("/en/projects/").content.decode()
    assert "波力船" in client.get("/projects/").content.decode()


def test_the_order_of_query_parameters_does_not_make_another_page(client, seeded):
    client.get("/search/?q=波力&page=1")
    response, queries = queries_of(Client(), "/search/?page=1&q=波力")
    assert response.status_code == 200
    assert queries == 0


# --- Fresh at once after every kind of change ---------------------------------------------------


def test_a_saved_change_is_shown_on_the_next_request(client, db):
    project = ProjectFactory(title_ja="水中カメラロボット")
    assert "水中カメラロボット" in client.get("/projects/").content.decode()

    project.title_ja = "水中ドローン"
    project.save()

    page = client.get("/projects/").content.decode()
    assert "水中ドローン" in page
    assert "水中カメラロボット" not in page


def test_a_deleted_record_is_gone_on_the_next_request(client, db):
    project = ProjectFactory(title_ja="自律型無人潜水機")
    assert "自律型無人潜水機" in client.get("/projects/").content.decode()

    project.delete()

    assert "自律型無人潜水機" not in client.get("/projects/").content.decode()


def test_a_many_to_many_change_is_shown_on_the_next_request(client, db):
    project = ProjectFactory()
    theme = ThemeFactory(name_ja="磯焼け対策")
    url = project.get_absolute_url()
    assert "磯焼け対策" not in client.get(url).content.decode()

    # Only the relation changes: no row of the project nor of the theme is saved.
    project.themes.add(theme)

    assert "磯焼け対策" in client.get(url).content.decode()


def test_a_scheduled_publication_appears_when_it_comes_due(client, db):
    ProjectFactory(title_ja="公開済みの事業")
    ProjectFactory(title_ja="予約された新事業", published_at=DUE)
    with just_before():
        page = client.get("/projects/").content.decode()
        assert "公開済みの事業" in page
        assert "予約された新事業" not in page
        # Cached now: nothing else happens before the time comes.
        assert queries_of(Client(), "/projects/")[1] == 0

    with just_after():
        assert "予約された新事業" in client.get("/projects/").content.decode()


def test_a_meeting_moves_from_upcoming_to_past_when_it_starts(client, db):
    from tests.projects.factories import MeetingFactory, ResearchGroupFactory

    group = ResearchGroupFactory()
    MeetingFactory(research_group=group, title_ja="第10回研究会", starts_at=DUE)

    def section_of_meeting() -> str:
        page = client.get("/research-group/").content.decode()
        return page[: page.index("第10回研究会")]

    with just_before():
        before = section_of_meeting()
    with just_after():
        after = section_of_meeting()
    assert before != after


@pytest.mark.parametrize(
    "page",
    [
        "/research-group/meetings/",
        "/research-group/meetings/2024/",
        "/agreements/history/",
        "/agreements/history/2024/",
    ],
)
def test_the_pages_of_a_list_by_fiscal_year_are_cached(client, db, page):
    from tests.agreements.factories import AgreementEventFactory
    from tests.projects.factories import MeetingFactory

    MeetingFactory(starts_at=datetime.datetime(2024, 6, 1, 1, tzinfo=datetime.UTC))
    AgreementEventFactory(agreement=None, occurred_on=datetime.date(2024, 6, 1))
    assert client.get(page).status_code == 200
    assert queries_of(Client(), page)[1] == 0


def test_each_page_of_the_project_list_is_cached_and_refreshed_after_a_change(client, db):
    projects = ProjectFactory.create_batch(30)
    first = client.get("/projects/?page=2")
    response, queries = queries_of(Client(), "/projects/?page=2")
    assert (response.content, queries) == (first.content, 0)
    # Another page, and the same page with a filter, are pages of their own.
    assert queries_of(Client(), "/projects/?status=active&page=2")[1] > 0

    last = projects[-1]
    last.title_ja = "改題されたプロジェクト"
    last.save()

    assert "改題されたプロジェクト" in client.get("/projects/?page=2").content.decode()


def test_an_edited_site_text_is_shown_on_the_next_request(client, db):
    section = SitePageSectionFactory(heading_ja="お問い合わせ窓口", body_ja="窓口は二階です。")
    assert "窓口は二階です。" in client.get("/privacy/").content.decode()

    section.body_ja = "窓口は三階に移りました。"
    section.save()

    assert "窓口は三階に移りました。" in client.get("/privacy/").content.decode()


def test_an_edited_contact_in_the_footer_is_shown_on_every_page(client, db):
    SiteProfileFactory(phone="0463-21-9758")
    assert "0463-21-9758" in client.get("/projects/").content.decode()

    profile = SiteProfile.objects.get()
    profile.phone = "0463-21-0000"
    profile.save()

    page = client.get("/projects/").content.decode()
    assert "0463-21-0000" in page
    assert "0463-21-9758" not in page


def test_a_page_rendered_inside_the_changing_transaction_is_not_kept(client, db):
    project = ProjectFactory(title_ja="波力発電所")
    client.get("/projects/")
    with transaction.atomic():
        project.title_ja = "平塚波力発電所"
        project.save()
        # A page rendered meanwhile (from the old data, as another connection would see it)
        # must not outlive the commit.
        client.get("/projects/")
    assert "平塚波力発電所" in client.get("/projects/").content.decode()


# --- Never for staff, previews or forms ---------------------------------------------------------


def test_staff_always_get_a_freshly_rendered_page(staff_client, client, db):
    ProjectFactory(title_ja="公開中の事業")
    client.get("/projects/")  # cached for the public

    response, queries = queries_of(staff_client, "/projects/")
    assert response.status_code == 200
    assert queries > 0
    assert queries_of(staff_client, "/projects/")[1] > 0


def test_a_preview_is_never_cached_nor_served_from_the_cache(staff_client, client, db):
    ProjectFactory(title_ja="公開中の事業")
    ProjectFactory(title_ja="下書きの事業", published_at=None)
    assert "下書きの事業" not in client.get("/projects/").content.decode()

    preview = staff_client.get("/projects/?preview=1")
    assert "下書きの事業" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"]
    assert "ETag" not in preview

    # The preview's drafts reach nobody else, with or without the switch in the address.
    assert "下書きの事業" not in client.get("/projects/").content.decode()
    anonymous_preview, queries = queries_of(Client(), "/projects/?preview=1")
    assert "下書きの事業" not in anonymous_preview.content.decode()
    assert queries > 0


def form_tokens(page: str) -> tuple[str, str]:
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form_token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    return csrf, form_token


def test_two_visitors_of_the_inquiry_form_get_their_own_tokens_and_both_can_send(db):
    shown_at = datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    with at(shown_at):
        first_page = first.get(FORM)
    with at(shown_at + datetime.timedelta(seconds=5)):
        second_page = second.get(FORM)
    assert first_page.cookies["csrftoken"].value != second_page.cookies["csrftoken"].value
    first_tokens = form_tokens(first_page.content.decode())
    second_tokens = form_tokens(second_page.content.decode())
    assert first_tokens[0] != second_tokens[0]
    assert first_tokens[1] != second_tokens[1]

    with at(shown_at + datetime.timedelta(seconds=30)):
        for visitor, (csrf, form_token) in ((first, first_tokens), (second, second_tokens)):
            response = visitor.post(
                FORM, valid_data(csrfmiddlewaretoken=csrf, form_token=form_token)
            )
            assert response.status_code == 302
            assert response["Location"].endswith(CONFIRM)


def test_a_visitor_in_the_middle_of_an_inquiry_gets_fresh_pages(client, db):
    ProjectFactory(title_ja="公開中の事業")
    Client().get("/projects/")
    client.post(FORM, valid_data())  # the draft is kept in the visitor's session
    assert "sessionid" in client.cookies
    assert queries_of(client, "/projects/")[1] > 0


# --- Revalidation --------------------------------------------------------------------------------


def test_a_revalidation_with_the_etag_gets_304_without_rendering(client, seeded):
    page = client.get("/projects/")
    assert page["ETag"]
    assert page["Cache-Control"] == "public, no-cache"

    response, queries = queries_of(Client(), "/projects/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == page["ETag"]
    assert queries == 0


def test_a_revalidation_with_the_date_gets_304_without_rendering(client, seeded):
    page = client.get("/en/projects/")
    assert page["Last-Modified"]

    response, queries = queries_of(
        Client(), "/en/projects/", HTTP_IF_MODIFIED_SINCE=page["Last-Modified"]
    )
    assert response.status_code == 304
    assert queries == 0


def test_a_revalidation_after_a_change_gets_the_new_page(client, db):
    project = ProjectFactory(title_ja="波力船")
    page = client.get("/projects/")
    project.title_ja = "波力で進む船"
    project.save()

    response = client.get("/projects/", HTTP_IF_NONE_MATCH=page["ETag"])
    assert response.status_code == 200
    assert "波力で進む船" in response.content.decode()
    assert response["ETag"] != page["ETag"]


def test_a_head_request_is_answered_from_the_cache(client, seeded):
    page = client.get("/projects/")
    with CaptureQueriesContext(connection) as context:
        response = Client().head("/projects/")
    assert response.status_code == 200
    assert response["ETag"] == page["ETag"]
    assert len(context.captured_queries) == 0


# --- Downloads ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/donations/report.pdf",
        "/en/opendata/donations.csv",
        "/opendata/projects.json",
        "/opendata/meetings.ics",
    ],
)
def test_a_download_is_served_from_the_cache_and_revalidated_without_a_query(client, seeded, url):
    first = client.get(url)
    assert first.status_code == 200

    second, queries = queries_of(Client(), url)
    assert queries == 0
    assert second.content == first.content
    # The download's own validators (its data's fingerprint), not ones the cache made up.
    assert headers_of(second) == headers_of(first)

    revalidation, queries = queries_of(Client(), url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidation.status_code == 304
    assert queries == 0


def test_a_recorded_donation_is_in_the_open_data_on_the_next_request(client, db):
    DonationFactory(donor__name_ja="相模湾エネルギー株式会社", amount=2_500_000)
    before = client.get("/opendata/donations.csv")
    assert "相模湾エネルギー株式会社" in before.content.decode("utf-8-sig")

    DonationFactory(donor__name_ja="湘南波力株式会社", amount=3_000_000)

    after = client.get("/opendata/donations.csv", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "湘南波力株式会社" in after.content.decode("utf-8-sig")
    assert after["ETag"] != before["ETag"]


def test_a_missing_page_is_not_cached(client, db):
    assert client.get("/projects/no-such-project/").status_code == 404
    response, queries = queries_of(Client(), "/projects/no-such-project/")
    assert response.status_code == 404
    assert queries > 0


def test_the_cache_can_be_switched_off(client, seeded, settings):
    settings.PAGE_CACHE_ENABLED = False
    client.get("/projects/")
    response, queries = queries_of(Client(), "/projects/")
    assert response.status_code == 200
    assert queries > 0
    assert "ETag" not in response


def test_a_change_saved_by_another_process_makes_the_pages_fresh(
    client, seeded, settings, tmp_path
):
    # Without Redis each gunicorn worker has its own memory cache; the one that saved a change
    # marks the version file, and the others see its new time on their next request.
    settings.PAGE_CACHE_VERSION_FILE = tmp_path / "page-cache-version"
    client.get("/projects/")
    assert queries_of(Client(), "/projects/")[1] == 0

    marked = time.time_ns()
    os.utime(settings.PAGE_CACHE_VERSION_FILE, ns=(marked, marked))  # as the other worker does

    assert queries_of(Client(), "/projects/")[1] > 0
    assert queries_of(Client(), "/projects/")[1] == 0


def test_the_cache_answers_after_the_security_headers_and_before_any_session_code():
    from django.conf import settings

    order = settings.MIDDLEWARE
    cache_at = order.index("core.page_cache.PageCacheMiddleware")
    for outer in (
        "django.middleware.security.SecurityMiddleware",
        "django.middleware.csp.ContentSecurityPolicyMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ):
        assert order.index(outer) < cache_at
    for inner in (
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.locale.LocaleMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
    ):
        assert order.index(inner) > cache_at
