"""Fail fast, recover by itself: the site under database and Redis faults (README, "Behaviour
under faults").

Real gunicorn servers under production settings (tools/appserver.py, two sync workers) and a
real PostgreSQL reached through a proxy the test controls (tests/faults/proxy.py): the
database is refused, black-holed, restarted, and given back, while visitors ask for pages
over HTTP. A Redis server of the test's own is killed and started again under a second server
that caches pages and sessions in it.
"""

from __future__ import annotations

import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from html import unescape

import pytest
import requests

from tests.donations.inquiry_tools import valid_data
from tests.scaleout.visitor import Form, Visitor

from .proxy import FaultProxy
from .stack import RedisServer, app_server, seeded_database, server_env, sql, through

pytestmark = pytest.mark.faults

STAFF = "staff"
STAFF_PASSWORD = "Shonan-wave-" + secrets.token_hex(8)
FORM = "/donations/inquiry/"
# What a visitor must get within these: the pool waits 2 s for a connection (settings.py).
PAGE_SECONDS = 3.0
CONCURRENT_SECONDS = 3.5
RECOVERY_SECONDS = 5.0
REDIS_DOWN_PAGE_SECONDS = 1.0


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("faults")
    with seeded_database(workdir, {STAFF: STAFF_PASSWORD}) as (url, address, var_dir):
        yield url, address, var_dir, workdir


@pytest.fixture(scope="module")
def proxy(database):
    _url, address, _var, _workdir = database
    proxy = FaultProxy(address)
    yield proxy
    proxy.close()


@pytest.fixture(scope="module")
def server(database, proxy):
    """No page cache: every page asks the database (a cached page would be served during an
    outage, by design; README)."""
    url, _address, var_dir, workdir = database
    env = server_env(
        database_url=through(url, proxy), var_dir=var_dir, redis_url=None, page_cache=False
    )
    with app_server(env, workdir / "gunicorn-db.log") as running:
        yield running


@pytest.fixture(scope="module")
def public_pages(database) -> list[str]:
    url = database[0]
    slug = sql(url, "SELECT slug FROM projects_project ORDER BY id LIMIT 1")[0][0]
    return [
        "/",
        "/projects/",
        f"/projects/{slug}/",
        "/research-group/",
        "/donations/",
        "/agreements/",
        FORM,
        "/search/?q=%E6%B3%A2%E5%8A%9B",
        "/en/",
        "/en/projects/",
        f"/en/projects/{slug}/",
        "/en/donations/",
    ]


def timed_get(base: str, path: str, visitor: Visitor | None = None):
    started = time.monotonic()
    response = (visitor or Visitor()).get(base, path)
    return response, time.monotonic() - started


def assert_outage_page(response: requests.Response, path: str) -> None:
    assert response.status_code == 503, (path, response.status_code, response.text[:500])
    text = unescape(response.text)
    assert "Traceback" not in text
    assert "0463-21-9758" in text
    if path.startswith("/en/"):
        assert "temporarily unavailable" in text
        assert "NOT been received" in text
    else:
        assert "ただいまご利用いただけません" in text
        assert "受け付けられていません" in text
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["Cache-Control"] == "no-store"
    # The security headers' middleware runs outside: the 503 leaves with them.
    assert "Permissions-Policy" in response.headers
    assert "Content-Security-Policy" in response.headers


def concurrent_gets(base: str, paths: list[str]) -> tuple[list[int], float]:
    started = time.monotonic()
    with ThreadPoolExecutor(len(paths)) as pool:
        responses = list(pool.map(lambda path: Visitor().get(base, path), paths))
    return [response.status_code for response in responses], time.monotonic() - started


