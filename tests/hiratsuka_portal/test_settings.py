"""Settings read from the environment: safe by default, strict in production."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "x9!4q-production-like-secret-key-for-the-deploy-check-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "portal.city.hiratsuka.example",
    "EMAIL_HOST": "smtp.city.hiratsuka.example",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_debug_is_off_unless_asked_for():
    assert settings.DEBUG is False


def test_japanese_first_in_tokyo():
    assert settings.LANGUAGE_CODE == "ja"
    assert [code for code, _ in settings.LANGUAGES] == ["ja", "en"]
    assert settings.TIME_ZONE == "Asia/Tokyo"


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "EMAIL_HOST"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_ENV=production" in result.stderr


def test_deploy_check_is_clean_under_production_variables():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_hsts_preload_is_refused_for_less_than_a_year():
    short = PRODUCTION_ENV | {"DJANGO_SECURE_HSTS_SECONDS": "86400"}
    refused = manage("check", env=short)
    assert refused.returncode != 0
    assert "DJANGO_SECURE_HSTS_PRELOAD needs DJANGO_SECURE_HSTS_SECONDS" in refused.stderr
    # A trial period without preload, as hstspreload.org suggests for a first roll-out.
    assert manage("check", env=short | {"DJANGO_SECURE_HSTS_PRELOAD": "0"}).returncode == 0


def test_templates_are_parsed_once_per_process_under_production_settings():
    # Django wraps the loaders in its cached loader when TEMPLATES names none (APP_DIRS): a page
    # then reuses the compiled templates instead of reading and parsing them on every request.
    # Naming loaders, or a template library that turns it off, would make every cold page slower.
    code = (
        "import django; django.setup();"
        "from django.template import engines;"
        "engine = engines['django'].engine;"
        "print(engine.debug, engine.loaders[0][0]);"
        "print(type(engine.template_loaders[0]).__module__)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=clean | PRODUCTION_ENV | {"DJANGO_SETTINGS_MODULE": "hiratsuka_portal.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "django.template.loaders.cached.Loader",
        "django.template.loaders.cached",
    ]


# Several app servers (README, "Several app servers"): Redis for sessions, S3 for uploads.
SCALE_OUT_ENV = PRODUCTION_ENV | {
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_S3_BUCKET": "hiratsuka-media",
    "DJANGO_S3_PRIVATE_BUCKET": "hiratsuka-private",
    "DJANGO_S3_REGION": "ap-northeast-1",
}


def test_deploy_check_is_clean_with_redis_and_s3():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=SCALE_OUT_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_private_files_never_share_the_public_media_location():
    env = {k: v for k, v in SCALE_OUT_ENV.items() if k != "DJANGO_S3_PRIVATE_BUCKET"}
    result = manage("check", env=env | {"DJANGO_S3_PRIVATE_LOCATION": ""})
    assert result.returncode != 0
    assert "Private files need DJANGO_S3_PRIVATE_BUCKET" in result.stderr
