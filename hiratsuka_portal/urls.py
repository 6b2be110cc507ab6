"""URLs: Japanese at the root, English under /en/ (DESIGN.md §5).

The admin, the health check and robots.txt are language-neutral and stay outside i18n_patterns.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from . import opendata_views, search, views
from .feeds import WhatsNewFeed
from .sitemaps import SITEMAPS

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("", include("projects.urls")),
    path("", include("donations.urls")),
    path("", include("agreements.urls")),
    path("search/", search.search, name="search"),
    path("feed.atom", WhatsNewFeed(), name="feed"),
    path("opendata/", opendata_views.index, name="opendata-index"),
    path("opendata/donations.csv", opendata_views.donations_csv, name="opendata-donations-csv"),
    path("opendata/donations.json", opendata_views.donations_json, name="opendata-donations-json"),
    path("opendata/projects.json", opendata_views.projects_json, name="opendata-projects-json"),
    path(
        "opendata/agreements.json", opendata_views.agreements_json, name="opendata-agreements-json"
    ),
    path("opendata/meetings.ics", opendata_views.meetings_ics, name="opendata-meetings-ics"),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
