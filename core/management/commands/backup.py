"""Back up the database, the uploaded media and the private files into one new folder.

    python manage.py backup                    # under settings.BACKUP_ROOT (var/backups)
    python manage.py backup --into /srv/backups

Safe while the site runs. Prints the new folder's path on stdout (for scripts: the off-site
copy, the retention clean-up); README, "Backups and restore".
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from core.backups import database
from core.backups.services import backup_create


class Command(BaseCommand):
    help = (
        "Back up the database, the uploaded media and the private files, with a manifest of "
        "SHA-256 checksums, into a new timestamped folder."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--into",
            type=Path,
            default=None,
            metavar="DIR",
            help="the folder the backup's own folder is made in (default: settings.BACKUP_ROOT)",
        )

    def handle(self, *args, into: Path | None, verbosity: int, **options):
        into = into or Path(settings.BACKUP_ROOT)
        try:
            folder = backup_create(into=into)
        except DatabaseError as error:
            raise CommandError(
                f"No backup was made: the database is unreachable ({error})"
            ) from error
        except (database.ToolMissing, RuntimeError, OSError) as error:
            raise CommandError(f"No backup was made: {error}") from error
        if verbosity >= 1:
            self.stderr.write(f"Backup complete: {folder}")
        self.stdout.write(str(folder))
