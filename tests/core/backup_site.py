"""The two ends of the backup test (tests/core/test_backup.py), each run inside a site's own
process (``manage.py shell -c``) against that site's database and folders:

- ``build()``: the realistic data a backup must keep — the seed, an uploaded project photo, a
  donation with its issued receipt (a frozen PDF), inquiries with their e-mails, and the audit
  trail all of these leave;
- ``snapshot(folder)``: what a visitor, the city and a company would see of that site, written
  to ``folder`` for the test to compare: every public page in Japanese and English (from the
  sitemap, with the page cache off), the open-data files, the receipts' bytes and recorded
  SHA-256, every field of every inquiry, the number of audit-trail rows per model, and the
  bytes of every stored file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from simple_history.models import HistoricalChanges

from core.backups.files import storage_names
from donations.models import DonationInquiry, DonationReceipt
from donations.services.receipts import receipt_issue
from projects.models import Project
from tests.donations.factories import DonationFactory, DonationInquiryFactory, DonorFactory
from tests.projects.factories import ProjectImageFactory

STAFF_USERNAME = "backup-test-officer"
# The inquiry form gives every visit tokens of its own (CSRF, the form's signed time): they are
# all that differs between two visits of the same site, so they are blanked before comparing.
PER_VISIT_TOKEN = re.compile(rb'(name="(?:csrfmiddlewaretoken|form_token)" value=")[^"]*"')


def build() -> None:
    call_command("load_seed", verbosity=0)
    staff = get_user_model().objects.create_user(
        STAFF_USERNAME, password="Shonan-wave-2026-backup", is_staff=True
    )
    project = Project.objects.public().order_by("pk").first()
    ProjectImageFactory(project=project)
    donation = DonationFactory(
        donor=DonorFactory(name_ja="湘南海洋工業株式会社", name_en="Shonan Marine Industries"),
        fiscal_year=2025,
        amount=2_400_000,
        received_on=dt.date(2025, 10, 1),
        receipt_number="",
        projects=[project],
    )
    receipt_issue(donation=donation, issued_by=staff)
    for name in ["横浜波力商事株式会社", "川崎海洋技研株式会社", "東京港湾サービス株式会社"]:
        DonationInquiryFactory(
            company_name=name,
            projects=[project],
            notifications={"acknowledgement": "sent", "staff_notice": "sent"},
        )


def _pages(client: Client) -> list[str]:
    """The public pages: every address of the sitemap (ja and en), the home pages, and every
    open-data file the open-data pages link to."""
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = {urlsplit(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap)}
    paths |= {"/", "/en/", "/opendata/", "/en/opendata/", "/sitemap.xml", "/feed.atom"}
    # Search results come from the database too (its search text).
    paths |= {"/search/?q=波力", "/en/search/?q=wave"}
    for index in ["/opendata/", "/en/opendata/"]:
        page = client.get(index).content.decode()
        paths |= set(re.findall(r'href="(/(?:en/)?opendata/[^"#?]+)"', page))
    return sorted(paths)


def _safe_name(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", path.strip("/") or "home")


def snapshot(folder: str) -> None:
    out = Path(folder)
    (out / "pages").mkdir(parents=True)
    client = Client()
    pages = {}
    for path in _pages(client):
        response = client.get(path)
        body = b"".join(response) if response.streaming else response.content
        body = PER_VISIT_TOKEN.sub(rb'\1(per visit)"', body)
        pages[path] = {"status": response.status_code, "file": _safe_name(path)}
        (out / "pages" / _safe_name(path)).write_bytes(body)

    receipts = {}
    for receipt in DonationReceipt.objects.order_by("pk"):
        content = receipt.file.read()
        receipts[receipt.file.name] = {
            "recorded_sha256": receipt.sha256,
            "sha256": hashlib.sha256(content).hexdigest(),
            "size": len(content),
        }

    inquiries = []
    for inquiry in DonationInquiry.objects.order_by("pk"):
        fields = {
            field.attname: getattr(inquiry, field.attname)
            for field in inquiry._meta.concrete_fields
        }
        fields["projects"] = sorted(inquiry.projects.values_list("pk", flat=True))
        fields["notifications"] = list(
            inquiry.notifications.order_by("pk").values(
                "kind", "recipient", "subject", "body", "state"
            )
        )
        inquiries.append(fields)

    history = {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if issubclass(model, HistoricalChanges)
    }

    stored = {}
    for alias in ["default", "private"]:
        storage = storages[alias]
        for name in storage_names(storage):
            with storage.open(name, "rb") as stream:
                stored[f"{alias}:{name}"] = hashlib.sha256(stream.read()).hexdigest()

    record = {
        "pages": pages,
        "receipts": receipts,
        "inquiries": inquiries,
        "history": history,
        "stored_files": stored,
    }
    (out / "record.json").write_text(
        json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True, default=str)
    )
