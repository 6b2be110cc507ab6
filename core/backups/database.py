"""Dumping and restoring the database: ``pg_dump -Fc`` / ``pg_restore`` for PostgreSQL, SQLite's
online backup API for the embedded default.

SQLite is copied with ``sqlite3.Connection.backup``, never as a file: a file copied while the
web server or the task worker writes (WAL mode, with a ``-wal`` file beside it) can be torn or
miss the last transactions; the backup API copies a consistent snapshot while the site runs.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from .manifest import BackupInvalid

POSTGRES_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"


class TargetNotEmpty(Exception):
    """The database or storage to restore into already holds data."""


class ToolMissing(Exception):
    """No PostgreSQL client matching the server is installed."""


def vendor() -> str:
    return connection.vendor


def describe() -> dict:
    """What the manifest says of the database backed up."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)
        return {
            "vendor": "postgresql",
            "server_version": f"{major}.{minor}",
            "name": connection.settings_dict["NAME"],
            "file": POSTGRES_DUMP,
            "client": _run([_client("pg_dump"), "--version"]).strip(),
        }
    return {
        "vendor": "sqlite",
        "server_version": sqlite3.sqlite_version,
        "file": SQLITE_COPY,
    }


# --- PostgreSQL --------------------------------------------------------------------------------


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _client(program: str) -> str:
    """The ``pg_dump``/``pg_restore`` of the server's major version.

    A pg_dump older than the server refuses to dump it, and a newer one writes dumps an older
    pg_restore cannot read: Debian installs each major version's client under
    /usr/lib/postgresql/<major>/bin, so that one is taken first, then PATH's if it matches.
    ``POSTGRES_BIN_DIR`` names another folder.
    """
    major = _server_major()
    candidates = [
        Path(os.environ["POSTGRES_BIN_DIR"]) / program
        if os.environ.get("POSTGRES_BIN_DIR")
        else None,
        Path(f"/usr/lib/postgresql/{major}/bin/{program}"),
        Path(shutil.which(program) or "/nonexistent"),
    ]
    for candidate in filter(None, candidates):
        if candidate.is_file() and _client_major(candidate) == major:
            return str(candidate)
    raise ToolMissing(
        f"No {program} for PostgreSQL {major} found (the server's version). Install the "
        f"matching client (Debian: apt-get install postgresql-client-{major}) or set "
        "POSTGRES_BIN_DIR to the folder holding it."
    )


def _client_major(program: Path) -> int | None:
    match = re.search(r"\) (\d+)", _run([str(program), "--version"]))
    return int(match.group(1)) if match else None


def _pg_env() -> dict[str, str]:
    """The connection of Django's default database as libpq's environment variables (the
    password never appears on a command line, where ``ps`` would show it)."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for variable, key in [
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ]:
        if settings.get(key):
            env[variable] = str(settings[key])
    return env


def _run(command: list[str], env: dict[str, str] | None = None) -> str:
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{Path(command[0]).name} failed ({result.returncode}): {result.stderr}")
    return result.stdout


# --- Both --------------------------------------------------------------------------------------


def dump(folder: Path) -> Path:
    """The database into ``folder``; returns the file written."""
    folder.mkdir(mode=0o700)
    if connection.vendor == "postgresql":
        target = folder / POSTGRES_DUMP
        # Custom format: compressed, and pg_restore can restore it in one transaction.
        _run([_client("pg_dump"), "--format=custom", "--file", str(target)], env=_pg_env())
        return target
    if connection.vendor == "sqlite":
        target = folder / SQLITE_COPY
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
            check = copy.execute("PRAGMA integrity_check").fetchone()[0]
        copy.close()
        if check != "ok":
            raise RuntimeError(f"The SQLite copy fails its integrity check: {check}")
        return target
    raise NotImplementedError(f"Backing up a {connection.vendor} database is not supported.")


def check_restorable(database: dict) -> None:
    """Refuse a backup of another kind of database, and a target that holds any table."""
    if database.get("vendor") != connection.vendor:
        raise BackupInvalid(
            f"This backup holds a {database.get('vendor')} database; the configured database "
            f"(DATABASE_URL) is {connection.vendor}. Restore it into a {database.get('vendor')} "
            "database."
        )
    tables = _tables()
    if tables:
        raise TargetNotEmpty(
            f"The database to restore into ({_target_label()}) is not empty: it holds "
            f"{len(tables)} tables ({', '.join(sorted(tables)[:5])}, …). Restore into a new, empty "
            "database (see README, 'Backups and restore') and switch DATABASE_URL to it once "
            "the restored site is checked: the current one stays as it is, in case it holds "
            "anything newer than the backup."
        )


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        return [row[0] for row in cursor.fetchall()]


def _target_label() -> str:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"PostgreSQL database {settings['NAME']!r} on {settings.get('HOST') or 'localhost'}"
    return f"SQLite file {settings['NAME']}"


def restore(file: Path) -> None:
    """The dump ``file`` into the configured (empty) database."""
    if connection.vendor == "postgresql":
        # One transaction: a restore that fails leaves the database as empty as it was.
        # No owner or privileges of the original server: the restored objects belong to the
        # role the site connects as.
        _run(
            [
                _client("pg_restore"),
                "--single-transaction",
                "--exit-on-error",
                "--no-owner",
                "--no-privileges",
                "--dbname",
                connection.settings_dict["NAME"],
                str(file),
            ],
            env=_pg_env(),
        )
        return
    connection.ensure_connection()
    with sqlite3.connect(file) as source:
        source.backup(connection.connection)
    source.close()
