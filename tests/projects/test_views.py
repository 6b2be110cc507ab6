"""The projects app's public pages, as citizens see them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.activity import yearly_activity
from projects.models import Project
from tests.page_tools import html

from .factories import (
    ActivityRecordFactory,
    FundingFactory,
    MeetingFactory,
    MembershipFactory,
    MilestoneFactory,
    OutcomeFactory,
    ParticipationFactory,
    ProjectFactory,
    ResearchGroupFactory,
    ThemeFactory,
    VideoFactory,
)

pytestmark = pytest.mark.django_db


# --- The seed documents' facts on the pages ------------------------------------------------


def test_project_list_shows_every_seed_project_and_facility(client, seeded):
    page = html(client, "/projects/")
    for title in [
        "第3世代波力発電",
        "平塚波力発電所（第2世代）",
        "波力船",
        "水中カメラロボット",
        "AUV",
        "磯焼け対策と人工魚礁",
        "電池推進船",
        "ブルーカーボン",
    ]:
        assert title in page, title
    for facility in ["平塚沖総合実験タワー", "平塚新港", "平塚総合海洋実験場", "平塚波力発電所"]:
        assert facility in page, facility
    assert "流砂対策" in page and "海中観測工学" in page
    assert "東京大学生産技術研究所 林研究室" in page


def test_third_generation_wave_power_page(client, seeded):
    page = html(client, "/projects/wave-power-3rd-generation/")
    assert "<h1>第3世代波力発電</h1>" in page
    assert "東京大学生産技術研究所 林研究室" in page
    assert "企業版ふるさと納税" in page
    assert "令和3年度（2021年度）" in page
    assert "新型発電機の陸上試験" in page
    assert "平塚波力発電所（第2世代）" in page
    assert "波力発電の研究開発・人材育成拠点化" in page
    # Videos are a thumbnail and a link, never an embedded third-party player.
    assert "<iframe" not in page
    assert 'class="timeline"' in page


def test_wave_power_plant_page_shows_the_ministry_adoption(client, seeded):
    page = html(client, "/projects/hiratsuka-wave-power-plant/")
    assert "CO2排出削減対策強化誘導型技術開発・実証事業" in page
    assert "平成30年度（2018年度）" in page
    assert "予定" in page  # the plant works planned for H31


def test_research_group_page_has_members_meetings_activity_and_outcomes(client, seeded):
    page = html(client, "/research-group/")
    assert "<h1>平塚海洋エネルギー研究会</h1>" in page
    assert "平成28年6月（2016年6月）" in page
    categories = ["行政", "大学", "市内企業", "市内団体", "市外企業"]
    positions = [page.index(f">{category}</h3>") for category in categories]
    assert positions == sorted(positions), "member categories in the slide deck's order"
    for member in [
        "横浜ゴム",
        "渋谷潜水工業",
        "平塚市漁業協同組合",
        "サンユウシビルエンジニアリング",
    ]:
        assert member in page
    assert "平成30年2月23日（2018年2月23日） 13:30" in page
    assert "平塚市役所304会議室" in page
    assert "ゴムラダーの水槽実験" in page
    assert "平成29年12月12日（2017年12月12日） 13:00" in page
    assert "中部電力（名古屋市）" in page
    # The yearly figures as recorded, with their notes.
    assert "平成28年度（2016年度）" in page and "240人" in page and "視察含む" in page
    assert "165人" in page and "第2部会" in page
    assert "26人+α＋48人+56人" in page
    assert "IoTサービス創出促進事業" in page
    assert "特許申請" in page and "新規取引" in page


def test_pages_in_english(client, seeded):
    page = html(client, "/en/projects/")
    assert '<html lang="en">' in page
    assert "R&amp;D projects" in page
    page = html(client, "/en/research-group/")
    assert "Hiratsuka Ocean Energy Study Group" in page
    assert "June 2016" in page
    assert "FY2016" in page
    page = html(client, "/en/projects/wave-power-3rd-generation/")
    assert "FY2021" in page


def test_home_page_features_the_current_projects(client, seeded):
    page = html(client, "/")
    assert "注目の研究開発プロジェクト" in page
    assert 'href="/projects/wave-power-3rd-generation/"' in page


def test_main_menu_now_offers_projects_and_the_research_group(client, seeded):
    page = html(client, "/projects/")
    assert '<a href="/projects/" aria-current="page">研究開発プロジェクト</a>' in page
    assert '<a href="/research-group/">平塚海洋エネルギー研究会</a>' in page


# --- Filters ---------------------------------------------------------------------------------


@pytest.fixture
def filterable(db):
    robots = ThemeFactory(slug="robots", name_ja="ロボット")
    energy = ThemeFactory(slug="energy", name_ja="エネルギー")
    ProjectFactory(title_ja="実施中のロボット", status=Project.Status.ACTIVE, themes=[robots])
    ProjectFactory(title_ja="終了した発電", status=Project.Status.COMPLETED, themes=[energy])
    ProjectFactory(title_ja="下書きのロボット", themes=[robots], published_at=None)
    return robots, energy


def test_status_filter(client, filterable):
    page = html(client, "/projects/?status=completed")
    assert "終了した発電" in page and "実施中のロボット" not in page
    assert "1件のプロジェクト" in page


def test_theme_filter_combined_with_status(client, filterable):
    page = html(client, "/projects/?theme=robots&status=active")
    assert "実施中のロボット" in page and "終了した発電" not in page
    page = html(client, "/projects/?theme=robots&status=completed")
    assert "条件に合うプロジェクトはありません。" in page


def test_drafts_never_appear(client, filterable):
    assert "下書きのロボット" not in html(client, "/projects/?theme=robots")
    draft = Project.objects.get(title_ja="下書きのロボット")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_bad_filter_values_show_everything_with_a_message(client, filterable):
    page = html(client, "/projects/?status=bogus&theme=<script>")
    assert "指定された条件が正しくないため" in page
    assert "実施中のロボット" in page and "終了した発電" in page
    assert "<script>" not in page


def test_unknown_project_is_404(client, db):
    assert client.get("/projects/no-such-project/").status_code == 404


def test_research_group_page_is_404_before_any_group_is_published(client, db):
    assert client.get("/research-group/").status_code == 404


# --- Yearly activity: recorded where recorded, derived from meetings otherwise -----------------


def test_yearly_activity_is_derived_from_meetings_where_nothing_is_recorded(client, db):
    group = ResearchGroupFactory()
    ActivityRecordFactory(
        research_group=group, fiscal_year=2016, meetings_count=5, participants_count=240
    )
    # A meeting in FY2016 does not override the city's recorded total for that year.
    MeetingFactory(research_group=group, starts_at=datetime(2016, 9, 1, 1, tzinfo=UTC))
    # FY2025: April 2025 to March 2026, in Tokyo time.
    MeetingFactory(
        research_group=group, starts_at=datetime(2025, 4, 1, 0, 30, tzinfo=UTC), participants=30
    )
    MeetingFactory(
        research_group=group, starts_at=datetime(2026, 3, 31, 14, 0, tzinfo=UTC), participants=12
    )
    # 2026-03-31 15:30 UTC is already 1 April in Tokyo: FY2026, participants unknown.
    MeetingFactory(
        research_group=group, starts_at=datetime(2026, 3, 31, 15, 30, tzinfo=UTC), participants=None
    )
    page = html(client, "/research-group/")
    rows = page.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert "平成28年度" in rows[0] and "5回" in rows[0] and "240人" in rows[0]
    assert "市の記録" in rows[0]
    assert "令和7年度" in rows[1] and "2回" in rows[1] and "42人" in rows[1]
    assert "会議の記録から集計" in rows[1]
    assert "令和8年度" in rows[2] and "1回" in rows[2] and "不明" in rows[2]


def test_the_page_counts_the_years_it_lists_as_the_database_does(db):
    # The page counts its meetings per fiscal year from the list it shows already; other
    # callers ask SQL. Both read the year of the Tokyo start, on either side of 1 April.
    group = ResearchGroupFactory()
    for starts_at, participants in [
        (datetime(2025, 3, 31, 14, 59, tzinfo=UTC), 8),  # 23:59 on 31 March in Tokyo: FY2024
        (datetime(2025, 3, 31, 15, 0, tzinfo=UTC), 30),  # 00:00 on 1 April in Tokyo: FY2025
        (datetime(2025, 10, 1, 1, tzinfo=UTC), 12),
        (datetime(2026, 6, 1, 1, tzinfo=UTC), None),
        (datetime(2026, 7, 1, 1, tzinfo=UTC), 5),
    ]:
        MeetingFactory(research_group=group, starts_at=starts_at, participants=participants)
    MeetingFactory(research_group=group, participants=99, published_at=None)
    shown = list(group.meetings.public())

    from_list = yearly_activity(group, meetings=shown)

    assert from_list == yearly_activity(group)
    assert [(y.fiscal_year, y.meetings, y.participants) for y in from_list] == [
        (2024, 1, 8),
        (2025, 2, 42),
        (2026, 2, None),
    ]


def test_meetings_are_split_into_upcoming_and_past(client, db):
    group = ResearchGroupFactory()
    now = timezone.now()
    MeetingFactory(
        research_group=group, title_ja="来月の総会", starts_at=now.replace(year=now.year + 1)
    )
    MeetingFactory(
        research_group=group, title_ja="昨年の視察", starts_at=now.replace(year=now.year - 1)
    )
    page = html(client, "/research-group/")
    upcoming, past = page.split("今後の予定")[1].split("これまでの会議・活動")
    assert "来月の総会" in upcoming and "昨年の視察" not in upcoming
    assert "昨年の視察" in past


# --- Query counts do not grow with the data ---------------------------------------------------


def make_projects(count: int) -> list[Project]:
    themes = ThemeFactory.create_batch(3)
    projects = ProjectFactory.create_batch(count, themes=themes, is_featured=True)
    for project in projects:
        ParticipationFactory.create_batch(2, project=project)
        FundingFactory(project=project)
        MilestoneFactory.create_batch(2, project=project)
        OutcomeFactory(projects=[project])
        VideoFactory(projects=[project])
    return projects


@pytest.mark.slow
@pytest.mark.parametrize(
    "url_of",
    [lambda project: "/projects/", lambda project: project.get_absolute_url(), lambda project: "/"],
    ids=["list", "detail", "home"],
)
def test_pages_take_the_same_number_of_queries_with_5_and_100_projects(client, url_of):
    def queries() -> int:
        project = Project.objects.order_by("pk").first()
        with CaptureQueriesContext(connection) as context:
            assert client.get(url_of(project)).status_code == 200
        return len(context.captured_queries)

    make_projects(5)
    with_five = queries()
    make_projects(95)
    assert queries() == with_five


@pytest.mark.slow
def test_research_group_page_queries_do_not_grow_with_members_and_meetings(client, db):
    group = ResearchGroupFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/research-group/").status_code == 200
        return len(context.captured_queries)

    def add(count: int) -> None:
        MembershipFactory.create_batch(count, research_group=group)
        MeetingFactory.create_batch(count, research_group=group)
        OutcomeFactory.create_batch(count, research_group=group)
        VideoFactory.create_batch(count, research_group=group)
        FundingFactory.create_batch(count, project=None, research_group=group)

    add(5)
    with_five = queries()
    add(95)
    assert queries() == with_five
