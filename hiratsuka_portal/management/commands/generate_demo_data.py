"""Build a separate database of plausible synthetic data, N× the seed, for benchmarks and staff
training.

    python manage.py generate_demo_data --scale 10 --into sqlite:///var/demo-10.sqlite3
    python manage.py generate_demo_data --scale 100 --into postgres://postgres@127.0.0.1:5432/demo100

Scale N: the seed (``load_seed``) plus N − 1 "steps" of synthetic records, one step holding about
as many records of each kind as the seed does (``core.demo_data``), so ``--scale 1`` is the seed
alone. The same ``--seed`` gives the same data.

Real records are never mixed with synthetic ones: the command refuses the site's own database
(``settings.DATABASE_URL`` and every configured connection) and any database that already has
tables but is not marked as demo data (``hiratsuka_portal.DemoDataMarker``). A demo database is
rebuilt from scratch unless it already holds a finished build of the same scale and seed, in
which case nothing is done (a benchmark can ask for it every run).

How: the command checks the target, then runs itself again in a child process whose
``DATABASE_URL`` is the target, so every write (the seed, the audit trail, the roles' groups)
goes to the target through the default connection and nothing else is open. It prints nothing
on stdout; progress goes to stderr (quiet with ``-v 0``); it exits 0 on success.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from core.demo_data import DemoContext, demo_kinds
from hiratsuka_portal.models import DemoDataMarker
from hiratsuka_portal.roles import DONATIONS_OFFICER, EDITOR, VIEWER

DEFAULT_SEED = 20260401
MAX_SCALE = 1000
# Set in the child process: the target is its default database and has been checked.
CHILD_ENV = "HIRATSUKA_DEMO_DATA_REPORT"
REFUSED_EXIT = 3
LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1"}
# The synthetic staff: username, family name, given name, role.
DEMO_STAFF = [
    ("demo-tanaka", "田中", "花子", DONATIONS_OFFICER),
    ("demo-suzuki", "鈴木", "一郎", EDITOR),
    ("demo-sato", "佐藤", "美咲", VIEWER),
]


class Command(BaseCommand):
    help = (
        "Build a separate database of synthetic demo data, N× the seed (benchmarks, staff "
        "training). Refuses the site's own database and any database not made by this command."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale", type=int, required=True, help="N× the seed's records (1: the seed alone)"
        )
        parser.add_argument(
            "--into",
            required=True,
            metavar="DATABASE_URL",
            help="the demo database, as DATABASE_URL takes it (sqlite:///var/demo-10.sqlite3)",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
        )

    def handle(self, *args, scale: int, into: str, seed: int, verbosity: int, **options):
        if not 1 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale must be between 1 and {MAX_SCALE} (got {scale}).")
        target = _parse(into)
        if report := os.environ.get(CHILD_ENV):
            # Only ever the target itself, whatever the environment says.
            if _identity(_parse(settings.DATABASE_URL)) != _identity(target):
                raise CommandError("The demo data's child process runs on another database.")
            self._build_here(scale=scale, seed=seed, verbosity=verbosity, report=Path(report))
            return
        _refuse_site_database(target, into)
        self._build_in_child(into=into, scale=scale, seed=seed, verbosity=verbosity)

    # --- The parent: checks what it can without touching the target, runs the child ----------

    def _build_in_child(self, *, into: str, scale: int, seed: int, verbosity: int) -> None:
        with tempfile.TemporaryDirectory(prefix="demo-data-") as folder:
            report = Path(folder) / "report.txt"
            env = {**os.environ, "DATABASE_URL": into, CHILD_ENV: str(report)}
            command = [
                sys.executable,
                str(Path(settings.BASE_DIR) / "manage.py"),
                "generate_demo_data",
                f"--scale={scale}",
                f"--seed={seed}",
                f"--into={into}",
                f"--verbosity={verbosity}",
            ]
            # stdout is the child's own (it prints nothing); stderr carries the progress bars.
            # Same working directory: a relative SQLite path names the same file in both.
            result = subprocess.run(command, env=env, check=False)
            message = report.read_text(encoding="utf-8") if report.exists() else ""
        if result.returncode == REFUSED_EXIT and message:
            raise CommandError(message)
        if result.returncode != 0:
            raise CommandError(
                message
                or f"Building the demo data into {_safe(into)} failed (exit {result.returncode})."
            )

    # --- The child: the target is the default database ----------------------------------------

    def _build_here(self, *, scale: int, seed: int, verbosity: int, report: Path) -> None:
        try:
            self._build(scale=scale, seed=seed, verbosity=verbosity)
        except CommandError as error:
            # The parent raises it (and prints it once).
            report.write_text(str(error), encoding="utf-8")
            sys.exit(REFUSED_EXIT)

    def _build(self, *, scale: int, seed: int, verbosity: int) -> None:
        say = (lambda text: sys.stderr.write(text + "\n")) if verbosity >= 1 else (lambda t: None)
        name = _safe(settings.DATABASE_URL)
        _ensure_database_exists()
        marker = _demo_marker(name)
        if (
            marker is not None
            and marker.completed_at
            and (marker.scale, marker.seed)
            == (
                scale,
                seed,
            )
        ):
            say(f"{name} already holds the demo data ×{scale} (seed {seed}); nothing to do.")
            return
        say(f"Migrating {name}…")
        call_command("migrate", interactive=False, verbosity=0)
        if marker is not None:
            say("Emptying the previous demo data…")
            call_command("flush", interactive=False, verbosity=0)
        DemoDataMarker.objects.create(scale=scale, seed=seed, started_at=timezone.now())
        say("Loading the seed…")
        call_command("load_seed", stdout=_Discard())
        _demo_staff_create()
        context = DemoContext(
            steps=scale - 1, seed=seed, progress_factory=_progress_bars(verbosity)
        )
        autodiscover_modules("demo_data")
        for kind in demo_kinds():
            with transaction.atomic():
                kind.build(context)
        DemoDataMarker.objects.update(completed_at=timezone.now())
        say(f"Demo data ×{scale} is ready in {name}.")


def _demo_staff_create() -> None:
    """Staff accounts for training, one per role, without a password: give one with
    ``manage.py changepassword demo-tanaka`` on the demo database."""
    User = get_user_model()
    for username, last_name, first_name, role in DEMO_STAFF:
        user = User(
            username=username,
            last_name=last_name,
            first_name=first_name,
            email=f"{username}@example.jp",
            is_staff=True,
        )
        user.set_unusable_password()
        user.save()
        user.groups.set(Group.objects.filter(name=role))


class _Discard:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass


def _progress_bars(verbosity: int):
    from tqdm import tqdm

    def factory(label: str, total: int):
        return tqdm(
            total=total,
            desc=f"{label:<24}",
            unit=" records",
            file=sys.stderr,
            disable=verbosity == 0,
            dynamic_ncols=True,
        )

    return factory


def _parse(url: str) -> dict[str, Any]:
    try:
        config = dj_database_url.parse(url)
    except Exception as error:  # dj-database-url raises several kinds for a bad URL
        raise CommandError(f"--into is not a database URL: {url!r} ({error})") from error
    if config.get("ENGINE") not in (
        "django.db.backends.sqlite3",
        "django.db.backends.postgresql",
    ):
        raise CommandError(f"--into must name an SQLite or a PostgreSQL database, not {url!r}.")
    if not config.get("NAME"):
        raise CommandError(f"--into names no database: {url!r}.")
    return config


def _identity(config: dict[str, Any]) -> tuple:
    """What tells two database settings apart: the engine, where, and which database."""
    engine = config.get("ENGINE", "")
    # The site's own PostgreSQL backend (core.postgresql, settings.py) is Django's with a
    # circuit breaker: the database it names is the same one.
    if engine == "core.postgresql":
        engine = "django.db.backends.postgresql"
    name = str(config.get("NAME") or "")
    if engine == "django.db.backends.sqlite3":
        if name != ":memory:" and not name.startswith("file:"):
            name = str(Path(name).expanduser().resolve())
        return (engine, name)
    host = str(config.get("HOST") or "")
    host = "localhost" if host in LOCAL_HOSTS else host
    port = str(config.get("PORT") or "5432")
    return (engine, host, port, name)


def _refuse_site_database(target: dict[str, Any], into: str) -> None:
    site = [dj_database_url.parse(settings.DATABASE_URL)]
    site += [connections.settings[alias] for alias in connections.settings]
    if any(_identity(target) == _identity(config) for config in site):
        raise CommandError(
            f"Refusing to write demo data into {_safe(into)}: it is the database the site itself "
            "uses. Name a separate database with --into."
        )


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    config = dj_database_url.parse(url)
    if config.get("ENGINE") == "django.db.backends.sqlite3":
        return f"sqlite:///{config.get('NAME')}"
    user = f"{config['USER']}@" if config.get("USER") else ""
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{user}{config.get('HOST') or ''}{port}/{config.get('NAME')}"


def _ensure_database_exists() -> None:
    """Create the PostgreSQL database the URL names if there is none yet (SQLite creates its
    file by itself)."""
    config = connection.settings_dict
    if connection.vendor != "postgresql":
        Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        return
    import psycopg
    from psycopg import sql

    # Asked of the server's maintenance database: the pool would only time out on a missing one.
    server = {
        "dbname": "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    with psycopg.connect(autocommit=True, **server) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not exists:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))


def _demo_marker(name: str) -> DemoDataMarker | None:
    """The marker of a demo database; None for an empty one; refuses any other."""
    tables = set(connection.introspection.table_names())
    if not tables:
        return None
    marker_table = DemoDataMarker._meta.db_table
    marker = None
    if marker_table in tables:
        marker = DemoDataMarker.objects.using(DEFAULT_DB_ALIAS).order_by("pk").first()
    if marker is None:
        raise CommandError(
            f"Refusing to write demo data into {name}: it already holds tables and is not marked "
            "as demo data (no hiratsuka_portal_demodatamarker row), so it may hold real records. "
            "Name a new, empty database with --into."
        )
    return marker
