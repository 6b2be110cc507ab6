"""Restore a backup made by ``manage.py backup`` into an empty database and empty storages.

    DATABASE_URL=postgres://…/restored python manage.py restore var/backups/hiratsuka-backup-…Z

Every file is checked against the manifest first; if any differs, or the database or a
storage is not empty, nothing is written and the command exits non-zero. README, "Backups and
restore".
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from core.backups import database
from core.backups.manifest import BackupInvalid
from core.backups.services import backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup folder (manage.py backup) into the configured database and media "
        "storages, which must be empty. Verifies every checksum before writing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="the backup folder (hiratsuka-backup-…)")

    def handle(self, *args, folder: Path, verbosity: int, **options):
        if not folder.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        try:
            report = backup_restore(folder=folder)
        except (BackupInvalid, database.TargetNotEmpty) as error:
            raise CommandError(f"Refused, nothing was restored. {error}") from error
        except DatabaseError as error:
            # Most often: the new database was not created first (README: createdb).
            raise CommandError(
                f"The database to restore into is unreachable or refused the restore: {error}"
            ) from error
        except (database.ToolMissing, RuntimeError, OSError) as error:
            raise CommandError(f"The restore failed: {error}") from error
        manifest = report.manifest
        self.stdout.write(
            f"Restored the backup of {manifest.created_at} "
            f"({manifest.app.get('commit') or manifest.app.get('version')}): the database, "
            + ", ".join(f"{count} {kind} files" for kind, count in report.files.items())
            + "."
        )
        if report.pending_migrations:
            self.stdout.write(
                f"This code has {len(report.pending_migrations)} migrations the backup's "
                "database has not had: run `manage.py migrate` next."
            )