def start_inquiry(base: str, email: str) -> tuple[Visitor, Form]:
    """A company fills in the form and reaches the confirmation page: (it, that page's form)."""
    visitor = Visitor()
    page = visitor.get(base, FORM)
    assert page.status_code == 200
    form = Form.of(page.text, action=FORM)
    # valid_data's token says the form was shown ten seconds ago (the time trap is 3 s).
    data = valid_data(email=email, csrfmiddlewaretoken=form.value("csrfmiddlewaretoken"))
    sent = visitor.post(base, FORM, data)
    assert sent.status_code == 302, sent.text[:2000]
    confirm_path = sent.headers["Location"]
    confirm = Form.of(visitor.get(base, confirm_path).text, action=confirm_path)
    return visitor, confirm.with_values(send="1")


def send_inquiry(visitor: Visitor, base: str, confirm: Form) -> requests.Response:
    return visitor.post(base, "/donations/inquiry/confirm/", confirm.fields)


def inquiries_from(url: str, email: str) -> int:
    return sql(url, "SELECT count(*) FROM donations_donationinquiry WHERE email = %s", email)[0][0]


def wait_for_recovery(base: str, paths: list[str]) -> float:
    """Ask for pages until one is 200: the seconds that took. Nothing in between may be 500."""
    started = time.monotonic()
    seen = []
    while time.monotonic() - started < RECOVERY_SECONDS + 5:
        status = Visitor().get(base, paths[len(seen) % len(paths)]).status_code
        seen.append(status)
        assert status in (200, 503), f"a {status} while the database came back: {seen}"
        if status == 200:
            return time.monotonic() - started
        time.sleep(0.1)
    pytest.fail(f"no page answered 200 within {RECOVERY_SECONDS + 5} s: {seen}")


def check_outage(
    server, proxy_mode, proxy, database, public_pages, email: str, cached_server=None
) -> None:
    """The database taken away by ``proxy_mode``: every page, /healthz, eight visitors at once
    and an inquiry sent; then given back. With ``cached_server`` (page cache on, same
    database): a page it has cached is still served, one it has not is the 503 page."""
    url = database[0]
    # A company at the confirmation step when the database goes.
    company, confirm = start_inquiry(server.base, email)
    if cached_server:
        cached = Visitor().get(cached_server.base, "/")
        assert cached.status_code == 200
    proxy_mode()
    try:
        if cached_server:
            again = Visitor().get(cached_server.base, "/")
            assert again.status_code == 200
            assert again.headers["ETag"] == cached.headers["ETag"]
            assert_outage_page(Visitor().get(cached_server.base, "/agreements/"), "/agreements/")

        # Six visitors at a time, three for each worker: a worker that waits for the
        # database (up to its connect timeout) answers the next ones at once.
        for batch in (public_pages[:6], public_pages[6:]):
            with ThreadPoolExecutor(len(batch)) as pool:
                answers = list(pool.map(lambda path: timed_get(server.base, path), batch))
            for path, (response, seconds) in zip(batch, answers, strict=True):
                assert_outage_page(response, path)
                assert seconds < PAGE_SECONDS, (path, seconds)

        response, seconds = timed_get(server.base, "/healthz")
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
        assert seconds < PAGE_SECONDS

        sent = send_inquiry(company, server.base, confirm)
        assert_outage_page(sent, FORM)
        assert "Location" not in sent.headers, "nothing may lead to the thanks page"

        # Let the breaker close: the eight meet a fresh attempt to connect, as after a pause.
        time.sleep(1.2)
        statuses, seconds = concurrent_gets(server.base, (public_pages * 2)[:8])
        assert statuses == [503] * 8
        assert seconds < CONCURRENT_SECONDS, seconds
    finally:
        proxy.up()
    assert wait_for_recovery(server.base, public_pages) < RECOVERY_SECONDS
    for path in public_pages:
        assert Visitor().get(server.base, path).status_code == 200, path
    assert Visitor().get(server.base, "/healthz").status_code == 200

    # What was sent during the outage was not stored; sent again, it is.
    assert inquiries_from(url, email) == 0
    again = send_inquiry(company, server.base, confirm)
    assert again.status_code == 302, again.text[:1000]
    assert "/thanks/" in again.headers["Location"]
    assert inquiries_from(url, email) == 1


