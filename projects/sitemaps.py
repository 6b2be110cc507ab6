"""The projects app's pages in /sitemap.xml."""

from __future__ import annotations

from core import sitemaps

from .models import Project


class ProjectSitemap(sitemaps.PortalSitemap):
    changefreq = "monthly"

    def items(self):
        return Project.objects.public().order_by("pk")

    def lastmod(self, project: Project):
        return project.updated_at


sitemaps.register_pages("projects:project-list", "projects:research-group")
sitemaps.register("projects", ProjectSitemap)
