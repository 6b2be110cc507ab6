"""The Japanese admin's lists of projects and what goes with them: every page opens, and the
lists are searchable and filterable without N+1 queries. Editing (image uploads, the audit
trail) is in test_admin_editing.py."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import path, reverse
from django.utils import timezone
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from projects.models import (
    Facility,
    FundingSource,
    Meeting,
    Organization,
    Outcome,
    Project,
    ResearchGroup,
    Theme,
    Video,
)
from tests.admin_tools import (
    admin_url,
    changelist_queries,
    open_every_filter_choice,
    open_its_pages,
    open_page,
    search,
)

from .factories import (
    FacilityFactory,
    FundingSourceFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipationFactory,
    ProjectFactory,
    ResearchGroupFactory,
    ThemeFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db


# A site with the admin only, as before the public project pages existed (see
# test_public_page_column_copes_without_the_public_pages).
urlpatterns = [path("admin/", admin.site.urls)]

REGISTERED = [
    Organization,
    Theme,
    FundingSource,
    Project,
    ResearchGroup,
    Meeting,
    Outcome,
    Facility,
    Video,
]


# --- Registration and every page opening -------------------------------------------------------


def test_every_projects_model_with_its_own_page_is_registered_with_history_and_translation():
    registered = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "projects"
    }
    assert set(registered) == set(REGISTERED)
    for model_admin in registered.values():
        assert isinstance(model_admin, SimpleHistoryAdmin)
        assert isinstance(model_admin, TranslationAdmin)
        # The tabbed variants load jQuery UI from a CDN; the site makes no external request.
        assert "Tabbed" not in "".join(cls.__name__ for cls in type(model_admin).__mro__)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_changelist_add_and_change_pages_open(staff_client, objects, model):
    obj = objects[model]
    changelist, change = open_its_pages(staff_client, obj)
    assert str(obj) in changelist
    # Japanese and English are edited side by side.
    assert "（日本語）" in change and "（英語）" in change


def test_admin_speaks_japanese(staff_client, objects):
    page = open_page(staff_client, admin_url(Project, "changelist")).content.decode()
    for label in ["研究開発プロジェクト", "状況", "期間", "研究開発主体", "公開ページ", "更新日時"]:
        assert label in page, label
    page = open_page(staff_client, admin_url(Project, "change", objects[Project].pk))
    for label in ["参加組織", "財源の活用", "マイルストーン", "画像", "プレビュー"]:
        assert label in page.content.decode(), label


# --- Search and filters ------------------------------------------------------------------------


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_search_finds_the_object_in_japanese_and_in_english(staff_client, objects, model):
    obj = objects[model]
    english = getattr(obj, "title_en", None) or obj.name_en
    for term in [str(obj), english]:
        assert search(staff_client, model, term) == [obj], term
    assert search(staff_client, model, "該当なし") == []


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_every_filter_choice_opens(staff_client, objects, model):
    filters, choices = open_every_filter_choice(staff_client, model)
    assert choices >= filters


@pytest.mark.parametrize(
    ("factory", "matching", "other", "query"),
    [
        (
            ProjectFactory,
            {"status": Project.Status.COMPLETED},
            {"status": Project.Status.ACTIVE},
            "status__exact=completed",
        ),
        (ProjectFactory, {"published_at": None}, {}, "publication=draft"),
        (
            OrganizationFactory,
            {"in_hiratsuka": False},
            {"in_hiratsuka": True},
            "in_hiratsuka__exact=0",
        ),
        (
            OrganizationFactory,
            {"kind": Organization.Kind.NATIONAL},
            {},
            "kind__exact=national",
        ),
        (MeetingFactory, {"kind": Meeting.Kind.VISIT}, {}, "kind__exact=visit"),
        (OutcomeFactory, {"kind": Outcome.Kind.PATENT}, {}, "kind__exact=patent"),
        (FacilityFactory, {"kind": Facility.Kind.PORT}, {}, "kind__exact=port"),
    ],
)
def test_a_filter_keeps_only_the_matching_rows(staff_client, factory, matching, other, query):
    wanted = factory(**matching)
    factory(**other)
    url = admin_url(factory._meta.model, "changelist")
    assert list(open_page(staff_client, f"{url}?{query}").context["cl"].result_list) == [wanted]


def test_projects_filter_by_theme(staff_client):
    robots, energy = ThemeFactory(), ThemeFactory()
    wanted = ProjectFactory(themes=[robots])
    ProjectFactory(themes=[energy])
    url = f"{admin_url(Project, 'changelist')}?themes__id__exact={robots.pk}"
    assert list(open_page(staff_client, url).context["cl"].result_list) == [wanted]


def test_meetings_are_browsed_by_date(staff_client):
    wanted = MeetingFactory()
    MeetingFactory(starts_at=wanted.starts_at.replace(year=wanted.starts_at.year - 3))
    day = timezone.localtime(wanted.starts_at)
    url = admin_url(Meeting, "changelist")
    page = open_page(staff_client, url).content.decode()
    assert f"starts_at__year={day.year}" in page
    query = f"starts_at__year={day.year}&starts_at__month={day.month}&starts_at__day={day.day}"
    assert list(open_page(staff_client, f"{url}?{query}").context["cl"].result_list) == [wanted]


def test_organizations_are_offered_by_autocomplete(staff_client, objects):
    response = staff_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "projects",
            "model_name": "participation",
            "field_name": "organization",
            "term": "林研究室",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["生産技術研究所 林研究室"]


# --- What the lists show -----------------------------------------------------------------------


def test_project_list_shows_period_leads_and_the_public_page(staff_client):
    lead = OrganizationFactory(name_ja="平塚市")
    published = ProjectFactory(start_fiscal_year=2020, end_fiscal_year=2023, leads=[lead])
    draft = ProjectFactory(published_at=None, start_fiscal_year=None, end_fiscal_year=None)
    response = open_page(staff_client, admin_url(Project, "changelist"))
    page = response.content.decode()
    assert "令和2年度（2020年度）〜令和5年度（2023年度）" in page
    assert "平塚市" in page
    assert f'<a href="{published.get_absolute_url()}">' in page
    rows = {row.pk: row for row in response.context["cl"].result_list}
    model_admin = admin.site._registry[Project]
    # A draft has no public page yet: staff are offered its preview instead.
    assert model_admin.public_page(rows[draft.pk]) == (
        f'<a href="{draft.get_absolute_url()}?preview=1">プレビュー</a>'
    )
    assert model_admin.period(rows[draft.pk]) == "—"


def test_public_page_column_copes_without_the_public_pages(staff_client, settings):
    settings.ROOT_URLCONF = __name__
    ProjectFactory(title_ja="公開中のプロジェクト")
    response = open_page(staff_client, admin_url(Project, "changelist"))
    assert "公開中のプロジェクト" in response.content.decode()
    assert admin.site._registry[Project].public_page(response.context["cl"].result_list[0]) == "—"


def test_organization_list_counts_projects_and_memberships(staff_client):
    organization = OrganizationFactory()
    for project in ProjectFactory.create_batch(3):
        ParticipationFactory(project=project, organization=organization)
    MembershipFactory(organization=organization)
    cl = open_page(staff_client, admin_url(Organization, "changelist")).context["cl"]
    row = next(row for row in cl.result_list if row.pk == organization.pk)
    assert (row.project_count, row.membership_count) == (3, 1)


@pytest.mark.parametrize(
    ("model", "make"),
    [
        pytest.param(
            Project,
            lambda: ParticipationFactory(project=ProjectFactory(leads=[OrganizationFactory()])),
            id="project",
        ),
        pytest.param(
            Organization,
            lambda: ParticipationFactory(
                organization=OrganizationFactory(parent=OrganizationFactory())
            ),
            id="organization",
        ),
        pytest.param(Theme, lambda: ProjectFactory(themes=[ThemeFactory()]), id="theme"),
        pytest.param(
            FundingSource,
            lambda: FundingSourceFactory(provider=OrganizationFactory()),
            id="fundingsource",
        ),
        pytest.param(ResearchGroup, lambda: MembershipFactory(), id="researchgroup"),
        pytest.param(Meeting, lambda: MeetingFactory(), id="meeting"),
        pytest.param(
            Outcome, lambda: OutcomeFactory(research_group=ResearchGroupFactory()), id="outcome"
        ),
        pytest.param(Facility, lambda: FacilityFactory(), id="facility"),
        pytest.param(
            Video, lambda: VideoFactory(research_group=ResearchGroupFactory()), id="video"
        ),
    ],
)
def test_lists_take_the_same_number_of_queries_with_more_rows(staff_client, model, make):
    make()
    with_one = changelist_queries(staff_client, model)
    for _ in range(5):
        make()
    assert changelist_queries(staff_client, model) == with_one
