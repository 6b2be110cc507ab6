"""The public donation record, grouped by fiscal year with the published totals.

One function for every place that shows the record (the /donations/ page, its PDF report), so
that they all honour the publish flags the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from operator import attrgetter

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
    donations: Iterable[Donation], supported_projects: Iterable[Project] = ()
) -> DonationRecord:
    """Group donations, given in table order (by fiscal year), with the published totals.

    Pass ``Donation.objects.for_public_table()``: it brings the donors and projects along;
    and ``Project.objects.supported_by_donations()`` for what the donations overall supported
    (each row keeps only the projects its own donation records)."""
    years: list[FiscalYearGroup] = []
    for fiscal_year, of_year in groupby(donations, key=attrgetter("fiscal_year")):
        rows = [
            DonationRow(donation=donation, projects=donation.published_projects)
            for donation in of_year
        ]
        years.append(
            FiscalYearGroup(
                fiscal_year=fiscal_year,
                rows=rows,
                total=sum(row.donation.amount for row in rows if row.donation.publish_amount),
                has_unpublished=any(not row.donation.publish_amount for row in rows),
            )
        )
    return DonationRecord(
        years=years,
        total=sum(year.total for year in years),
        has_unpublished=any(year.has_unpublished for year in years),
        projects=list(supported_projects),
    )
