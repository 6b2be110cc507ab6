"""Making a backup and restoring one (``manage.py backup`` / ``manage.py restore``)."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from . import database, files
from .manifest import BackupInvalid, Manifest, file_entry, verify

FOLDER_PREFIX = "hiratsuka-backup-"


@contextmanager
def _private_umask():
    # Whatever the process's umask, every file and folder of a backup (and what pg_dump
    # writes) is created readable by its owner alone.
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def backup_create(*, into: Path, now: datetime.datetime | None = None) -> Path:
    """A complete backup in a new folder under ``into``; returns that folder."""
    now = now or datetime.datetime.now(datetime.UTC)
    into.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = FOLDER_PREFIX + now.strftime("%Y%m%dT%H%M%SZ")
    final = into / name
    if final.exists():
        raise FileExistsError(f"{final} exists already")
    # Written under a temporary name and renamed when whole: a folder named like a backup is
    # never a half-written one (a full disk, a killed job).
    partial = into / f".{name}.partial"
    with _private_umask():
        partial.mkdir(mode=0o700)
        try:
            manifest = Manifest(
                created_at=now.isoformat(),
                app=_app_version(),
                database=database.describe(),
                migrations=_applied_migrations(),
            )
            written = [database.dump(partial / "database")]
            for alias, folder in files.STORAGE_FOLDERS.items():
                written += files.copy_out(alias, partial / folder)
            manifest.files = [file_entry(partial, path) for path in written]
            manifest.write(partial)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        partial.rename(final)
    return final


def _app_version() -> dict:
    try:
        version = metadata.version("hiratsuka-portal")
    except metadata.PackageNotFoundError:
        version = "unknown"
    try:
        commit = subprocess.run(
            # git as the operator's PATH finds it; a fixed argument list, no shell.
            ["git", "rev-parse", "HEAD"],  # noqa: S607
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        # A deployment without git (a package, an image) has no commit to name.
        commit = ""
    return {"version": version, "commit": commit}


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


@dataclass
class RestoreReport:
    manifest: Manifest
    files: dict[str, int]
    # Migrations of this code the backup's database has not had: `manage.py migrate` next.
    pending_migrations: list[str]


def backup_restore(*, folder: Path) -> RestoreReport:
    """Restore the backup in ``folder`` into the configured database and storages.

    Everything is checked before anything is written: every file against the manifest, the
    kind of database, that this code knows every migration the backup's database had, and that
    the database and both storages are empty. Raises ``BackupInvalid`` or
    ``database.TargetNotEmpty`` (and writes nothing) when one does not hold.
    """
    manifest = verify(folder)
    database.check_restorable(manifest.database)
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {tuple(migration) for migration in manifest.migrations}
    unknown = sorted(f"{app}.{name}" for app, name in applied - known)
    if unknown:
        raise BackupInvalid(
            "This backup was made by a newer version of the portal: its database has "
            f"migrations this code does not know ({', '.join(unknown[:5])}). Deploy the version "
            f"it was made with ({manifest.app.get('commit') or manifest.app.get('version')}) "
            "and restore with that."
        )
    for alias in files.STORAGE_FOLDERS:
        files.check_empty(alias)

    database.restore(folder / "database" / manifest.database["file"])
    restored = {}
    for alias, prefix in files.STORAGE_FOLDERS.items():
        names = [
            str(PurePosixPath(entry.path).relative_to(prefix))
            for entry in manifest.files_under(prefix)
        ]
        files.copy_in(alias, folder / prefix, names)
        restored[prefix] = len(names)
    pending = sorted(f"{app}.{name}" for app, name in known - applied)
    return RestoreReport(manifest=manifest, files=restored, pending_migrations=pending)
