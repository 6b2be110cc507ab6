"""The kit's admin helpers, as staff meet them in any app's admin: the fiscal-year filter,
read-only lists, image previews and periods."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.admin_helpers import (
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    fiscal_year_filter,
    formatted_column,
    period_label,
    thumbnail,
)
from core.japanese import date_label, fiscal_year_label, format_yen
from projects.models import Milestone, Project, Video
from tests.projects.factories import MilestoneFactory, ProjectFactory, VideoFactory

# Any model with a fiscal year serves; a project's start year may also be empty.
FILTER_FIELD = "start_fiscal_year"


class ProjectYearAdmin(admin.ModelAdmin):
    list_filter = [fiscal_year_filter(FILTER_FIELD, "開始年度")]
    list_display = ["title", "start_display"]
    start_display = formatted_column(FILTER_FIELD, "開始年度", fiscal_year_label)


class MilestoneRecordInline(ReadOnlyInline):
    model = Milestone


class ReadOnlyProjectAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


def changelist(rf, user, **params):
    request = rf.get("/admin/projects/project/", params)
    request.user = user
    return ProjectYearAdmin(Project, admin.site).get_changelist_instance(request)


# --- fiscal_year_filter ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_filter_lists_the_years_present_newest_first_in_wareki(rf, admin_user):
    for year in [2019, 2023, 2023, None]:
        ProjectFactory(start_fiscal_year=year)

    [spec] = changelist(rf, admin_user).filter_specs

    assert spec.title == "開始年度"
    assert list(spec.lookup_choices) == [
        ("2023", "令和5年度（2023年度）"),
        ("2019", "令和元年度（2019年度）"),
    ]


@pytest.mark.django_db
def test_the_filter_lists_english_labels_in_english(rf, admin_user):
    ProjectFactory(start_fiscal_year=2023)
    with translation.override("en"):
        [spec] = changelist(rf, admin_user).filter_specs
    assert list(spec.lookup_choices) == [("2023", "FY2023")]


@pytest.mark.django_db
def test_choosing_a_year_shows_that_years_rows_only(rf, admin_user):
    wanted = ProjectFactory(start_fiscal_year=2023)
    ProjectFactory(start_fiscal_year=2019)
    ProjectFactory(start_fiscal_year=None)

    assert list(changelist(rf, admin_user, **{FILTER_FIELD: "2023"}).result_list) == [wanted]
    assert changelist(rf, admin_user).result_count == 3


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "2023年", "-1", "２０２３", "²", ""])
def test_a_value_that_is_not_a_year_finds_nothing_instead_of_failing(rf, admin_user, value):
    ProjectFactory(start_fiscal_year=2023)
    assert changelist(rf, admin_user, **{FILTER_FIELD: value}).result_count == 0


# --- formatted_column --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_formatted_column_reads_as_staff_expect_and_sorts_by_its_field(rf, admin_user):
    ProjectFactory(start_fiscal_year=2019)
    ProjectFactory(start_fiscal_year=2023)
    model_admin = ProjectYearAdmin(Project, admin.site)

    def column_sorted(order: str) -> list[str]:
        rows = changelist(rf, admin_user, o=order).result_list
        return [model_admin.start_display(project) for project in rows]

    assert label_for_field("start_display", Project, model_admin) == "開始年度"
    # "1" is the column's place in list_display; "-1" sorts it newest first.
    assert column_sorted("-1") == ["令和5年度（2023年度）", "令和元年度（2019年度）"]
    assert column_sorted("1") == ["令和元年度（2019年度）", "令和5年度（2023年度）"]
    assert model_admin.start_display(Project(start_fiscal_year=None)) == "—"


def test_a_formatted_column_writes_yen_and_dates_too():
    class Row:
        amount = 24_000_000
        signed_on = dt.date(2024, 3, 25)

    with translation.override("ja"):
        assert formatted_column("amount", "金額", format_yen)(None, Row()) == "24,000,000円"
        assert (
            formatted_column("signed_on", "締結日", date_label)(None, Row())
            == "令和6年3月25日（2024年3月25日）"
        )


# --- Read-only lists ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_read_only_inline_shows_rows_but_offers_no_add_change_or_delete(rf, admin_user):
    project = ProjectFactory()
    MilestoneFactory(project=project)
    request = rf.get("/")
    request.user = admin_user
    inline = MilestoneRecordInline(Project, admin.site)

    # Even a superuser sees the rows and nothing else.
    assert inline.has_view_permission(request, project)
    assert not inline.has_add_permission(request, project)
    assert not inline.has_change_permission(request, project)
    assert not inline.has_delete_permission(request, project)
    formset = inline.get_formset(request, project)(instance=project)
    assert len(formset.forms) == 1  # the stored row, no empty one to fill in
    assert not formset.can_delete


@pytest.mark.django_db
def test_a_read_only_model_admin_refuses_add_change_and_delete(rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    model_admin = ReadOnlyProjectAdmin(Project, admin.site)

    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


# --- thumbnail -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stored_image_is_previewed_as_a_small_rendition_with_its_alt_text():
    video = VideoFactory(with_thumbnail=True)
    html = thumbnail(video.thumbnail, "発電機の <試験>")
    assert html.startswith('<img src="/media/renditions/')
    assert 'alt="発電機の &lt;試験&gt;"' in html
    assert 'width="160"' in html


def test_no_image_or_one_not_yet_stored_shows_a_dash():
    assert thumbnail(Video().thumbnail, "代替テキスト") == "—"
    upload = SimpleUploadedFile("refused.png", b"not really a png", "image/png")
    assert thumbnail(Video(thumbnail=upload).thumbnail, "代替テキスト") == "—"


# --- period_label ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (2020, 2023, "令和2年度（2020年度）〜令和5年度（2023年度）"),
        (2020, None, "令和2年度（2020年度）〜"),
        (None, 2023, "〜令和5年度（2023年度）"),
        (None, None, "—"),
    ],
)
def test_a_period_of_fiscal_years(start, end, label):
    with translation.override("ja"):
        assert period_label(start, end) == label


def test_a_period_of_fiscal_years_in_english():
    with translation.override("en"):
        assert period_label(2020, 2023) == "FY2020〜FY2023"


def test_a_period_of_dates_with_an_open_end():
    with translation.override("ja"):
        assert (
            period_label(dt.date(2024, 4, 1), None, label=date_label, open_end="期限なし")
            == "令和6年4月1日（2024年4月1日）〜期限なし"
        )
        assert (
            period_label(dt.date(2019, 3, 19), dt.date(2024, 3, 31), label=date_label)
            == "平成31年3月19日（2019年3月19日）〜令和6年3月31日（2024年3月31日）"
        )
