"""Backups (README, "Backups and restore"): a site with realistic data is backed up with
``manage.py backup``, restored with ``manage.py restore`` into a new, empty database and empty
media and private folders, and the restored site must show the same: every public page in
Japanese and English byte for byte, the open data, the receipts' bytes (and their recorded
SHA-256), every field of the inquiries, the audit trail. A backup that was altered, and a
database that is not empty, are refused with nothing written.

Everything runs as an operator runs it: each site is its own processes (``manage.py``) with its
own database — on the PostgreSQL server of DATABASE_URL when the suite runs on PostgreSQL
(databases named hp_backups_…, made and dropped here), SQLite files otherwise — and its own
folders under the test's temporary folder. The suite's test database and the developer's var/
are never touched.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import requests
from django.conf import settings

from tests.scaleout.stack import (
    MEDIA_BUCKET,
    PRIVATE_BUCKET,
    S3_CREDENTIALS,
    S3_REGION,
    s3_client,
    s3_server,
)

pytestmark = [pytest.mark.backup, pytest.mark.slow]

MANAGE = Path(settings.BASE_DIR) / "manage.py"
DATABASE_PREFIX = "hp_backups"


@dataclass
class Site:
    """One installation: its database and its folders."""

    root: Path
    database_url: str
    # More environment: the S3 storages' settings.
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def media(self) -> Path:
        return self.root / "var" / "media"

    @property
    def private(self) -> Path:
        return self.root / "var" / "private"

    def env(self) -> dict[str, str]:
        # Nothing of the caller's Django configuration leaks in (a REDIS_URL, an S3 bucket).
        inherited = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PAGE_CACHE", "REDIS_", "AWS_", "EMAIL_"))
            and key != "DATABASE_URL"
        }
        return (
            inherited
            | {
                "DJANGO_SETTINGS_MODULE": "hiratsuka_portal.settings",
                "DJANGO_SECRET_KEY": "backup-test-" + "x" * 40,
                "DJANGO_VAR_DIR": str(self.root / "var"),
                "DATABASE_URL": self.database_url,
                # Every page rendered from the database, not from a cache.
                "PAGE_CACHE_ENABLED": "0",
                # Static file names without collectstatic's manifest (the same on both sites).
                "DJANGO_DEBUG": "1",
                "DJANGO_ALLOWED_HOSTS": "testserver",
                "EMAIL_FILE_PATH": str(self.root / "mail"),
                "DJANGO_LOG_LEVEL": "WARNING",
            }
            | self.extra
        )

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, str(MANAGE), *args],
            env=self.env(),
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        if check and result.returncode != 0:
            pytest.fail(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def snapshot(self, folder: Path) -> dict:
        self.manage(
            "shell", "-c", f"from tests.core.backup_site import snapshot; snapshot({str(folder)!r})"
        )
        return json.loads((folder / "record.json").read_text())

    def tables(self) -> list[str]:
        if self.database_url.startswith("sqlite"):
            path = Path(urlsplit(self.database_url).path[1:])
            if not path.exists():
                return []
            with sqlite3.connect(path) as database:
                rows = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                return [row[0] for row in rows]
        with psycopg.connect(self.database_url) as database:
            rows = database.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
            )
            return [row[0] for row in rows]


class Databases:
    """New, empty databases of the suite's kind, dropped at the end."""

    def __init__(self, root: Path):
        self.root = root
        self.made: list[str] = []
        suite_url = os.environ.get("DATABASE_URL", "")
        self.server = urlsplit(suite_url) if suite_url.startswith("postgres") else None

    def new(self, label: str) -> str:
        name = f"{DATABASE_PREFIX}_{os.getpid()}_{secrets.token_hex(3)}_{label}"
        if self.server is None:
            return f"sqlite:///{self.root / f'{name}.sqlite3'}"
        with psycopg.connect(self._url("postgres"), autocommit=True) as server:
            server.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return self._url(name)

    def _url(self, name: str) -> str:
        return urlunsplit(self.server._replace(path=f"/{name}"))

    def drop_all(self) -> None:
        if self.server is None:
            return
        with psycopg.connect(self._url("postgres"), autocommit=True) as server:
            for name in self.made:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Backup:
    source: Site
    folder: Path
    seen: dict  # the source site's snapshot, taken after the backup
    seen_folder: Path


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> Iterator[Databases]:
    made = Databases(tmp_path_factory.mktemp("databases"))
    try:
        yield made
    finally:
        made.drop_all()


