"""The projects app's pages in /sitemap.xml."""

from __future__ import annotations

from django.urls import reverse

from core import sitemaps

from .models import Meeting, Project


class ProjectSitemap(sitemaps.PortalSitemap):
    changefreq = "monthly"

    def items(self):
        return Project.objects.public().order_by("pk")

    def lastmod(self, project: Project):
        return project.updated_at


class MeetingYearSitemap(sitemaps.PortalSitemap):
    """The research group's meetings of each fiscal year (its page lists only the latest)."""

    changefreq = "monthly"

    def items(self) -> list[int]:
        return [year["fiscal_year"] for year in Meeting.objects.public().yearly_totals()]

    def location(self, fiscal_year: int) -> str:
        return reverse("projects:meeting-year", kwargs={"fiscal_year": fiscal_year})


sitemaps.register_pages(
    "projects:project-list", "projects:research-group", "projects:meeting-years"
)
sitemaps.register("projects", ProjectSitemap)
sitemaps.register("meeting-years", MeetingYearSitemap)
