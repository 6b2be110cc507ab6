"""The staff workspace as an 編集者 (content editor) uses it in a real browser: sign in through
the form, rename a draft project, schedule it, preview it at its public address, and find the
change with its author in the project's history."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from projects.models import Project
from tests.projects.factories import ProjectFactory

from .conftest import axe_violations

PASSWORD = "nami-no-chikara-2026"


@pytest.fixture
def editor(transactional_db, django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = django_user_model.objects.create_user(
        username="henshu", password=PASSWORD, is_staff=True, last_name="湘南", first_name="花子"
    )
    # The role's group comes from the data migration (re-applied after each test's flush).
    user.groups.add(Group.objects.get(name="編集者"))
    return user


def test_an_editor_renames_schedules_previews_and_reads_the_history(visit, editor):
    project = ProjectFactory(slug="tidal", title_ja="潮流発電の検討", published_at=None)
    page = visit.page

    page.goto("/admin/login/")
    page.get_by_label("ユーザー名").fill("henshu")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/admin/")
    # An 編集者's dashboard: content, not donations.
    assert "公開予定" in page.content() and "年度別の寄附" not in page.content()

    page.goto(f"/admin/projects/project/{project.pk}/change/")
    page.get_by_role("textbox", name="名称（日本語）:", exact=True).fill("潮流発電の実証")
    publish_on = timezone.localdate() + datetime.timedelta(days=7)
    page.locator("#id_published_at_0").fill(publish_on.isoformat())
    page.locator("#id_published_at_1").fill("09:00")
    page.get_by_role("button", name="保存して編集を続ける").click()
    page.wait_for_load_state()
    assert "公開予約" in page.content()
    project.refresh_from_db()
    assert project.title_ja == "潮流発電の実証"
    assert timezone.localtime(project.published_at).date() == publish_on

    # The public does not see it yet; the editor previews it at its own address.
    page.get_by_role("link", name="プレビュー", exact=True).click()
    page.wait_for_url("**/projects/tidal/?preview=1")
    assert "プレビュー表示中" in page.get_by_role("status").inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "潮流発電の実証"

    page.goto(f"/admin/projects/project/{project.pk}/history/")
    history = page.locator("#content").inner_text()
    assert "名称（日本語）" in history
    assert "潮流発電の検討 → 潮流発電の実証" in history
    assert "湘南 花子" in history
    report = axe_violations(page)
    assert report == "", report


def test_the_public_sees_nothing_of_the_scheduled_project(visit, editor):
    ProjectFactory(
        slug="tidal",
        title_ja="潮流発電の実証",
        published_at=timezone.now() + datetime.timedelta(days=7),
    )
    response = visit.page.goto("/projects/tidal/?preview=1")
    assert response.status == 404
    assert not Project.objects.public().filter(slug="tidal").exists()
