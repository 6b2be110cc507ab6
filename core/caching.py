"""Generated downloads (PDF reports, open data) rendered once per change of their data.

A download's version is a fingerprint of the rows it shows: how many there are, the highest
primary key, and the time of the latest change in the audit trail (django-simple-history
records every staff edit). For a publishable model it also holds which rows are public now:
how many, and the latest publication time already reached. A scheduled record coming due
changes no row and writes no history, but it moves that time (it is later than every
publication time reached before it), so the download is rendered afresh at once.

The fingerprint is a few aggregate queries; rendering a PDF is seconds. So a request first
answers conditional GETs (304, nothing rendered), then serves the rendered body from the cache,
and only renders on the first request after a change.

A staff preview (``core.publishing.preview_active``) shows drafts: it is rendered for the
request alone, never read from or written to the cache, and carries no validators.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from django.core.cache import cache
from django.db import models
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language

from .publishing import Publishable, preview_active

CACHE_TIMEOUT = 7 * 24 * 60 * 60


@dataclass(frozen=True)
class DataVersion:
    fingerprint: str
    last_modified: datetime | None


def data_version(*model_classes: type[models.Model]) -> DataVersion:
    """The version of everything stored in these models (their rows and their audit trail)."""
    parts: list[str] = []
    latest: datetime | None = None
    now = timezone.now()
    for model in model_classes:
        aggregates = {"count": Count("pk"), "top": Max("pk")}
        if issubclass(model, Publishable):
            due = Q(published_at__lte=now)
            aggregates |= {
                "public": Count("pk", filter=due),
                "due": Max("published_at", filter=due),
            }
        rows = model._default_manager.aggregate(**aggregates)
        parts.append(f"{model._meta.label}:{rows['count']}:{rows['top']}")
        if due_at := rows.get("due"):
            # A publication is a change of what the download shows, at its time.
            parts.append(f"{rows['public']}:{due_at.isoformat()}")
            if latest is None or due_at > latest:
                latest = due_at
        elif "public" in rows:
            parts.append(f"{rows['public']}:-")
        history = getattr(model, "history", None)
        if history is not None:
            changed = history.aggregate(last=Max("history_date"))["last"]
            parts.append(changed.isoformat() if changed else "-")
            if changed and (latest is None or changed > latest):
                latest = changed
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]
    return DataVersion(fingerprint=digest, last_modified=latest)


def cached_download(
    request: HttpRequest,
    *,
    name: str,
    models: Iterable[type[models.Model]],
    render: Callable[[], bytes],
    content_type: str,
    filename: str | None = None,
    ascii_filename: str | None = None,
    as_attachment: bool = False,
) -> HttpResponse:
    """Serve ``render()``'s bytes, rendered once per data version and language, with ETag and
    Last-Modified so that a revalidating client gets 304 without anything being rendered."""
    if preview_active():
        # Drafts must never reach the cache nor come from it (nor be revalidated against it).
        response = HttpResponse(render(), content_type=content_type)
        if filename:
            response["Content-Disposition"] = disposition(filename, ascii_filename, as_attachment)
        response["Cache-Control"] = "private, no-store, max-age=0"
        return response
    version = data_version(*models)
    language = get_language()
    etag = f'"{name}-{language}-{version.fingerprint}"'
    # Whole seconds, as HTTP dates carry: with microseconds If-Modified-Since would never match.
    last_modified = int(version.last_modified.timestamp()) if version.last_modified else None
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified

    cache_key = f"download:{name}:{language}:{version.fingerprint}"
    body = cache.get(cache_key)
    if body is None:
        body = render()
        cache.set(cache_key, body, CACHE_TIMEOUT)

    response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    if filename:
        response["Content-Disposition"] = disposition(filename, ascii_filename, as_attachment)
    # Browsers may keep it, but must ask again (and get a cheap 304) before reusing it.
    patch_cache_control(response, public=True, no_cache=True)
    return response


def disposition(filename: str, ascii_filename: str | None, as_attachment: bool) -> str:
    """A Content-Disposition header (RFC 6266): the Japanese name in ``filename*`` (RFC 5987,
    UTF-8, percent-encoded) and a plain ASCII ``filename`` for clients that know no better."""
    kind = "attachment" if as_attachment else "inline"
    fallback = ascii_filename or filename.encode("ascii", "ignore").decode() or "download"
    fallback = fallback.replace("\\", "").replace('"', "")
    return f"{kind}; filename=\"{fallback}\"; filename*=utf-8''{quote(filename)}"
