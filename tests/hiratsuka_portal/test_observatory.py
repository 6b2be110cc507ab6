"""An A+ by the MDN HTTP Observatory's rules: a production server's responses, scored.

The scorer (tests/observatory_tools.py) is tested first on header sets whose scores are known,
so that it cannot pass a site by being lenient. Then gunicorn serves the site under production
settings on loopback (deploy/gunicorn.conf.py, as tools/appserver.py starts it for the
benchmark), behind the TLS proxy this test plays, and each response is scanned as the
Observatory scans a site: a plain-http request first (it must be redirected to https on the
same host), then the https page with every header and cookie it sends.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import sqlite3
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import psycopg
import pytest
import requests

from tests.observatory_tools import FOREIGN_ORIGIN, Cookie, Scan, score
from tests.scaleout.stack import fresh_database
from tools.appserver import AppServer, manage

# --- The scorer -------------------------------------------------------------------------------

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
GOOD_HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Security-Policy", STRICT_CSP),
    ("Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
]
GOOD_COOKIES = [
    "__Host-csrftoken=abc; HttpOnly; Path=/; SameSite=Lax; Secure",
    "__Host-sessionid=def; HttpOnly; Path=/; SameSite=Lax; Secure",
]
REDIRECTED = ["http://portal.example/", "https://portal.example/"]
PAGE = '<!doctype html><html><body><script src="/static/site.js"></script></body></html>'


def scan(headers=GOOD_HEADERS, *, cookies=GOOD_COOKIES, body=PAGE, redirects=REDIRECTED, **kw):
    return Scan(
        url="https://portal.example/",
        status=200,
        headers=list(headers),
        body=body,
        redirects=list(redirects),
        cookies=list(cookies),
        **kw,
    )


def replaced(name: str, value: str | None):
    """The good headers with one replaced (or left out, for None)."""
    headers = [(key, val) for key, val in GOOD_HEADERS if key != name]
    return headers + ([(name, value)] if value is not None else [])


def test_a_well_defended_response_scores_an_a_plus_with_its_bonuses():
    card = score(scan())
    # 100, then the bonuses: CSP without unsafe sources +5, cookies with SameSite +5, framing
    # refused through the CSP +5, a private Referrer-Policy +5, CORP same-origin +10.
    assert card.score == 130, card
    assert card.grade == "A+"
    assert card.result("strict-transport-security") == (
        "hsts-implemented-max-age-at-least-six-months"
    )


def test_a_response_with_no_defences_scores_an_f():
    card = score(
        scan(
            [("Content-Type", "text/html")],
            cookies=["sessionid=1; Path=/", "csrftoken=2; Path=/"],
            body='<html><script src="http://cdn.example/lib.js"></script></html>',
            redirects=["http://portal.example/"],
        )
    )
    assert card.score == 0, card
    assert card.grade == "F"
    assert card.result("cookies") == "cookies-session-without-secure-flag"
    assert card.result("subresource-integrity") == (
        "sri-not-implemented-and-external-scripts-not-loaded-securely"
    )
    assert card.result("redirection") == "redirection-missing"


def test_bonuses_count_only_from_an_a_up():
    # No HSTS (-20): 80 before the bonuses, so the +30 of bonuses are not added.
    card = score(scan(replaced("Strict-Transport-Security", None)))
    assert card.score == 80, card
    assert card.grade == "B+"


@pytest.mark.parametrize(
    ("csp", "result", "points"),
    [
        (None, "csp-not-implemented", -25),
        (
            "default-src 'self'; script-src 'self' 'unsafe-inline'",
            "csp-implemented-with-unsafe-inline",
            -20,
        ),
        ("default-src 'self'; object-src *", "csp-implemented-with-unsafe-inline", -20),
        (
            "default-src 'self'; script-src 'self' 'unsafe-eval'",
            "csp-implemented-with-unsafe-eval",
            -10,
        ),
        (
            "default-src 'self'; script-src http://cdn.example",
            "csp-implemented-with-insecure-scheme",
            -20,
        ),
        (
            "default-src 'self'; img-src http:",
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
            -10,
        ),
        (
            "default-src 'self'; style-src 'unsafe-inline'",
            "csp-implemented-with-unsafe-inline-in-style-src-only",
            0,
        ),
        (
            "default-src 'none'; form-action 'self'",
            "csp-implemented-with-no-unsafe-default-src-none",
            10,
        ),
        ("default-src 'none'", "csp-implemented-with-no-unsafe", 5),
        (
            "script-src 'nonce-abc' 'unsafe-inline'; object-src 'none'; style-src 'self'",
            "csp-implemented-with-no-unsafe",
            5,
        ),
        ("default-src 'self'; b@d 'self'", "csp-header-invalid", -25),
    ],
)
def test_content_security_policy(csp, result, points):
    card = score(scan(replaced("Content-Security-Policy", csp)))
    outcome = next(o for o in card.outcomes if o.test == "content-security-policy")
    assert (outcome.result, outcome.modifier) == (result, points)


@pytest.mark.parametrize(
    ("set_cookie", "result"),
    [
        (
            "__Host-sessionid=1; Path=/; Secure; SameSite=Lax",
            "cookies-session-without-httponly-flag",
        ),
        ("csrftoken=1; Path=/; Secure; HttpOnly", "cookies-anticsrf-without-samesite-flag"),
        ("lang=ja; Path=/; SameSite=Lax", "cookies-without-secure-flag-but-protected-by-hsts"),
        ("lang=ja; Path=/; Secure; SameSite=Whatever", "cookies-samesite-flag-invalid"),
        ("lang=ja; Path=/; SameSite=None", "cookies-samesite-flag-invalid"),
        ("lang=ja; Path=/; Secure", "cookies-secure-with-httponly-sessions"),
    ],
)
def test_cookies(set_cookie, result):
    assert score(scan(cookies=[set_cookie])).result("cookies") == result


def test_the_worst_cookie_decides():
    cookies = [*GOOD_COOKIES, "sessionid=1; Path=/; SameSite=Lax"]
    card = score(scan(replaced("Strict-Transport-Security", None), cookies=cookies))
    assert card.result("cookies") == "cookies-session-without-secure-flag"


@pytest.mark.parametrize(
    ("name", "value", "test", "result", "points"),
    [
        ("Referrer-Policy", "unsafe-url", "referrer-policy", "referrer-policy-unsafe", -5),
        ("Referrer-Policy", "nonsense", "referrer-policy", "referrer-policy-header-invalid", -5),
        (
            "Referrer-Policy",
            "unsafe-url, strict-origin",
            "referrer-policy",
            "referrer-policy-private",
            5,
        ),
        (
            "Strict-Transport-Security",
            "max-age=86400",
            "strict-transport-security",
            "hsts-implemented-max-age-less-than-six-months",
            -10,
        ),
        (
            "Strict-Transport-Security",
            "includeSubDomains",
            "strict-transport-security",
            "hsts-header-invalid",
            -20,
        ),
        (
            "X-Content-Type-Options",
            "sniff",
            "x-content-type-options",
            "x-content-type-options-header-invalid",
            -5,
        ),
        (
            "X-Content-Type-Options",
            None,
            "x-content-type-options",
            "x-content-type-options-not-implemented",
            -5,
        ),
        (
            "Cross-Origin-Resource-Policy",
            "everyone",
            "cross-origin-resource-policy",
            "cross-origin-resource-policy-header-invalid",
            -5,
        ),
        (
            "Cross-Origin-Resource-Policy",
            "cross-origin",
            "cross-origin-resource-policy",
            "cross-origin-resource-policy-implemented-with-cross-origin",
            0,
        ),
        (
            "Access-Control-Allow-Origin",
            "*",
            "cross-origin-resource-sharing",
            "cross-origin-resource-sharing-implemented-with-public-access",
            0,
        ),
    ],
)
def test_one_header_at_a_time(name, value, test, result, points):
    outcome = next(o for o in score(scan(replaced(name, value))).outcomes if o.test == test)
    assert (outcome.result, outcome.modifier) == (result, points)


def test_cors_that_reflects_any_origin_with_credentials():
    headers = [
        *GOOD_HEADERS,
        ("Access-Control-Allow-Origin", FOREIGN_ORIGIN),
        ("Access-Control-Allow-Credentials", "true"),
    ]
    card = score(scan(headers))
    assert card.result("cross-origin-resource-sharing") == (
        "cross-origin-resource-sharing-implemented-with-universal-access"
    )
    assert card.score == 130 - 30 - 50 + 0, card  # below 90: no bonuses either


def test_framing_without_the_csp_falls_back_to_x_frame_options():
    csp = "default-src 'self'; object-src 'none'"
    assert score(scan(replaced("Content-Security-Policy", csp))).result("x-frame-options") == (
        "x-frame-options-not-implemented"
    )
    headers = [*replaced("Content-Security-Policy", csp), ("X-Frame-Options", "DENY")]
    assert score(scan(headers)).result("x-frame-options") == "x-frame-options-sameorigin-or-deny"


@pytest.mark.parametrize(
    ("redirects", "result"),
    [
        (
            ["http://portal.example/", "https://www.portal.example/"],
            "redirection-off-host-from-http",
        ),
        (
            ["http://portal.example/", "http://www.portal.example/", "https://www.portal.example/"],
            "redirection-not-to-https-on-initial-redirection",
        ),
        (["http://portal.example/", "http://www.portal.example/"], "redirection-not-to-https"),
        ([], "redirection-not-needed-no-http"),
    ],
)
def test_redirection(redirects, result):
    assert score(scan(redirects=redirects)).result("redirection") == result


@pytest.mark.parametrize(
    ("body", "result"),
    [
        ("<p>no script</p>", "sri-not-implemented-but-no-scripts-loaded"),
        (
            '<script src="https://cdn.example/a.js"></script>',
            "sri-not-implemented-but-external-scripts-loaded-securely",
        ),
        (
            '<script src="https://cdn.example/a.js" integrity="sha384-x"></script>',
            "sri-implemented-and-external-scripts-loaded-securely",
        ),
        (
            '<script src="//cdn.example/a.js" integrity="sha384-x"></script>',
            "sri-implemented-but-external-scripts-not-loaded-securely",
        ),
        (
            '<script src="/static/a.js" integrity="sha384-x"></script>',
            "sri-implemented-and-all-scripts-loaded-securely",
        ),
    ],
)
def test_subresource_integrity(body, result):
    assert score(scan(body=body)).result("subresource-integrity") == result


# --- A production server ----------------------------------------------------------------------

HOST = "portal.city.hiratsuka.example"
PROXY = {"X-Forwarded-Proto": "https", "Host": HOST}
STAFF = "sangyo"
STAFF_PASSWORD = "Shonan-wave-" + secrets.token_hex(8)
TIMEOUT = 60


@contextlib.contextmanager
def _server_database(var: Path) -> Iterator[str]:
    """The server's own database on the suite's engine: a PostgreSQL database beside the
    suite's (its name + "_observatory", made and dropped here) when the suite runs on
    PostgreSQL, a SQLite file otherwise."""
    suite = os.environ.get("DATABASE_URL", "")
    if not suite.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{var / 'db.sqlite3'}"
        return
    base = urlsplit(suite)
    own = urlunsplit(base._replace(path=f"/{base.path.lstrip('/') or 'postgres'}_observatory"))
    with fresh_database(urlunsplit(base._replace(path="/postgres")), own):
        yield own


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn under production settings (README, "Production"), with a seeded database of
    its own."""
    var = tmp_path_factory.mktemp("observatory") / "var"
    var.mkdir()
    keep = ("DJANGO_", "GUNICORN_", "PAGE_CACHE", "REDIS_", "AWS_", "AXES_", "DATABASE_")
    env = {key: value for key, value in os.environ.items() if not key.startswith(keep)}
    env |= {
        "DJANGO_SETTINGS_MODULE": "hiratsuka_portal.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_BEHIND_TLS_PROXY": "1",
        "EMAIL_HOST": "127.0.0.1",
        "DJANGO_VAR_DIR": str(var),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    with _server_database(var) as database_url:
        env["DATABASE_URL"] = database_url
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_seed")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(
            env | {"DJANGO_SUPERUSER_PASSWORD": STAFF_PASSWORD},
            "createsuperuser",
            "--noinput",
            "--username",
            STAFF,
            "--email",
            "sangyo@city.hiratsuka.kanagawa.jp",
        )
        with AppServer(env, var / "gunicorn.log", 1, probe_headers=PROXY) as running:
            running.database_url = database_url
            yield running


