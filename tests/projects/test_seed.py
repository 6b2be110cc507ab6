"""fixtures/projects.json: every project-side fact of the two seed documents, loaded by
`manage.py load_seed`, valid by the models' own rules and translated into English."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from modeltranslation.translator import translator

from projects.models import (
    ActivityRecord,
    Facility,
    Funding,
    FundingSource,
    Meeting,
    Membership,
    Milestone,
    Organization,
    Outcome,
    Participation,
    Project,
    ProjectImage,
    ResearchGroup,
    Theme,
    Video,
)
from tests.conftest import load_seed

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "projects.json"
TOKYO = ZoneInfo("Asia/Tokyo")
# Kana, kanji, CJK punctuation and full-width forms: none of them belong in an English field.
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

PROJECT_MODELS = [
    Organization,
    Theme,
    FundingSource,
    Project,
    Participation,
    Funding,
    Milestone,
    ProjectImage,
    Video,
    ResearchGroup,
    Membership,
    Meeting,
    ActivityRecord,
    Outcome,
    Facility,
]


def fixture_items() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def counts() -> dict[str, int]:
    # Videos of donor interviews come from the donations fixture, not from this one.
    return {
        model.__name__: (
            model.objects.filter(donor_interviews__isnull=True) if model is Video else model.objects
        ).count()
        for model in PROJECT_MODELS
    }


@pytest.fixture
def seed() -> str:
    return load_seed()


def group() -> ResearchGroup:
    return ResearchGroup.objects.get(slug="hiratsuka-ocean-energy")


def org(name: str) -> Organization:
    return Organization.objects.get(name_ja=name)


# --- Loading -----------------------------------------------------------------------------------


def test_loading_twice_adds_nothing_the_second_time():
    total = len(fixture_items())
    first = load_seed()
    after_first = counts()
    second = load_seed()
    assert counts() == after_first
    assert f"projects.json: {total} inserted, 0 already present" in first
    assert f"projects.json: 0 inserted, {total} already present" in second


def test_record_counts(seed):
    assert counts() == {
        "Organization": 29,
        "Theme": 6,
        "FundingSource": 7,
        "Project": 8,
        "Participation": 9,
        "Funding": 7,
        "Milestone": 5,
        "ProjectImage": 0,
        "Video": 2,
        "ResearchGroup": 1,
        "Membership": 22,
        "Meeting": 2,
        "ActivityRecord": 3,
        "Outcome": 8,
        "Facility": 4,
    }


def test_every_fixture_object_passes_model_validation(seed):
    items = fixture_items()
    assert items
    for item in items:
        model = apps.get_model(item["model"])
        obj = model._default_manager.get(pk=item["pk"])
        obj.full_clean()


def test_fixture_gives_base_japanese_and_english_for_every_translated_field():
    for item in fixture_items():
        model = apps.get_model(item["model"])
        fields = item["fields"]
        for name in translator.get_options_for_model(model).get_field_names():
            label = f"{item['model']} {item['pk']} {name}"
            assert {name, f"{name}_ja", f"{name}_en"} <= fields.keys(), label
            assert fields[name] == fields[f"{name}_ja"], label


def test_english_is_filled_wherever_japanese_is_and_contains_no_japanese(seed):
    checked = 0
    for model in PROJECT_MODELS:
        names = translator.get_options_for_model(model).get_field_names()
        for obj in model.objects.all():
            for name in names:
                ja = getattr(obj, f"{name}_ja") or ""
                en = getattr(obj, f"{name}_en") or ""
                label = f"{model.__name__} {obj.pk} {name}"
                if ja:
                    assert en, f"{label}: English missing"
                    checked += 1
                assert not JAPANESE.search(en), f"{label}: {en!r}"
    assert checked > 100


def test_everything_is_published(seed):
    for model in (Project, ResearchGroup, Facility):
        assert model.objects.count() == model.objects.public().count() > 0


# --- Organisations, themes, funding sources ----------------------------------------------------


def test_city_and_university(seed):
    city = org("平塚市")
    assert city.name_en == "Hiratsuka City"
    assert city.kind == Organization.Kind.MUNICIPALITY and city.in_hiratsuka

    iis = org("東京大学生産技術研究所")
    assert iis.kind == Organization.Kind.UNIVERSITY
    assert iis.name_en == "Institute of Industrial Science, The University of Tokyo (IIS)"
    hayashi = org("東京大学生産技術研究所 林研究室")
    assert hayashi.parent == iis
    assert hayashi.name_en == "Hayashi Laboratory, IIS"
    assert org("東京大学 北澤研究室").name_en == "Kitazawa Laboratory, The University of Tokyo"
    assert org("東京大学 巻研究室").name_en == "Maki Laboratory, The University of Tokyo"


LOCAL_COMPANIES = ["横浜ゴム", "渋谷潜水工業", "山川機械製作所", "古河電工", "荏原環境プラント"]
LOCAL_ASSOCIATIONS = ["平塚商工会議所", "平塚市漁業協同組合", "平塚市電設業組合"]
OUTSIDE_COMPANIES = [
    "川崎重工",
    "東京久栄",
    "吉田組",
    "東洋電機製造",
    "電源開発",
    "九電工",
    "中部電力",
    "若築建設",
    "川田工業",
    "中国塗料",
    "サンユウシビルエンジニアリング",
    "関西設計",
]


def test_companies_and_associations_in_and_outside_hiratsuka(seed):
    for name in LOCAL_COMPANIES:
        assert (org(name).kind, org(name).in_hiratsuka) == ("company", True), name
    for name in LOCAL_ASSOCIATIONS:
        assert (org(name).kind, org(name).in_hiratsuka) == ("association", True), name
    for name in OUTSIDE_COMPANIES:
        assert (org(name).kind, org(name).in_hiratsuka) == ("company", False), name


def test_no_invented_corporate_numbers_or_websites(seed):
    assert not Organization.objects.exclude(corporate_number="").exists()
    assert not Organization.objects.exclude(website="").exists()


def test_national_bodies_provide_the_grants(seed):
    for name in ("環境省", "総務省", "内閣府"):
        assert org(name).kind == Organization.Kind.NATIONAL
    sources = {
        s.name_ja: (s.kind, s.provider and s.provider.name_ja) for s in FundingSource.objects.all()
    }
    assert sources["NEDO"][0] == FundingSource.Kind.RESEARCH_AGENCY
    assert "NEDO" in sources["NEDO"][1]
    assert sources["地方創生加速化交付金"] == ("national_grant", "内閣府")
    assert sources["地方創生推進交付金"] == ("national_grant", "内閣府")
    assert sources["企業共同研究費"] == ("joint_research", None)
    assert sources["環境省 CO2排出削減対策強化誘導型技術開発・実証事業"] == ("commission", "環境省")
    assert sources["地方大学・地域産業創生交付金"][0] == "national_grant"
    assert sources["企業版ふるさと納税"] == ("corporate_donation", None)


def test_themes(seed):
    assert list(Theme.objects.values_list("name_ja", flat=True)) == [
        "波力発電",
        "海洋ロボット",
        "船舶",
        "海洋環境",
        "流砂対策",
        "海中観測工学",
    ]


# --- Projects ----------------------------------------------------------------------------------


def test_projects_in_order_with_status_and_themes(seed):
    rows = [
        (p.slug, p.title_ja, p.status, [t.name_ja for t in p.themes.all()])
        for p in Project.objects.prefetch_related("themes")
    ]
    assert rows == [
        ("wave-power-3rd-generation", "第3世代波力発電", "active", ["波力発電"]),
        ("hiratsuka-wave-power-plant", "平塚波力発電所（第2世代）", "completed", ["波力発電"]),
        ("wave-powered-boat", "波力船", "derived_experiment", ["船舶"]),
        ("underwater-camera-robot", "水中カメラロボット", "derived_experiment", ["海洋ロボット"]),
        ("auv", "AUV（自律型海中ロボット）", "derived_experiment", ["海洋ロボット"]),
        ("isoyake-artificial-reef", "磯焼け対策と人工魚礁", "candidate", ["海洋環境"]),
        ("battery-powered-ship", "電池推進船", "active", ["船舶"]),
        ("blue-carbon", "ブルーカーボン", "active", ["海洋環境"]),
    ]
    assert list(Project.objects.featured().values_list("slug", flat=True)) == [
        "wave-power-3rd-generation"
    ]
    # The seed raises donations for one project only: 「第3世代波力発電を平塚海域に設置するため、
    # 企業版ふるさと納税等の寄附を募集しています」.
    assert list(Project.objects.open_for_support().values_list("slug", flat=True)) == [
        "wave-power-3rd-generation"
    ]
    # The seeds give no project's start or end year.
    assert not Project.objects.filter(start_fiscal_year__isnull=False).exists()
    assert not Project.objects.filter(end_fiscal_year__isnull=False).exists()


def participations(slug: str) -> list[tuple[str, str, str]]:
    return [
        (p.organization.name_ja, p.role, p.role_note_ja)
        for p in Participation.objects.filter(project__slug=slug).select_related("organization")
    ]


def test_third_generation_wave_power(seed):
    project = Project.objects.get(slug="wave-power-3rd-generation")
    assert "平塚波力発電所（第2世代）" in project.summary_ja
    assert "低コスト化" in project.summary_ja
    assert "平塚海域に設置" in project.description_ja
    assert "知的対流推進事業" in project.description_ja
    assert participations(project.slug) == [
        ("東京大学生産技術研究所 林研究室", "lead", "共同研究会に参加している企業とともに研究開発"),
        ("平塚市", "support", "企業版ふるさと納税を活用した支援"),
    ]
    funding = project.fundings.get()
    assert (funding.source.name_ja, funding.start_fiscal_year, funding.end_fiscal_year) == (
        "企業版ふるさと納税",
        2021,
        None,
    )
    milestones = {m.title_ja: m for m in project.milestones.all()}
    land_test = milestones["新型発電機の陸上試験"]
    assert land_test.occurred_on is None and land_test.fiscal_year is None
    continued = milestones["知的対流推進事業の中で継続"]
    assert continued.fiscal_year == 2024
    award = milestones["内閣府の大臣表彰を受賞"]
    assert award.occurred_on == dt.date(2024, 2, 13)
    assert [v.title_ja for v in project.videos.all()] == [
        "波力発電の研究開発・人材育成拠点化",
        "平塚海洋エネルギー研究会と平塚波力発電所の記録",
    ]


def test_wave_power_plant(seed):
    project = Project.objects.get(slug="hiratsuka-wave-power-plant")
    assert participations(project.slug) == [
        ("東京大学生産技術研究所 林研究室", "lead", "波力発電の実証事業"),
        ("平塚市", "support", "漁港使用許可、波力発電のPR"),
    ]
    fundings = {f.source.name_ja: f for f in project.fundings.select_related("source")}
    moe = fundings["環境省 CO2排出削減対策強化誘導型技術開発・実証事業"]
    assert moe.start_fiscal_year == 2018
    assert "二次公募" in moe.note_ja
    # NEDO issued no call for the wave power proposal: it never funded the plant.
    assert "NEDO" not in fundings
    milestones = [(m.fiscal_year, m.title_ja, m.is_planned) for m in project.milestones.all()]
    assert milestones == [
        (2018, "環境省の事業に採択", False),
        (2019, "平塚波力発電所の工事", True),
    ]


def test_derived_projects_and_their_organisations(seed):
    assert participations("wave-powered-boat") == [
        ("東京大学 北澤研究室", "lead", ""),
        ("平塚市", "support", "実験協力（レーダー波、波力船等）"),
    ]
    assert participations("underwater-camera-robot") == [
        ("渋谷潜水工業", "lead", ""),
        ("東京大学 北澤研究室", "lead", ""),
    ]
    assert participations("auv") == [("東京大学 巻研究室", "lead", "")]
    # The seed names no company for the isoyake proposal: none is invented.
    assert participations("isoyake-artificial-reef") == []
    for slug in ("battery-powered-ship", "blue-carbon"):
        project = Project.objects.get(slug=slug)
        assert participations(slug) == []
        assert [f.source.name_ja for f in project.fundings.all()] == ["企業版ふるさと納税"]
        assert "電池推進船、ブルーカーボン" in project.description_ja


# --- The research group ------------------------------------------------------------------------


def test_research_group(seed):
    rg = group()
    assert rg.name_ja == "平塚海洋エネルギー研究会"
    assert rg.name_en == "Hiratsuka Ocean Energy Study Group"
    assert (rg.founded_on.year, rg.founded_on.month) == (2016, 6)
    for activity in ("波力発電の設計", "関連分野での新産業創出案の検討", "知の集積", "社会人育成"):
        assert f"- {activity}\n" in rg.activities_ja + "\n"
    for duty in ("仕事のタネの研究・公開", "社会人育成", "情報発信", "市内企業の紹介"):
        assert duty in rg.purpose_ja
    assert "主な会員" in rg.members_note_ja


def test_memberships_by_category_in_the_slides_order(seed):
    # The slide lists 1 + 1 + 5 + 3 + 12 = 22 organisations (the company lists end with 等).
    memberships = Membership.objects.filter(research_group=group()).select_related("organization")
    grouped: list[tuple[str, list[str]]] = []
    for m in memberships:
        if not grouped or grouped[-1][0] != m.category:
            grouped.append((m.category, []))
        grouped[-1][1].append(m.organization.name_ja)
    assert grouped == [
        ("government", ["平塚市"]),
        ("university", ["東京大学生産技術研究所 林研究室"]),
        ("local_company", LOCAL_COMPANIES),
        ("local_association", LOCAL_ASSOCIATIONS),
        ("outside_company", OUTSIDE_COMPANIES),
    ]
    assert len(memberships) == 22
    city = memberships.get(organization__name_ja="平塚市")
    assert (city.note_ja, city.note_en) == ("産業振興課", "Industrial Promotion Division")


def test_meetings_at_their_tokyo_times(seed):
    general = Meeting.objects.get(research_group=group(), kind=Meeting.Kind.GENERAL)
    assert general.title_ja == "総会"
    assert general.starts_at.astimezone(TOKYO) == dt.datetime(2018, 2, 23, 13, 30, tzinfo=TOKYO)
    assert general.place_ja == "平塚市役所304会議室"
    assert general.place_en == "Room 304, Hiratsuka City Hall"
    assert general.participants is None

    experiment = Meeting.objects.get(research_group=group(), kind=Meeting.Kind.EXPERIMENT)
    assert experiment.title_ja == "ゴムラダーの水槽実験"
    assert experiment.starts_at.astimezone(TOKYO) == dt.datetime(2017, 12, 12, 13, 0, tzinfo=TOKYO)
    assert experiment.place_ja == "中部電力（名古屋市）"
    assert experiment.participants is None


def test_yearly_activity_as_the_slide_records_it(seed):
    rows = [
        (
            r.fiscal_year,
            r.meetings_count,
            r.meetings_note_ja,
            r.participants_count,
            r.participants_text_ja,
            r.participants_note_ja,
        )
        for r in group().activity_records.all()
    ]
    assert rows == [
        (2016, 5, "視察含む", 240, "", ""),
        (2017, 9, "第1,2部会", 165, "", "第2部会"),
        (2018, 4, "第1,2部会", None, "26人+α＋48人+56人", ""),
    ]
    fy2018 = group().activity_records.get(fiscal_year=2018)
    assert fy2018.participants_text_en == "26 + α + 48 + 56 people"


def test_group_funding_in_the_middle_phase(seed):
    rows = [
        (f.source.name_ja, f.start_fiscal_year, f.end_fiscal_year)
        for f in group().fundings.select_related("source")
    ]
    assert rows == [
        ("地方創生加速化交付金", 2016, 2018),
        ("地方創生推進交付金", 2016, 2018),
        ("企業共同研究費", 2016, 2018),
    ]
    promotion = group().fundings.get(source__name_ja="地方創生推進交付金")
    assert "平成30年度で終了" in promotion.note_ja


def test_outcomes(seed):
    rows = [
        (
            o.kind,
            o.title_ja,
            sorted(p.slug for p in o.projects.all()),
            [org.name_ja for org in o.organizations.order_by("pk")],
            o.organizations_text_ja,
        )
        for o in Outcome.objects.filter(research_group=group())
    ]
    assert rows == [
        ("experiment", "波力船", ["wave-powered-boat"], ["東京大学 北澤研究室"], ""),
        ("experiment", "AUV", ["auv"], ["東京大学 巻研究室"], ""),
        (
            "experiment",
            "水中カメラロボット",
            ["underwater-camera-robot"],
            ["東京大学 北澤研究室", "渋谷潜水工業"],
            "",
        ),
        ("proposal", "総務省 IoTサービス創出促進事業", [], ["総務省"], ""),
        ("proposal", "磯焼け対策と人工魚礁", ["isoyake-artificial-reef"], [], "市内企業"),
        ("patent", "特許申請", [], [], "市内企業／東京大学"),
        ("new_trade", "新規取引", [], [], "市内企業／市外企業"),
        (
            "adoption",
            "環境省「平成30年度CO2排出削減対策強化誘導型技術開発・実証事業（二次公募）」に採択",
            ["hiratsuka-wave-power-plant"],
            ["東京大学生産技術研究所"],
            "",
        ),
    ]
    for kind in ("patent", "new_trade"):
        assert "派生ビジネス" in Outcome.objects.get(kind=kind).description_ja
    adoption = Outcome.objects.get(kind=Outcome.Kind.ADOPTION)
    assert adoption.fiscal_year == 2018
    assert adoption.projects.get().title_ja == "平塚波力発電所（第2世代）"


def test_videos_have_no_invented_links(seed):
    first, second = Video.objects.filter(donor_interviews__isnull=True)
    assert first.title_ja == "波力発電の研究開発・人材育成拠点化"
    assert [p.slug for p in first.projects.all()] == ["wave-power-3rd-generation"]
    assert first.research_group is None
    assert second.title_ja == "平塚海洋エネルギー研究会と平塚波力発電所の記録"
    assert second.research_group == group()
    assert sorted(p.slug for p in second.projects.all()) == [
        "hiratsuka-wave-power-plant",
        "wave-power-3rd-generation",
    ]
    for video in (first, second):
        assert video.url == "" and not video.thumbnail
        assert video.channel_ja.startswith("ひらつかビジネスチャンネル")


# --- Facilities --------------------------------------------------------------------------------


def test_facilities(seed):
    rows = [
        (
            f.name_ja,
            f.kind,
            f.managed_by and f.managed_by.name_ja,
            [t.name_ja for t in f.themes.all()],
        )
        for f in Facility.objects.select_related("managed_by").prefetch_related("themes")
    ]
    assert rows == [
        (
            "平塚沖総合実験タワー",
            "tower",
            "東京大学生産技術研究所 林研究室",
            ["流砂対策", "海中観測工学"],
        ),
        ("平塚新港（漁港）", "port", None, ["流砂対策"]),
        ("平塚総合海洋実験場（陸上施設）", "land", None, ["海中観測工学"]),
        ("平塚波力発電所", "plant", None, ["波力発電"]),
    ]
    tower = Facility.objects.get(kind=Facility.Kind.TOWER)
    for fact in (
        "波浪データを共有",
        "タワーの移管",
        "海象データの利用：研究、漁業、マリンスポーツ、観光",
    ):
        assert fact in tower.description_ja
    port = Facility.objects.get(kind=Facility.Kind.PORT)
    assert "通船" in port.description_ja and "漁港使用許可" in port.description_ja
    land = Facility.objects.get(kind=Facility.Kind.LAND)
    assert "水中カメラやセンサーの設置" in land.description_ja
