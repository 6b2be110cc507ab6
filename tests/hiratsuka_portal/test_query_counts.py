"""Every public page costs a fixed number of SQL queries, whatever the size of the data.

Each page is counted in both languages on the seed (1×); then once every kind of record the
pages list has at least one more row (projects with their partners, funding, milestones,
outcomes and videos; facilities; members, meetings, outcomes and videos of the research group;
donations, donor interviews and awards; agreement events, articles and focus areas; the
sections of the staff-written pages); then again with 40 more of each; and last on the demo data
at 100× the seed (``manage.py generate_demo_data --scale 100``). The numbers themselves are
asserted too, so a page that starts asking one query more shows here, with the page named.

Why a second baseline beside the seed: Django asks nothing for a related list of no parent
(the organisations of outcomes, when a project has no outcome), so a few pages ask one query
more once such a list exists (``ONCE_EVERY_LIST_HAS_ROWS``) — and then never more.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.models import Agreement, Article
from hiratsuka_portal.models import SitePage
from projects.models import Organization, Project, ResearchGroup, Theme
from tests.agreements.factories import (
    AgreementEventFactory,
    ArticleFactory,
    FocusAreaFactory,
    RelationshipPhaseFactory,
)
from tests.donations.factories import AwardFactory, DonationFactory, DonorInterviewFactory
from tests.hiratsuka_portal.demo_data_tools import query_counts
from tests.hiratsuka_portal.factories import SitePageSectionFactory
from tests.projects.factories import (
    FacilityFactory,
    FundingFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipationFactory,
    ProjectFactory,
    VideoFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    # What a page costs when it is rendered: the page cache (tests/core/test_page_cache.py)
    # would answer a repeated page with no query at all.
    settings.PAGE_CACHE_ENABLED = False


# The project and the agreement whose pages are counted: the seed's own.
PROJECT_SLUG = "wave-power-3rd-generation"
AGREEMENT_SLUG = "iis-2024"

# page: (path in Japanese, queries). The English page is the same path under /en/ and costs
# the same, except where a second number is given.
PAGES: dict[str, tuple[str, int] | tuple[str, int, str, int]] = {
    "home": ("/", 13),
    "project list": ("/projects/", 10),
    "project": (f"/projects/{PROJECT_SLUG}/", 10),
    "facilities of a kind": ("/projects/facilities/tower/", 4),
    "research group": ("/research-group/", 14),
    "meetings by fiscal year": ("/research-group/meetings/", 4),
    "meetings of a fiscal year": ("/research-group/meetings/2017/", 4),
    "members of a category": ("/research-group/members/local_company/", 4),
    "outcomes of a kind": ("/research-group/outcomes/patent/", 5),
    "donations": ("/donations/", 9),
    "donations of a fiscal year": ("/donations/2022/", 5),
    "donation inquiry form": ("/donations/inquiry/", 2),
    "agreements": ("/agreements/", 9),
    "all agreements": ("/agreements/all/", 5),
    "agreement": (f"/agreements/{AGREEMENT_SLUG}/", 11),
    "history by fiscal year": ("/agreements/history/", 3),
    "history of a fiscal year": ("/agreements/history/2023/", 5),
    "accessibility": ("/accessibility/", 5),
    "privacy": ("/privacy/", 4),
    "search": ("/search/?q=" + quote("波力"), 11, "/en/search/?q=wave", 11),
    "open data": ("/opendata/", 2),
}


# What a page asks for once a list that is empty in the seed has rows.
ONCE_EVERY_LIST_HAS_ROWS = {
    # The organisations of the project's outcomes (the seed's project has none).
    "project": 1,
    # The projects each article of the agreement expects (no seed article names one).
    "agreement": 1,
    # The meetings found (no seed meeting says 波力 or wave).
    "search": 1,
}


def page_urls() -> list[tuple[str, str, int]]:
    """(page and language, URL, expected queries) of every public page in both languages."""
    urls = []
    for name, (path, queries, *english) in PAGES.items():
        english_path, english_queries = english or ("/en" + path, queries)
        urls.append((f"{name} (ja)", path, queries))
        urls.append((f"{name} (en)", english_path, english_queries))
    return urls


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def counts(client) -> dict[str, int]:
    return {name: count_queries(client, url) for name, url, _expected in page_urls()}


def add_records(count: int) -> None:
    """``count`` more records of every kind the public pages list, linked to the seed's own
    project, research group and agreement where a page shows them there."""
    project = Project.objects.get(slug=PROJECT_SLUG)
    group = ResearchGroup.objects.get()
    agreement = Agreement.objects.get(slug=AGREEMENT_SLUG)
    theme = Theme.objects.order_by("pk").first()
    now = timezone.now()
    first_number = 1000 + Article.objects.count()
    for index in range(count):
        organization = OrganizationFactory(kind=Organization.Kind.COMPANY)
        other = ProjectFactory(
            title_ja=f"波力発電の実証{index}",
            title_en=f"Wave power trial {index}",
            is_featured=index % 2 == 0,
            themes=[theme],
            leads=[organization],
        )
        ParticipationFactory(project=project, organization=organization)
        FundingFactory(project=project)
        FundingFactory(project=other)
        MilestoneFactory(project=project, occurred_on=dt.date(2020, 1, 1) + dt.timedelta(index))
        MilestoneFactory(project=other)
        OutcomeFactory(projects=[project, other], organizations=[organization])
        VideoFactory(projects=[project])
        FacilityFactory(themes=[theme], managed_by=organization)
        MembershipFactory(research_group=group, organization=organization)
        # Meetings both past and still to come.
        MeetingFactory(research_group=group, starts_at=now + dt.timedelta(days=index - count))
        MeetingFactory(research_group=group, starts_at=now + dt.timedelta(days=index + 1))
        OutcomeFactory(research_group=group, organizations=[organization])
        VideoFactory(research_group=group)
        DonationFactory(
            fiscal_year=2016 + index % 10,
            projects=[project, other],
            publish_name=index % 3 != 0,
            publish_amount=index % 4 != 0,
        )
        AgreementEventFactory(agreement=agreement, occurred_on=dt.date(2024, 4, 1))
        ArticleFactory(agreement=agreement, number=first_number + index, projects=[project, other])
        FocusAreaFactory(agreement=agreement)
        RelationshipPhaseFactory()
        for kind in (
            SitePage.Kind.INTRODUCTION,
            SitePage.Kind.ACCESSIBILITY,
            SitePage.Kind.PRIVACY,
        ):
            SitePageSectionFactory(page=SitePage.objects.get(kind=kind))
    DonorInterviewFactory.create_batch(max(1, count // 10))
    AwardFactory.create_batch(max(1, count // 10), project=project)


@pytest.mark.parametrize(("page", "url", "expected"), page_urls(), ids=[u[0] for u in page_urls()])
def test_each_public_page_takes_its_number_of_queries_on_the_seed(
    client, seeded, page, url, expected
):
    count_queries(client, url)  # The first request of a test may set up what later ones reuse.
    assert count_queries(client, url) == expected, page


@pytest.mark.slow
def test_no_public_page_takes_more_queries_with_many_more_records(client, seeded):
    expected = {
        name: queries + ONCE_EVERY_LIST_HAS_ROWS.get(name.rsplit(" (", 1)[0], 0)
        for name, _url, queries in page_urls()
    }
    add_records(1)
    counts(client)
    assert counts(client) == expected
    add_records(40)
    assert Project.objects.public().count() > 40
    assert counts(client) == expected


@pytest.mark.slow
def test_every_public_page_takes_as_many_queries_at_100_times_the_seed(tmp_path):
    """The demo data at scale 100 (``manage.py generate_demo_data``, hundreds of projects,
    meetings, donations and agreements), served as ``make run`` would serve it."""
    database_url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    call_command("generate_demo_data", scale=100, into=database_url, verbosity=0)
    synthetic = {
        # The project list's second page (the seed's projects fit on one).
        "project list, page 2 (ja)": ("/projects/?page=2", "project list"),
        "project list, page 2 (en)": ("/en/projects/?page=2", "project list"),
        "project list, page 30 (ja)": ("/projects/?page=30", "project list"),
        "project list, filtered page 2 (en)": (
            "/en/projects/?status=active&page=2",
            "project list",
        ),
        # Pages of a synthetic project and agreement, whose lists all have rows.
        "synthetic project (ja)": ("/projects/{project}/", "project"),
        "synthetic project (en)": ("/en/projects/{project}/", "project"),
        "synthetic agreement (ja)": ("/agreements/{agreement}/", "agreement"),
        "synthetic agreement (en)": ("/en/agreements/{agreement}/", "agreement"),
    }
    expected = {}
    for name, url, queries in page_urls():
        page = name.rsplit(" (", 1)[0]
        # The seed's own project and agreement gain no outcome nor article; the synthetic
        # meetings do turn up in the search.
        expected[url] = [200, queries + (ONCE_EVERY_LIST_HAS_ROWS[page] if page == "search" else 0)]
    seed_queries = {name.rsplit(" (", 1)[0]: queries for name, _url, queries in page_urls()}
    for url, page in synthetic.values():
        expected[url] = [200, seed_queries[page] + ONCE_EVERY_LIST_HAS_ROWS.get(page, 0)]

    assert query_counts(database_url, list(expected)) == expected
