"""Helpers for the demo-data tests: look into a generated database the way the site would.

The probe runs in a child process whose DATABASE_URL is the demo database (as
``DATABASE_URL=... make run`` would serve it), so the test's own database is never involved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

# What every probe runs first (``_run`` puts it before the script): Django set up on the
# database its environment names.
SETUP = r"""
import json, sys
import django
from django.conf import settings
django.setup()
# As in the tests (conftest.py): the static files are served unhashed, no collectstatic needed.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
"""

PROBE = r"""
from django.apps import apps
from django.test import Client

paths = json.loads(sys.argv[1])
Project = apps.get_model("projects", "Project")
first = Project.objects.filter(slug__startswith="demo-").order_by("pk").first()
labels = [
    "projects.organization", "projects.project", "projects.milestone", "projects.participation",
    "projects.membership", "projects.meeting", "projects.outcome", "projects.facility",
    "donations.donor", "donations.donation", "donations.donationinquiry",
    "donations.inquirynote", "agreements.agreement", "agreements.article",
    "agreements.agreementevent", "hiratsuka_portal.demodatamarker",
]
counts = {label: apps.get_model(label)._default_manager.count() for label in labels}
history = apps.get_model("projects", "HistoricalProject")._default_manager.count()
User = apps.get_model("auth", "User")
staff = {
    user.username: [group.name for group in user.groups.all()] + [user.has_usable_password()]
    for user in User.objects.filter(is_staff=True).prefetch_related("groups")
}
assigned = apps.get_model("donations", "DonationInquiry").objects.filter(
    assignee__isnull=False
).count()
pages = {}
client = Client(HTTP_HOST="localhost")
for path in paths:
    path = path.replace("{first}", first.slug if first else "missing")
    response = client.get(path)
    pages[path] = [response.status_code, response.content.decode("utf-8", "replace")]
print(json.dumps({
    "counts": counts,
    "project_history": history,
    "staff": staff,
    "assigned_inquiries": assigned,
    "first_title": first.title_ja if first else None,
    "first_slug": first.slug if first else None,
    "pages": pages,
}))
"""


def probe(database_url: str, paths: list[str] | None = None) -> dict:
    """Counts, the first synthetic project and the pages at ``paths`` of the demo database."""
    return _run(PROBE, database_url, paths or [])


def _run(script: str, database_url: str, paths: list[str], **env) -> dict:
    """What ``script`` prints last, as JSON, run in a child process serving ``database_url``."""
    result = subprocess.run(
        [sys.executable, "-c", SETUP + script, json.dumps(paths)],
        env={**os.environ, "DATABASE_URL": database_url, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


QUERY_COUNTS_PROBE = r"""
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from projects.models import Project
from agreements.models import Agreement

# The first public synthetic project and agreement stand for {project} and {agreement}.
synthetic = {
    "{project}": Project.objects.public().filter(slug__startswith="demo-").order_by("pk").first(),
    "{agreement}": (
        Agreement.objects.public().filter(slug__startswith="demo-").order_by("pk").first()
    ),
}
client = Client(HTTP_HOST="localhost")
counts = {}
for name in json.loads(sys.argv[1]):
    path = name
    for placeholder, record in synthetic.items():
        path = path.replace(placeholder, record.slug if record else "missing")
    client.get(path)  # The first request of a process sets up what later ones reuse.
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
    counts[name] = [response.status_code, len(context.captured_queries)]
print(json.dumps(counts))
"""


def query_counts(database_url: str, paths: list[str]) -> dict[str, list[int]]:
    """[status, SQL queries] of each rendered page of the database at ``database_url`` (the
    page cache off), asked for twice in a child process that serves that database. ``{project}``
    and ``{agreement}`` in a path stand for the first public synthetic one's slug."""
    return _run(QUERY_COUNTS_PROBE, database_url, paths, PAGE_CACHE_ENABLED="0")


def seed_counts() -> dict[str, int]:
    """How many records of each model the seed (fixtures/*.json) holds."""
    counts: dict[str, int] = {}
    for fixture in sorted((Path(settings.BASE_DIR) / "fixtures").glob("*.json")):
        for item in json.loads(fixture.read_text(encoding="utf-8")):
            counts[item["model"]] = counts.get(item["model"], 0) + 1
    return counts
