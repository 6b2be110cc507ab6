"""The Japanese admin for projects: every page opens, lists are searchable and filterable
without N+1 queries, image uploads are checked, and every change is attributed."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import timezone
from modeltranslation.admin import TranslationAdmin
from PIL import Image
from simple_history.admin import SimpleHistoryAdmin

from core import images
from projects.models import (
    Facility,
    FundingSource,
    Meeting,
    Organization,
    Outcome,
    Project,
    ProjectImage,
    ResearchGroup,
    Theme,
    Video,
)
from tests.admin_tools import admin_url, open_page, png, resubmitted, with_new_row

from .factories import (
    ActivityRecordFactory,
    FacilityFactory,
    FundingFactory,
    FundingSourceFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    OrganizationFactory,
    OutcomeFactory,
    ParticipationFactory,
    ProjectFactory,
    ProjectImageFactory,
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


@pytest.fixture
def objects() -> dict:
    """One of each registered model, linked the way the seed's records are."""
    lab = OrganizationFactory(
        name_ja="生産技術研究所 林研究室",
        name_en="IIS Hayashi Laboratory",
        kind=Organization.Kind.UNIVERSITY,
        in_hiratsuka=False,
        parent=OrganizationFactory(name_ja="東京大学", name_en="The University of Tokyo"),
    )
    theme = ThemeFactory(name_ja="波力発電", name_en="Wave power")
    source = FundingSourceFactory(name_ja="地方創生推進交付金", name_en="Regional grant")
    project = ProjectFactory(
        title_ja="第3世代波力発電", title_en="Third-generation wave power", themes=[theme]
    )
    ParticipationFactory(project=project, organization=lab)
    FundingFactory(project=project, source=source)
    MilestoneFactory(project=project)
    ProjectImageFactory(project=project)
    group = ResearchGroupFactory()
    MembershipFactory(research_group=group, organization=lab)
    ActivityRecordFactory(research_group=group)
    FundingFactory(project=None, research_group=group, source=source)
    return {
        Organization: lab,
        Theme: theme,
        FundingSource: source,
        Project: project,
        ResearchGroup: group,
        Meeting: MeetingFactory(research_group=group, title_ja="第1回総会", title_en="AGM"),
        Outcome: OutcomeFactory(
            title_ja="水中ドローンの派生実験",
            title_en="Underwater drone spin-off",
            research_group=group,
            projects=[project],
            organizations=[lab],
        ),
        Facility: FacilityFactory(
            name_ja="平塚沖総合実験タワー", name_en="Offshore tower", themes=[theme]
        ),
        Video: VideoFactory(
            title_ja="波力発電の紹介",
            title_en="Wave power video",
            with_thumbnail=True,
            projects=[project],
            research_group=group,
        ),
    }


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
    changelist = open_page(staff_client, admin_url(model, "changelist"))
    assert str(obj) in changelist.content.decode()
    open_page(staff_client, admin_url(model, "add"))
    change = open_page(staff_client, admin_url(model, "change", obj.pk)).content.decode()
    # Japanese and English are edited side by side.
    assert "[ja]" in change and "[en]" in change
    open_page(staff_client, admin_url(model, "history", obj.pk))


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
    url = admin_url(model, "changelist")
    english = getattr(obj, "title_en", None) or obj.name_en
    for term in [str(obj), english]:
        results = open_page(staff_client, f"{url}?q={term}").context["cl"].result_list
        assert list(results) == [obj], term
    assert open_page(staff_client, f"{url}?q=該当なし").context["cl"].result_count == 0


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m.__name__)
def test_every_filter_choice_opens(staff_client, objects, model):
    url = admin_url(model, "changelist")
    cl = open_page(staff_client, url).context["cl"]
    choices = [choice["query_string"] for spec in cl.filter_specs for choice in spec.choices(cl)]
    assert len(choices) >= len(cl.filter_specs)
    for query_string in choices:
        # An unknown filter would redirect to ?e=1 instead.
        open_page(staff_client, url + query_string)