def sql(server, query: str, *params) -> list[tuple]:
    """A query on the server's database, behind the site's back."""
    url = server.database_url
    if url.startswith("sqlite:///"):
        database = sqlite3.connect(url.removeprefix("sqlite:///"))
        try:
            with database:  # one transaction, committed
                return database.execute(query.replace("%s", "?"), params).fetchall()
        finally:
            database.close()
    with psycopg.connect(url, autocommit=True) as database:
        cursor = database.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def _https(server, path: str, session: requests.Session, **headers) -> requests.Response:
    return session.get(
        server.base + path,
        headers=PROXY | {"Origin": FOREIGN_ORIGIN} | headers,
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def observe(server, path: str) -> tuple[Scan, requests.Response]:
    """Scan ``path`` as the Observatory scans a site: plain http first, then https."""
    session = requests.Session()
    plain = session.get(
        server.base + path, headers={"Host": HOST}, allow_redirects=False, timeout=TIMEOUT
    )
    redirects = [f"http://{HOST}{path}"]
    cookies = plain.raw.headers.getlist("Set-Cookie")
    if plain.is_redirect:
        redirects.append(urljoin(redirects[0], plain.headers["Location"]))
    final = urlsplit(redirects[-1])
    # The https request goes to the same server, through the TLS proxy this test plays.
    secure = _https(server, final.path + (f"?{final.query}" if final.query else ""), session)
    cookies += secure.raw.headers.getlist("Set-Cookie")
    found = Scan(
        url=f"https://{HOST}{final.path}",
        status=secure.status_code,
        headers=list(secure.raw.headers.iteritems()),
        body=secure.text,
        redirects=redirects,
        cookies=cookies,
    )
    return found, secure


def assert_a_plus(found: Scan) -> None:
    card = score(found)
    assert card.score >= 100, f"{found.url}: {card}"
    assert card.result("redirection") == "redirection-to-https", card
    assert card.result("cross-origin-resource-policy").endswith("same-origin"), card
    assert card.result("x-frame-options") == "x-frame-options-implemented-via-csp", card


@pytest.mark.slow
def test_the_home_page_scores_an_a_plus(server):
    found, response = observe(server, "/")
    assert response.status_code == 200
    assert_a_plus(found)
    card = score(found)
    assert card.result("content-security-policy") == "csp-implemented-with-no-unsafe", card
    assert card.result("referrer-policy") == "referrer-policy-private", card
    # The strict CSP the issue asks for, word for word where it matters.
    csp = response.headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ):
        assert directive in csp
    hsts = response.headers["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 365 * 24 * 60 * 60
    assert "preload" in hsts and "includeSubDomains" in hsts
    assert "camera=()" in response.headers["Permissions-Policy"]


@pytest.mark.slow
def test_a_cached_page_scores_the_same_as_when_rendered(server):
    project_id, slug, title = sql(
        server, "SELECT id, slug, title_ja FROM projects_project ORDER BY id LIMIT 1"
    )[0]
    rendered, first = observe(server, f"/projects/{slug}/")
    assert first.status_code == 200
    # Behind the site's back: a page rendered again would show it, the cached copy does not.
    sql(
        server,
        "UPDATE projects_project SET title_ja = %s WHERE id = %s",
        "直接の書換え",
        project_id,
    )
    cached, second = observe(server, f"/projects/{slug}/")
    assert title in unescape(second.text)
    assert "直接の書換え" not in unescape(second.text), "the page came from the page cache"
    assert_a_plus(cached)
    assert score(cached).score == score(rendered).score

    def names(response):
        return sorted(name.lower() for name in response.headers if name.lower() != "date")

    assert names(second) == names(first)


@pytest.mark.slow
def test_a_revalidation_and_an_error_page_carry_the_headers(server):
    session = requests.Session()
    first = _https(server, "/", session)
    again = _https(server, "/", session, **{"If-None-Match": first.headers["ETag"]})
    missing = _https(server, "/no-such-page/", session)
    assert (again.status_code, missing.status_code) == (304, 404)
    for response in (again, missing):
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert response.headers["Permissions-Policy"] == first.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" in missing.headers


def host_cookies(found: Scan) -> dict[str, str]:
    return {Cookie.parse(value).name: value for value in found.cookies}


def assert_host_cookie(set_cookie: str) -> None:
    """What a browser needs to accept a __Host- cookie, and what the issue asks for."""
    attributes = [part.strip().lower() for part in set_cookie.split(";")[1:]]
    assert "secure" in attributes, set_cookie
    assert "path=/" in attributes, set_cookie
    assert not any(part.startswith("domain=") for part in attributes), set_cookie
    assert "samesite=lax" in attributes or "samesite=strict" in attributes, set_cookie
    assert "httponly" in attributes, set_cookie


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/donations/inquiry/", "/admin/login/"])
def test_the_forms_set_a_host_only_csrf_cookie_and_score_an_a_plus(server, path):
    found, response = observe(server, path)
    assert response.status_code == 200
    cookies = host_cookies(found)
    assert set(cookies) == {"__Host-csrftoken"}, found.cookies
    assert_host_cookie(cookies["__Host-csrftoken"])
    assert score(found).result("cookies") == "cookies-secure-with-httponly-sessions-and-samesite"
    assert_a_plus(found)


@pytest.mark.slow
def test_signing_in_sets_a_host_only_http_only_session_cookie(server):
    found, page = observe(server, "/admin/login/")
    session = requests.Session()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    csrf = Cookie.parse(host_cookies(found)["__Host-csrftoken"])
    signed_in = session.post(
        server.base + "/admin/login/?next=/admin/",
        data={"csrfmiddlewaretoken": token, "username": STAFF, "password": STAFF_PASSWORD},
        headers=PROXY
        | {
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/admin/login/",
            "Cookie": f"{csrf.name}={page.cookies[csrf.name]}",
        },
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert signed_in.status_code == 302, signed_in.text[:2000]
    set_cookies = signed_in.raw.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in set_cookies if c.startswith("__Host-sessionid="))
    assert_host_cookie(session_cookie)
    after = Scan(
        url=f"https://{HOST}/admin/login/",
        status=signed_in.status_code,
        headers=list(signed_in.raw.headers.iteritems()),
        redirects=found.redirects,
        cookies=found.cookies + set_cookies,
    )
    card = score(after)
    assert card.result("cookies") == "cookies-secure-with-httponly-sessions-and-samesite", card
    assert card.score >= 100, card


@pytest.mark.slow
def test_a_static_file_scores_an_a_plus(server):
    home = _https(server, "/", requests.Session())
    stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', home.text).group(1)
    found, response = observe(server, stylesheet)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert "immutable" in response.headers.get("Cache-Control", ""), "WhiteNoise served it"
    assert_a_plus(found)
