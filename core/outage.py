"""The database outage: detected once, answered quickly, reported once.

Three pieces share this module's state (per process):

- the **circuit breaker**: after a failed attempt to get a database connection, every attempt
  in the next ``DATABASE_BREAKER_SECONDS`` fails at once instead of waiting its own pool
  timeout (``core.postgresql``). Eight visitors queued on two sync workers are then answered
  within one timeout, not eight; the first request after the pause tries the database again;
- the **503 page** (``templates/503.html``): rendered with no database and no context processor,
  in the language of the URL, telling the visitor the site is unavailable, that an inquiry sent
  now was NOT received, and whom to telephone; ``Retry-After`` and ``Cache-Control: no-store``;
- the **log**: one warning when an outage starts, one line when the database answers again,
  never a traceback per request.

``DatabaseOutageMiddleware`` answers a view's outage error; ``server_error`` (the site's
``handler500``) answers one raised in another middleware (a signed-in session read, the page
cache's version), so every path ends on the same page.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views import defaults

logger = logging.getLogger(__name__)

# What a database that cannot be reached raises through Django (psycopg_pool's PoolTimeout is
# a psycopg OperationalError, which Django wraps as its own).
OUTAGE_ERRORS = (OperationalError, InterfaceError)
# While an outage lasts, the log says so again this often.
REMINDER_SECONDS = 60.0


class _Outage:
    """Per-process state of the database's reachability."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # monotonic() until which connection attempts fail at once; 0 when closed.
        self.open_until = 0.0
        # time() the current outage started; None while the database answers.
        self.since: float | None = None
        # time() of its last log line.
        self.logged_at = 0.0

    def breaker_open(self) -> bool:
        return time.monotonic() < self.open_until

    def failed(self, error: BaseException) -> None:
        """A connection could not be had (or broke): pause the attempts, log a new outage."""
        with self._lock:
            self.open_until = time.monotonic() + settings.DATABASE_BREAKER_SECONDS
            starting = self.since is None
            if starting:
                self.since = self.logged_at = time.time()
        if starting:
            _log_start(error)

    def noticed(self, error: BaseException) -> None:
        """A request met the outage: logged if it is a new one (or, as a reminder, once a
        minute while it lasts). The breaker is left as it is, or the requests it answers
        would keep it open for ever."""
        with self._lock:
            now = time.time()
            starting = self.since is None or now - self.logged_at > REMINDER_SECONDS
            if self.since is None:
                self.since = now
            if starting:
                self.logged_at = now
        if starting:
            _log_start(error)

    def answered(self) -> None:
        """A connection was had: the outage, if any, is over."""
        if self.since is None:
            return
        with self._lock:
            since, self.since, self.open_until = self.since, None, 0.0
        if since is not None:
            logger.warning("Database available again after %.1f s", time.time() - since)


def _log_start(error: BaseException) -> None:
    message = str(error).strip()
    logger.warning(
        "Database unavailable: answering 503 until it is back (%s)",
        message.splitlines()[0] if message else type(error).__name__,
    )


outage = _Outage()


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def outage_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The plain 503 page, in the URL's language; records the outage (logged once)."""
    outage.noticed(error)
    language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        # No request: no context processor runs, so nothing here asks the database.
        body = loader.get_template("503.html").render(
            {
                "language": language,
                "contact_phone": settings.CITY_CONTACT_PHONE,
                "contact_email": settings.CITY_CONTACT_EMAIL,
            }
        )
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(settings.DATABASE_OUTAGE_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    # Reported once per outage above: Django's "Service Unavailable" line with its traceback,
    # per request, would bury it.
    response._has_been_logged = True
    return response


class DatabaseOutageMiddleware:
    """A view that cannot reach the database answers the 503 page (early in MIDDLEWARE, after
    the security headers, so the page leaves with them)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_outage(exception):
            return outage_response(request, exception)
        return None


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The site's handler500: the 503 page when what failed was reaching the database (in a
    middleware, where ``process_exception`` does not reach), Django's 500 page otherwise."""
    error = sys.exception()
    if is_outage(error):
        return outage_response(request, error)
    return defaults.server_error(request, template_name)