@pytest.mark.parametrize(
    ("factory", "matching", "other", "query"),
    [
        (
            ProjectFactory,
            {"status": Project.Status.COMPLETED},
            {"status": Project.Status.ACTIVE},
            "status__exact=completed",
        ),
        (ProjectFactory, {"is_published": False}, {}, "is_published__exact=0"),
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
    draft = ProjectFactory(is_published=False, start_fiscal_year=None, end_fiscal_year=None)
    response = open_page(staff_client, admin_url(Project, "changelist"))
    page = response.content.decode()
    assert "令和2年度（2020年度）〜令和5年度（2023年度）" in page
    assert "平塚市" in page
    assert f'<a href="{published.get_absolute_url()}">' in page
    rows = {row.pk: row for row in response.context["cl"].result_list}
    model_admin = admin.site._registry[Project]
    assert model_admin.public_page(rows[draft.pk]) == "—"
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
    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            open_page(staff_client, admin_url(model, "changelist"))
        return len(context.captured_queries)

    make()
    with_one = queries()
    for _ in range(5):
        make()
    assert queries() == with_one


# --- Project images ----------------------------------------------------------------------------


def form_with_new_image(staff_client, project, upload) -> tuple[str, dict]:
    url = admin_url(Project, "change", project.pk)
    row = {
        "image": upload,
        "alt_text_ja": "陸上試験中の発電機",
        "alt_text_en": "The generator during the land test",
        "position": "1",
    }
    return url, with_new_row(open_page(staff_client, url), ProjectImage, row)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("photo.png", b"not a picture\n" * 50, "image/png"),
            "画像として読み込めないファイルです。JPEG、PNG、WebPの画像を選んでください。",
        ),
        (
            # 48 million pixels in a 1-bit PNG of a few kilobytes.
            lambda: SimpleUploadedFile("huge.png", png(8000, 6000, mode="1"), "image/png"),
            "画像が大きすぎます（8000×6000ピクセル）。4,000万ピクセル以下にしてください。",
        ),
    ],
    ids=["fake", "too-many-pixels"],
)
def test_a_bad_image_is_refused_with_a_japanese_message(
    staff_client, stored_files, upload, message
):
    project = ProjectFactory()
    url, data = form_with_new_image(staff_client, project, upload())
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProjectImage.objects.exists()
    assert stored_files() == []


def test_a_too_large_image_file_is_refused(staff_client, stored_files, monkeypatch):
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", 200)
    project = ProjectFactory()
    data = png(1200, 900)
    assert len(data) > 200
    url, data = form_with_new_image(
        staff_client, project, SimpleUploadedFile("photo.png", data, "image/png")
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "画像のファイルサイズは" in page and "以下にしてください（この画像は" in page
    assert not ProjectImage.objects.exists()
    assert stored_files() == []


def test_a_good_image_is_stored_and_previewed(staff_client, media_root, stored_files):
    project = ProjectFactory()
    upload = SimpleUploadedFile("generator.png", png(1200, 900), "image/png")
    url, data = form_with_new_image(staff_client, project, upload)
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    # Stored once: one record, one file.
    assert ProjectImage.objects.count() == 1
    assert stored_files() == [media_root / ProjectImage.objects.get().image.name]
    image = ProjectImage.objects.get(project=project)
    assert image.alt_text_ja == "陸上試験中の発電機"
    assert (media_root / image.image.name).is_file()

    page = open_page(staff_client, url).content.decode()
    assert '<img src="/media/renditions/generator' in page
    assert 'alt="陸上試験中の発電機"' in page
    with Image.open(next((media_root / "renditions").iterdir())) as thumbnail:
        assert thumbnail.format == "WEBP" and thumbnail.width == 480


# --- The audit trail ---------------------------------------------------------------------------


def test_saving_a_project_records_who_changed_what(staff_client, objects):
    project = objects[Project]
    url = admin_url(Project, "change", project.pk)
    data = resubmitted(open_page(staff_client, url))
    data["title_ja"] = "第3世代波力発電（陸上試験）"
    projects, records = Project.objects.count(), project.history.count()
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    # The project was changed, not copied, and the change recorded once.
    assert Project.objects.count() == projects
    assert project.history.count() == records + 1

    project.refresh_from_db()
    assert project.title_ja == "第3世代波力発電（陸上試験）"
    record = project.history.latest()
    assert record.history_user == staff_client.user
    assert record.title_ja == "第3世代波力発電（陸上試験）"
    # The inlines came back unchanged: nothing was added or dropped.
    assert project.participations.count() == 1 and project.images.count() == 1
    history = open_page(staff_client, admin_url(Project, "history", project.pk)).content.decode()
    assert "sangyo" in history
