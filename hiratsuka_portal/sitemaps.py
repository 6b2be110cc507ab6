"""/sitemap.xml: every public page, in Japanese and English, with hreflang alternates."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from agreements.models import Agreement
from projects.models import Project


class PortalSitemap(Sitemap):
    i18n = True  # one entry per language …
    alternates = True  # … each listing the others as <xhtml:link rel="alternate" hreflang>
    x_default = True


class StaticPagesSitemap(PortalSitemap):
    changefreq = "monthly"

    def items(self) -> list[str]:
        return [
            "home",
            "projects:project-list",
            "projects:research-group",
            "donations:donation-list",
            "donations:inquiry",
            "agreements:agreement-list",
            "opendata-index",
            "accessibility",
            "privacy",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class ProjectSitemap(PortalSitemap):
    changefreq = "monthly"

    def items(self):
        return Project.objects.published().order_by("pk")

    def lastmod(self, project: Project):
        return project.updated_at


class AgreementSitemap(PortalSitemap):
    changefreq = "yearly"

    def items(self):
        return Agreement.objects.published().order_by("pk")


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "projects": ProjectSitemap,
    "agreements": AgreementSitemap,
}
