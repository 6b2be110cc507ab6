"""Staff export the projects to CSV/XLSX with Japanese column headers."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from projects.models import Project
from tests.admin_tools import admin_url
from tests.spreadsheet_tools import XLSX, export, xlsx_rows

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_projects_export_to_csv_for_excel(staff_client):
    ProjectFactory(title_ja="第3世代波力発電", start_fiscal_year=2023, accepts_donations=True)
    response = export(staff_client, Project)
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, row = response.content.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("ID,名称,名称（英語）,URL用の名前,状況,開始年度,開始年度（和暦）")
    assert "第3世代波力発電" in row and "令和5年度" in row and "はい" in row
    assert "公開中" in row  # 公開状態


def test_projects_export_to_xlsx(staff_client):
    ProjectFactory(title_ja="波力船")
    rows = xlsx_rows(export(staff_client, Project, XLSX).content)
    assert rows[0][1] == "名称" and rows[1][1] == "波力船"


def test_the_project_export_needs_view_permission(django_user_model):
    user = django_user_model.objects.create_user(username="etsuran", is_staff=True, password=None)
    client = Client()
    client.force_login(user)
    assert client.get(admin_url(Project, "export")).status_code == 403
    user.user_permissions.set(Permission.objects.filter(codename="view_project"))
    assert client.get(admin_url(Project, "export")).status_code == 200
    # Projects are exported, never imported.
    assert client.get(admin_url(Project, "changelist")).status_code == 200
