"""The page cache: public pages for anonymous visitors, rendered once per change of the site.

A visitor without a session (no staff sign-in, no inquiry under way) asking for a public page
with GET or HEAD is answered from the cache when nothing the site shows has changed since the
page was rendered. The middleware sits before the session, CSRF, authentication and messages
middlewares, so a hit runs none of them and sets no cookie; it sits after the security, CSP
and WhiteNoise middlewares, so a cached page leaves with exactly the headers a rendered one
gets (the CSP has no nonce, so one page is valid for everyone).

Freshness is a data version, not a timeout. The version is a token in the cache, replaced:

- at once on every save or delete of a model of the site's apps (``PAGE_CACHE_APPS``) and on
  every many-to-many change among them, and again when the transaction commits (a request
  between the two would otherwise keep the old data under the new version);
- when a scheduled record comes due: the next publication time (and the next time of the
  fields in ``PAGE_CACHE_SCHEDULE_FIELDS``, a meeting moving from "upcoming" to "past") is
  kept beside the version and checked on every request, a comparison, not a query;
- when a setting changes (tests; a deploy restarts the processes anyway).

The key also holds the site's local date (pages that say what is in force "today" turn over
at midnight) and a fingerprint of the code, templates and message catalogues (a deploy does
not serve the previous release's pages from a shared Redis).

With Redis (``REDIS_URL``) the version is shared by every process and server. With the local
memory cache each process keeps its own version and pages; a change made by one process (the
admin's save) is announced to the other processes of the same machine by the modification time
of ``PAGE_CACHE_VERSION_FILE``, which every request compares (a stat, no query). Several
servers need Redis.

What is stored: 200 responses with an HTML, XML or Atom body, or a generated download (PDF,
CSV, JSON, iCalendar), that set no cookie, used no CSRF token (a form's token belongs to one
visitor), are not ``private``/``no-store``, are not streamed (a private file) and were not
marked ``page_cache_exempt``. A page without them gets an ETag (a hash of the body), a
Last-Modified (when the version changed) and ``Cache-Control: public, no-cache``, so a browser
revalidates and gets a 304, answered from the cache entry without rendering anything.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError, models, transaction
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import get_language_from_path

from .publishing import PREVIEW_PARAMETER, publishable_models

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
SCHEDULE_KEY = "page-cache:schedule"
# Stale entries are unreachable (their key names an old version), so the timeout only frees
# memory the cache's own eviction has not freed already.
ENTRY_TIMEOUT = 7 * 24 * 60 * 60
# A query string longer than this is rendered every time, never stored.
MAX_QUERY_LENGTH = 512
# Clocks of several servers differ a little: a schedule computed this much "in the future" is
# still trusted; a clock set back further (a test's time machine) renews the version.
CLOCK_TOLERANCE = 60.0
# Pages and feeds, and the generated downloads (PDF reports, open data): a download keeps its
# own ETag and Last-Modified (core.caching), so a hit here skips even its fingerprint queries.
CACHEABLE_TYPES = (
    "text/html",
    "application/xml",
    "text/xml",
    "application/atom+xml",
    "application/pdf",
    "text/csv",
    "application/json",
    "text/calendar",
)
STORED_STATUS = 200


def enabled() -> bool:
    return getattr(settings, "PAGE_CACHE_ENABLED", True)


# --- The data version -------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    token: str
    # When the site's data last changed (seconds since the epoch).
    changed_at: float


def _new_version(changed_at: float | None = None) -> Version:
    return Version(token=secrets.token_hex(8), changed_at=changed_at or time.time())


def bump(changed_at: float | None = None) -> None:
    """Make every cached page stale: from the next request on, pages are rendered afresh."""
    version = _new_version(changed_at)
    cache.set(VERSION_KEY, (version.token, version.changed_at), None)
    _touch_version_file()


def _version_file() -> Path | None:
    path = getattr(settings, "PAGE_CACHE_VERSION_FILE", None)
    return Path(path) if path else None


def _touch_version_file() -> None:
    """Tell the other processes of this machine (each with its own memory cache) that the data
    changed: they compare the file's time on every request, a stat, not a query."""
    if (path := _version_file()) is None:
        return
    moment = time.time_ns()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, ns=(moment, moment))
    except OSError:
        logger.warning("Cannot mark the page cache's version in %s", path, exc_info=True)


def _file_version() -> int:
    """The time of the last change any process of this machine made (0: none known)."""
    if (path := _version_file()) is None:
        return 0
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def _schedule_fields() -> list[tuple[type[models.Model], str]]:
    fields = [(model, "published_at") for model in publishable_models()]
    for label in getattr(settings, "PAGE_CACHE_SCHEDULE_FIELDS", ()):
        app_label, model_name, field = label.split(".")
        fields.append((apps.get_model(app_label, model_name), field))
    return fields


