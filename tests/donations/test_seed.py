"""fixtures/donations.json: the seed page's donation record, the donors' interviews and the
minister's award, loaded by `manage.py load_seed`, valid by the models' own rules and translated
into English."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from modeltranslation.translator import translator

from donations.models import Award, Donation, Donor, DonorInterview, Scheme
from projects.models import Project, Video
from tests.conftest import load_seed

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "donations.json"
# Kana, kanji, CJK punctuation and full-width forms: none of them belong in an English field.
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
DONATION_MODELS = [Donor, Donation, DonorInterview, Award]
FUNDED = ["wave-power-3rd-generation", "battery-powered-ship", "blue-carbon"]


def fixture_items() -> list[dict]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def translated_fields(model) -> list[str]:
    if model not in translator.get_registered_models():
        return []
    return sorted(translator.get_options_for_model(model).get_field_names())


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in [*DONATION_MODELS, Video]}


@pytest.fixture
def seed() -> str:
    return load_seed()


# --- Loading -----------------------------------------------------------------------------------


def test_loading_twice_adds_nothing_the_second_time():
    total = len(fixture_items())
    first = load_seed()
    after_first = counts()
    second = load_seed()
    assert counts() == after_first
    assert f"donations.json: {total} inserted, 0 already present" in first
    assert f"donations.json: 0 inserted, {total} already present" in second


def test_record_counts(seed):
    assert {model.__name__: model.objects.count() for model in DONATION_MODELS} == {
        "Donor": 4,
        "Donation": 5,
        "DonorInterview": 2,
        "Award": 1,
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
    assert checked >= 11


def test_new_videos_do_not_take_the_projects_fixtures_keys():
    projects = json.loads((FIXTURE.parent / "projects.json").read_text(encoding="utf-8"))
    keys = {(item["model"], item["pk"]) for item in projects}
    assert not [item for item in fixture_items() if (item["model"], item["pk"]) in keys]


# --- The record --------------------------------------------------------------------------------


def test_the_five_donations_as_the_city_publishes_them(seed):
    rows = [
        (d.fiscal_year, d.donor.name_ja, d.amount, d.scheme, d.publish_name, d.publish_amount)
        for d in Donation.objects.for_public_table()
    ]
    assert rows == [
        (2021, "ヤフー株式会社", 24_000_000, Scheme.CORPORATE_HOMETOWN_TAX, True, True),
        (2022, "ヤフー株式会社", 30_000_000, Scheme.CORPORATE_HOMETOWN_TAX, True, True),
        (
            2023,
            "株式会社ウイルプラスホールディングス",
            1_000_000,
            Scheme.CORPORATE_HOMETOWN_TAX,
            True,
            True,
        ),
        (2023, "", 500_000, Scheme.OTHER, False, True),
        (
            2023,
            "ダイヤモンド・リアルティ・マネジメント株式会社",
            1_000_000,
            Scheme.CORPORATE_HOMETOWN_TAX,
            True,
            True,
        ),
    ]
    assert Donation.objects.public_summary()["total"] == 56_500_000


def test_the_anonymous_individual_is_never_named(seed):
    donor = Donor.objects.get(is_anonymous=True)
    assert (donor.kind, donor.name_ja, donor.name_en) == (Donor.Kind.INDIVIDUAL, "", "")
    donation = donor.donations.get()
    # An individual cannot use the corporate scheme (the heading says 企業版ふるさと納税「等」).
    assert donation.scheme == Scheme.OTHER
    assert donation.public_donor_name == "匿名"


def test_companies_in_japanese_and_english(seed):
    names = {d.name_ja: d.name_en for d in Donor.objects.filter(kind=Donor.Kind.COMPANY)}
    assert names == {
        "ヤフー株式会社": "Yahoo Japan Corporation",
        "株式会社ウイルプラスホールディングス": "WILLPLUS Holdings Corporation",
        "ダイヤモンド・リアルティ・マネジメント株式会社": "Diamond Realty Management Inc.",
    }
    # The seed gives no corporate number: none is invented.
    assert not Donor.objects.exclude(corporate_number="").exists()


def test_dates_and_receipts_are_unknown(seed):
    assert not Donation.objects.filter(received_on__isnull=False).exists()
    assert not Donation.objects.exclude(receipt_number="").exists()


def test_donations_overall_funded_wave_power_the_battery_ship_and_blue_carbon(seed):
    # The seed says only that the donations overall supported these efforts: no donation is
    # credited to a project, and the funding records say it of the projects.
    assert not Donation.projects.through.objects.exists()
    assert sorted(Project.objects.supported_by_donations().values_list("slug", flat=True)) == (
        sorted(FUNDED)
    )


# --- Interviews and the award ------------------------------------------------------------------


def test_donor_interviews(seed):
    interviews = [
        (i.donor.name_ja, i.video.title_ja, i.video.url, i.video.channel_ja)
        for i in DonorInterview.objects.select_related("donor", "video")
    ]
    channel = "ひらつかビジネスチャンネル（YouTube）"
    assert interviews == [
        # Yahoo Japan, the donor of FY2021 and FY2022, is now LINEヤフー.
        ("ヤフー株式会社", "LINEヤフー株式会社 インタビュー", "", channel),
        (
            "株式会社ウイルプラスホールディングス",
            "株式会社ウイルプラスホールディングス インタビュー",
            "",
            channel,
        ),
    ]
    # Donor interviews are not project videos: the project pages stay as they were.
    assert not Video.objects.filter(donor_interviews__isnull=False, projects__isnull=False)


def test_the_minister_s_award(seed):
    award = Award.objects.get()
    assert award.title_ja == "令和5年度「地方創生応援税制（企業版ふるさと納税）に係る大臣表彰」"
    assert (award.presented_by_ja, award.presented_by_en) == ("内閣府", "Cabinet Office")
    assert award.fiscal_year == 2023
    assert award.ceremony_on == dt.date(2024, 2, 13)
    # The award's object is the city's program as the seed names it; the project is related.
    assert award.initiative_ja == "波力発電関連分野での新産業創出促進事業"
    assert (
        award.initiative_en == "Project to Promote New Industries in Wave Power and Related Fields"
    )
    assert award.project.slug == "wave-power-3rd-generation"
    for fact in ("神奈川県内で初めて", "津田副市長", "「波力発電関連分野での新産業創出促進事業」"):
        assert fact in award.description_ja, fact
    assert "Kanagawa" in award.description_en and "Deputy Mayor Tsuda" in award.description_en
