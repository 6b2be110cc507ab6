"""The public donation record, grouped by fiscal year with the published totals.

One function for every place that shows the donors' rows (the /donations/ page, the pages of
each fiscal year, the PDF report), so that they all honour the publish flags the same way; the
per-year totals of the chart (``record_totals``) apply the same rule in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

from django.db import models
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from core.charts import bar_percentages
from projects.models import Project

from .models import Donation, Scheme


@dataclass(frozen=True)
class DonationRow:
    donation: Donation
    projects: list[Project]

    @property
    def shows_name(self) -> bool:
        """The donor's own name is shown (the city writes 様 after it)."""
        return self.donation.shows_donor_name

    @property
    def is_corporate(self) -> bool:
        return self.donation.scheme == Scheme.CORPORATE_HOMETOWN_TAX


@dataclass(frozen=True)
class FiscalYearGroup:
    fiscal_year: int
    rows: list[DonationRow]
    # Only amounts the donors agreed to publish: adding an unpublished amount to a total would
    # let anyone subtract the published ones and find it.
    total: int
    has_unpublished: bool
    # Every donation of the year, shown or not: /donations/ shows only the first few rows of a
    # year (its subtotal is still the whole year's) and links to the year's page for the rest.
    count: int

    @property
    def rows_not_shown(self) -> int:
        return self.count - len(self.rows)


@dataclass(frozen=True)
class DonationRecord:
    years: list[FiscalYearGroup]
    total: int
    has_unpublished: bool
    # What the donations taken together supported (the city's statement about the record).
    projects: list[Project]

    @property
    def has_attributions(self) -> bool:
        """Whether any donation records the projects it went to: only then does the table
        have a column for them."""
        return any(row.projects for year in self.years for row in year.rows)

    @property
    def chart(self) -> list[tuple[FiscalYearGroup, int]]:
        """Each year with its bar's length in percent of the largest year."""
        percents = bar_percentages(year.total for year in self.years)
        return list(zip(self.years, percents, strict=True))


def donation_record(
    donations: Iterable[Donation],
    supported_projects: Iterable[Project] = (),
    *,
    totals: RecordTotals | None = None,
) -> DonationRecord:
    """Group donations, given in table order (by fiscal year), with the published totals.

    Pass ``Donation.objects.for_public_table()``: it brings the donors and projects along;
    and ``Project.objects.supported_by_donations()`` for what the donations overall supported
    (each row keeps only the projects its own donation records). When the donations are only
    the first rows of each year (``first_of_each_fiscal_year``), pass the ``totals`` of the
    whole years: the subtotals and counts are then theirs, not those of the rows given."""
    whole_years = {year.fiscal_year: year for year in totals.years} if totals else {}
    years: list[FiscalYearGroup] = []
    for fiscal_year, of_year in groupby(donations, key=attrgetter("fiscal_year")):
        rows = [
            DonationRow(donation=donation, projects=donation.published_projects)
            for donation in of_year
        ]
        year = whole_years.get(fiscal_year) or YearTotal(
            fiscal_year=fiscal_year,
            total=sum(row.donation.amount for row in rows if row.donation.publish_amount),
            has_unpublished=any(not row.donation.publish_amount for row in rows),
            count=len(rows),
        )
        years.append(
            FiscalYearGroup(
                fiscal_year=fiscal_year,
                rows=rows,
                total=year.total,
                has_unpublished=year.has_unpublished,
                count=year.count,
            )
        )
    return DonationRecord(
        years=years,
        total=sum(year.total for year in years),
        has_unpublished=any(year.has_unpublished for year in years),
        projects=list(supported_projects),
    )


# The donors' table on /donations/ shows the latest fiscal years with donations; every year
# has a page of its own (/donations/<fiscal_year>/), so the page stays the same size however
# long the record grows.
LATEST_YEARS_SHOWN = 3
# ... and the first donors of each of those years (a year of a hundred donors would otherwise
# make the page grow with the record); the rest are on the year's page.
DONORS_SHOWN_PER_YEAR = 10


@dataclass(frozen=True)
class YearTotal:
    """One fiscal year of the record without its rows: what the chart and the year links need."""

    fiscal_year: int
    # Published amounts only, as in ``FiscalYearGroup.total``.
    total: int
    has_unpublished: bool
    count: int


@dataclass(frozen=True)
class RecordTotals:
    """The published total of every fiscal year, oldest first, computed in SQL."""

    years: list[YearTotal]

    @property
    def total(self) -> int:
        return sum(year.total for year in self.years)

    @property
    def has_unpublished(self) -> bool:
        return any(year.has_unpublished for year in self.years)

    @property
    def chart(self) -> list[tuple[YearTotal, int]]:
        """Each year with its bar's length, as ``DonationRecord.chart`` gives it."""
        percents = bar_percentages(year.total for year in self.years)
        return list(zip(self.years, percents, strict=True))

    def latest_years(self, count: int = LATEST_YEARS_SHOWN) -> list[int]:
        return [year.fiscal_year for year in self.years[-count:]]


def record_totals(donations: models.QuerySet[Donation]) -> RecordTotals:
    """The totals ``donation_record`` would give each year, in one query.

    The same rule as there: an amount counts only if the donor agreed to publish it (a total
    holding an unpublished amount would reveal it by subtraction)."""
    rows = (
        donations.order_by()
        .values("fiscal_year")
        .annotate(
            published=Coalesce(Sum("amount", filter=Q(publish_amount=True)), 0),
            unpublished=Count("pk", filter=Q(publish_amount=False)),
            count=Count("pk"),
        )
        .order_by("fiscal_year")
    )
    return RecordTotals(
        years=[
            YearTotal(
                fiscal_year=row["fiscal_year"],
                total=row["published"],
                has_unpublished=row["unpublished"] > 0,
                count=row["count"],
            )
            for row in rows
        ]
    )


def year_page_url(fiscal_year: int) -> str:
    """Where a donation of ``fiscal_year`` is shown: the table of its year."""
    url = reverse("donations:donation-year", kwargs={"fiscal_year": fiscal_year})
    return f"{url}#record-heading"
