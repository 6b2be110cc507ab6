"""Shared fixtures: every test app's tests can use these."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.cache import cache
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


@pytest.fixture
def media_root(settings) -> Path:
    """The folder this test's uploads are stored in (its own, see ``_test_storages``)."""
    path = Path(settings.MEDIA_ROOT)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def stored_files(tmp_path):
    """Lists the files this test has stored so far, uploads and private files alike."""

    def files() -> list[Path]:
        return sorted(path for path in tmp_path.rglob("*") if path.is_file())

    return files


@pytest.fixture(autouse=True)
def _japanese_by_default():
    # A request to /en/ leaves English active in the test's thread; every test starts in the
    # site's default language, as a new visitor does.
    translation.activate("ja")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rendered reports and open-data files are cached by their data's version, and the inquiry
    # form counts submissions in the cache: a test must not be served what another test's
    # (rolled back) data left there, nor inherit its rate limit.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(django_user_model):
    """A member of the city's staff (産業振興課) with every permission."""
    # force_login needs no password, and having none skips the (deliberately slow) hashing.
    return django_user_model.objects.create_superuser(
        username="sangyo", email="sangyo@example.jp", password=None
    )


@pytest.fixture
def staff_client(client, staff):
    """A client logged in as ``staff`` (also at ``staff_client.user``)."""
    client.force_login(staff)
    client.user = staff
    return client


# --- The seed ------------------------------------------------------------------------------------


def load_seed() -> str:
    out = io.StringIO()
    call_command("load_seed", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(db) -> None:
    """The database as `make run` leaves it: the seed documents' facts loaded."""
    load_seed()
