"""The staff preview (core.middleware.PreviewMiddleware): a staff member's ?preview=1 shows a
draft or a scheduled record at its public URL, marked as a preview, never cached or indexed;
anyone else's ?preview=1 changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.core.opendata_tools import json_of
from tests.projects.factories import MilestoneFactory, ProjectFactory
from tests.publishing_tools import DUE

pytestmark = pytest.mark.django_db

BANNER = (
    "プレビュー表示中：このページには下書き・公開予約の内容が含まれます。"
    "一般には公開されていません。"
)


@pytest.fixture
def draft():
    project = ProjectFactory(slug="draft", title_ja="準備中の潮流発電", published_at=None)
    MilestoneFactory(project=project, title_ja="予定の陸上試験", published_at=DUE)
    return project


def test_staff_see_the_draft_marked_as_a_preview_never_cached_or_indexed(staff_client, draft):
    response = staff_client.get("/projects/draft/?preview=1")
    assert response.status_code == 200
    page = response.content.decode()
    assert "準備中の潮流発電" in page
    assert "予定の陸上試験" in page  # the scheduled milestone too
    assert BANNER in page
    assert '<div class="preview-banner" role="status">' in page
    assert '<a class="preview-banner__exit" href="/projects/draft/">プレビューを終了</a>' in page
    assert '<meta name="robots" content="noindex">' in page
    assert response["Cache-Control"] == "private, no-store, max-age=0"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "ETag" not in response and "Last-Modified" not in response


def test_the_preview_is_shown_in_english_too(staff_client, draft):
    page = staff_client.get("/en/projects/draft/?preview=1").content.decode()
    assert "Preview: this page includes drafts and scheduled content." in page
    assert 'href="/en/projects/draft/">Leave the preview</a>' in page


def test_leaving_the_preview_keeps_the_rest_of_the_address(staff_client, draft):
    ProjectFactory(status="completed")
    page = staff_client.get("/projects/?status=completed&preview=1").content.decode()
    assert 'href="/projects/?status=completed">プレビューを終了</a>' in page


def test_without_the_switch_staff_see_the_public_page(staff_client, draft):
    assert staff_client.get("/projects/draft/").status_code == 404
    response = staff_client.get("/projects/")
    assert BANNER not in response.content.decode()
    assert "X-Robots-Tag" not in response


@pytest.mark.parametrize("who", ["anonymous", "not staff", "inactive staff"])
def test_anyone_elses_preview_switch_is_ignored(django_user_model, draft, who):
    client = Client()
    if who != "anonymous":
        user = django_user_model.objects.create_user(
            username="someone", is_staff=who == "inactive staff", is_active=who != "inactive staff"
        )
        client.force_login(user)
    assert client.get("/projects/draft/?preview=1").status_code == 404
    response = client.get("/projects/?preview=1")
    page = response.content.decode()
    assert "準備中の潮流発電" not in page
    assert BANNER not in page and "X-Robots-Tag" not in response


def test_a_published_pages_preview_is_marked_too(staff_client):
    project = ProjectFactory(slug="public")
    page = staff_client.get(f"{project.get_absolute_url()}?preview=1").content.decode()
    assert BANNER in page


# --- Open data and PDFs ------------------------------------------------------------------------


def titles(response) -> list[str]:
    return [item["title"]["ja"] for item in json_of(response)["items"]]


def test_a_preview_of_a_file_is_never_read_from_nor_written_to_the_cache(staff_client, draft):
    published = ProjectFactory(title_ja="公開中の波力発電")
    public = Client()
    # The public file is rendered and cached first: the preview does not take it from there …
    first = public.get("/opendata/projects.json")
    assert titles(first) == ["公開中の波力発電"]
    preview = staff_client.get("/opendata/projects.json?preview=1")
    assert set(titles(preview)) == {"公開中の波力発電", "準備中の潮流発電"}
    assert preview["Cache-Control"] == "private, no-store, max-age=0"
    assert "ETag" not in preview
    # … and leaves nothing there for the public.
    again = public.get("/opendata/projects.json")
    assert titles(again) == ["公開中の波力発電"]
    assert again["ETag"] == first["ETag"]
    assert (
        public.get("/opendata/projects.json", headers={"if-none-match": first["ETag"]}).status_code
        == 304
    )
    assert published.publication_state == "published"


def test_a_preview_first_leaves_no_draft_in_the_cache_for_the_public(staff_client, draft):
    ProjectFactory(title_ja="公開中の波力発電")
    assert "準備中の潮流発電" in titles(staff_client.get("/opendata/projects.json?preview=1"))
    assert titles(Client().get("/opendata/projects.json")) == ["公開中の波力発電"]


@pytest.mark.slow
def test_a_draft_projects_fact_sheet_is_previewed_but_never_cached(staff_client, draft):
    assert Client().get("/projects/draft/factsheet.pdf").status_code == 404
    response = staff_client.get("/projects/draft/factsheet.pdf?preview=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store, max-age=0"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert Client().get("/projects/draft/factsheet.pdf").status_code == 404
