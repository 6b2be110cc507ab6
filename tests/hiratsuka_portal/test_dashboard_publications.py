"""The dashboard's 公開予定: what is scheduled to appear on the public site, soonest first, for
the staff who may see those records, gone from the list once its time has come."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from tests.agreements.factories import AgreementEventFactory
from tests.core.dashboard_tools import dashboard_panels, table_rows
from tests.projects.factories import ProjectFactory

pytestmark = pytest.mark.django_db

JST = datetime.timezone(datetime.timedelta(hours=9))
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=JST)


@time_machine.travel(NOW, tick=False)
def test_an_editor_sees_what_is_scheduled_soonest_first(user_with_role):
    later = ProjectFactory(
        title_ja="水中カメラロボット", published_at=NOW + datetime.timedelta(days=9)
    )
    ProjectFactory(title_ja="公開済みの事業")
    ProjectFactory(title_ja="下書きの事業", published_at=None)
    AgreementEventFactory(
        title_ja="協定更新の記者発表", published_at=NOW + datetime.timedelta(hours=5)
    )
    editor = user_with_role("編集者")

    rows = table_rows(dashboard_panels(editor)["upcoming-publications"])

    assert [row[:2] for row in rows[1:]] == [
        ["協定更新の記者発表", "協定の経緯"],
        ["水中カメラロボット", "研究開発プロジェクト"],
    ]
    assert rows[1][2] == "令和8年12月1日 15:00"
    assert (
        f"/admin/projects/project/{later.pk}/change/"
        in dashboard_panels(editor)["upcoming-publications"]
    )


def test_a_scheduled_record_leaves_the_list_when_its_time_comes(user_with_role):
    due = timezone.now() + datetime.timedelta(hours=1)
    ProjectFactory(title_ja="波力船", published_at=due)
    editor = user_with_role("編集者")
    assert "波力船" in dashboard_panels(editor)["upcoming-publications"]
    with time_machine.travel(due + datetime.timedelta(seconds=1)):
        panel = dashboard_panels(editor)["upcoming-publications"]
    assert "波力船" not in panel
    assert "公開を予定している記録はありません。" in panel


def test_the_list_holds_only_what_the_user_may_view(client, django_user_model):
    from django.contrib.auth.models import Permission

    ProjectFactory(title_ja="波力船", published_at=timezone.now() + datetime.timedelta(days=1))
    AgreementEventFactory(
        title_ja="協定更新の記者発表", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    user = django_user_model.objects.create_user(username="kyotei", is_staff=True, password=None)
    user.user_permissions.set(Permission.objects.filter(codename="view_agreementevent"))
    client.force_login(user)
    panel = dashboard_panels(client)["upcoming-publications"]
    assert "協定更新の記者発表" in panel and "波力船" not in panel
