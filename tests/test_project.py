"""Project-wide checks: migrations, static files, translations."""

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = Path(settings.BASE_DIR)


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


@pytest.mark.slow
def test_collectstatic_with_hashed_names_succeeds(tmp_path, settings):
    # Every file a stylesheet refers to must exist, or the manifest storage fails here.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = (tmp_path / "staticfiles.json").read_text()
    assert "bootstrap/css/bootstrap.min.css" in manifest
    assert "css/portal.css" in manifest


def test_english_catalogue_is_complete():
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "GNU gettext is needed: make system-packages installs it"
    po = BASE_DIR / "locale" / "en" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "translated messages" in result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


@pytest.mark.slow
def test_every_template_string_is_in_the_catalogue(tmp_path):
    # makemessages over a copy of the sources must find no message the catalogue lacks.
    for name in [
        "core",
        "hiratsuka_portal",
        "projects",
        "donations",
        "agreements",
        "templates",
        "locale",
    ]:
        shutil.copytree(BASE_DIR / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "en",
            "--no-location",
            "--no-obsolete",
        ],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", "locale/en/LC_MESSAGES/django.po"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, result.stderr
