"""Private files (receipts, applications, attachments): wherever they are stored, never public."""

import pytest
from django.core.files.base import ContentFile

from core.s3 import PrivateS3Storage
from core.storage import PrivateStorage


def test_private_files_are_stored_in_the_configured_private_storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    name = PrivateStorage().save("receipts/r.pdf", ContentFile(b"%PDF-1.7"))
    assert (tmp_path / "private" / name).read_bytes() == b"%PDF-1.7"
    assert not (tmp_path / "media").exists()


def test_private_files_have_no_url():
    with pytest.raises(ValueError, match="no public URL"):
        PrivateStorage().url("receipts/r.pdf")


def test_private_s3_objects_are_private_whatever_the_options_say():
    # A deployment's public-read default and object parameters are for public media.
    storage = PrivateS3Storage(
        bucket_name="hiratsuka-private",
        default_acl="public-read",
        object_parameters={"ACL": "public-read", "CacheControl": "no-store"},
    )
    parameters = storage.get_object_parameters("receipts/r.pdf")
    assert parameters["ACL"] == "private"
    assert parameters["CacheControl"] == "no-store"
    with pytest.raises(ValueError, match="no public URL"):
        storage.url("receipts/r.pdf")
