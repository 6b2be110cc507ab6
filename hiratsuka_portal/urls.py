"""URLs: Japanese at the root, English under /en/ (DESIGN.md §5).

The admin, the health check and robots.txt are language-neutral and stay outside i18n_patterns.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.decorators.http import require_safe

from core import opendata

from . import opendata_views, views
from .feeds import WhatsNewFeed
from .sitemaps import site_sitemaps

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots-txt"),
    path("favicon.ico", views.favicon, name="favicon"),
    # Django's sitemap and feed views answer any method; like every other public page they
    # take only GET and HEAD (405 otherwise).
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": site_sitemaps()}, name="sitemap"),
    # The second factor's pages, under the admin's prefix (hiratsuka_portal/two_factor/).
    path("admin/two-factor/", include("hiratsuka_portal.two_factor.urls")),
    path("admin/", admin.site.urls),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("", include("projects.urls")),
    path("", include("donations.urls")),
    path("", include("agreements.urls")),
    path("search/", views.search, name="search"),
    path("feed.atom", require_safe(WhatsNewFeed()), name="feed"),
    path("opendata/", opendata_views.index, name="opendata-index"),
    # Every file the apps registered, each under its own name (opendata-donations-csv, …).
    *(
        path(
            f"opendata/{dataset.filename}",
            opendata_views.dataset_file,
            {"filename": dataset.filename},
            name=dataset.url_name,
        )
        for dataset in opendata.datasets()
    ),
    prefix_default_language=False,
)

if settings.BENCHMARK_FLOOR:
    # The floor of `make benchmark`: the cost of any Django view on this server, same middleware.
    urlpatterns.insert(0, path("benchmark/floor/", views.benchmark_floor, name="benchmark-floor"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# A database outage met in a middleware answers the 503 page too (core/outage.py); any other
# error, Django's 500 page (templates/500.html).
handler500 = "core.outage.server_error"
