"""What companies pledged and what the city received, per fiscal year and per project: the
staff's figures for following the pledges up (the dashboard panel 「申出額と受領額」 and its CSV).

The rules, which the panel and the CSV state in their own words:

* 申出額 (pledged): the inquiries whose company pledged a donation — 寄附の申出あり, and those
  since donated from, 寄附済み — by their 寄附予定額 in their 寄附予定年度. A pledge the city later
  declined or the company withdrew is not counted.
* 受領額 (received): the 企業版ふるさと納税 donations recorded, in the fiscal year the money was
  received in (``Donation.fiscal_year``), whether recorded from an inquiry or typed in. Only this
  scheme: every pledge is made under it (the inquiry form is the scheme's), so a gift under
  another scheme would be compared with no pledge at all; the dashboard's 年度別の寄附 counts
  every donation.
* 未納 (not yet paid): the pledges still at 寄附の申出あり, from which no donation is recorded yet
  (recording the donation moves the inquiry to 寄附済み), by their 寄附予定額. A pledge paid with
  a different amount is paid: the difference shows between 申出額 and 受領額.
* Per project: an inquiry or a donation naming several projects counts in full under each of
  them, since the city records no split of the amount; the project rows of a year may then add up
  to more than the year's total. Those naming none are shown as 「取組みの指定なし」.

Five queries whatever the number of inquiries and donations (four while no record names a
project): one aggregate per source and grouping, and the projects named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

import tablib
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import dashboard
from core.japanese import fiscal_year_wareki
from core.spreadsheets import ExcelCSV
from projects.models import Project

from .models import Donation, DonationInquiry, InquiryStatus

NO_PROJECT_LABEL = _("取組みの指定なし")


@dataclass(frozen=True)
class Figures:
    """The counts and amounts (whole yen) of one row."""

    pledged_count: int = 0
    pledged_amount: int = 0
    received_count: int = 0
    received_amount: int = 0
    unpaid_count: int = 0
    unpaid_amount: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(
            **{
                field.name: getattr(self, field.name) + getattr(other, field.name)
                for field in fields(self)
            }
        )


@dataclass(frozen=True)
class ProjectFigures:
    """One project's figures; ``project`` None is the row of the records naming none."""

    project: Project | None
    figures: Figures

    @property
    def label(self) -> str:
        return str(self.project) if self.project is not None else str(NO_PROJECT_LABEL)


@dataclass(frozen=True)
class YearFigures:
    fiscal_year: int
    total: Figures
    projects: list[ProjectFigures]


@dataclass(frozen=True)
class PledgeTotals:
    years: list[YearFigures]
    # Every year taken together, and each project over every year.
    total: Figures
    projects: list[ProjectFigures]


def may_view_pledge_totals(user) -> bool:
    """The figures compare inquiries with donations: for those the admin shows both to."""
    return dashboard.can_view(user, Donation) and dashboard.can_view(user, DonationInquiry)


_PLEDGE_AGGREGATES = {
    "pledged_count": Count("pk"),
    "pledged_amount": Sum("planned_amount", default=0),
    "unpaid_count": Count("pk", filter=Q(status=InquiryStatus.PLEDGED)),
    "unpaid_amount": Sum("planned_amount", filter=Q(status=InquiryStatus.PLEDGED), default=0),
}
_RECEIPT_AGGREGATES = {
    "received_count": Count("pk"),
    "received_amount": Sum("amount", default=0),
}


