"""What the fault test runs against, on loopback: a PostgreSQL database of its own (made from
TEST_DATABASE_URL's server, dropped after), reached through a proxy the test controls
(``proxy.FaultProxy``), a Redis server of its own on a free port (started, killed and started
again by the test), and gunicorn app servers under production settings (tools/appserver.py).

The machine's PostgreSQL service is never stopped: "the database goes down" is the proxy
refusing or black-holing connections.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis
from django.conf import settings

from tests.scaleout.stack import fresh_database
from tools.appserver import BASE_DIR, AppServer, environ_without_site_settings, free_port, manage
from tools.benchmark import static_version

from .proxy import FaultProxy

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
# Production's static files (hashed, compressed), collected once and kept while what they are
# collected from is unchanged: collecting them takes longer than the rest of the test.
STATIC_ROOT = BASE_DIR / "var" / "faults" / "static"
# The test plays the TLS proxy in front of the servers (tests/scaleout/visitor.py).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# The settings whose defaults are under test: the caller's shell must not change them.
FAULT_SETTINGS = (
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_POOL_TIMEOUT",
    "DATABASE_POOL_MIN_SIZE",
    "DATABASE_POOL_MAX_SIZE",
    "DATABASE_POOL_RECONNECT_TIMEOUT",
    "DATABASE_BREAKER_SECONDS",
    "DONATION_INQUIRY_RATE_LIMIT",
)


def unavailable(message: str):
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"The fault test needs it: {message}", pytrace=False)
    pytest.skip(message)


def database_urls() -> tuple[str, str, tuple[str, int]]:
    """(the maintenance database, the test's own database, the server's address) from
    TEST_DATABASE_URL: the test's database is that one's name + "_faults"."""
    base = urlsplit(os.environ.get("TEST_DATABASE_URL") or DEFAULT_DATABASE_URL)
    name = base.path.lstrip("/") or "postgres"
    maintenance = urlunsplit(base._replace(path="/postgres"))
    own = urlunsplit(base._replace(path=f"/{name}_faults"))
    try:
        psycopg.connect(maintenance, connect_timeout=3).close()
    except psycopg.Error as error:
        unavailable(f"PostgreSQL is not reachable at {maintenance} ({error})")
    return maintenance, own, (base.hostname or "127.0.0.1", base.port or 5432)


def through(url: str, proxy: FaultProxy) -> str:
    """``url`` with the proxy's address in place of the server's."""
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    if parts.password:
        user = f"{parts.username}:{parts.password}@"
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{proxy.port}"))


class RedisServer:
    """redis-server of the test's own on a free port, without persistence: killed and
    started again (empty) on the same port."""

    def __init__(self, log: Path):
        binary = shutil.which("redis-server")
        if not binary:
            unavailable("redis-server is not installed (make test-faults installs Debian's)")
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log
        self.process: subprocess.Popen | None = None
        self.start()

    def start(self) -> None:
        with self.log.open("a") as stream:
            self.process = subprocess.Popen(
                [
                    self.binary,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                ],
                stdout=stream,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
                return
            except redis.RedisError as error:
                if time.monotonic() > deadline:
                    message = f"redis-server did not start:\n{self.log.read_text()}"
                    raise RuntimeError(message) from error
                time.sleep(0.05)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


def server_env(*, database_url: str, var_dir: Path, redis_url: str | None, page_cache: bool):
    """Production settings as README documents them, behind a TLS proxy; nothing of the
    caller's site settings. The test's own secret, so that the form tokens it makes
    (tests/donations/inquiry_tools.valid_data) are the servers' too."""
    env = environ_without_site_settings(*FAULT_SETTINGS) | {
        "DJANGO_SETTINGS_MODULE": "hiratsuka_portal.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        # No task worker runs here: queued mail stays queued.
        "EMAIL_HOST": "127.0.0.1",
        "DATABASE_URL": database_url,
        "PAGE_CACHE_ENABLED": "1" if page_cache else "0",
        "DJANGO_VAR_DIR": str(var_dir),
        "DJANGO_MEDIA_ROOT": str(var_dir / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(var_dir / "private"),
        "DJANGO_STATIC_ROOT": str(STATIC_ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


@contextlib.contextmanager
def seeded_database(workdir: Path, users: dict[str, str]) -> Iterator[tuple[str, tuple, Path]]:
    """The test's own database, migrated and seeded, static files collected, ``users`` (name:
    password) as superusers: (its URL, the server's address, the var folder)."""
    maintenance, own, address = database_urls()
    var_dir = workdir / "var"
    with fresh_database(maintenance, own):
        env = server_env(database_url=own, var_dir=var_dir, redis_url=None, page_cache=False)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_seed")
        collectstatic(env)
        for username, password in users.items():
            manage(
                env | {"DJANGO_SUPERUSER_PASSWORD": password},
                "createsuperuser",
                "--noinput",
                "--username",
                username,
                "--email",
                f"{username}@city.hiratsuka.kanagawa.jp",
            )
        yield own, address, var_dir


def collectstatic(env: dict[str, str]) -> None:
    """``STATIC_ROOT`` collected, unless it already is from the same files (as the
    benchmark keeps its own)."""
    stamp = STATIC_ROOT.with_name(STATIC_ROOT.name + ".stamp")
    version = static_version()
    manifest = STATIC_ROOT / "staticfiles.json"
    if manifest.exists() and stamp.exists() and stamp.read_text() == version:
        return
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    manage(env, "collectstatic", "--noinput", "-v", "0")
    stamp.write_text(version)


def app_server(env: dict[str, str], log: Path) -> AppServer:
    """Two sync workers, as on this two-core machine."""
    return AppServer(env, log, 2, probe_headers=PROXY_HEADERS)


def sql(url: str, query: str, *params):
    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(query, params)
        return cursor.fetchall() if cursor.description else []
