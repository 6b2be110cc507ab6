"""The response headers Django has no setting for: ``Permissions-Policy`` and
``Cross-Origin-Resource-Policy``, on every response.

The middleware is the first in ``MIDDLEWARE``, so it sees every response on its way out:
pages rendered or served from the page cache (which sits further in and never stores these
headers, so a cached page leaves with exactly the headers a rendered one gets), 304s, error
pages (an exception is turned into its response by the handler around each inner middleware),
the static files WhiteNoise answers before any view runs, the admin and the health check.
A response that already names a header (a view with a reason of its own) keeps its value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def permissions_policy_value(policy: Mapping[str, Sequence[str]]) -> str:
    """The header's structured-field form: ``camera=(), fullscreen=(self)``; an empty list
    denies the feature to every origin, this page's included."""
    return ", ".join(f"{feature}=({' '.join(allowlist)})" for feature, allowlist in policy.items())


class SecurityHeadersMiddleware:
    """Add ``PERMISSIONS_POLICY`` and ``CROSS_ORIGIN_RESOURCE_POLICY`` (settings) to every
    response. Read once at start-up: settings do not change while a process serves."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.headers = {}
        policy = getattr(settings, "PERMISSIONS_POLICY", None)
        if policy:
            self.headers["Permissions-Policy"] = permissions_policy_value(policy)
        resource_policy = getattr(settings, "CROSS_ORIGIN_RESOURCE_POLICY", None)
        if resource_policy:
            self.headers["Cross-Origin-Resource-Policy"] = resource_policy

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        for name, value in self.headers.items():
            response.headers.setdefault(name, value)
        return response
