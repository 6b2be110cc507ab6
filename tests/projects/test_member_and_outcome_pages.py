"""The research group's members and outcomes, bounded on its page: the first of each category
or kind there, each whole category or kind on a page of its own."""

from __future__ import annotations

import re

import pytest

from projects.models import Membership, Outcome
from projects.views import MEMBERS_SHOWN, OUTCOMES_SHOWN
from tests.page_tools import html

from .factories import MembershipFactory, OrganizationFactory, OutcomeFactory, ResearchGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(db):
    return ResearchGroupFactory()


def add_members(group, count: int, category: str) -> list[Membership]:
    return [
        MembershipFactory(
            research_group=group,
            category=category,
            organization=OrganizationFactory(name_ja=f"会員企業{number:03d}"),
            position=number,
        )
        for number in range(1, count + 1)
    ]


def test_the_group_page_lists_the_first_members_of_a_category_and_links_to_all(client, group):
    add_members(group, MEMBERS_SHOWN + 5, Membership.Category.LOCAL_COMPANY)
    MembershipFactory(research_group=group, category=Membership.Category.UNIVERSITY)
    page = html(client, "/research-group/")
    listed = re.findall(r"会員企業(\d{3})", page)
    assert listed == [f"{n:03d}" for n in range(1, MEMBERS_SHOWN + 1)]
    assert (
        '<a href="/research-group/members/local_company/">'
        f"市内企業の会員すべて（{MEMBERS_SHOWN + 5}団体）</a>"
    ) in page
    # A category that fits has no link.
    assert "/research-group/members/university/" not in page


def test_a_categorys_page_lists_every_member_of_it(client, group):
    members = add_members(group, MEMBERS_SHOWN + 5, Membership.Category.LOCAL_COMPANY)
    MembershipFactory(
        research_group=group,
        category=Membership.Category.UNIVERSITY,
        organization=OrganizationFactory(name_ja="北海大学"),
    )
    page = html(client, "/research-group/members/local_company/")
    assert "<h1>会員（市内企業）</h1>" in page
    assert re.findall(r"会員企業(\d{3})", page) == [f"{n:03d}" for n in range(1, MEMBERS_SHOWN + 6)]
    assert "北海大学" not in page
    for membership in members:
        path, _, anchor = membership.get_absolute_url().partition("#")
        assert path == "/research-group/members/local_company/"
        assert f'id="{anchor}"' in page


def test_outcomes_are_bounded_by_kind_on_the_group_page(client, group):
    for number in range(1, OUTCOMES_SHOWN + 4):
        OutcomeFactory(
            research_group=group,
            kind=Outcome.Kind.PATENT,
            title_ja=f"特許{number:02d}",
            position=number,
        )
    page = html(client, "/research-group/")
    assert re.findall(r"特許(\d{2})", page) == [f"{n:02d}" for n in range(1, OUTCOMES_SHOWN + 1)]
    assert f">特許申請の成果すべて（{OUTCOMES_SHOWN + 3}件）</a>" in page
    whole = html(client, "/research-group/outcomes/patent/")
    assert "<h1>成果（特許申請）</h1>" in whole
    assert re.findall(r"特許(\d{2})", whole) == [f"{n:02d}" for n in range(1, OUTCOMES_SHOWN + 4)]


@pytest.mark.parametrize(
    "path",
    [
        "/research-group/members/nonsense/",
        "/research-group/members/outside_company/",
        "/research-group/outcomes/nonsense/",
        "/research-group/outcomes/adoption/",
    ],
)
def test_a_category_or_kind_without_records_is_404(client, group, path):
    add_members(group, 2, Membership.Category.LOCAL_COMPANY)
    OutcomeFactory(research_group=group, kind=Outcome.Kind.PATENT)
    assert client.get(path).status_code == 404


def test_the_pages_in_english(client, group):
    add_members(group, MEMBERS_SHOWN + 1, Membership.Category.LOCAL_COMPANY)
    OutcomeFactory(research_group=group, kind=Outcome.Kind.PATENT, title_en="A patent")
    page = html(client, "/en/research-group/")
    assert f"Members: Companies in Hiratsuka — all {MEMBERS_SHOWN + 1}" in page
    members = html(client, "/en/research-group/members/local_company/")
    assert '<html lang="en">' in members
    assert "<h1>Members: Companies in Hiratsuka</h1>" in members
    outcomes = html(client, "/en/research-group/outcomes/patent/")
    assert "A patent" in outcomes
