"""Fixtures the agreements tests share (the project-wide ones are in tests/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from agreements.models import Agreement, AgreementEvent, RelationshipPhase
from tests.projects.factories import OrganizationFactory, ProjectFactory

from .factories import (
    AgreementDocumentFactory,
    AgreementEventFactory,
    AgreementFactory,
    AgreementPhotoFactory,
    ArticleFactory,
    FocusAreaFactory,
    RelationshipPhaseFactory,
)


@pytest.fixture
def city():
    return OrganizationFactory(
        name_ja="平塚市", name_en="Hiratsuka City", kind="city", slug="hiratsuka"
    )


@pytest.fixture
def institute():
    return OrganizationFactory(
        name_ja="東京大学生産技術研究所",
        name_en="Institute of Industrial Science, The University of Tokyo",
        kind="university",
        in_hiratsuka=False,
        slug="iis",
    )


@pytest.fixture
def objects(city, institute) -> dict:
    """One of each registered model, linked the way the seed's records are."""
    first = AgreementFactory(
        slug="iis-2019",
        title_ja="平塚市と東京大学生産技術研究所との連携協力に関する協定（平成31年）",
        title_en="Cooperation agreement between Hiratsuka City and IIS (2019)",
        purpose_ja="海洋活用技術の研究開発を推進する",
        purpose_en="To advance research on using the sea",
        signed_on=dt.date(2019, 3, 19),
        in_force_from=dt.date(2019, 3, 19),
        in_force_until=dt.date(2024, 3, 31),
        parties=[city, institute],
    )
    second = AgreementFactory(
        slug="iis-2024",
        title_ja="平塚市と東京大学生産技術研究所との連携協力に関する協定（令和6年）",
        title_en="Cooperation agreement between Hiratsuka City and IIS (2024)",
        signed_on=dt.date(2024, 3, 25),
        in_force_from=dt.date(2024, 4, 1),
        supersedes=first,
        parties=[city, institute],
    )
    FocusAreaFactory(agreement=first)
    ArticleFactory(agreement=first, number=1, projects=[ProjectFactory()])
    AgreementDocumentFactory(agreement=first, event=None, with_file=True)
    event = AgreementEventFactory(
        agreement=second,
        occurred_on=dt.date(2024, 3, 25),
        title_ja="新たな連携協力協定の締結",
        title_en="The new agreement is signed",
    )
    AgreementDocumentFactory(event=event, with_file=True)
    AgreementPhotoFactory(event=event)
    phase = RelationshipPhaseFactory(
        name_ja="中期（平成28〜30年度）", name_en="Middle phase (FY2016–FY2018)"
    )
    return {Agreement: first, "second": second, AgreementEvent: event, RelationshipPhase: phase}
