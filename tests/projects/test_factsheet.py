"""/projects/<slug>/factsheet.pdf: one project on one or two A4 pages, read back with poppler."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from core import pdf
from projects.models import Project
from tests.core.pdf_tools import (
    assert_accessible_japanese_pdf,
    assert_text,
    get_pdf,
    page_text,
    pdf_info,
    pdf_text,
)

from .factories import (
    FundingFactory,
    FundingSourceFactory,
    MilestoneFactory,
    OrganizationFactory,
    ProjectFactory,
)

pytestmark = pytest.mark.django_db

SLUG = "wave-power-3rd-generation"
URL = f"/projects/{SLUG}/factsheet.pdf"


def test_title_lead_organisation_and_funding(client, seeded):
    content = get_pdf(client, URL).content
    assert_text(
        content,
        "第3世代波力発電",
        "研究開発主体",
        "東京大学生産技術研究所 林研究室",
        "財源",
        "企業版ふるさと納税",
        "令和3年度（2021年度）",
        "参加する組織と役割",
        "これまでの歩み",
        "最新の情報は、平塚市 知的対流推進事業のウェブサイトの「研究開発プロジェクト」に掲載",
    )
    assert_accessible_japanese_pdf(content, title="第3世代波力発電", language="ja")


@pytest.mark.parametrize(
    "slug",
    [
        "wave-power-3rd-generation",
        "hiratsuka-wave-power-plant",
        "wave-powered-boat",
        "underwater-camera-robot",
        "auv",
        "isoyake-artificial-reef",
        "battery-powered-ship",
        "blue-carbon",
    ],
)
def test_every_seed_project_fits_on_one_or_two_pages(client, seeded, slug):
    content = get_pdf(client, f"/projects/{slug}/factsheet.pdf").content
    assert 1 <= int(pdf_info(content)["Pages"]) <= 2
    assert_text(content, Project.objects.get(slug=slug).title)


def test_english_version(client, seeded):
    content = get_pdf(client, "/en" + URL).content
    assert_text(
        content,
        "Third-generation wave power",
        "Hayashi Laboratory, IIS",
        "Corporate hometown tax donations",
        "FY2021",
        'The latest information is under "R&D projects" on the website',
    )
    assert "令和" not in pdf_text(content)
    assert_accessible_japanese_pdf(content, title="Third-generation wave power", language="en")


def test_a_factory_project(client, db):
    project = ProjectFactory(
        slug="tidal",
        title_ja="潮流発電の試験",
        leads=[OrganizationFactory(name_ja="湘南海洋工業株式会社")],
    )
    FundingFactory(project=project, source=FundingSourceFactory(name_ja="テスト用の交付金"))
    MilestoneFactory(project=project, title_ja="陸上試験の完了")
    assert_text(
        get_pdf(client, "/projects/tidal/factsheet.pdf").content,
        "潮流発電の試験",
        "湘南海洋工業株式会社",
        "テスト用の交付金",
        "令和4年度（2022年度）〜令和6年度（2024年度）",
        "陸上試験の完了",
        "令和5年11月20日（2023年11月20日）",
    )


def test_drafts_and_unknown_projects_have_no_factsheet(client, db):
    ProjectFactory(slug="draft", published_at=None)
    assert client.get("/projects/draft/factsheet.pdf").status_code == 404
    assert client.get("/projects/no-such-project/factsheet.pdf").status_code == 404


def test_file_name_caching_and_change(client, seeded, monkeypatch):
    first = get_pdf(client, URL)
    disposition = first["Content-Disposition"]
    assert f'filename="hiratsuka-project-{SLUG}.pdf"' in disposition
    assert f"filename*=utf-8''{quote('平塚市_第3世代波力発電_概要.pdf')}" in disposition

    def must_not_render(*args, **kwargs):
        raise AssertionError("rendered again although nothing changed")

    with monkeypatch.context() as patched:
        patched.setattr(pdf, "render_pdf", must_not_render)
        assert client.get(URL, headers={"if-none-match": first["ETag"]}).status_code == 304

    project = Project.objects.get(slug=SLUG)
    project.summary_ja = "改めた概要です。"
    project.save()
    changed = client.get(URL, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert_text(changed.content, "改めた概要です。")


def test_the_project_page_links_to_its_factsheet(client, seeded):
    page = client.get(f"/projects/{SLUG}/").content.decode()
    assert (
        f'<a href="/projects/{SLUG}/factsheet.pdf" type="application/pdf">'
        "このプロジェクトの概要（PDF版）</a>"
    ) in page
    english = client.get(f"/en/projects/{SLUG}/").content.decode()
    assert f'href="/en/projects/{SLUG}/factsheet.pdf"' in english


SEED_SLUGS = [
    "wave-power-3rd-generation",
    "hiratsuka-wave-power-plant",
    "wave-powered-boat",
    "underwater-camera-robot",
    "auv",
    "isoyake-artificial-reef",
    "battery-powered-ship",
    "blue-carbon",
]
# A page of a fact sheet holds about 55 lines; a second page with fewer than 15 (the running
# header and footer aside) is the near-empty page a reader would take for a printing mistake.
# (A short project on a single page is simply a short sheet.)
MIN_LINES_ON_A_PAGE = 15
RUNNING_LINES = 1 + 2  # the header (city, report) and the footer (contact, page number)


def _near_empty_pages(content: bytes) -> list[tuple[int, int]]:
    pages = int(pdf_info(content)["Pages"])
    counts = [
        (number, len([line for line in page_text(content, number).splitlines() if line.strip()]))
        for number in range(2, pages + 1)
    ]
    return [
        (n, lines - RUNNING_LINES)
        for n, lines in counts
        if lines - RUNNING_LINES < MIN_LINES_ON_A_PAGE
    ]


@pytest.mark.slow
@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("slug", SEED_SLUGS)
def test_no_fact_sheet_has_a_near_empty_page_or_the_servers_address(client, seeded, prefix, slug):
    content = get_pdf(client, f"{prefix}/projects/{slug}/factsheet.pdf").content
    assert _near_empty_pages(content) == []
    text = pdf_text(content)
    assert "testserver" not in text and "http" not in text, text


def test_the_servers_address_is_never_printed_whatever_host_asked(client, seeded):
    content = client.get(URL, HTTP_HOST="127.0.0.1").content
    assert "127.0.0.1" not in pdf_text(content)