def pledge_totals() -> PledgeTotals:
    """Pledged, received and not yet paid, per fiscal year (oldest first) and per project
    (in the projects' order, 「取組みの指定なし」 last), by the rules of this module."""
    pledges = DonationInquiry.objects.pledged().order_by()
    receipts = Donation.objects.corporate_hometown_tax().order_by()

    by_year: dict[int, Figures] = defaultdict(Figures)
    for row in pledges.values("planned_fiscal_year").annotate(**_PLEDGE_AGGREGATES):
        by_year[row.pop("planned_fiscal_year")] += Figures(**row)
    for row in receipts.values("fiscal_year").annotate(**_RECEIPT_AGGREGATES):
        by_year[row.pop("fiscal_year")] += Figures(**row)

    # (fiscal year, project id or None) → figures: grouping by the many-to-many joins each
    # record once per project it names, and once with None when it names none.
    by_project: dict[tuple[int, int | None], Figures] = defaultdict(Figures)
    for row in pledges.values("planned_fiscal_year", "projects").annotate(**_PLEDGE_AGGREGATES):
        by_project[row.pop("planned_fiscal_year"), row.pop("projects")] += Figures(**row)
    for row in receipts.values("fiscal_year", "projects").annotate(**_RECEIPT_AGGREGATES):
        by_project[row.pop("fiscal_year"), row.pop("projects")] += Figures(**row)

    project_ids = {project_id for _year, project_id in by_project if project_id is not None}
    projects = list(Project.objects.filter(pk__in=project_ids).order_by("position", "pk"))
    order: list[Project | None] = [*projects, None]

    years = [
        YearFigures(
            fiscal_year=fiscal_year,
            total=by_year[fiscal_year],
            projects=_in_order(order, by_project, fiscal_year),
        )
        for fiscal_year in sorted(by_year)
    ]
    overall: dict[int | None, Figures] = defaultdict(Figures)
    for (_year, project_id), figures in by_project.items():
        overall[project_id] += figures
    return PledgeTotals(
        years=years,
        total=sum((year.total for year in years), Figures()),
        projects=[
            ProjectFigures(project=project, figures=overall[_pk(project)])
            for project in order
            if _pk(project) in overall
        ],
    )


def _pk(project: Project | None) -> int | None:
    return project.pk if project is not None else None


def _in_order(
    order: Iterable[Project | None], by_project: dict[Any, Figures], fiscal_year: int
) -> list[ProjectFigures]:
    return [
        ProjectFigures(project=project, figures=by_project[fiscal_year, _pk(project)])
        for project in order
        if (fiscal_year, _pk(project)) in by_project
    ]


# --- The CSV -------------------------------------------------------------------------------------


def pledge_totals_csv(totals: PledgeTotals) -> bytes:
    """The figures as a CSV Excel opens (UTF-8 with a BOM), one table a filter can cut: per
    fiscal year its total (区分 年度計) followed by its projects (取組み別), then every year
    together (全年度). Amounts are plain whole yen, so that Excel adds them up; counts and amounts
    only, no company and no person."""
    dataset = tablib.Dataset(
        headers=[
            gettext("年度"),
            gettext("年度（和暦）"),
            gettext("区分"),
            gettext("取組み"),
            gettext("申出件数"),
            gettext("申出額（円）"),
            gettext("受領件数"),
            gettext("受領額（円）"),
            gettext("未納件数"),
            gettext("未納額（円）"),
        ]
    )
    year_total, by_project = gettext("年度計"), gettext("取組み別")
    for year in totals.years:
        western, wareki = year.fiscal_year, fiscal_year_wareki(year.fiscal_year)
        dataset.append([western, wareki, year_total, "", *_numbers(year.total)])
        for row in year.projects:
            dataset.append([western, wareki, by_project, row.label, *_numbers(row.figures)])
    if totals.years:
        every_year = gettext("全年度")
        dataset.append(["", every_year, gettext("合計"), "", *_numbers(totals.total)])
        for row in totals.projects:
            dataset.append(["", every_year, by_project, row.label, *_numbers(row.figures)])
    return ExcelCSV().export_data(dataset)


def _numbers(figures: Figures) -> list[int]:
    return [
        figures.pledged_count,
        figures.pledged_amount,
        figures.received_count,
        figures.received_amount,
        figures.unpaid_count,
        figures.unpaid_amount,
    ]