def _next_due(now: datetime) -> datetime | None:
    """The next moment a page changes by the clock alone: the soonest scheduled publication, or
    the soonest time in ``PAGE_CACHE_SCHEDULE_FIELDS`` ("app_label.Model.field")."""
    moments: list[datetime] = []
    for model, field in _schedule_fields():
        soonest = model._default_manager.filter(**{f"{field}__gt": now}).aggregate(
            soonest=Min(field)
        )["soonest"]
        if soonest is not None:
            moments.append(soonest)
    return min(moments, default=None)


def _learn_schedule(marker: int) -> tuple[float | None, float, int]:
    """Read the next due time from the database (a query per publishable model) and keep it.
    ``marker``: the version file's time it is valid for (other processes' changes since then
    may have scheduled something this process has not seen)."""
    now = time.time()
    due_at = _next_due(timezone.now())
    schedule = (due_at.timestamp() if due_at else None, now, marker)
    cache.set(SCHEDULE_KEY, schedule, None)
    return schedule


def _times_scheduled_by(instance: models.Model) -> list[float]:
    """The future times in the saved ``instance``'s scheduled fields."""
    now = timezone.now()
    times = []
    for model, field in _schedule_fields():
        if isinstance(instance, model):
            value = getattr(instance, field, None)
            if isinstance(value, datetime) and value > now:
                times.append(value.timestamp())
    return times


def current_version() -> Version:
    """The version pages are stored under now: the token kept in the cache (in Redis: shared
    by all servers) and, with a version file, the time of the last change made by any process
    of this machine. One cache read and a stat; queries only when a scheduled time has come,
    when the schedule is unknown (the cache was emptied) or after another process's change."""
    now = time.time()
    marker = _file_version()
    stored = cache.get_many([VERSION_KEY, SCHEDULE_KEY])
    if VERSION_KEY in stored:
        version = Version(*stored[VERSION_KEY])
    else:
        version = _new_version()
        # Another process may have made one meanwhile: theirs wins, so all agree.
        if not cache.add(VERSION_KEY, (version.token, version.changed_at), None):
            version = Version(*(cache.get(VERSION_KEY) or (version.token, version.changed_at)))
    schedule = stored.get(SCHEDULE_KEY)
    if schedule is None or schedule[2] != marker:
        schedule = _learn_schedule(marker)
    due, computed_at, _marker = schedule
    if now < computed_at - CLOCK_TOLERANCE:
        # The clock went back (a test's time machine): what was public may be scheduled again.
        version = _renew(now, marker)
    elif due is not None and now >= due:
        # A scheduled record (or meeting) has come due: what the pages show has changed.
        version = _renew(now, marker, changed_at=due)
    if marker:
        return Version(
            token=f"{version.token}.{marker}", changed_at=max(version.changed_at, marker / 1e9)
        )
    return version


def _renew(now: float, marker: int, changed_at: float | None = None) -> Version:
    version = _new_version(changed_at or now)
    cache.set(VERSION_KEY, (version.token, version.changed_at), None)
    _learn_schedule(marker)
    return version


def _watched(model: type[models.Model]) -> bool:
    return model._meta.app_label in getattr(settings, "PAGE_CACHE_APPS", ())


def _bump_keeping_schedule(instance: models.Model | None = None, *, learn: bool = True) -> None:
    """A new version; the schedule learns ``instance``'s scheduled time without a query."""
    marker_before = _file_version()
    bump()
    marker = _file_version()
    schedule = cache.get(SCHEDULE_KEY)
    if schedule is None or schedule[2] != marker_before:
        # Unknown, or another process changed data meanwhile: read it from the database, once
        # (or on the next request, outside a database change).
        if learn:
            _learn_schedule(marker)
        else:
            cache.delete(SCHEDULE_KEY)
        return
    due, computed_at, _marker = schedule
    for moment in _times_scheduled_by(instance) if instance is not None else ():
        due = moment if due is None else min(due, moment)
    # A time dropped since (a deleted or rescheduled record) stays: it renews the version once
    # for nothing, then the schedule is read again.
    cache.set(SCHEDULE_KEY, (due, computed_at, marker), None)


def _changed(using: str | None, instance: models.Model | None = None) -> None:
    """A watched record changed: a new version now, and again when the transaction commits
    (a page rendered between the two from the old rows must not outlive the commit)."""
    _bump_keeping_schedule(instance)
    connection_alias = using or "default"
    if transaction.get_connection(connection_alias).in_atomic_block:
        transaction.on_commit(
            lambda: _bump_keeping_schedule(learn=False), using=connection_alias, robust=True
        )


def data_changed(sender, instance=None, **kwargs) -> None:
    """post_save / post_delete receiver."""
    if sender.__module__ == "__fake__":
        # A data migration's historical model: the tables may not have today's columns yet.
        _bump_keeping_schedule(learn=False)
    elif _watched(sender):
        _changed(kwargs.get("using"), instance)