def test_a_database_refused(server, cached_server, proxy, database, public_pages):
    check_outage(
        server, proxy.refuse, proxy, database, public_pages, "refused@example.jp", cached_server
    )


def test_b_database_blackholed(server, proxy, database, public_pages):
    check_outage(server, proxy.blackhole, proxy, database, public_pages, "blackhole@example.jp")


def test_c_quick_restart_is_never_a_500(server, proxy, public_pages):
    # Both workers hold pooled connections.
    statuses, _seconds = concurrent_gets(server.base, (public_pages * 2)[:8])
    assert statuses == [200] * 8
    proxy.restart()
    for path in public_pages:
        response, seconds = timed_get(server.base, path)
        assert response.status_code == 200, (path, response.status_code)
        assert seconds < PAGE_SECONDS
    statuses, _seconds = concurrent_gets(server.base, (public_pages * 2)[:8])
    assert statuses == [200] * 8


# --- Redis ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def redis_server(database):
    workdir = database[3]
    server = RedisServer(workdir / "redis.log")
    yield server
    server.kill()


@pytest.fixture(scope="module")
def cached_server(database, proxy, redis_server):
    """Pages and sessions in Redis, as several app servers run (README); the same database
    through the same proxy."""
    url, _address, var_dir, workdir = database
    env = server_env(
        database_url=through(url, proxy),
        var_dir=var_dir,
        redis_url=redis_server.url,
        page_cache=True,
    )
    with app_server(env, workdir / "gunicorn-redis.log") as running:
        yield running


def served_from_cache(url: str, base: str) -> bool:
    """Whether a project page comes from the page cache: its title is changed behind the
    site's back (no save signal), which a page rendered afresh shows and a cached one does
    not."""
    project_id, slug, title = sql(
        url, "SELECT id, slug, title_ja FROM projects_project ORDER BY id LIMIT 1"
    )[0]
    path = f"/projects/{slug}/"
    assert Visitor().get(base, path).status_code == 200
    marker = f"{title}（書換え{secrets.token_hex(2)}）"
    sql(url, "UPDATE projects_project SET title_ja = %s WHERE id = %s", marker, project_id)
    try:
        again = Visitor().get(base, path)
        assert again.status_code == 200
        return marker not in unescape(again.text)
    finally:
        sql(url, "UPDATE projects_project SET title_ja = %s WHERE id = %s", title, project_id)


def test_d_redis_down_pages_inquiries_and_sign_in_carry_on(
    cached_server, redis_server, database, public_pages
):
    url = database[0]
    base = cached_server.base
    assert served_from_cache(url, base)

    redis_server.kill()
    try:
        for path in public_pages:
            response, seconds = timed_get(base, path)
            assert response.status_code == 200, (path, response.status_code)
            assert seconds < REDIS_DOWN_PAGE_SECONDS, (path, seconds)
        assert not served_from_cache(url, base), "without Redis every page is rendered afresh"

        # An inquiry goes through (its draft in the session, kept in the database), and the
        # rate limit, counting in Redis, lets it (fails open).
        company, confirm = start_inquiry(base, "redis-down@example.jp")
        sent = send_inquiry(company, base, confirm)
        assert sent.status_code == 302 and "/thanks/" in sent.headers["Location"]
        assert inquiries_from(url, "redis-down@example.jp") == 1

        # Staff sign in (the lockout's attempts live in the database) and stay signed in.
        staff = Visitor()
        assert staff.sign_in(base, STAFF, STAFF_PASSWORD).status_code == 302
        dashboard = staff.get(base, "/admin/")
        assert dashboard.status_code == 200
        assert STAFF in dashboard.text
    finally:
        redis_server.start()

    # Redis back (empty): pages are cached again, with no restart.
    deadline = time.monotonic() + RECOVERY_SECONDS
    while not served_from_cache(url, base):
        assert time.monotonic() < deadline, "pages are not cached again after Redis returned"
        time.sleep(0.5)
