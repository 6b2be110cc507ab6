"""The migrations that introduced the publishing workflow: a site that existed before shows
exactly what it showed, and what was a draft stays one. (A module of its own: it migrates the
database back and forth, which needs a transactional test.)"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from agreements.models import Agreement, AgreementEvent
from hiratsuka_portal.models import SitePage
from projects.models import Meeting, Project

BEFORE = [
    ("projects", "0007_url_name_instead_of_slug"),
    ("agreements", "0005_url_name_instead_of_slug"),
    ("donations", "0009_receipt_numbers_assigned_per_fiscal_year"),
    ("hiratsuka_portal", "0005_staff_roles"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_what_was_public_stays_public_and_drafts_stay_drafts():
    old = migrate(BEFORE)
    try:
        OldProject = old.get_model("projects", "Project")
        OldProject.objects.create(slug="shown", title="公開の事業", summary="-", is_published=True)
        OldProject.objects.create(slug="draft", title="下書きの事業", summary="-")
        group = old.get_model("projects", "ResearchGroup").objects.create(
            slug="group", name="研究会", founded_on=datetime.date(2016, 6, 1), is_published=True
        )
        old.get_model("projects", "Meeting").objects.create(
            research_group=group,
            kind="general",
            title="総会",
            starts_at=timezone.now(),
            place="市役所",
        )
        agreement = old.get_model("agreements", "Agreement").objects.create(
            slug="iis",
            title="協定",
            signed_on=datetime.date(2019, 3, 19),
            in_force_from=datetime.date(2019, 3, 19),
            purpose="-",
            is_published=True,
        )
        old.get_model("agreements", "AgreementEvent").objects.create(
            agreement=agreement,
            occurred_on=datetime.date(2019, 3, 19),
            kind="signing",
            title="締結",
        )
        old.get_model("hiratsuka_portal", "SitePage").objects.create(
            kind="privacy", title="個人情報"
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert set(Project.objects.public().values_list("slug", flat=True)) == {"shown"}
    assert Project.objects.get(slug="draft").publication_state == "draft"
    assert Meeting.objects.public().count() == 1
    assert Agreement.objects.public().count() == 1
    assert AgreementEvent.objects.public().count() == 1
    assert SitePage.objects.public().count() == 1
