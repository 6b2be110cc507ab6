"""Copying the files of a storage (``settings.STORAGES``) into a backup and back, through
Django's storage API: folders on one server, S3 buckets with several (README, "Several app
servers"). Going through the API rather than the bucket's own tools means one procedure for
both, a backup the city holds outside the cloud account, and a restore into whichever storage
the site is configured with.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.core.files import File
from django.core.files.storage import Storage, storages

from .database import TargetNotEmpty
from .manifest import CHUNK, BackupInvalid

# The storages backed up, each into the backup's folder of the same name.
STORAGE_FOLDERS = {"default": "media", "private": "private"}


def storage_names(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage``, walking its folders (S3: its prefixes)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        # A media folder nothing was ever uploaded to does not exist yet.
        return
    for name in sorted(files):
        yield str(PurePosixPath(folder, name)) if folder else name
    for name in sorted(folders):
        yield from storage_names(storage, str(PurePosixPath(folder, name)) if folder else name)


def copy_out(alias: str, folder: Path) -> list[Path]:
    """Every file of the storage ``alias`` into ``folder``, under its storage name."""
    storage = storages[alias]
    folder.mkdir(mode=0o700)
    written = []
    for name in storage_names(storage):
        target = folder.joinpath(*PurePosixPath(name).parts)
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # 0600 from the start, not after: the file is never readable by others, not even while
        # it is being written.
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out, storage.open(name, "rb") as source:
            while chunk := source.read(CHUNK):
                out.write(chunk)
        written.append(target)
    return written


def check_empty(alias: str) -> None:
    storage = storages[alias]
    names = list(_first(storage_names(storage), 3))
    if names:
        raise TargetNotEmpty(
            f"The {STORAGE_FOLDERS[alias]} storage to restore into already holds files "
            f"({', '.join(names)}, …): restore into empty folders or buckets (see README, "
            "'Backups and restore'), so that no file of another site is mixed with the backup's."
        )


def _first(iterator: Iterator[str], count: int) -> Iterator[str]:
    for index, item in enumerate(iterator):
        if index == count:
            return
        yield item


def copy_in(alias: str, folder: Path, names: list[str]) -> None:
    """The files ``names`` (relative to ``folder``) into the storage ``alias``, each under the
    name the database refers to it by."""
    storage = storages[alias]
    for name in names:
        with folder.joinpath(*PurePosixPath(name).parts).open("rb") as source:
            saved = storage.save(name, File(source, name=name))
        if saved != name:
            # The storage renamed it (an existing file of that name): the database would point
            # at the wrong file.
            raise BackupInvalid(f"{name} was stored as {saved}; the storage was not empty")
