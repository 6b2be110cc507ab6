"""The company's private link to its 寄附申出書: a signed URL, no login. The page says what to
do and offers the PDF; a link the city did not make is a 404, an expired one (or one whose
application no longer applies) a 410 that says how to get a new one. Never cached, never
indexed (the link is in no sitemap, search or feed)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .services.applications import (
    LinkGone,
    LinkInvalid,
    application_file_name,
    application_for_link,
)


def _private(response: HttpResponse) -> HttpResponse:
    # never_cache has made it "private, no-store"; search engines are told to leave it alone
    # even if the link leaks.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refusal(request: HttpRequest, error: LinkInvalid | LinkGone) -> HttpResponse:
    if isinstance(error, LinkInvalid):
        response = render(request, "404.html", status=404)
    else:
        response = render(
            request,
            "donations/application_gone.html",
            {"reason": error.reason},
            status=410,
        )
    return _private(response)


@never_cache
@require_safe
def application_download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        application, expires_at = application_for_link(token)
    except (LinkInvalid, LinkGone) as error:
        return _refusal(request, error)
    return _private(
        render(
            request,
            "donations/application_download.html",
            {
                "application": application.snapshot,
                "expires_at": expires_at,
                "pdf_url": reverse("donations:application-pdf", args=[token]),
                "file_name": application_file_name(application),
                "breadcrumbs": [
                    (_("企業版ふるさと納税・寄附"), reverse("donations:donation-list")),
                    (_("寄附申出書のダウンロード"), None),
                ],
            },
        )
    )


@never_cache
@require_safe
def application_pdf(request: HttpRequest, token: str) -> HttpResponse:
    try:
        application, _expires_at = application_for_link(token)
    except (LinkInvalid, LinkGone) as error:
        return _refusal(request, error)
    # The frozen file, exactly as issued.
    return _private(
        FileResponse(
            application.file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=application_file_name(application),
        )
    )
