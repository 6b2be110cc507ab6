"""Measure the PDF renderer on a large donation report, against a one-line baseline.

    python manage.py benchmark_reports [--donations 1000] [--language ja] [--output report.pdf]

The donations are built in memory (unsaved model instances handed straight to the report's
template): nothing is written to the database, so this is safe on any installation. The only
query is the read of the city's contact for the footer.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from core.pdf import RenderedPdf, html_to_pdf, render_pdf
from donations.models import Donation, Donor, Scheme
from donations.records import donation_record
from projects.models import Project

# The synthetic projects are public (their publication time is past).
PUBLISHED_AT = datetime.datetime(2020, 4, 1, tzinfo=datetime.UTC)

BASELINE_HTML = (
    '<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>baseline</title></head>'
    "<body><p>平塚市 知的対流推進事業</p></body></html>"
)


class Command(BaseCommand):
    help = "Render the donation report for N in-memory donations and print time, pages, size."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--donations", type=int, default=1000, help="how many (default 1000)")
        parser.add_argument("--language", default="ja", choices=["ja", "en"])
        parser.add_argument("--output", type=Path, help="also write the report's PDF here")

    def handle(self, *args, donations: int, language: str, output: Path | None, **options):
        if donations < 1:
            self.stderr.write("--donations must be at least 1")
            return
        self.stdout.write("Warming up (loading WeasyPrint and the Japanese font)…")
        html_to_pdf(BASELINE_HTML)

        self.stdout.write("Rendering the baseline (a one-line PDF)…")
        baseline, baseline_seconds = _timed(lambda: html_to_pdf(BASELINE_HTML))
        self._report("baseline (one line)", baseline, baseline_seconds)

        self.stdout.write(f"Building {donations:,} synthetic donations in memory…")
        record = _synthetic_record(donations)
        self.stdout.write(f"Rendering the donation report ({language})…")
        report, report_seconds = _timed(
            lambda: render_pdf("pdf/donation_report.html", {"record": record}, language=language)
        )
        self._report(f"donation report ({donations:,} donations)", report, report_seconds)
        ratio = report_seconds / baseline_seconds if baseline_seconds else float("inf")
        self.stdout.write(f"ratio: {ratio:.1f}× the baseline's time")
        self.stdout.write(
            f"per page: {report_seconds / report.page_count * 1000:.0f} ms, "
            f"per donation: {report_seconds / donations * 1000:.1f} ms"
        )
        if output is not None:
            output.write_bytes(report.content)
            self.stdout.write(f"Wrote {output}")

    def _report(self, label: str, pdf: RenderedPdf, seconds: float) -> None:
        self.stdout.write(
            f"{label}: {seconds:.3f} s, {pdf.page_count} pages, {len(pdf.content) / 1024:.1f} KB"
        )


def _timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _synthetic_record(count: int):
    """A donation record like the real one, only longer: donors over ten fiscal years, a few
    anonymous, some with name or amount withheld, each funding one to three projects."""

    projects = [
        Project(pk=index, slug=slug, title=title, published_at=PUBLISHED_AT, position=index)
        for index, (slug, title) in enumerate(
            [
                ("wave-power-3rd-generation", "第3世代波力発電"),
                ("battery-powered-ship", "電池推進船"),
                ("blue-carbon", "ブルーカーボン"),
            ],
            start=1,
        )
    ]
    donations = []
    for index in range(count):
        anonymous = index % 17 == 0
        donor = Donor(
            pk=index + 1,
            kind=Donor.Kind.INDIVIDUAL if anonymous else Donor.Kind.COMPANY,
            name="" if anonymous else f"湘南ベンチマーク工業{index + 1}株式会社",
            is_anonymous=anonymous,
        )
        donation = Donation(
            pk=index + 1,
            donor=donor,
            fiscal_year=2016 + index * 10 // count,
            amount=100_000 * (1 + index % 300),
            scheme=Scheme.OTHER if anonymous else Scheme.CORPORATE_HOMETOWN_TAX,
            publish_name=index % 7 != 0,
            publish_amount=index % 11 != 0,
            position=index,
        )
        # What for_public_table() leaves on a fetched donation (it is never saved).
        donation.published_projects = projects[: 1 + index % 3]
        donations.append(donation)
    return donation_record(donations)
