"""Shared fixtures: every test app's tests can use these."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import translation

from tests.two_factor_tools import verified_login


@pytest.fixture(autouse=True)
def _test_storages(settings, tmp_path):
    # Hashed file names need a manifest that only collectstatic writes; the tests read the source
    # files instead (test_project.py checks that collectstatic itself works). Uploads and
    # private files go to the test's own folder, never into var/.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # The page cache's mark of a change for the other processes (core/page_cache.py): the
    # test's own, so that a test run beside this one is not taken for another app server.
    # Beside the test's folder, not in it: tests that check no file is left behind list it.
    settings.PAGE_CACHE_VERSION_FILE = tmp_path.parent / f"{tmp_path.name}-page-cache-version"
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
    """A client logged in as ``staff`` (also at ``staff_client.user``), past the second factor
    (a superuser must use one: tests/two_factor_tools.py)."""
    verified_login(client, staff)
    client.user = staff
    return client


@pytest.fixture
def user_with_role(db, django_user_model):
    """Makes a staff member with one of the roles (hiratsuka_portal/roles.py) and returns a
    client logged in as them, the user at ``.user``:

        editor = user_with_role("編集者")        # or "寄附担当", "閲覧者"
        assert editor.get(url).status_code == 403

    Each call makes a new user (``username`` optional) with ``is_staff`` set, as the README tells
    the city to create staff accounts; the role's group comes from the data migration. The
    session is past the second factor (寄附担当 must use one: tests/two_factor_tools.py)."""
    from django.contrib.auth.models import Group
    from django.test import Client

    made = 0

    def make(role: str, *, username: str | None = None) -> Client:
        nonlocal made
        made += 1
        user = django_user_model.objects.create_user(
            username=username or f"role{made}", is_staff=True, password=None
        )
        user.groups.add(Group.objects.get(name=role))
        client = Client()
        verified_login(client, user)
        client.user = user
        return client

    return make


# --- The seed ------------------------------------------------------------------------------------


def load_seed() -> str:
    out = io.StringIO()
    call_command("load_seed", stdout=out)
    return out.getvalue()


@pytest.fixture
def seeded(request, db) -> None:
    """The database as `make run` leaves it: the seed documents' facts loaded."""
    if "module_seed" not in request.fixturenames:
        load_seed()


@pytest.fixture(scope="module")
def module_seed(django_db_setup, django_db_blocker):
    """The seed loaded once for a whole module, for modules whose every test can run on it.

    A module opts in with ``pytestmark = [pytest.mark.django_db,
    pytest.mark.usefixtures("module_seed")]``; its tests still ask for ``seeded``, which then
    loads nothing. The seed is loaded inside a transaction held open for the module: each test
    runs in a savepoint of it, rolled back at the test's end as usual (so a test may change the
    seed or add to it), and the transaction is rolled back after the module's last test, so the
    next module starts with an empty database. Transactional tests (``transaction=True``) would
    commit and flush through it: ``pytest_collection_modifyitems`` refuses them in such modules.
    """
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic(using=DEFAULT_DB_ALIAS)
        module_transaction.__enter__()
        try:
            with translation.override("ja"):
                load_seed()
        except BaseException as error:
            transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
            module_transaction.__exit__(type(error), error, error.__traceback__)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True, using=DEFAULT_DB_ALIAS)
        module_transaction.__exit__(None, None, None)


def pytest_collection_modifyitems(items):
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "module_seed" not in fixtures:
            continue
        marker = item.get_closest_marker("django_db")
        transactional = (marker and marker.kwargs.get("transaction")) or any(
            name in fixtures for name in ("transactional_db", "live_server")
        )
        if transactional:
            raise pytest.UsageError(
                f"{item.nodeid}: a transactional test cannot share its module's seed"
                " (module_seed); move it to a module of its own."
            )
