"""The agreements app's pages in /sitemap.xml."""

from __future__ import annotations

from django.urls import reverse

from core import sitemaps
from core.by_fiscal_year import fiscal_year_counts

from .models import Agreement, AgreementEvent


class AgreementSitemap(sitemaps.PortalSitemap):
    changefreq = "yearly"

    def items(self):
        return Agreement.objects.public().order_by("pk")


class HistoryYearSitemap(sitemaps.PortalSitemap):
    """The history of each fiscal year (the agreements' page lists only the latest steps)."""

    changefreq = "yearly"

    def items(self) -> list[int]:
        years = fiscal_year_counts(AgreementEvent.objects.public(), "occurred_on")
        return sorted(fiscal_year for fiscal_year, _count in years)

    def location(self, fiscal_year: int) -> str:
        return reverse("agreements:history-year", kwargs={"fiscal_year": fiscal_year})


sitemaps.register_pages(
    "agreements:agreement-list", "agreements:agreement-all", "agreements:history-years"
)
sitemaps.register("agreements", AgreementSitemap)
sitemaps.register("agreement-history-years", HistoryYearSitemap)
