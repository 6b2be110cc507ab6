"""Sign-in protection (django-axes): what a locked-out staff member sees.

django-axes calls ``lockout_response`` (settings.AXES_LOCKOUT_CALLABLE) instead of signing in
when an account has failed too often from one address. The page is the admin's own look, in
Japanese, with the city's contact, so a member of staff knows whom to ask to lift the lock.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

# 429 Too Many Requests says what happened (403 would claim the account lacks a permission).
LOCKOUT_STATUS = 429


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials=None
) -> HttpResponse:
    context = {
        **admin.site.each_context(request),
        "title": gettext("ログインできません"),
        "cooloff_minutes": settings.AXES_COOLOFF_MINUTES,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "admin/locked_out.html", context, status=LOCKOUT_STATUS)
