"""`manage.py generate_demo_data`: a separate database of synthetic data, N× the seed, that
the site serves as it serves real data, and that never mixes with real records.

Building a database migrates it (tens of seconds on a busy machine), so the SQLite database is
built once for the module and rebuilt in place (flushed, not migrated again) for each scale.
"""

from __future__ import annotations

import sqlite3
from urllib.parse import quote

import dj_database_url
import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.hiratsuka_portal.demo_data_tools import probe, seed_counts

pytestmark = pytest.mark.slow

PAGES = [
    "/",
    "/projects/",
    "/projects/{first}/",
    "/research-group/",
    "/donations/",
    "/agreements/",
    "/en/projects/",
    "/en/donations/",
    f"/search/?q={quote('波力')}",
]
# What is counted, by the seed's name for it.
KINDS = [
    "projects.organization",
    "projects.project",
    "projects.milestone",
    "projects.membership",
    "projects.meeting",
    "projects.outcome",
    "projects.facility",
    "donations.donor",
    "donations.donation",
    "donations.donationinquiry",
    "agreements.agreement",
    "agreements.article",
    "agreements.agreementevent",
]


def generate(url: str, scale: int, **options) -> None:
    call_command("generate_demo_data", scale=scale, into=url, verbosity=0, **options)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The same SQLite file built at scale 2, then at scale 4, with the default seed."""
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    generate(url, 2)
    at_2 = probe(url)
    generate(url, 4)
    at_4 = probe(url, PAGES)
    return {"url": url, 2: at_2, 4: at_4}


def test_counts_grow_with_the_scale_about_n_times_the_seed(builds):
    seed = seed_counts()
    at_2, at_4 = builds[2]["counts"], builds[4]["counts"]
    for kind in KINDS:
        synthetic_at_2 = at_2[kind] - seed.get(kind, 0)
        assert synthetic_at_2 > 0, kind
        # Scale N adds N − 1 equal steps: scale 4 adds three times what scale 2 added.
        assert at_4[kind] - seed.get(kind, 0) == 3 * synthetic_at_2, kind
    # Kinds the seed has: one step adds as many as the seed holds.
    assert at_2["projects.project"] == 2 * seed["projects.project"]
    assert at_2["donations.donation"] == 2 * seed["donations.donation"]
    # The seed has no inquiries: five per step, with the follow-up's notes.
    assert at_2["donations.donationinquiry"] == 5
    assert at_4["donations.inquirynote"] > 0
    # A rebuild replaces the previous demo data; the marker says which build is there.
    assert at_4["hiratsuka_portal.demodatamarker"] == 1


def test_the_audit_trail_has_every_synthetic_record(builds):
    assert builds[4]["project_history"] == builds[4]["counts"]["projects.project"]


def test_staff_to_train_with_one_per_role_who_follow_the_inquiries_up(builds):
    assert builds[4]["staff"] == {
        "demo-tanaka": ["寄附担当", False],
        "demo-suzuki": ["編集者", False],
        "demo-sato": ["閲覧者", False],
    }
    assert builds[4]["assigned_inquiries"] > 0


def test_the_public_pages_of_the_demo_database_render(builds):
    pages = builds[4]["pages"]
    title = builds[4]["first_title"]
    for path, (status, _html) in pages.items():
        assert status == 200, path
    assert title in pages["/projects/"][1]
    detail = f"/projects/{builds[4]['first_slug']}/"
    assert title in pages[detail][1]
    # Synthetic companies appear among the donors, in both languages.
    assert "株式会社" in pages["/donations/"][1]
    assert "Co., Ltd." in pages["/en/donations/"][1] or "Inc." in pages["/en/donations/"][1]


def test_the_same_seed_gives_the_same_data(builds):
    assert builds[2]["first_title"] == builds[4]["first_title"]
    assert builds[2]["first_title"].endswith("（1）")


def test_asking_again_for_the_same_build_changes_nothing(builds):
    generate(builds["url"], 4)
    assert probe(builds["url"])["counts"] == builds[4]["counts"]


def test_refuses_the_database_the_site_uses(settings, tmp_path):
    site = tmp_path / "site.sqlite3"
    settings.DATABASE_URL = f"sqlite:///{site}"
    with pytest.raises(CommandError, match="the database the site itself uses"):
        generate(f"sqlite:///{site}", 2)
    assert not site.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the live test database is SQLite")
def test_refuses_the_database_the_tests_run_on():
    config = connection.settings_dict
    url = f"postgres://{config['USER']}@{config['HOST'] or 'localhost'}:5432/{config['NAME']}"
    with pytest.raises(CommandError, match="the database the site itself uses"):
        generate(url, 2)


def test_refuses_a_database_that_holds_data_but_is_not_demo_data(tmp_path):
    real = tmp_path / "real.sqlite3"
    with sqlite3.connect(real) as database:
        database.execute("CREATE TABLE projects_project (id INTEGER PRIMARY KEY, title TEXT)")
        database.execute("INSERT INTO projects_project (title) VALUES ('第3世代波力発電')")
    with pytest.raises(CommandError, match="not marked as demo data"):
        generate(f"sqlite:///{real}", 2)
    with sqlite3.connect(real) as database:
        tables = database.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
        rows = database.execute("SELECT title FROM projects_project").fetchall()
    assert tables == [("projects_project",)]
    assert rows == [("第3世代波力発電",)]


@pytest.mark.parametrize(
    ("scale", "into", "message"),
    [
        (0, "sqlite:///var/never.sqlite3", "--scale must be between 1 and"),
        (2, "mysql://localhost/demo", "SQLite or a PostgreSQL"),
    ],
)
def test_bad_arguments_get_a_clear_message(scale, into, message):
    with pytest.raises(CommandError, match=message):
        generate(into, scale)


@pytest.fixture
def throwaway_postgres_url():
    """A database named after the test database (the branch's prefix), dropped afterwards."""
    config = connection.settings_dict
    name = f"{config['NAME']}_demo"
    base = {
        "user": config["USER"],
        "host": config["HOST"] or "localhost",
        "port": config["PORT"] or 5432,
    }
    url = f"postgres://{base['user']}@{base['host']}:{base['port']}/{name}"

    def drop():
        with psycopg.connect(dbname="postgres", autocommit=True, **base) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    yield url
    drop()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="DATABASE_URL is not PostgreSQL")
def test_builds_a_postgres_database_of_its_own(throwaway_postgres_url, builds):
    # The command creates the database it is given.
    generate(throwaway_postgres_url, 2)
    result = probe(throwaway_postgres_url, ["/projects/"])
    assert dj_database_url.parse(throwaway_postgres_url)["NAME"].endswith("_demo")
    assert result["counts"] == builds[2]["counts"]
    # The same seed gives the same data on either database.
    assert result["first_title"] == builds[2]["first_title"]
    status, html = result["pages"]["/projects/"]
    assert status == 200 and result["first_title"] in html
