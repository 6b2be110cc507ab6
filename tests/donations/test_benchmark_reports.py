"""`manage.py benchmark_reports` prints its figures and never writes to the database."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from donations.models import Donation, Donor


@pytest.mark.django_db
def test_benchmark_prints_time_pages_and_size_of_report_and_baseline(seeded, tmp_path):
    before = Donation.objects.count(), Donor.objects.count()
    out = io.StringIO()
    output = tmp_path / "report.pdf"
    with CaptureQueriesContext(connection) as queries:
        call_command("benchmark_reports", "--donations", "50", "--output", str(output), stdout=out)
    printed = out.getvalue()

    baseline = re.search(r"baseline \(one line\): ([\d.]+) s, (\d+) pages, ([\d.]+) KB", printed)
    report = re.search(
        r"donation report \(50 donations\): ([\d.]+) s, (\d+) pages, ([\d.]+) KB", printed
    )
    assert baseline and report, printed
    assert int(baseline[2]) == 1
    assert int(report[2]) > 1
    assert float(report[3]) > float(baseline[3]) > 0
    assert re.search(r"ratio: [\d.]+× the baseline's time", printed)
    assert output.read_bytes().startswith(b"%PDF-")
    # Progress is reported as it goes.
    assert "Building 50 synthetic donations in memory" in printed

    writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert (Donation.objects.count(), Donor.objects.count()) == before
