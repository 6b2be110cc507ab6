"""The dashboard's kit: the panel registry shown per user, and the latest changes across the
audit trail (who, when, what kind, which record) in a constant number of queries."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import dashboard
from core.recent_changes import historical_models, recent_changes
from tests.admin_tools import admin_url, save_change_form
from tests.core.dashboard_tools import dashboard_panels, staff_member, text
from tests.donations.factories import DonationFactory
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_panel_key_is_registered_once():
    panel = dashboard.registered()[0]
    with pytest.raises(ImproperlyConfigured):
        dashboard.register(panel)


def test_every_model_with_an_audit_trail_is_found_without_naming_an_app():
    found = {model.instance_type._meta.label for model in historical_models()}
    assert {"projects.Project", "donations.Donation", "agreements.Agreement"} <= found
    assert {"core.SiteProfile", "hiratsuka_portal.SitePage"} <= found


def test_the_latest_changes_replace_django_recent_actions(staff_client):
    response = staff_client.get("/admin/")
    page = response.content.decode()
    assert "最近の変更" in page
    assert "recent-actions-module" not in page and "最近行った操作" not in page
    # The page loads our stylesheet, and no script or style of its own (the CSP forbids it).
    assert "/static/css/admin_dashboard.css" in page and "<style" not in page


def test_a_change_shows_its_author_kind_record_and_link(client, staff):
    project = ProjectFactory(title_ja="第3世代波力発電")
    editor = staff_member("editor", "projects.view_project", "projects.change_project")
    editor.first_name, editor.last_name = "花子", "平塚"
    editor.save()
    client.force_login(editor)
    save_change_form(client, project, title_ja="第3世代波力発電（海域実証）")

    changes = recent_changes(editor)

    latest = changes[0]
    assert (latest.kind_label, latest.record, latest.user) == (
        "変更",
        "第3世代波力発電（海域実証）",
        "平塚 花子",
    )
    assert latest.model_name == str(type(project)._meta.verbose_name)
    assert latest.url == admin_url(type(project), "change", project.pk)
    panel = dashboard_panels(client)["latest-changes"]
    assert "変更者：平塚 花子" in panel and "第3世代波力発電（海域実証）" in panel
    assert f'href="{latest.url}"' in panel


def test_a_deletion_links_to_the_record_history(staff_client):
    project = ProjectFactory(title_ja="波力船")
    pk = project.pk
    project.delete()

    latest = recent_changes(staff_client.user)[0]

    assert (latest.kind_label, latest.record) == ("削除", "波力船")
    assert latest.url == admin_url(type(project), "history", pk)
    assert staff_client.get(latest.url).status_code == 200


def test_only_the_models_the_user_may_view(client):
    DonationFactory()
    ProjectFactory(title_ja="水中カメラロボット")
    editor = staff_member("editor", "projects.view_project")

    records = [change.record for change in recent_changes(editor)]

    assert records == ["水中カメラロボット"]
    client.force_login(editor)
    assert "寄附" not in text(dashboard_panels(client)["latest-changes"])


def test_a_record_named_by_another_record_is_named_without_a_query(staff):
    donation = DonationFactory()
    with CaptureQueriesContext(connection) as context:
        changes = recent_changes(staff)
    by_model = {change.model_name: change for change in changes}
    # A donation's name would need its donor: its kind and number say which record it is.
    assert by_model["寄附"].record == f"寄附 #{donation.pk}"
    assert by_model["寄附者"].record == donation.donor.name
    # The changes and the records' names; no author recorded, so no user to look up.
    assert len(context.captured_queries) == 2


def test_the_latest_changes_cost_three_queries_whatever_their_mix(staff):
    ProjectFactory.create_batch(3)
    DonationFactory.create_batch(3)
    for project in ProjectFactory._meta.model.objects.all():
        project._history_user = staff
        project.save()
    with CaptureQueriesContext(connection) as context:
        changes = recent_changes(staff, limit=10)
    assert len(changes) == 10
    assert any(change.user == staff.username for change in changes)
    assert len(context.captured_queries) == 3


def test_without_any_record_the_panel_says_so(client):
    client.force_login(staff_member("viewer", "projects.view_project"))
    assert "変更の記録はまだありません。" in dashboard_panels(client)["latest-changes"]
