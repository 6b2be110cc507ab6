"""Middleware of the kit: the staff preview of drafts and scheduled records, and the admin's
refusal of NUL characters in query strings."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from .publishing import PREVIEW_PARAMETER, previewing


def is_preview_request(request: HttpRequest) -> bool:
    """A request with ``?preview=1`` from an active staff member. Anyone else's ``?preview=1``
    is ignored: a draft stays 404 for them."""
    if request.GET.get(PREVIEW_PARAMETER) != "1":
        return False
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def preview_exit_url(request: HttpRequest) -> str:
    """The same address without the preview switch: the page as the public sees it."""
    query = request.GET.copy()
    query.pop(PREVIEW_PARAMETER, None)
    encoded = urlencode(query, doseq=True)
    return request.path + (f"?{encoded}" if encoded else "")


class PreviewMiddleware:
    """Turn on the publishing preview for a staff request with ``?preview=1`` (after
    AuthenticationMiddleware): ``public()`` then includes drafts and scheduled records.

    What a preview shows is not public: the response may be kept by no cache, shared or
    private, and no search engine may index it (the page also says so in a banner and a
    robots meta tag, see ``context_processors.preview``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.is_preview = is_preview_request(request)
        if not request.is_preview:
            return self.get_response(request)
        with previewing():
            response = self.get_response(request)
            # A streamed body is produced after the view returns: read it while the preview is
            # on, so that it shows what the preview promised.
            if response.streaming:
                response.streaming_content = [b"".join(response.streaming_content)]
        # Validators would let a cache or a browser answer a later request with this body.
        for header in ("ETag", "Last-Modified", "Expires"):
            response.headers.pop(header, None)
        response["Cache-Control"] = "private, no-store, max-age=0"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response


# Where query parameters reach the database unread: the admin's list filters.
NUL_REFUSED_PATHS = ("/admin/",)


class RefuseNulInAdminQueryMiddleware:
    """A NUL character in an admin page's query string is a 400 Bad Request.

    The admin's list filters pass a parameter's value straight into the list's query, and
    PostgreSQL refuses NUL in any text (psycopg raises DataError when the list is read: a 500).
    No admin link carries one. The public pages read their few parameters through forms that
    refuse or strip it, and the search keeps answering such a query (tests/security)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(NUL_REFUSED_PATHS) and any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)
