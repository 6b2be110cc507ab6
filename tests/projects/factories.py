"""factory_boy factories for every model of the projects app.

Translated fields are set in both languages (``<field>_ja`` and ``<field>_en``). Only
ProjectImageFactory and VideoFactory(with_thumbnail=True) write files, into the test's own
MEDIA_ROOT (tests/conftest.py gives every test one).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import factory

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
from tests.core.factories import PUBLISHED_LONG_AGO

TOKYO = ZoneInfo("Asia/Tokyo")


def add_many(attribute: str):
    """A post-generation hook filling a many-to-many field from a list given to the factory."""

    def hook(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, attribute).add(*extracted)

    return factory.PostGeneration(hook)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    slug = factory.Sequence(lambda n: f"organization-{n}")
    name_ja = factory.Sequence(lambda n: f"平塚テスト工業{n}株式会社")
    name_en = factory.Sequence(lambda n: f"Hiratsuka Test Industries {n}")
    kind = Organization.Kind.COMPANY
    in_hiratsuka = True
    website = factory.LazyAttribute(lambda o: f"https://{o.slug}.example.jp/")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name_ja = factory.Sequence(lambda n: f"研究テーマ{n}")
    name_en = factory.Sequence(lambda n: f"Research theme {n}")
    description_ja = "海の力を地域の産業に生かす研究です。"
    description_en = "Research that puts the power of the sea to work for local industry."
    position = factory.Sequence(lambda n: n)


class FundingSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FundingSource

    slug = factory.Sequence(lambda n: f"funding-source-{n}")
    name_ja = factory.Sequence(lambda n: f"テスト交付金{n}")
    name_en = factory.Sequence(lambda n: f"Test grant {n}")
    kind = FundingSource.Kind.NATIONAL_GRANT
    provider = None


class ProjectFactory(factory.django.DjangoModelFactory):
    """A published, active project. ``themes=[...]`` adds themes; ``leads=[org, ...]`` adds
    those organisations as 研究開発主体."""

    class Meta:
        model = Project
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"project-{n}")
    title_ja = factory.Sequence(lambda n: f"波力発電の実証{n}")
    title_en = factory.Sequence(lambda n: f"Wave power demonstration {n}")
    summary_ja = "平塚沖で新しい波力発電装置を試験します。"
    summary_en = "Testing a new wave power generator off Hiratsuka."
    description_ja = "陸上試験の後、平塚新港で海上試験を行います。\n\n- 陸上試験\n- 海上試験"
    description_en = (
        "A land test, then a sea test at Hiratsuka New Port.\n\n- Land test\n- Sea test"
    )
    status = Project.Status.ACTIVE
    start_fiscal_year = 2022
    end_fiscal_year = 2025
    published_at = PUBLISHED_LONG_AGO
    is_featured = False
    position = factory.Sequence(lambda n: n)

    themes = add_many("themes")

    @factory.post_generation
    def leads(obj, create, extracted, **kwargs):
        if create and extracted:
            for position, organization in enumerate(extracted):
                ParticipationFactory(
                    project=obj,
                    organization=organization,
                    role=Participation.Role.LEAD,
                    position=position,
                )


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Participation.Role.LEAD
    role_note_ja = "装置の設計と試験"
    role_note_en = "Design and testing of the device"
    position = factory.Sequence(lambda n: n)


class FundingFactory(factory.django.DjangoModelFactory):
    """Funding for a project; for the research group pass ``project=None, research_group=g``."""

    class Meta:
        model = Funding

    source = factory.SubFactory(FundingSourceFactory)
    project = factory.SubFactory(ProjectFactory)
    research_group = None
    start_fiscal_year = 2022
    end_fiscal_year = 2024
    note_ja = "装置の製作費"
    note_en = "Building the device"


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    title_ja = factory.Sequence(lambda n: f"陸上試験{n}")
    title_en = factory.Sequence(lambda n: f"Land test {n}")
    description_ja = "新しい発電機の陸上試験を行いました。"
    description_en = "The new generator was tested on land."
    occurred_on = dt.date(2023, 11, 20)
    fiscal_year = 2023
    is_planned = False
    published_at = PUBLISHED_LONG_AGO


class ProjectImageFactory(factory.django.DjangoModelFactory):
    """A real (small) PNG, drawn by Pillow in memory. Writes a file (into MEDIA_ROOT)."""

    class Meta:
        model = ProjectImage

    project = factory.SubFactory(ProjectFactory)
    image = factory.django.ImageField(
        filename=factory.Sequence(lambda n: f"project-photo-{n}.png"),
        width=64,
        height=48,
        color="teal",
        format="PNG",
    )
    alt_text_ja = "平塚新港に設置された波力発電装置"
    alt_text_en = "The wave power generator installed at Hiratsuka New Port"
    caption_ja = "海上試験の様子"
    caption_en = "The sea test"
    position = factory.Sequence(lambda n: n)


class ResearchGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResearchGroup

    slug = factory.Sequence(lambda n: f"research-group-{n}")
    name_ja = "平塚海洋エネルギー研究会"
    name_en = "Hiratsuka Ocean Energy Study Group"
    founded_on = dt.date(2016, 6, 1)
    purpose_ja = "海洋エネルギーを活用した地域産業の振興"
    purpose_en = "Promoting local industry through ocean energy"
    activities_ja = "研究会、視察、実験への参加"
    activities_en = "Study sessions, site visits and experiments"
    published_at = PUBLISHED_LONG_AGO


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    research_group = factory.SubFactory(ResearchGroupFactory)
    organization = factory.SubFactory(OrganizationFactory)
    category = Membership.Category.LOCAL_COMPANY
    position = factory.Sequence(lambda n: n)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A two-hour study session, one week after the previous one (aware datetimes, Tokyo)."""

    class Meta:
        model = Meeting

    research_group = factory.SubFactory(ResearchGroupFactory)
    kind = Meeting.Kind.STUDY
    title_ja = factory.Sequence(lambda n: f"第{n + 1}回研究会")
    title_en = factory.Sequence(lambda n: f"Study session {n + 1}")
    starts_at = factory.Sequence(
        lambda n: dt.datetime(2024, 4, 10, 14, 0, tzinfo=TOKYO) + dt.timedelta(weeks=n)
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))
    place_ja = "平塚市役所 本館"
    place_en = "Hiratsuka City Hall, main building"
    participants = 20
    notes_ja = "波力発電の進捗報告"
    notes_en = "Progress report on wave power"
    published_at = PUBLISHED_LONG_AGO


class ActivityRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityRecord

    research_group = factory.SubFactory(ResearchGroupFactory)
    fiscal_year = factory.Sequence(lambda n: 2016 + n)
    meetings_count = 5
    participants_count = 240


class OutcomeFactory(factory.django.DjangoModelFactory):
    """``projects=[...]`` and ``organizations=[...]`` link the outcome."""

    class Meta:
        model = Outcome
        skip_postgeneration_save = True

    kind = Outcome.Kind.EXPERIMENT
    title_ja = factory.Sequence(lambda n: f"水中ドローンの派生実験{n}")
    title_en = factory.Sequence(lambda n: f"Spin-off underwater drone experiment {n}")
    description_ja = "研究会の会員企業が実施しました。"
    description_en = "Carried out by a member company of the study group."
    fiscal_year = 2023
    research_group = None
    organizations_text_ja = "市内企業"
    organizations_text_en = "A company in Hiratsuka"
    position = factory.Sequence(lambda n: n)

    projects = add_many("projects")
    organizations = add_many("organizations")


class FacilityFactory(factory.django.DjangoModelFactory):
    """``themes=[...]`` adds themes."""

    class Meta:
        model = Facility
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"facility-{n}")
    name_ja = factory.Sequence(lambda n: f"平塚沖総合実験タワー{n}")
    name_en = factory.Sequence(lambda n: f"Hiratsuka Offshore Research Tower {n}")
    kind = Facility.Kind.TOWER
    description_ja = "平塚沖約1kmにある観測タワーです。"
    description_en = "An observation tower about 1 km off Hiratsuka."
    managed_by = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.UNIVERSITY)
    published_at = PUBLISHED_LONG_AGO
    position = factory.Sequence(lambda n: n)

    themes = add_many("themes")


class VideoFactory(factory.django.DjangoModelFactory):
    """A linked video without a thumbnail; ``with_thumbnail=True`` adds one (writes a file).
    ``projects=[...]`` links it to projects."""

    class Meta:
        model = Video
        skip_postgeneration_save = True

    class Params:
        with_thumbnail = factory.Trait(
            thumbnail=factory.django.ImageField(
                filename=factory.Sequence(lambda n: f"video-{n}.png"),
                width=64,
                height=36,
                color="navy",
                format="PNG",
            ),
            thumbnail_alt_ja="波力発電装置の映像の一場面",
            thumbnail_alt_en="A still from the wave power video",
        )

    title_ja = factory.Sequence(lambda n: f"波力発電の紹介動画{n}")
    title_en = factory.Sequence(lambda n: f"Wave power introduction {n}")
    url = factory.Sequence(lambda n: f"https://video.example.jp/watch/{n}")
    channel_ja = "平塚市公式チャンネル"
    channel_en = "Hiratsuka City official channel"
    research_group = None
    position = factory.Sequence(lambda n: n)

    projects = add_many("projects")
