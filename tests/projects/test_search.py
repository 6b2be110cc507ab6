"""What the projects app adds to the site search (projects/search.py): projects, milestones,
outcomes, facilities, the research group, its meetings and the organisations a public page
names — what they find, what stays hidden, and where their results lead."""

from __future__ import annotations

import re

import pytest

from core.publishing import publication_publish_now
from projects.models import Organization
from tests.core.search_tools import (
    assert_leads_to_its_section,
    group,
    result_links,
    result_titles,
    search,
)
from tests.projects.factories import (
    FacilityFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipationFactory,
    ProjectFactory,
    ResearchGroupFactory,
)

# Every test here runs on the seed, loaded once for the module (tests/conftest.py: module_seed).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]


# --- The seed documents' facts -----------------------------------------------------------------


def test_wave_power_finds_both_projects_and_the_plant_highlighted(client, seeded):
    page = search(client, "波力")
    projects = group(page, "projects")
    assert (
        '<a href="/projects/wave-power-3rd-generation/">第3世代<mark>波力</mark>発電</a>'
        in projects
    )
    assert '<a href="/projects/wave-powered-boat/"><mark>波力</mark>船</a>' in projects
    assert "平塚<mark>波力</mark>発電所（第2世代）" in projects
    # Records whose title matches come before those that only mention the term.
    assert result_titles(projects)[:3] == ["第3世代波力発電", "平塚波力発電所（第2世代）", "波力船"]
    assert "平塚<mark>波力</mark>発電所</a>" in group(page, "facilities")
    assert "<title>「波力」の検索結果 | サイト内検索 |" in page
    assert re.search(r"研究開発プロジェクト <span class=\"search-group__count\">\d+件</span>", page)


def test_english_query_finds_english_content_under_en(client, seeded):
    page = search(client, "wave", prefix="/en")
    assert '<html lang="en">' in page
    projects = group(page, "projects")
    assert (
        'href="/en/projects/wave-power-3rd-generation/">Third-generation <mark>wave</mark> power'
        in (projects)
    )
    assert "<mark>Wave</mark>-powered boat" in projects
    # The English page searches the English texts only.
    assert "第3世代波力発電" not in search(client, "波力発電", prefix="/en")


def test_study_group_finds_its_meetings_and_outcomes(client, seeded):
    page = search(client, "研究会")
    meetings = result_titles(group(page, "meetings"))
    assert "総会" in meetings and "ゴムラダーの水槽実験" in meetings
    assert 'href="/research-group/meetings/2017/#meeting-1"' in group(page, "meetings")
    assert "特許申請" in result_titles(group(page, "outcomes"))
    assert "平塚海洋エネルギー<mark>研究会</mark>" in group(page, "research-group")


@pytest.mark.parametrize(
    ("query", "key", "title"),
    [
        ("陸上試験", "milestones", "新型発電機の陸上試験"),
        ("特許申請", "outcomes", "特許申請"),
        ("実験タワー", "facilities", "平塚沖総合実験タワー"),
        ("海洋エネルギー研究会", "research-group", "平塚海洋エネルギー研究会"),
        ("ゴムラダー", "meetings", "ゴムラダーの水槽実験"),
        ("横浜ゴム", "organizations", "横浜ゴム"),
    ],
)
def test_every_kind_of_record_can_be_found(client, seeded, query, key, title):
    found = result_titles(group(search(client, query), key))
    assert title in found


@pytest.mark.parametrize(
    ("query", "key"),
    [("Hiratsuka", "projects"), ("Hiratsuka", "organizations"), ("general", "meetings")],
)
def test_every_kind_renders_in_english(client, seeded, query, key):
    assert group(search(client, query, prefix="/en"), key), (query, key)


@pytest.mark.parametrize(
    ("query", "key", "title", "url"),
    [
        ("波力", "projects", "第3世代波力発電", "/projects/wave-power-3rd-generation/"),
        (
            "陸上試験",
            "milestones",
            "新型発電機の陸上試験",
            "/projects/wave-power-3rd-generation/#milestones-heading",
        ),
        # Shown with the research group's outcomes of its kind before on any project's page.
        ("特許申請", "outcomes", "特許申請", "/research-group/outcomes/patent/#outcome-6"),
        # On the page of its kind (the project list shows the first few of each).
        (
            "実験タワー",
            "facilities",
            "平塚沖総合実験タワー",
            "/projects/facilities/tower/#facility-1",
        ),
        ("海洋エネルギー研究会", "research-group", "平塚海洋エネルギー研究会", "/research-group/"),
        # On the page of its fiscal year (the group's page lists only the latest meetings).
        (
            "ゴムラダー",
            "meetings",
            "ゴムラダーの水槽実験",
            "/research-group/meetings/2017/#meeting-2",
        ),
        # An organisation leads to where a public page names it: here the group's members of
        # its category.
        (
            "横浜ゴム",
            "organizations",
            "横浜ゴム",
            "/research-group/members/local_company/#member-3",
        ),
        (
            "林研究室",
            "organizations",
            "東京大学生産技術研究所 林研究室",
            "/projects/wave-power-3rd-generation/#partners-heading",
        ),
    ],
)
def test_each_result_leads_to_the_section_that_shows_it(client, seeded, query, key, title, url):
    links = result_links(group(search(client, query), key))
    assert links[title] == url
    assert_leads_to_its_section(client, url, shows=title)


