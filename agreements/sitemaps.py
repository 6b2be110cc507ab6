"""The agreements app's pages in /sitemap.xml."""

from __future__ import annotations

from core import sitemaps

from .models import Agreement


class AgreementSitemap(sitemaps.PortalSitemap):
    changefreq = "yearly"

    def items(self):
        return Agreement.objects.public().order_by("pk")


sitemaps.register_pages("agreements:agreement-list")
sitemaps.register("agreements", AgreementSitemap)
