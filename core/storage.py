"""Storage for files only staff may download (receipts, donation applications, mail
attachments): never publicly readable, with no URL, served by the admin's own views.

Where the files live is the ``"private"`` storage of ``settings.STORAGES``: a folder outside the
public media (``PrivateFileSystemStorage``) on one server, a private S3 bucket or location
(``core.s3.PrivateS3Storage``) when several app servers share the files. The models name
``PrivateStorage``, which hands every call to that configured storage, so a deployment switches
backends in its settings alone and the migrations keep naming one class.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db.models.fields.files import FieldFile
from django.utils.deconstruct import deconstructible

PRIVATE_STORAGE_ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """Private files in ``PRIVATE_MEDIA_ROOT``, a folder no web server serves."""

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


@deconstructible
class PrivateStorage(Storage):
    """The configured ``"private"`` storage, looked up on every call.

    Looked up late rather than at import: the models are imported before a test or a
    deployment has settled its settings, and ``storages`` builds each backend once per
    process from ``STORAGES`` as it is then (tests that change STORAGES get a fresh one).
    """

    @property
    def backend(self) -> Storage:
        return storages[PRIVATE_STORAGE_ALIAS]

    def _open(self, name, mode="rb"):
        return self.backend._open(name, mode)

    def _save(self, name, content):
        return self.backend._save(name, content)

    def get_valid_name(self, name):
        return self.backend.get_valid_name(name)

    def get_alternative_name(self, file_root, file_ext):
        return self.backend.get_alternative_name(file_root, file_ext)

    def get_available_name(self, name, max_length=None):
        return self.backend.get_available_name(name, max_length=max_length)

    def generate_filename(self, filename):
        return self.backend.generate_filename(filename)

    def path(self, name):
        return self.backend.path(name)

    def delete(self, name):
        return self.backend.delete(name)

    def exists(self, name):
        return self.backend.exists(name)

    def listdir(self, path):
        return self.backend.listdir(path)

    def size(self, name):
        return self.backend.size(name)

    def get_accessed_time(self, name):
        return self.backend.get_accessed_time(name)

    def get_created_time(self, name):
        return self.backend.get_created_time(name)

    def get_modified_time(self, name):
        return self.backend.get_modified_time(name)

    def url(self, name):
        # Whatever the backend could offer (a signed S3 link, say), a private file is only ever
        # handed out by a staff view that checked who is asking.
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