def test_an_outcome_of_a_project_alone_leads_to_the_project(client, seeded):
    project = ProjectFactory(slug="tidal")
    OutcomeFactory(projects=[project], title_ja="潮汐の派生実験", research_group=None)
    links = result_links(group(search(client, "潮汐の派生"), "outcomes"))
    assert links == {"潮汐の派生実験": "/projects/tidal/#outcomes-heading"}
    assert_leads_to_its_section(client, links["潮汐の派生実験"])


def test_an_organisation_lists_where_it_appears_in_its_snippet(client, seeded):
    organization = OrganizationFactory(name_ja="潮汐テスト工業株式会社")
    ParticipationFactory(
        project=ProjectFactory(title_ja="潮汐発電の実証"), organization=organization, role="lead"
    )
    MembershipFactory(organization=organization)
    organizations = group(search(client, "潮汐テスト"), "organizations")
    assert result_titles(organizations) == ["潮汐テスト工業株式会社"]  # once, not once per page
    assert "潮汐発電の実証（研究開発主体）、平塚海洋エネルギー研究会（市内企業）" in organizations


# --- What must never be found ------------------------------------------------------------------


def test_unpublished_project_and_what_hangs_off_it_are_never_found(client, seeded):
    draft = ProjectFactory(
        title_ja="秘密の潮流発電", title_en="Secret tidal power", published_at=None
    )
    MilestoneFactory(project=draft, title_ja="潮流発電の秘密試験", title_en="Secret tidal test")
    OutcomeFactory(projects=[draft], title_ja="潮流発電の秘密成果", title_en="Secret tidal result")
    ParticipationFactory(
        project=draft, organization=OrganizationFactory(name_ja="潮流秘密工業株式会社")
    )
    page = search(client, "潮流")
    assert 'class="search-group"' not in page
    assert "に一致する情報は見つかりませんでした" in page
    assert 'class="search-group"' not in search(client, "Secret", prefix="/en")

    publication_publish_now(draft)
    page = search(client, "潮流")
    for key in ("projects", "milestones", "outcomes", "organizations"):
        assert group(page, key), key


def test_unpublished_group_facility_and_what_hangs_off_them_are_never_found(client, seeded):
    draft_group = ResearchGroupFactory(name_ja="潮流秘密研究会", published_at=None)
    MeetingFactory(research_group=draft_group, title_ja="潮流の秘密会議")
    OutcomeFactory(research_group=draft_group, title_ja="潮流の秘密成果")
    MembershipFactory(
        research_group=draft_group, organization=OrganizationFactory(name_ja="潮流会員工業")
    )
    draft_facility = FacilityFactory(
        name_ja="潮流秘密観測所",
        published_at=None,
        managed_by=OrganizationFactory(name_ja="潮流管理機構"),
    )
    # An organisation that no public page names is not found either.
    OrganizationFactory(name_ja="潮流単独株式会社")
    page = search(client, "潮流")
    assert 'class="search-group"' not in page

    publication_publish_now(draft_group)
    publication_publish_now(draft_facility)
    page = search(client, "潮流")
    for key in ("research-group", "meetings", "outcomes", "facilities", "organizations"):
        assert group(page, key), key
    assert result_titles(group(page, "organizations")) == ["潮流会員工業", "潮流管理機構"]


@pytest.mark.parametrize(
    ("query", "name"),
    [("東大北澤研", "東京大学 北澤研究室"), ("東大巻研", "東京大学 巻研究室")],
)
def test_an_organisation_is_found_by_the_short_name_the_seed_uses(client, seeded, query, name):
    organizations = group(search(client, query), "organizations")
    assert result_titles(organizations) == [name]
    assert f"ほかの名称：<mark>{query}</mark>" in organizations


def test_other_names_staff_enter_find_an_organisation(client, seeded):
    organization = Organization.objects.get(name_ja="横浜ゴム")
    organization.aliases = "旧名テストゴム\n略称テスト"
    organization.save()
    for query in ("旧名テスト", "略称テスト"):
        assert result_titles(group(search(client, query), "organizations")) == ["横浜ゴム"]


def test_staff_enter_other_names_on_the_organisation_form(staff_client, seeded):
    organization = Organization.objects.get(name_ja="東京大学 北澤研究室")
    html = staff_client.get(f"/admin/projects/organization/{organization.pk}/change/").content
    html = html.decode()
    assert 'name="aliases"' in html and "東大北澤研</textarea>" in html
    assert "1行に1つ" in html
