"""Shared fixtures: every test app's tests can use these."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(autouse=True)
def _test_storages(settings, tmp_path):
    # Hashed file names need a manifest that only collectstatic writes; the tests read the source
    # files instead (test_project.py checks that collectstatic itself works). Uploads and
    # private files go to the test's own folder, never into var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _japanese_by_default():
    # A request to /en/ leaves English active in the test's thread; every test starts in the
    # site's default language, as a new visitor does.
    translation.activate("ja")
    yield
    translation.deactivate()


def load_seed() -> str:
    out = io.StringIO()
    call_command("load_seed", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db) -> None:
    """The database as `make run` leaves it: the seed documents' facts loaded."""
    load_seed()
