"""The publishing workflow in the admin (core.publishing_admin): the 公開 fieldset with split
date and time and the preview link, the 公開状態 column and filter, and the actions."""

from __future__ import annotations

import pytest
from django.contrib import admin

from core.publishing import PublicationState, publishable_models
from core.publishing_admin import PublicationStateFilter
from projects.models import Project
from tests.admin_tools import admin_url, open_page, page_messages, save_change_form
from tests.projects.factories import MilestoneFactory, ProjectFactory
from tests.publishing_tools import DUE, just_after, just_before

pytestmark = pytest.mark.django_db

# Publishable records edited only inside their parent's page (no admin of their own).
EDITED_INLINE = {"Milestone", "SitePageSection"}


@pytest.mark.parametrize(
    "model",
    [m for m in publishable_models() if m.__name__ not in EDITED_INLINE],
    ids=lambda m: m.__name__,
)
def test_every_publishable_model_has_the_column_the_filter_and_the_actions(staff_client, model):
    model_admin = admin.site._registry[model]
    assert "publication_state_display" in model_admin.list_display
    request = open_page(staff_client, admin_url(model, "changelist")).wsgi_request
    assert PublicationStateFilter in model_admin.get_list_filter(request)
    assert {"publish_now", "unpublish"} <= set(model_admin.get_actions(request))
    page = open_page(staff_client, admin_url(model, "add")).content.decode()
    # The 公開 fieldset, last, offers the date and the time side by side; new records start
    # as drafts: both are empty.
    publication = page.split('class="fieldset-heading">公開</h2>')[-1]
    assert page.count('class="fieldset-heading">公開</h2>') == 1
    assert "<legend>公開日時:</legend>" in publication
    assert 'name="published_at_0"' in publication and 'name="published_at_1"' in publication
    assert 'name="published_at_0" value=' not in page
    assert 'class="fieldset-heading"' not in publication


def test_the_state_column_and_filter(staff_client):
    draft = ProjectFactory(title_ja="下書きの事業", published_at=None)
    scheduled = ProjectFactory(title_ja="予約の事業", published_at=DUE)
    published = ProjectFactory(title_ja="公開の事業")
    url = admin_url(Project, "changelist")
    with just_before():
        page = open_page(staff_client, url).content.decode()
        assert '<td class="field-publication_state_display">下書き</td>' in page
        assert (
            '<td class="field-publication_state_display">公開予約 令和8年12月3日 9:00</td>'
        ) in page
        assert '<td class="field-publication_state_display">公開中</td>' in page
        assert "公開状態" in page
        for state, expected in [
            (PublicationState.DRAFT, {draft}),
            (PublicationState.SCHEDULED, {scheduled}),
            (PublicationState.PUBLISHED, {published}),
            ("nonsense", set()),
        ]:
            listed = open_page(staff_client, f"{url}?publication={state}").context["cl"]
            assert set(listed.result_list) == expected, state
    with just_after():
        listed = open_page(staff_client, f"{url}?publication=published").context["cl"]
        assert set(listed.result_list) == {scheduled, published}


def test_publishing_and_unpublishing_the_selected_records(staff_client, staff):
    drafts = ProjectFactory.create_batch(2, published_at=None)
    url = admin_url(Project, "changelist")
    pks = [str(project.pk) for project in drafts]
    with just_before():
        page = open_page(staff_client, url).content.decode()
        assert "選択したものを今すぐ公開" in page
        assert "選択したものを非公開（下書き）に戻す" in page
        response = staff_client.post(
            url, {"action": "publish_now", "_selected_action": pks}, follow=True
        )
        assert ("success", "2件を公開しました。") in page_messages(response)
        assert Project.objects.public().count() == 2
        # Who published it is in the audit trail.
        assert drafts[0].history.latest().history_user == staff
        response = staff_client.post(
            url, {"action": "unpublish", "_selected_action": pks[:1]}, follow=True
        )
        assert ("success", "1件を非公開（下書き）に戻しました。") in page_messages(response)
    assert list(Project.objects.drafts()) == [drafts[0]]
    assert drafts[0].history.latest().history_user == staff


def test_scheduling_in_the_change_form_with_date_and_time(staff_client):
    project = ProjectFactory(published_at=None)
    page = open_page(staff_client, admin_url(Project, "change", project.pk)).content.decode()
    publication = page.split('class="fieldset-heading">公開</h2>')[1]
    assert f'href="/projects/{project.slug}/?preview=1">プレビュー</a>' in publication
    with just_before():
        save_change_form(
            staff_client, project, published_at_0="2026-12-03", published_at_1="09:00:00"
        )
    project.refresh_from_db()
    assert project.published_at == DUE
    with just_before():
        assert project.publication_state == PublicationState.SCHEDULED


def test_milestones_are_published_inside_their_project(staff_client):
    project = ProjectFactory()
    MilestoneFactory(project=project, published_at=DUE)
    response = open_page(staff_client, admin_url(Project, "change", project.pk))
    page = response.content.decode()
    assert 'name="milestones-0-published_at_0" value="2026-12-03"' in page
    assert 'name="milestones-0-published_at_1" value="09:00:00"' in page


def test_a_record_that_does_not_validate_is_named_and_the_others_published(staff_client):
    good = ProjectFactory(published_at=None)
    # A record saved by code past the form's rules: the service validates before saving.
    bad = ProjectFactory(title_ja="概要のない事業", published_at=None)
    Project.objects.filter(pk=bad.pk).update(summary_ja="")
    response = staff_client.post(
        admin_url(Project, "changelist"),
        {"action": "publish_now", "_selected_action": [good.pk, bad.pk]},
        follow=True,
    )
    shown = page_messages(response)
    assert ("success", "1件を公開しました。") in shown
    assert any(
        level == "error" and "「概要のない事業」は保存できませんでした" in text
        for level, text in shown
    )
    assert list(Project.objects.public()) == [good]
