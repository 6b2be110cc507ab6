"""The database outage page (core/outage.py): what a visitor sees when the database cannot be
reached, whichever layer met it; the circuit breaker's state. The same against a real server
and a PostgreSQL taken away is tests/faults."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError
from django.test import Client

from core.outage import outage

pytestmark = pytest.mark.urls("tests.core.outage_urls")


@pytest.fixture(autouse=True)
def _fresh_outage(settings):
    # The page cache reads its schedule from the database: these pages have none to read.
    settings.PAGE_CACHE_ENABLED = False
    outage.since, outage.open_until, outage.logged_at = None, 0.0, 0.0
    yield
    outage.since, outage.open_until, outage.logged_at = None, 0.0, 0.0


@pytest.fixture
def visitor() -> Client:
    return Client(raise_request_exception=False)


def test_a_view_that_cannot_reach_the_database_answers_the_503_page(visitor):
    # No database access is allowed here (no db fixture): the page asks nothing of it.
    response = visitor.get("/unreachable/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "ただいまご利用いただけません" in html
    assert "寄附のお問い合わせを送信された場合、そのお問い合わせは受け付けられていません。" in html
    assert '<a href="tel:0463-21-9758">0463-21-9758</a>' in html
    assert '<html lang="ja">' in html
    assert "Traceback" not in html
    assert int(response["Retry-After"]) > 0
    assert response["Cache-Control"] == "no-store"
    # Outside the outage middleware: the 503 leaves with the security headers.
    assert "Permissions-Policy" in response


def test_the_english_url_gets_the_english_page(visitor):
    response = visitor.get("/en/unreachable/")
    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "The site is temporarily unavailable" in html
    assert "If you have just sent a donation inquiry, it has NOT been received." in html
    assert "0463-21-9758" in html


class RaisingMiddleware:
    """A middleware that meets the outage itself (as the session or the page cache may)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("couldn't get a connection after 2.00 sec")


def test_an_outage_met_in_a_middleware_is_the_503_page_too(visitor, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.RaisingMiddleware"]
    response = visitor.get("/en/unreachable/")
    assert response.status_code == 503
    assert "NOT been received" in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_any_other_error_is_still_the_500_page(visitor):
    response = visitor.get("/broken/")
    assert response.status_code == 500
    assert "システムエラーが発生しました" in response.content.decode()


def test_an_outage_is_logged_once_not_per_request(visitor, caplog):
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert visitor.get("/unreachable/").status_code == 503
    lines = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.getMessage() for record in lines] == [
        "Database unavailable: answering 503 until it is back (connection refused)"
    ]
    assert not any(record.exc_info for record in caplog.records)


def test_the_breaker_opens_on_a_failed_connection_and_closes_when_one_is_had(settings):
    settings.DATABASE_BREAKER_SECONDS = 60
    assert not outage.breaker_open()
    outage.failed(OperationalError("connection refused"))
    assert outage.breaker_open()
    outage.answered()
    assert not outage.breaker_open()
    assert outage.since is None


def test_requests_answered_during_the_outage_do_not_keep_the_breaker_open(visitor, settings):
    settings.DATABASE_BREAKER_SECONDS = 0
    outage.failed(OperationalError("connection refused"))
    visitor.get("/unreachable/")
    assert not outage.breaker_open(), "the next request must try the database again"
