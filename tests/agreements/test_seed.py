"""fixtures/agreements.json: the cooperation agreements between Hiratsuka City and the
Institute of Industrial Science (IIS) as the seed documents describe them, loaded by
`manage.py load_seed`, valid by the models' own rules and translated into English."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from modeltranslation.translator import translator

from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementEvent,
    AgreementPhoto,
    Article,
    FocusArea,
    RelationshipPhase,
)
from core.publishing import PublicationState
from tests.conftest import load_seed

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "agreements.json"
# Kana, kanji, CJK punctuation and full-width forms: none of them belong in an English field.
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
AGREEMENT_MODELS = [
    Agreement,
    FocusArea,
    Article,
    AgreementEvent,
    AgreementDocument,
    AgreementPhoto,
    RelationshipPhase,
]
TITLE = "東京大学生産技術研究所及び平塚市との連携協力協定"
PURPOSE = (
    "この協定は、東京大学生産技術研究所及び平塚市の密接な連携と協力のもと、海洋活用技術の研究開発を"
    "推進するとともに、新産業創出及び人材育成等に寄与することを目的とする。"
)


def fixture_items() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def translated_fields(model) -> list[str]:
    if model not in translator.get_registered_models():
        return []
    return sorted(translator.get_options_for_model(model).get_field_names())


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in AGREEMENT_MODELS}


def bullet_items(text: str) -> list[str]:
    return [line[2:] for line in text.splitlines() if line.startswith("- ")]


@pytest.fixture
def seed() -> str:
    return load_seed()


@pytest.fixture
def first(seed) -> Agreement:
    return Agreement.objects.get(slug="iis-2019")


@pytest.fixture
def second(seed) -> Agreement:
    return Agreement.objects.get(slug="iis-2024")


# --- Loading -----------------------------------------------------------------------------------


def test_loading_twice_adds_nothing_the_second_time():
    total = len(fixture_items())
    first_run = load_seed()
    after_first = counts()
    second_run = load_seed()
    assert counts() == after_first
    assert f"agreements.json: {total} inserted, 0 already present" in first_run
    assert f"agreements.json: 0 inserted, {total} already present" in second_run


def test_record_counts(seed):
    assert counts() == {
        "Agreement": 2,
        "FocusArea": 3,
        "Article": 5,
        "AgreementEvent": 6,
        "AgreementDocument": 3,
        "AgreementPhoto": 0,
        "RelationshipPhase": 4,
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
        for name in translated_fields(model):
            label = f"{item['model']} {item['pk']} {name}"
            assert {name, f"{name}_ja", f"{name}_en"} <= fields.keys(), label
            assert fields[name] == fields[f"{name}_ja"], label


def test_english_is_filled_wherever_japanese_is_and_contains_no_japanese(seed):
    checked = 0
    for item in fixture_items():
        model = apps.get_model(item["model"])
        obj = model._default_manager.get(pk=item["pk"])
        for name in translated_fields(model):
            ja = getattr(obj, f"{name}_ja") or ""
            en = getattr(obj, f"{name}_en") or ""
            label = f"{item['model']} {item['pk']} {name}"
            if ja:
                assert en, f"{label}: English missing"
                checked += 1
            assert not JAPANESE.search(en), f"{label}: {en!r}"
    assert checked >= 60


def test_fixture_only_holds_agreement_records():
    assert {item["model"].split(".")[0] for item in fixture_items()} == {"agreements"}


# --- The agreements ----------------------------------------------------------------------------


def test_the_2019_agreement(first):
    assert first.title_ja == TITLE
    assert first.title_en == (
        "Cooperation agreement between the Institute of Industrial Science, "
        "the University of Tokyo and Hiratsuka City"
    )
    assert sorted(first.parties.values_list("slug", flat=True)) == ["hiratsuka-city", "iis-utokyo"]
    assert (first.signed_on, first.in_force_from, first.in_force_until) == (
        dt.date(2019, 3, 19),
        dt.date(2019, 3, 19),
        dt.date(2024, 3, 31),
    )
    # The 2019 purpose and articles are the slide deck's 協定書（案） wording, flagged as such.
    assert first.purpose_ja == PURPOSE
    assert first.text_is_draft
    assert first.publication_state == PublicationState.PUBLISHED
    assert first.supersedes is None


def test_the_2019_agreements_background_is_the_slides_three_points(first):
    points = bullet_items(first.background_ja)
    assert len(points) == 3
    # The slide's three points, told as the past context they are (当時), not in 2018's tense.
    assert points[0].startswith("当時、")
    assert "財源であった地方創生推進交付金は平成30年度で終了することになっていました" in points[0]
    assert "平成31年度に平塚波力発電所の工事を予定していました" in points[1]
    assert (
        "関係性を明文化し、研究会や波力発電所の実証事業を円滑に進める必要がありました" in points[2]
    )
    assert "終了する。" not in first.background_ja and "予定している" not in first.background_ja
    assert len(bullet_items(first.background_en)) == 3


def test_the_2019_agreements_focus_areas_and_future_scope(first):
    areas = [(a.name_ja, a.description_ja) for a in first.focus_areas.all()]
    assert areas == [
        ("海洋活用技術", "波力発電を筆頭に、水中ロボット、波力船等の研究開発実績に基づく"),
        ("新産業創出", "様々な海洋活用技術の事業化、市内事業者の参画"),
        ("人材育成", "海洋の活用・開発を担う人材の育成"),
    ]
    assert "AI、電気自動車、水素製造、化学等" in first.future_scope_ja
    assert "市民の科学技術リテラシーの向上" in first.future_scope_ja


def test_the_2019_agreements_place_in_the_industrial_promotion_plan(first):
    plan = first.plan_context_ja
    for fact in [
        "平塚市産業振興計画2024",
        "開発環境の整備と民間セクターを育てる組織・機関のネットワーク化",
        "政策立案から事業マネジメントまで実行する本市職員を育成",
        "民間事業者や金融機関、大学、市民、関連行政機関等との連携を積極的に図ります",
        "新たな価値や仕事が創出される動態",
        "協定締結時（2019年）の市内の状況（市場の名称は当時のもの）",
        "当時、市内に本社・本店を置く東証１部上場企業は２社",
        "当時、マザーズ上場企業はなく、JASDAQスタンダード上場企業が２社",
        "平塚市漁業協同組合の漁業新技術検討会",
        "マリアナ・マッツカート「企業家としての国家」",
        "持続可能な組織体制の構築",
        "地域内経済活動の活性化",
        "地域内産業の競争力強化",
        "新産業の創出",
        "知の集積事例：平塚市ビジネスケースプロジェクト",
        "さがみロボット産業特区",
        "Society5.0",
        "湘南ひらつかテクノフェア",
    ]:
        assert fact in plan, fact
    # Text blocks: paragraphs separated by blank lines, lists of "- " lines.
    assert "\n\n- " in plan
    assert "Mazzucato" in first.plan_context_en
    # The research hub plan belongs to the facilities, the contact to the site profile.
    assert "研究拠点化" not in plan
    assert "0463" not in plan


def test_the_2024_agreement_supersedes_the_2019_one(first, second):
    assert second.title_ja == TITLE
    assert sorted(second.parties.values_list("slug", flat=True)) == ["hiratsuka-city", "iis-utokyo"]
    assert (second.signed_on, second.in_force_from, second.in_force_until) == (
        dt.date(2024, 3, 25),
        dt.date(2024, 3, 25),
        None,
    )
    # The city's page gives the 2024 purpose in its own words (です・ます).
    assert second.purpose_ja == PURPOSE.replace("目的とする。", "目的とします。")
    assert not second.text_is_draft
    assert second.supersedes == first
    assert first.superseded_by == second
    # The old agreement's end is told from its dates, in today's tense, not in fixed text.
    assert "終了" not in second.background_ja
    assert first.in_force_until == dt.date(2024, 3, 31)
    assert "協定締結式ではこれまでの実績と今後について発表しました" in second.background_ja
    assert not second.articles.exists()
    assert not second.focus_areas.exists()


def test_status_follows_the_dates(first, second):
    assert first.status_on(dt.date(2019, 3, 18)) == Agreement.Status.NOT_YET
    assert first.status_on(dt.date(2024, 3, 31)) == Agreement.Status.IN_FORCE
    assert first.status_on(dt.date(2024, 4, 1)) == Agreement.Status.ENDED
    assert second.status_on(dt.date(2024, 3, 24)) == Agreement.Status.NOT_YET
    assert second.status_on(dt.date(2024, 4, 1)) == Agreement.Status.IN_FORCE
    # Both were in force for the last days of March 2024.
    assert list(Agreement.objects.in_force(dt.date(2024, 3, 28)).order_by("signed_on")) == [
        first,
        second,
    ]
    assert list(Agreement.objects.in_force(dt.date(2024, 4, 1))) == [second]


# --- Articles ----------------------------------------------------------------------------------


def test_the_five_articles_in_order_with_their_expected_projects(first):
    articles = [
        (a.number, a.text_ja, a.expected_projects_ja, sorted(p.slug for p in a.projects.all()))
        for a in first.articles.all()
    ]
    assert articles == [
        (1, "海洋活用技術の研究開発に関すること。", "海洋再生可能エネルギー、海洋観測機器等", []),
        (
            2,
            "海洋再生可能エネルギー及び海中観測実装にかかる実証実験に関すること。",
            "環境省：平成30年度CO2排出削減対策強化誘導型技術開発・実証事業等",
            ["hiratsuka-wave-power-plant"],
        ),
        (
            3,
            "海洋再生可能エネルギーを活用した新産業創出及びそれを支えるものづくり技術の高度化に"
            "関すること。",
            "漁業技術への応用、海洋ロボット開発、海洋観光資源開発",
            ["auv", "underwater-camera-robot", "wave-powered-boat"],
        ),
        (
            4,
            "海洋再生可能エネルギーに関連した人材の育成に関すること。",
            "社会人技術者、研究者の育成",
            [],
        ),
        (
            5,
            "実証実験の公開等、アウトリーチ活動に関すること。",
            "（新規）知の拠点事業（知の刺激）波力発電所の見学会等、児童、生徒の実践的な海洋教育",
            ["hiratsuka-wave-power-plant"],
        ),
    ]


# --- Events and documents ----------------------------------------------------------------------


def test_events_in_date_order(first, second):
    events = [(e.occurred_on, e.kind, e.agreement_id) for e in AgreementEvent.objects.all()]
    assert events == [
        (dt.date(2019, 3, 19), AgreementEvent.Kind.SIGNING, first.pk),
        (dt.date(2024, 2, 13), AgreementEvent.Kind.AWARD, None),
        (dt.date(2024, 3, 25), AgreementEvent.Kind.SIGNING, second.pk),
        (dt.date(2024, 3, 25), AgreementEvent.Kind.CEREMONY, second.pk),
        (dt.date(2024, 3, 25), AgreementEvent.Kind.PRESENTATION, second.pk),
        (dt.date(2024, 3, 31), AgreementEvent.Kind.END, first.pk),
    ]


def test_the_award_ceremony(seed):
    award = AgreementEvent.objects.get(kind=AgreementEvent.Kind.AWARD)
    assert "令和5年度「地方創生応援税制（企業版ふるさと納税）に係る大臣表彰」" in award.title_ja
    assert "津田副市長" in award.description_ja
    assert "「波力発電関連分野での新産業創出促進事業」" in award.description_ja
    assert "神奈川県内で初めて" in award.description_ja
    assert "Deputy Mayor Tsuda" in award.description_en


def test_the_2024_ceremony_keeps_the_photo_captions_facts(second):
    ceremony = second.events.get(kind=AgreementEvent.Kind.CEREMONY)
    for fact in ["落合市長", "岡部所長", "協定書に署名", "設立70周年記念で制作した大漁旗"]:
        assert fact in ceremony.description_ja, fact
    for fact in ["Mayor Ochiai", "Director Okabe", "tairyo-bata", "70th anniversary"]:
        assert fact in ceremony.description_en, fact
    assert not AgreementPhoto.objects.exists()


def test_the_presentation_documents_are_listed_without_files(second):
    presentation = second.events.get(kind=AgreementEvent.Kind.PRESENTATION)
    documents = list(presentation.documents.all())
    assert [d.title_ja for d in documents] == ["平塚市発表資料", "東京大学生産技術研究所発表資料"]
    assert all(not d.file for d in documents)
    award = AgreementEvent.objects.get(kind=AgreementEvent.Kind.AWARD)
    assert [d.title_ja for d in award.documents.all()] == [
        "「波力発電関連分野での新産業創出促進事業」の概要"
    ]
    assert not AgreementDocument.objects.exclude(file="").exists()
    # Attached to their events only, so an agreement page does not list them twice.
    assert not AgreementDocument.objects.filter(agreement__isnull=False).exists()


def test_the_end_of_the_first_agreement(first):
    end = first.events.get(kind=AgreementEvent.Kind.END)
    assert end.occurred_on == first.in_force_until


# --- Relationship phases -----------------------------------------------------------------------


def test_four_phases_in_order(seed):
    phases = [
        (p.name_ja, p.start_fiscal_year, p.end_fiscal_year, p.summary_ja)
        for p in RelationshipPhase.objects.all()
    ]
    assert phases == [
        ("初期", None, None, "タワーの移管"),
        ("中期（3年間）", 2016, 2018, "平塚海洋エネルギー研究会"),
        ("協定締結後", 2019, None, ""),
        ("将来（実証事業以降）", None, None, ""),
    ]


def test_the_phases_roles_funding_and_stance(seed):
    early, middle, after, future = RelationshipPhase.objects.all()

    assert bullet_items(early.city_role_ja) == [
        "漁協との橋渡し",
        "実験協力（レーダー波、波力船等）",
        "漁業新技術検討会",
    ]
    assert bullet_items(early.institute_role_ja) == [
        "タワー管理",
        "波浪データ共有",
        "漁協が東大船舶の運航・管理",
        "波力発電提案→NEDO公募なし",
    ]
    assert early.funding_ja == "NEDO予算がなくなる"
    assert bullet_items(early.city_stance_ja) == ["場所貸しがメイン", "漁業との接点"]

    assert bullet_items(middle.city_role_ja) == [
        "事業委託",
        "情報提供（国・県補助金）",
        "研究会共催",
        "市内企業紹介",
    ]
    assert bullet_items(middle.institute_role_ja) == [
        "事業受託（研究会等）：仕事のタネ研究・公開、社会人育成、情報発信",
        "環境省委託事業採択",
    ]
    assert bullet_items(middle.funding_ja) == [
        "地方創生加速化交付金",
        "地方創生推進交付金＋企業共同研究費",
    ]
    assert middle.city_stance_ja.startswith("産業振興の位置づけ\n\n")
    assert bullet_items(middle.city_stance_ja) == [
        "新産業の創出",
        "市内企業の参画",
        "東大、市外企業との接点",
        "社会人育成",
    ]

    assert bullet_items(after.city_role_ja) == [
        "波力発電所の漁港使用許可",
        "波力発電のPR／実用化研究",
    ]
    assert bullet_items(after.institute_role_ja) == [
        "波力発電の実証事業",
        "海中観測工学の実験",
        "アウトリーチ活動",
    ]
    assert after.funding_ja == "環境省：CO2排出削減対策強化誘導型技術開発・実証事業"
    assert after.city_stance_ja == "産業振興＋シビックプライド（先端技術に触れられる都市）"

    assert bullet_items(future.city_role_ja) == [
        "波力発電の実用化＋電気自動車の普及",
        "産業人材の育成など",
    ]
    assert bullet_items(future.institute_role_ja) == [
        "波力発電の実用化",
        "IDCORE",
        "幅広い分野での実証研究、人材育成で連携",
    ]
    assert future.funding_ja == (
        "地方大学・地域産業創生交付金他、国の交付金＋企業版ふるさと納税など"
    )
    assert future.city_stance_ja == "産業振興＋シビックプライド＋高度人材の育成・定住"

    # The English lists keep the same number of items as the Japanese ones.
    for phase in (early, middle, after, future):
        for name in ("city_role", "institute_role", "funding", "city_stance"):
            ja, en = getattr(phase, f"{name}_ja"), getattr(phase, f"{name}_en")
            assert len(bullet_items(en)) == len(bullet_items(ja)), (phase.name_en, name)