def relation_changed(sender, instance, action, **kwargs) -> None:
    """m2m_changed receiver (``sender`` is the through model)."""
    if not action.startswith("post_"):
        return
    if sender.__module__ == "__fake__":
        _bump_keeping_schedule(learn=False)
    elif _watched(sender) or _watched(type(instance)):
        _changed(kwargs.get("using"))


def setting_changed(**kwargs) -> None:
    _bump_keeping_schedule(learn=False)


# --- The release fingerprint ------------------------------------------------------------------

_RELEASE_SUFFIXES = {".py", ".html", ".mo", ".txt", ".svg", ".json"}
_RELEASE_SKIP = {".venv", "venv", "var", ".git", "tests", "node_modules", "__pycache__"}


@functools.cache
def release() -> str:
    """A fingerprint of the code, templates and message catalogues (names, sizes, times), and
    of the static files' manifest: a deploy changes it, so pages of the previous release kept
    in a shared cache are not served by the new one. ``PAGE_CACHE_RELEASE`` overrides it."""
    if explicit := getattr(settings, "PAGE_CACHE_RELEASE", ""):
        return explicit
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR)]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    for root in roots:
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(name for name in subfolders if name not in _RELEASE_SKIP)
            for name in sorted(files):
                if Path(name).suffix in _RELEASE_SUFFIXES:
                    path = Path(folder) / name
                    stat = path.stat()
                    digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:12]


# --- Which requests and responses ---------------------------------------------------------------


def page_cache_exempt(view: Callable) -> Callable:
    """Mark a view's pages as never stored (a page that differs per visitor)."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        response = view(*args, **kwargs)
        response.page_cache_exempt = True
        return response

    return wrapper


@functools.cache
def _exempt_prefixes() -> tuple[str, ...]:
    return tuple(getattr(settings, "PAGE_CACHE_EXEMPT_PATHS", ("/admin/",)))


def _cacheable_request(request: HttpRequest) -> bool:
    """Whether this request's page may come from (and go to) the cache."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        # Staff, or a company in the middle of an inquiry: their pages are their own.
        return False
    if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in request.COOKIES:
        return False
    if PREVIEW_PARAMETER in request.GET:
        return False
    if request.path_info.startswith(_exempt_prefixes()):
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_LENGTH:
        return False
    try:
        request.get_host()
    except DisallowedHost:
        return False  # Django answers 400 on its own path.
    return True


def _request_key(request: HttpRequest, version: Version) -> str:
    """The cache key of this request's page under ``version``."""
    query = request.META.get("QUERY_STRING", "")
    host = request.get_host()
    # The same parameters in another order are the same page (values of one name keep theirs).
    pairs = sorted(parse_qsl(query, keep_blank_values=True), key=lambda pair: pair[0])
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    address = f"{request.scheme}://{host}{request.path}?{urlencode(pairs)}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    today = timezone.localdate().isoformat()
    return f"page:{release()}:{version.token}:{today}:{language}:{digest}"


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != STORED_STATUS or response.streaming:
        return False
    if getattr(response, "page_cache_exempt", False) or getattr(request, "is_preview", False):
        return False
    if response.cookies or "CSRF_COOKIE_NEEDS_UPDATE" in request.META:
        # A CSRF token (and the form it guards) belongs to one visitor.
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if "private" in cache_control or "no-store" in cache_control:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type in CACHEABLE_TYPES


# --- The middleware ------------------------------------------------------------------------------


class PageCacheMiddleware:
    """Serve public pages to anonymous visitors from the cache (see the module's docstring).
    Placed after SecurityMiddleware, the CSP middleware and WhiteNoise, before SessionMiddleware.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not enabled() or not _cacheable_request(request):
            return self.get_response(request)
        try:
            version = current_version()
        except DatabaseError:
            # The schedule could not be read: the page is rendered (or fails) on its own.
            logger.warning("Page cache bypassed: the schedule could not be read", exc_info=True)
            return self.get_response(request)
        key = _request_key(request, version)

        entry = cache.get(key)
        if entry is not None:
            status, headers, body = entry
            response = HttpResponse(body, status=status)
            for name, value in headers:
                response.headers[name] = value
            response.page_cache_hit = True
            return self._conditional(request, response)

        response = self.get_response(request)
        if not _storable(request, response):
            return response
        if "ETag" not in response:
            response["ETag"] = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        if "Last-Modified" not in response:
            response["Last-Modified"] = http_date(int(version.changed_at))
        if "Cache-Control" not in response:
            # Anyone may keep it, but must ask again (and get a cheap 304) before reusing it.
            patch_cache_control(response, public=True, no_cache=True)
        headers = [
            (name, value) for name, value in response.headers.items() if name.lower() != "date"
        ]
        cache.set(key, (response.status_code, headers, response.content), ENTRY_TIMEOUT)
        return self._conditional(request, response)

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """304 for a revalidation whose ETag (or date) still matches."""
        last_modified = response.get("Last-Modified")
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(last_modified) if last_modified else None,
            response=response,
        )
