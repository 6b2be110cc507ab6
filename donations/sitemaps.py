"""The donations app's pages in /sitemap.xml."""

from __future__ import annotations

from django.urls import reverse

from core import sitemaps

from .models import Donation
from .records import record_totals


class DonationYearSitemap(sitemaps.PortalSitemap):
    """The donors of each fiscal year (/donations/ shows only the latest years)."""

    changefreq = "yearly"

    def items(self) -> list[int]:
        return [year.fiscal_year for year in record_totals(Donation.objects.all()).years]

    def location(self, fiscal_year: int) -> str:
        return reverse("donations:donation-year", kwargs={"fiscal_year": fiscal_year})


sitemaps.register_pages("donations:donation-list", "donations:inquiry")
sitemaps.register("donation-years", DonationYearSitemap)
