"""Erase the personal data of donation inquiries closed more than INQUIRY_RETENTION_YEARS ago.

Run daily (cron or a systemd timer; README, "Operations"): ``python manage.py
anonymise_inquiries``. ``--dry-run`` lists what would be erased and changes nothing. Running it
twice erases nothing twice: an anonymised inquiry is marked (``anonymised_at``) and skipped.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from donations.services import inquiries_due_for_anonymisation, inquiry_anonymise

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "保存期間（INQUIRY_RETENTION_YEARS）を過ぎた、"
        "対応終了済みの寄附のお問い合わせの個人情報を消去します。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="対象の件数と受付番号を表示するだけで、何も変更しません。",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        years = settings.INQUIRY_RETENTION_YEARS
        now = timezone.now()
        due = list(inquiries_due_for_anonymisation(years=years, now=now))
        for inquiry in due:
            closed = timezone.localdate(inquiry.closed_at).isoformat()
            self.stdout.write(f"{inquiry.reference}（対応終了 {closed}）")
        if dry_run:
            self.stdout.write(
                f"{len(due)}件の問い合わせが匿名化の対象です（保存期間{years}年）。"
                "--dry-run のため、何も変更していません。"
            )
            return
        for inquiry in due:
            inquiry_anonymise(inquiry=inquiry, now=now)
        logger.info("%d inquiries anonymised (retention %d years).", len(due), years)
        self.stdout.write(self.style.SUCCESS(f"{len(due)}件の問い合わせを匿名化しました。"))
