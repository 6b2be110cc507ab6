"""``manifest.json``: what a backup holds and the SHA-256 of every file, checked before any
restore touches anything."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST_NAME = "manifest.json"
# Raised when the layout of a backup changes; a restore refuses formats it does not know.
FORMAT = "hiratsuka-portal-backup/1"
CHUNK = 1024 * 1024


class BackupInvalid(Exception):
    """The backup folder is not a whole, unaltered backup: nothing may be restored from it."""


@dataclass
class FileEntry:
    path: str  # relative to the backup folder, with "/" separators
    size: int
    sha256: str


@dataclass
class Manifest:
    created_at: str
    app: dict
    database: dict
    migrations: list[list[str]]
    files: list[FileEntry] = field(default_factory=list)
    format: str = FORMAT

    def write(self, folder: Path) -> Path:
        path = folder / MANIFEST_NAME
        path.write_text(
            json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        return path

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        path = folder / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as error:
            raise BackupInvalid(f"{folder} holds no {MANIFEST_NAME}: not a backup") from error
        except (ValueError, UnicodeDecodeError) as error:
            raise BackupInvalid(f"{path} is not valid JSON: {error}") from error
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            found = data.get("format") if isinstance(data, dict) else None
            raise BackupInvalid(f"{path}: unknown backup format {found!r} (expected {FORMAT!r})")
        try:
            files = [FileEntry(**entry) for entry in data.pop("files")]
            return cls(**data, files=files)
        except (KeyError, TypeError) as error:
            raise BackupInvalid(f"{path} is incomplete or malformed: {error}") from error

    def files_under(self, prefix: str) -> list[FileEntry]:
        return [entry for entry in self.files if entry.path.startswith(prefix + "/")]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def file_entry(folder: Path, path: Path) -> FileEntry:
    return FileEntry(
        path=path.relative_to(folder).as_posix(), size=path.stat().st_size, sha256=file_sha256(path)
    )


def verify(folder: Path) -> Manifest:
    """The manifest of ``folder`` once every file it lists is there with its size and SHA-256,
    and nothing else is: a file added to a backup is as suspect as a changed one. Raises
    ``BackupInvalid`` naming every file that differs."""
    manifest = Manifest.read(folder)
    problems: list[str] = []
    listed = set()
    for entry in manifest.files:
        listed.add(entry.path)
        path = folder / entry.path
        if ".." in Path(entry.path).parts or Path(entry.path).is_absolute():
            problems.append(f"{entry.path}: a path outside the backup")
        elif not path.is_file():
            problems.append(f"{entry.path}: missing")
        elif path.stat().st_size != entry.size:
            problems.append(
                f"{entry.path}: {path.stat().st_size} bytes, the manifest says {entry.size}"
            )
        elif file_sha256(path) != entry.sha256:
            problems.append(f"{entry.path}: SHA-256 differs from the manifest")
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative != MANIFEST_NAME and relative not in listed:
            problems.append(f"{relative}: not in the manifest")
    if problems:
        raise BackupInvalid(
            f"The backup {folder} does not match its manifest; nothing was restored:\n  "
            + "\n  ".join(problems)
        )
    return manifest
