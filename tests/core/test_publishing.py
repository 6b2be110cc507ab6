"""The publishing workflow of the kit (core.publishing): states that follow the clock, the
services, the preview switch, the coming publications, and the dates caches and pages take
from a publication."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from agreements.models import Agreement
from core.caching import data_version
from core.publishing import (
    PublicationState,
    PublishableQuerySet,
    preview_active,
    previewing,
    publication_publish_now,
    publication_schedule,
    publication_unpublish,
    publishable_models,
    upcoming_publications,
)
from core.updates import last_updated
from donations.models import Award
from hiratsuka_portal.models import SitePage, SitePageSection
from projects.models import Meeting, Milestone, Project, ResearchGroup
from tests.donations.factories import AwardFactory
from tests.projects.factories import MeetingFactory, MilestoneFactory, ProjectFactory
from tests.publishing_tools import DUE, at, just_after, just_before

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)


def test_a_scheduled_record_is_public_from_its_time_without_anyone_acting():
    draft = ProjectFactory(published_at=None)
    scheduled = ProjectFactory(published_at=DUE)
    published = ProjectFactory()
    with just_before():
        assert draft.publication_state == PublicationState.DRAFT
        assert scheduled.publication_state == PublicationState.SCHEDULED
        assert published.publication_state == PublicationState.PUBLISHED
        assert set(Project.objects.public()) == {published}
        assert list(Project.objects.scheduled()) == [scheduled]
        assert list(Project.objects.drafts()) == [draft]
    with just_after():
        assert scheduled.publication_state == PublicationState.PUBLISHED
        assert set(Project.objects.public()) == {published, scheduled}
        assert not Project.objects.scheduled().exists()


def test_a_child_needs_its_own_time_and_its_parents():
    with just_before():
        project = ProjectFactory(published_at=DUE)
        early = MilestoneFactory(project=project)  # published long ago, but its project is not
        late = MilestoneFactory(project=project, published_at=DUE + HOUR)
        assert not Milestone.objects.public().exists()
    with just_after():
        assert list(Milestone.objects.public()) == [early]
    with at(DUE + HOUR):
        assert set(Milestone.objects.public()) == {early, late}


def test_the_states_have_japanese_names():
    assert [state.label for state in PublicationState] == ["下書き", "公開予約", "公開中"]


def test_new_records_start_as_drafts():
    project = Project.objects.create(slug="new", title="新しい事業", summary="概要")
    assert project.publication_state == PublicationState.DRAFT
    assert not Project.objects.public().exists()


# --- The services ------------------------------------------------------------------------------


def test_the_services_move_a_record_through_the_workflow_and_the_audit_trail_keeps_it():
    project = ProjectFactory(published_at=None)
    with just_before():
        publication_schedule(project, at=DUE)
        assert project.publication_state == PublicationState.SCHEDULED
        publication_publish_now(project)
        published_at = project.published_at
        assert published_at == timezone.now()
    with at(DUE + HOUR):
        # Publishing what is already public changes nothing (its original time stays).
        publication_publish_now(project)
        assert project.published_at == published_at
        publication_unpublish(project)
    project.refresh_from_db()
    assert project.publication_state == PublicationState.DRAFT
    trail = [entry.published_at for entry in project.history.order_by("history_date", "pk")]
    assert trail == [None, DUE, published_at, None]


def test_a_naive_schedule_is_read_in_japans_time():
    project = ProjectFactory(published_at=None)
    publication_schedule(project, at=datetime.datetime(2026, 12, 3, 9, 0))
    assert project.published_at == DUE


# --- The preview -------------------------------------------------------------------------------


def test_previewing_shows_drafts_and_scheduled_records_only_inside_the_block():
    draft = ProjectFactory(published_at=None)
    scheduled = ProjectFactory(published_at=DUE)
    published = ProjectFactory()
    hidden_milestone = MilestoneFactory(project=draft, published_at=None)
    with just_before():
        with previewing():
            assert preview_active()
            assert set(Project.objects.public()) == {draft, scheduled, published}
            assert list(Milestone.objects.public()) == [hidden_milestone]
        assert not preview_active()
        assert set(Project.objects.public()) == {published}


def test_the_preview_ends_even_when_the_block_fails():
    with pytest.raises(RuntimeError), previewing():
        raise RuntimeError
    assert not preview_active()


# --- What is coming ----------------------------------------------------------------------------


def test_every_publishable_model_of_the_site_is_found():
    assert {
        Project,
        Meeting,
        Milestone,
        Award,
        SitePage,
        SitePageSection,
    } <= set(publishable_models())


def test_upcoming_publications_of_every_kind_soonest_first_in_one_query_per_model(
    django_assert_num_queries,
):
    with just_before():
        project = ProjectFactory(published_at=DUE + HOUR)
        meeting = MeetingFactory(published_at=DUE)
        award = AwardFactory(published_at=DUE + 24 * HOUR)
        ProjectFactory.create_batch(3, published_at=DUE + 48 * HOUR)
        MilestoneFactory(published_at=None)  # a draft is not coming
        MeetingFactory()  # nor what is already public
        with django_assert_num_queries(len(publishable_models())):
            upcoming = upcoming_publications(limit=3)
    assert [(item.verbose_name, item.object, item.published_at) for item in upcoming] == [
        ("会議・活動", meeting, DUE),
        ("研究開発プロジェクト", project, DUE + HOUR),
        ("表彰", award, DUE + 24 * HOUR),
    ]
    with just_before():
        assert len(upcoming_publications()) == 6
    with just_after():
        assert [item.object for item in upcoming_publications(limit=1)] == [project]


# --- The dates caches and pages read -----------------------------------------------------------


def test_a_scheduled_record_coming_due_changes_the_data_version_and_its_date():
    ProjectFactory()
    ProjectFactory(published_at=DUE)
    with at(DUE - HOUR):
        earlier = data_version(Project, Milestone)
    with just_before():
        before = data_version(Project, Milestone)
    with just_after():
        after = data_version(Project, Milestone)
    # Nothing changed until the time came; then the version moved, dated at the publication.
    assert earlier == before
    assert after.fingerprint != before.fingerprint
    assert after.last_modified == DUE


def test_the_last_update_of_a_page_counts_a_publication_at_its_time():
    old = timezone.make_aware(datetime.datetime(2025, 1, 10, 12))
    project = ProjectFactory(published_at=DUE)
    Project.objects.update(updated_at=old)
    with just_before():
        assert last_updated(Project) == old
        assert last_updated(project) == old
    with just_after():
        assert last_updated(Project) == DUE
        assert last_updated(project) == DUE


def test_the_parents_whose_rule_children_ask_through_a_join_keep_the_plain_rule():
    # Milestones, meetings, members, articles and the like ask "is my parent public" as a
    # condition on the joined parent (public_relation_q), which copies the plain rule. Should
    # a parent's public() grow a condition of its own, they would have to ask it instead.
    for parent in (Project, ResearchGroup, Agreement):
        assert parent.objects._queryset_class.public is PublishableQuerySet.public, parent
