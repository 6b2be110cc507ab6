"""Fixtures the projects tests share (the project-wide ones are in tests/conftest.py)."""

from __future__ import annotations

import pytest

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