@pytest.fixture(scope="module")
def backup(tmp_path_factory, databases) -> Backup:
    root = tmp_path_factory.mktemp("source")
    source = Site(root=root, database_url=databases.new("source"))
    source.manage("migrate", "--noinput", "-v", "0")
    source.manage("shell", "-c", "from tests.core.backup_site import build; build()")
    made = source.manage("backup", "--into", str(root / "backups"), "-v", "0")
    folder = Path(made.stdout.strip())
    seen = source.snapshot(root / "seen")
    return Backup(source=source, folder=folder, seen=seen, seen_folder=root / "seen")


@pytest.fixture
def empty_site(tmp_path, databases) -> Site:
    return Site(root=tmp_path / "restored", database_url=databases.new("restored"))


def _stored_files(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_a_restored_site_shows_exactly_what_the_backed_up_one_did(backup, empty_site, tmp_path):
    result = empty_site.manage("restore", str(backup.folder))
    assert "Restored the backup" in result.stdout

    restored = empty_site.snapshot(tmp_path / "restored-view")
    seen = backup.seen

    # The data the comparison is about is really there.
    assert len(seen["receipts"]) == 1
    assert len(seen["inquiries"]) == 3
    assert any(name.startswith("default:projects/") for name in seen["stored_files"])
    assert {"/", "/en/", "/donations/", "/en/donations/"} <= set(seen["pages"])
    assert any(path.endswith("donations.csv") for path in seen["pages"])

    # Every public page and open-data file, in both languages, byte for byte.
    assert restored["pages"] == seen["pages"]
    assert all(page["status"] == 200 for page in seen["pages"].values()), seen["pages"]
    different = [
        path
        for path, page in seen["pages"].items()
        if (backup.seen_folder / "pages" / page["file"]).read_bytes()
        != (tmp_path / "restored-view" / "pages" / page["file"]).read_bytes()
    ]
    assert different == []
    # The photo on the project's page is the uploaded one.
    assert restored["stored_files"] == seen["stored_files"]

    # The receipts: the same bytes, matching the SHA-256 recorded when each was issued.
    assert restored["receipts"] == seen["receipts"]
    for receipt in restored["receipts"].values():
        assert receipt["sha256"] == receipt["recorded_sha256"]

    # The inquiries, every field (references, consents, times), and their e-mails.
    assert restored["inquiries"] == seen["inquiries"]
    # The audit trail: who changed what is kept.
    assert restored["history"] == seen["history"]
    assert sum(seen["history"].values()) > 0


def test_a_backup_is_one_private_folder_with_a_checksum_for_every_file(backup):
    folder = backup.folder
    assert folder.name.startswith("hiratsuka-backup-")
    manifest = json.loads((folder / "manifest.json").read_text())

    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {path.relative_to(folder).as_posix() for path in _stored_files(folder)} - {
        "manifest.json"
    }
    assert set(listed) == on_disk
    assert any(path.startswith("database/") for path in listed)
    assert any(path.startswith("media/projects/") for path in listed)
    assert any(path.startswith("private/") and path.endswith(".pdf") for path in listed)
    vendor = "postgresql" if backup.source.database_url.startswith("postgres") else "sqlite"
    assert manifest["database"]["vendor"] == vendor
    assert ["donations", "0001_initial"] in manifest["migrations"]
    assert manifest["app"]["version"]

    # Personal data and private receipts: nobody but the backup's owner may read any of it.
    for path in [folder, *folder.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), f"{path}: {oct(mode)}"


def test_an_altered_backup_is_refused_and_nothing_is_restored(backup, empty_site, tmp_path):
    altered = tmp_path / backup.folder.name
    shutil.copytree(backup.folder, altered)
    receipt = next((altered / "private").rglob("*.pdf"))
    content = bytearray(receipt.read_bytes())
    content[len(content) // 2] ^= 0xFF
    receipt.write_bytes(bytes(content))

    result = empty_site.manage("restore", str(altered), check=False)

    assert result.returncode != 0
    assert "Refused, nothing was restored" in result.stderr
    assert f"{receipt.relative_to(altered).as_posix()}: SHA-256 differs" in result.stderr
    assert empty_site.tables() == []
    assert _stored_files(empty_site.media) == []
    assert _stored_files(empty_site.private) == []


def test_a_file_slipped_into_a_backup_is_refused(backup, empty_site, tmp_path):
    altered = tmp_path / backup.folder.name
    shutil.copytree(backup.folder, altered)
    (altered / "media" / "extra.html").write_text("<script>alert(1)</script>")

    result = empty_site.manage("restore", str(altered), check=False)

    assert result.returncode != 0
    assert "media/extra.html: not in the manifest" in result.stderr
    assert empty_site.tables() == []


def test_restoring_over_a_database_that_holds_data_is_refused(backup):
    source = backup.source
    files_before = sorted(_stored_files(source.media) + _stored_files(source.private))

    result = source.manage("restore", str(backup.folder), check=False)

    assert result.returncode != 0
    assert "is not empty" in result.stderr
    assert "Restore into a new, empty database" in result.stderr
    assert sorted(_stored_files(source.media) + _stored_files(source.private)) == files_before


def test_a_folder_that_is_not_a_backup_is_refused(empty_site, tmp_path):
    result = empty_site.manage("restore", str(tmp_path), check=False)

    assert result.returncode != 0
    assert "holds no manifest.json: not a backup" in result.stderr


# --- Media in S3 buckets -----------------------------------------------------------------------


def _s3_env(endpoint: str, media: str, private: str) -> dict[str, str]:
    return {
        "DJANGO_S3_BUCKET": media,
        "DJANGO_S3_PRIVATE_BUCKET": private,
        "DJANGO_S3_ENDPOINT_URL": endpoint,
        "DJANGO_S3_REGION": S3_REGION,
        "DJANGO_S3_ADDRESSING_STYLE": "path",
        **S3_CREDENTIALS,
    }


def _objects(client, bucket: str) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
        for item in listed
    }


def test_media_in_s3_buckets_are_backed_up_and_restored_through_the_storage_api(
    tmp_path, databases
):
    """With several app servers the uploads live in S3 (README, "Several app servers"): the
    backup holds the buckets' objects like files, and a restore puts them into the new
    site's empty buckets, the private ones still private."""
    with s3_server(tmp_path / "s3.log") as endpoint:
        client = s3_client(endpoint)
        photo = b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(2048)
        receipt = b"%PDF-1.7\n" + secrets.token_bytes(4096)
        client.put_object(Bucket=MEDIA_BUCKET, Key="projects/2026/photo.png", Body=photo)
        client.put_object(
            Bucket=PRIVATE_BUCKET, Key="receipts/2026/2026-001-original.pdf", Body=receipt
        )
        for bucket in ["restored-media", "restored-private"]:
            client.create_bucket(Bucket=bucket)
        source = Site(
            root=tmp_path / "source",
            database_url=databases.new("s3source"),
            extra=_s3_env(endpoint, MEDIA_BUCKET, PRIVATE_BUCKET),
        )
        target = Site(
            root=tmp_path / "target",
            database_url=databases.new("s3target"),
            extra=_s3_env(endpoint, "restored-media", "restored-private"),
        )

        folder = Path(source.manage("backup", "--into", str(tmp_path / "backups")).stdout.strip())
        assert (folder / "media" / "projects" / "2026" / "photo.png").read_bytes() == photo
        stored_receipt = folder / "private" / "receipts" / "2026" / "2026-001-original.pdf"
        assert stored_receipt.read_bytes() == receipt
        assert stat.S_IMODE(stored_receipt.stat().st_mode) == 0o600

        target.manage("restore", str(folder))

        assert _objects(client, "restored-media") == {"projects/2026/photo.png": photo}
        assert _objects(client, "restored-private") == {
            "receipts/2026/2026-001-original.pdf": receipt
        }
        # Read without credentials: the photo is public, the receipt is not.
        public = f"{endpoint}/restored-media/projects/2026/photo.png"
        private = f"{endpoint}/restored-private/receipts/2026/2026-001-original.pdf"
        assert requests.get(public, timeout=10).content == photo
        assert requests.get(private, timeout=10).status_code == 403

        # A second restore into the now non-empty buckets is refused.
        again = Site(
            root=tmp_path / "again",
            database_url=databases.new("s3again"),
            extra=_s3_env(endpoint, "restored-media", "restored-private"),
        )
        refused = again.manage("restore", str(folder), check=False)
        assert refused.returncode != 0
        assert "media storage to restore into already holds files" in refused.stderr
