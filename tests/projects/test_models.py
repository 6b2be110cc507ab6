"""The database refuses invalid projects data, whatever path it comes by."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from projects.models import Funding, Meeting, Organization, ProjectImage, Video

from .factories import (
    FundingFactory,
    FundingSourceFactory,
    MeetingFactory,
    OrganizationFactory,
    ProjectFactory,
    ResearchGroupFactory,
)

pytestmark = pytest.mark.django_db


def refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_period_cannot_end_before_it_starts():
    refused(lambda: ProjectFactory(start_fiscal_year=2024, end_fiscal_year=2023))
    ProjectFactory(start_fiscal_year=2024, end_fiscal_year=2024)
    ProjectFactory(start_fiscal_year=2024, end_fiscal_year=None)


def test_the_form_level_check_names_the_field():
    project = ProjectFactory.build(start_fiscal_year=2024, end_fiscal_year=2023)
    with pytest.raises(ValidationError) as caught:
        project.full_clean()
    assert caught.value.message_dict["end_fiscal_year"] == [
        "終了年度は開始年度以降にしてください。"
    ]


def test_slugs_are_unique():
    ProjectFactory(slug="wave")
    refused(lambda: ProjectFactory(slug="wave"))


def test_participants_cannot_be_negative():
    refused(lambda: MeetingFactory(participants=-1))


def test_a_meeting_ends_after_it_starts():
    meeting = MeetingFactory()
    meeting.ends_at = meeting.starts_at - timedelta(minutes=1)
    refused(lambda: Meeting.objects.filter(pk=meeting.pk).update(ends_at=meeting.ends_at))
    with pytest.raises(ValidationError) as caught:
        meeting.full_clean()
    assert "ends_at" in caught.value.message_dict


def test_funding_belongs_to_a_project_or_the_group_never_both_or_neither():
    source = FundingSourceFactory()
    project, group = ProjectFactory(), ResearchGroupFactory()
    refused(lambda: Funding.objects.create(source=source))
    refused(lambda: Funding.objects.create(source=source, project=project, research_group=group))
    FundingFactory(source=source, project=project)
    Funding.objects.create(source=source, research_group=group)


def test_images_need_alternative_text():
    refused(lambda: ProjectImage.objects.create(project=ProjectFactory(), image="x.png"))


def test_a_video_thumbnail_needs_alternative_text():
    refused(lambda: Video.objects.create(title="動画", thumbnail="t.png", thumbnail_alt=""))
    Video.objects.create(title="動画", thumbnail="", thumbnail_alt="")


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("7000012050002", True),  # 国税庁's own corporate number
        ("8000012050002", False),  # wrong check digit
        ("700001205000", False),  # 12 digits
        ("70000120500０2", False),  # a full-width digit
    ],
)
def test_corporate_number_check_digit(number, valid):
    organization = OrganizationFactory.build(corporate_number=number)
    if valid:
        organization.full_clean()
    else:
        with pytest.raises(ValidationError) as caught:
            organization.full_clean()
        assert "corporate_number" in caught.value.message_dict


def test_a_corporate_number_belongs_to_one_organisation():
    OrganizationFactory(corporate_number="7000012050002")
    refused(lambda: OrganizationFactory(corporate_number="7000012050002"))
    # Organisations without one are many.
    OrganizationFactory(corporate_number="")
    OrganizationFactory(corporate_number="")
    assert Organization.objects.filter(corporate_number="").count() == 2
