"""Write everything the public can fetch, for the seed data, into a folder: every page in both
languages, the PDFs, the open-data files, search results, the feed and the sitemap.

Run it before and after a refactoring and compare the two folders (``diff -r``): a change that
should not change what visitors get must leave them identical. The output is made repeatable:
the database is a fresh SQLite file seeded with ``load_seed``, every recorded change time
(``updated_at``, the audit trail) is set to one fixed moment, and the tokens that differ per
request (CSRF, the inquiry form's signed token) and the PDFs' creation dates are masked.

    .venv/bin/python tools/public_snapshot.py OUTPUT_DIR
"""

from __future__ import annotations

import datetime
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
FIXED_MOMENT = datetime.datetime(2026, 4, 1, 9, 0, tzinfo=datetime.UTC)

SEARCHES = ["波力", "研究会", "ヤフー", "協定", "wave", "平塚 波力", "東京大学", "実験", "寄附"]


def setup(var_dir: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "hiratsuka_portal.settings"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_seed", stdout=open(os.devnull, "w"))  # noqa: SIM115
    freeze_change_times()


def freeze_change_times() -> None:
    from django.apps import apps

    for model in apps.get_models():
        names = {field.name for field in model._meta.concrete_fields}
        changes = {name: FIXED_MOMENT for name in ("updated_at", "history_date") if name in names}
        if changes:
            model._default_manager.update(**changes)


def page_urls() -> list[str]:
    from django.urls import reverse

    from agreements.models import Agreement
    from projects.models import Project

    urls = [
        reverse("home"),
        reverse("projects:project-list"),
        reverse("projects:project-list") + "?status=active",
        reverse("projects:project-list") + "?theme=wave-power",
        reverse("projects:research-group"),
        reverse("donations:donation-list"),
        reverse("donations:donation-list") + "?amount=1000000",
        reverse("donations:donation-list") + "?amount=abc",
        reverse("donations:inquiry"),
        reverse("agreements:agreement-list"),
        reverse("opendata-index"),
        reverse("accessibility"),
        reverse("privacy"),
        reverse("search"),
        reverse("feed"),
        reverse("donations:report"),
        reverse("agreements:report"),
        reverse("opendata-donations-csv"),
        reverse("opendata-donations-json"),
        reverse("opendata-projects-json"),
        reverse("opendata-agreements-json"),
        reverse("opendata-meetings-ics"),
        "/no-such-page/",
    ]
    for project in Project.objects.order_by("pk"):
        urls.append(reverse("projects:project-detail", kwargs={"slug": project.slug}))
        urls.append(reverse("projects:factsheet", kwargs={"slug": project.slug}))
    for agreement in Agreement.objects.order_by("pk"):
        urls.append(reverse("agreements:agreement-detail", kwargs={"slug": agreement.slug}))
    for query in SEARCHES:
        urls.append(reverse("search") + "?q=" + quote(query))
    urls.append(reverse("search") + "?q=" + quote("波力") + "&page=2")
    return urls


MASKS = [
    (
        re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"'),
        b'name="csrfmiddlewaretoken" value="*"',
    ),
    (re.compile(rb'name="form_token" value="[^"]+"'), b'name="form_token" value="*"'),
    (re.compile(rb"/CreationDate \([^)]*\)"), b"/CreationDate (*)"),
    (re.compile(rb"/ModDate \([^)]*\)"), b"/ModDate (*)"),
]


def masked(body: bytes) -> bytes:
    for pattern, replacement in MASKS:
        body = pattern.sub(replacement, body)
    return body


def file_name(language: str, url: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", url.strip("/")) or "home"
    return f"{language}/{name}"


def main(output: Path) -> None:
    with tempfile.TemporaryDirectory() as var_dir:
        setup(var_dir)
        from django.test import Client

        client = Client()
        for language, prefix in (("ja", ""), ("en", "/en")):
            for url in page_urls():
                full = url if url.startswith("/en/") else prefix + url
                response = client.get(full)
                body = b"".join(response) if response.streaming else response.content
                headers = "".join(
                    f"{key}: {value}\n"
                    for key, value in sorted(response.headers.items())
                    # The body is compared itself (masked tokens change its length).
                    if key not in {"Set-Cookie", "Date", "Content-Length"}
                )
                target = output / file_name(language, url)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.with_suffix(target.suffix + ".headers").write_text(
                    f"{response.status_code}\n{headers}"
                )
                target.write_bytes(masked(body))
                if response.get("Content-Type") == "application/pdf":
                    text = subprocess.run(
                        # poppler's pdftotext from PATH; a fixed argument list, no shell.
                        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
                        input=body,
                        capture_output=True,
                        check=True,
                    ).stdout
                    target.with_suffix(target.suffix + ".txt").write_bytes(text)
        for url in ("/sitemap.xml", "/robots.txt", "/healthz"):
            response = client.get(url)
            (output / file_name("root", url)).parent.mkdir(parents=True, exist_ok=True)
            (output / file_name("root", url)).write_bytes(response.content)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
