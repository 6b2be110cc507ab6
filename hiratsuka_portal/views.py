"""The site's own pages: home, policies, site search, health check and robots.txt."""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from agreements.models import Agreement, AgreementEvent
from core import search as site_search
from core.news import whats_new
from core.updates import last_updated
from donations.models import Donation
from projects.models import Project

from .models import AccessibilityCriterion, SitePage


def _site_page(kind: str) -> SitePage | None:
    return SitePage.objects.public().with_sections().filter(kind=kind).first()


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    introduction = _site_page(SitePage.Kind.INTRODUCTION)
    return render(
        request,
        "site/home.html",
        {
            "introduction": introduction,
            "featured_projects": Project.objects.featured().for_cards()[:6],
            "donation_summary": Donation.objects.public_summary(),
            "agreement_in_force": Agreement.objects.public().in_force().first(),
            "whats_new": whats_new(),
            "last_updated": last_updated(
                introduction,
                introduction.sections.all() if introduction else None,
                Project,
                Donation,
                Agreement,
                AgreementEvent,
            ),
        },
    )


def _policy_page(
    request: HttpRequest, kind: str, *, context: dict | None = None, **shown: list
) -> HttpResponse:
    """A page of staff-written sections, with the lists of records it shows beside them (and
    ``context``: what its template states from the settings)."""
    page = _site_page(kind)
    if page is None:
        raise Http404(_("このページはまだ公開されていません。"))
    return render(
        request,
        "site/sitepage_detail.html",
        {
            "page": page,
            "breadcrumbs": [(page.title, None)],
            "last_updated": last_updated(page, page.sections.all(), *shown.values()),
            **shown,
            **(context or {}),
        },
    )


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (総務省「みんなの公共サイト運用ガイドライン」): the staff's
    texts, then the 試験結果表 of every WCAG 2.0 A/AA success criterion."""
    return _policy_page(
        request, SitePage.Kind.ACCESSIBILITY, criteria=list(AccessibilityCriterion.objects.all())
    )


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    # The retention period is stated from the setting the erasing command obeys, never typed
    # into the staff's text, so the page cannot promise what the site does not do.
    return _policy_page(
        request,
        SitePage.Kind.PRIVACY,
        context={"retention_years": settings.INQUIRY_RETENTION_YEARS},
    )


SEARCH_EXAMPLES = (
    pgettext_lazy("search example", "波力"),
    pgettext_lazy("search example", "研究会"),
    pgettext_lazy("search example", "ヤフー"),
)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = site_search.parse_query(request.GET.get("q", ""))
    results = site_search.run_search(query, request.GET.get("page")) if query.has_terms else None
    return render(
        request,
        "site/search.html",
        {
            "query": query,
            "results": results,
            "examples": SEARCH_EXAMPLES,
            "kinds": [source.label for source in site_search.registered_sources()],
            "max_query_length": site_search.MAX_QUERY_LENGTH,
            "max_terms": site_search.MAX_TERMS,
            "breadcrumbs": [(_("サイト内検索"), None)],
        },
    )


@never_cache
def benchmark_floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's yardstick: a view doing nothing, behind the whole middleware stack. Never
    cached, so it measures an empty Django view rather than a page-cache hit (URL only with
    ``BENCHMARK_FLOOR``)."""
    return HttpResponse("ok", content_type="text/plain")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: 200 when every database answers, 503 otherwise."""
    failed = []
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            failed.append(alias)
    if failed:
        return JsonResponse({"status": "unavailable", "databases": failed}, status=503)
    return JsonResponse({"status": "ok"})


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        "Allow: /",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Browsers ask for /favicon.ico on every page that names no icon (the admin, say).
    return redirect(static("img/favicon.svg"), permanent=True)
