"""The deployment of README's "Several app servers", on loopback: one PostgreSQL database, one
Redis database and one S3-compatible server (moto's; README says why), shared by two gunicorn
app servers under production settings.

Everything is made for the run and taken down after it, whatever happened: the servers stopped,
the database dropped, the Redis database flushed.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import boto3
import psycopg
import pytest
import redis
import requests
from botocore.config import Config

from tools.appserver import (
    BASE_DIR,
    AppServer,
    environ_without_site_settings,
    free_port,
    manage,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
MEDIA_BUCKET = "portal-media"
PRIVATE_BUCKET = "portal-private"
# moto takes any credentials; real ones would come from the environment the same way.
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "scaleout-test", "AWS_SECRET_ACCESS_KEY": "scaleout-test"}
S3_REGION = "us-east-1"
STAFF_PASSWORD = "Shonan-wave-" + secrets.token_hex(8)
# Low enough to reach in a few requests; both are the settings' own environment variables.
INQUIRY_RATE_LIMIT = 2
SIGN_IN_FAILURE_LIMIT = 3
# The test plays the TLS proxy in front of the servers (tests/scaleout/visitor.py).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


@dataclass
class Stack:
    a: AppServer
    b: AppServer
    database_url: str
    redis_url: str
    s3_endpoint: str
    # The session cookie's name under the servers' settings (__Host-sessionid in production).
    session_cookie: str

    def s3(self):
        """A client with the app's credentials, to look at what the servers stored."""
        return s3_client(self.s3_endpoint)

    def sql(self, query: str, *params):
        """Rows of a query on the servers' database (for what a page cannot show)."""
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []


def s3_client(endpoint: str):
    """A client of the S3 server at ``endpoint`` with the app's credentials."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=Config(s3={"addressing_style": "path"}),
    )


def _unavailable(message: str):
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(f"The two-server test needs it: {message}", pytrace=False)
    pytest.skip(message)


def _database_urls() -> tuple[str, str]:
    """(the server's maintenance database, the test's own database) from TEST_DATABASE_URL:
    the test's is that database's name + "_scaleout"."""
    base = urlsplit(os.environ.get("TEST_DATABASE_URL") or DEFAULT_DATABASE_URL)
    name = base.path.lstrip("/") or "postgres"
    maintenance = urlunsplit(base._replace(path="/postgres"))
    own = urlunsplit(base._replace(path=f"/{name}_scaleout"))
    return maintenance, own


def _check_services(maintenance_url: str, redis_url: str) -> None:
    try:
        psycopg.connect(maintenance_url, connect_timeout=3).close()
    except psycopg.Error as error:
        _unavailable(f"PostgreSQL is not reachable at {maintenance_url} ({error})")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except redis.RedisError as error:
        _unavailable(f"Redis is not reachable at {redis_url} ({error})")


@contextlib.contextmanager
def fresh_database(maintenance_url: str, url: str) -> Iterator[None]:
    """The PostgreSQL database ``url`` made empty for the run (through ``maintenance_url`` on
    the same server) and dropped after it."""
    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield
    finally:
        with psycopg.connect(maintenance_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def _redis_database(url: str) -> Iterator[None]:
    client = redis.Redis.from_url(url)
    # Only this database: others on the same Redis belong to someone else.
    client.flushdb()
    try:
        yield
    finally:
        client.flushdb()
        client.close()


@contextlib.contextmanager
def s3_server(log: Path) -> Iterator[str]:
    """moto's standalone S3 server on a free loopback port, with the two buckets."""
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    with log.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=stream,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the S3 server stopped at start:\n{log.read_text()}")
            try:
                requests.get(endpoint, timeout=2)
                break
            except requests.ConnectionError as error:
                if time.monotonic() > deadline:
                    message = f"the S3 server did not answer:\n{log.read_text()}"
                    raise RuntimeError(message) from error
                time.sleep(0.2)
        client = s3_client(endpoint)
        # Both buckets private, as an operator makes them: public media are readable because
        # each object is stored public-read, not because the bucket lets anyone list or read.
        client.create_bucket(Bucket=MEDIA_BUCKET)
        client.create_bucket(Bucket=PRIVATE_BUCKET)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def production_env(*, database_url: str, redis_url: str, s3_endpoint: str, var_dir: Path):
    """The app servers' environment: production settings as README documents them, behind a
    TLS proxy, with nothing of the caller's Django settings leaking in."""
    return environ_without_site_settings("DONATION_INQUIRY_RATE_LIMIT") | {
        "DJANGO_SETTINGS_MODULE": "hiratsuka_portal.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_BEHIND_TLS_PROXY": "1",
        # No task worker runs here: queued mail stays queued, nothing is sent.
        "EMAIL_HOST": "127.0.0.1",
        "DATABASE_URL": database_url,
        "DATABASE_POOL_MAX_SIZE": "4",
        "REDIS_URL": redis_url,
        "DJANGO_S3_BUCKET": MEDIA_BUCKET,
        "DJANGO_S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
        "DJANGO_S3_ENDPOINT_URL": s3_endpoint,
        "DJANGO_S3_REGION": S3_REGION,
        "DJANGO_S3_ADDRESSING_STYLE": "path",
        **S3_CREDENTIALS,
        "DONATION_INQUIRY_RATE_LIMIT": str(INQUIRY_RATE_LIMIT),
        "AXES_FAILURE_LIMIT": str(SIGN_IN_FAILURE_LIMIT),
        # Uploads must not land here: with S3 configured nothing is written to these folders.
        "DJANGO_VAR_DIR": str(var_dir),
        "DJANGO_MEDIA_ROOT": str(var_dir / "media"),
        "DJANGO_PRIVATE_MEDIA_ROOT": str(var_dir / "private"),
        "DJANGO_STATIC_ROOT": str(var_dir / "static"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }


def setting(env: dict[str, str], name: str) -> str:
    """A setting's value as the servers see it (their environment, their settings module)."""
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return completed.stdout.strip().splitlines()[-1]


@contextlib.contextmanager
def running_stack(workdir: Path, *, users: list[str]) -> Iterator[Stack]:
    """The whole deployment, with ``users`` as superusers (password ``STAFF_PASSWORD``)."""
    maintenance_url, database_url = _database_urls()
    redis_url = os.environ.get("SCALEOUT_REDIS_URL") or DEFAULT_REDIS_URL
    _check_services(maintenance_url, redis_url)
    with contextlib.ExitStack() as stack:
        stack.enter_context(fresh_database(maintenance_url, database_url))
        stack.enter_context(_redis_database(redis_url))
        s3_endpoint = stack.enter_context(s3_server(workdir / "s3.log"))
        env = production_env(
            database_url=database_url,
            redis_url=redis_url,
            s3_endpoint=s3_endpoint,
            var_dir=workdir / "var",
        )
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_seed")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        for username in users:
            manage(
                env | {"DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD},
                "createsuperuser",
                "--noinput",
                "--username",
                username,
                "--email",
                f"{username}@city.hiratsuka.kanagawa.jp",
            )
        servers = []
        for name in ("a", "b"):
            server = AppServer(
                env, workdir / f"gunicorn-{name}.log", 1, probe_headers=PROXY_HEADERS
            )
            stack.callback(server.stop)
            servers.append(server)
        yield Stack(
            a=servers[0],
            b=servers[1],
            database_url=database_url,
            redis_url=redis_url,
            s3_endpoint=s3_endpoint,
            session_cookie=setting(env, "SESSION_COOKIE_NAME"),
        )
