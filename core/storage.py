"""Storage for files only staff may download (receipts): outside the public media folder,
with no URL, served by the admin's own views."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.db.models.fields.files import FieldFile
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    # Read the setting on every use (not once at start-up), so tests and deployments that
    # change PRIVATE_MEDIA_ROOT are honoured.
    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a staff view.")


@contextmanager
def files_removed_on_failure() -> Iterator[Callable[[FieldFile], None]]:
    """For a block that saves files and then rows referring to them, in a transaction: each
    file saved is passed to the callback given, and deleted again if the block fails (nothing
    refers to it once the transaction has rolled back).

        with files_removed_on_failure() as keep, transaction.atomic():
            receipt.file.save(name, content, save=False)
            keep(receipt.file)
            receipt.save()
    """
    saved: list[tuple[Storage, str]] = []
    try:
        yield lambda field_file: saved.append((field_file.storage, field_file.name))
    except BaseException:
        for storage, name in saved:
            storage.delete(name)
        raise
