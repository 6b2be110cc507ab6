"""factory_boy factories for every model of the agreements app.

Translated fields are set in both languages (``<field>_ja`` and ``<field>_en``). Only
AgreementPhotoFactory and AgreementDocumentFactory(with_file=True) write files, into the test's
own MEDIA_ROOT (tests/conftest.py gives every test one).
"""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import factory
from PIL import Image

from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementEvent,
    AgreementPhoto,
    Article,
    FocusArea,
    RelationshipPhase,
)
from tests.core.factories import PUBLISHED_LONG_AGO
from tests.projects.factories import add_many

# The first agreement between the city and IIS was signed, and took effect, on this day.
FIRST_SIGNING = dt.date(2019, 3, 19)


def pdf_bytes(pages: int = 1) -> bytes:
    """A small, valid PDF (header, objects, xref table and %%EOF trailer) drawn by Pillow."""
    buffer = BytesIO()
    first, *others = [Image.new("RGB", (10, 10), "white") for _ in range(pages)]
    first.save(buffer, "PDF", save_all=True, append_images=others)
    return buffer.getvalue()


class AgreementFactory(factory.django.DjangoModelFactory):
    """A published agreement signed and in force from 2019-03-19, without an end date.
    ``parties=[org, ...]`` adds the organisations that signed it."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"agreement-{n}")
    title_ja = factory.Sequence(
        lambda n: f"平塚市と東京大学生産技術研究所との連携協力に関する協定{n}"
    )
    title_en = factory.Sequence(
        lambda n: f"Agreement on cooperation between Hiratsuka City and IIS {n}"
    )
    signed_on = FIRST_SIGNING
    in_force_from = factory.SelfAttribute("signed_on")
    in_force_until = None
    purpose_ja = "海洋を活用した産業の振興と人材の育成に連携して取り組む。"
    purpose_en = "To work together on marine industries and on training people."
    background_ja = "平塚海洋エネルギー研究会での協力を重ねてきた。"
    background_en = "Years of cooperation in the Hiratsuka Ocean Energy Study Group."
    published_at = PUBLISHED_LONG_AGO
    supersedes = None

    parties = add_many("parties")


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    agreement = factory.SubFactory(AgreementFactory)
    name_ja = factory.Sequence(lambda n: f"海洋活用技術{n}")
    name_en = factory.Sequence(lambda n: f"Marine technology {n}")
    description_ja = "海の力を生かす技術の研究開発と実証"
    description_en = "Research, development and trials of technology using the sea"
    position = factory.Sequence(lambda n: n)


class ArticleFactory(factory.django.DjangoModelFactory):
    """One area of cooperation; ``projects=[...]`` links the projects it expects."""

    class Meta:
        model = Article
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: n + 1)
    text_ja = "海洋エネルギーの活用に関すること"
    text_en = "Making use of ocean energy"
    expected_projects_ja = "波力発電の実証実験"
    expected_projects_en = "Wave power trials"

    projects = add_many("projects")


class AgreementEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementEvent

    agreement = factory.SubFactory(AgreementFactory)
    occurred_on = FIRST_SIGNING
    kind = AgreementEvent.Kind.SIGNING
    title_ja = factory.Sequence(lambda n: f"協定締結式{n}")
    title_en = factory.Sequence(lambda n: f"Signing ceremony {n}")
    description_ja = "平塚市長と所長が協定書に署名しました。"
    description_en = "The mayor and the director signed the agreement."
    published_at = PUBLISHED_LONG_AGO


class AgreementDocumentFactory(factory.django.DjangoModelFactory):
    """A document of an event, known by title only; ``with_file=True`` attaches a real PDF
    (writes a file). For a document of the agreement pass ``event=None, agreement=a``."""

    class Meta:
        model = AgreementDocument

    class Params:
        with_file = factory.Trait(
            file=factory.django.FileField(
                filename=factory.Sequence(lambda n: f"document-{n}.pdf"),
                data=factory.LazyFunction(pdf_bytes),
            )
        )

    agreement = None
    event = factory.SubFactory(AgreementEventFactory)
    title_ja = factory.Sequence(lambda n: f"発表資料{n}")
    title_en = factory.Sequence(lambda n: f"Presentation {n}")
    position = factory.Sequence(lambda n: n)


class AgreementPhotoFactory(factory.django.DjangoModelFactory):
    """A real (small) PNG, drawn by Pillow in memory. Writes a file (into MEDIA_ROOT)."""

    class Meta:
        model = AgreementPhoto

    event = factory.SubFactory(AgreementEventFactory)
    image = factory.django.ImageField(
        filename=factory.Sequence(lambda n: f"signing-{n}.png"),
        width=64,
        height=48,
        color="navy",
        format="PNG",
    )
    alt_text_ja = "協定書を手にする平塚市長と所長"
    alt_text_en = "The mayor and the director holding the signed agreement"
    caption_ja = "協定締結式"
    caption_en = "The signing ceremony"
    position = factory.Sequence(lambda n: n)


class RelationshipPhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RelationshipPhase

    name_ja = factory.Sequence(lambda n: f"中期{n}")
    name_en = factory.Sequence(lambda n: f"Middle phase {n}")
    period_ja = "平成28年度〜平成30年度"
    period_en = "FY2016–FY2018"
    start_fiscal_year = 2016
    end_fiscal_year = 2018
    summary_ja = "平塚海洋エネルギー研究会の発足"
    summary_en = "The Hiratsuka Ocean Energy Study Group is founded"
    city_role_ja = "研究会の事務局"
    city_role_en = "Runs the study group's secretariat"
    institute_role_ja = "技術的な助言"
    institute_role_en = "Technical advice"
    funding_ja = "地方創生推進交付金"
    funding_en = "Regional revitalisation grant"
    city_stance_ja = "市内企業の参画を促す"
    city_stance_en = "Bring companies in Hiratsuka on board"
    position = factory.Sequence(lambda n: n)
