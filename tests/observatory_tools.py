"""A scorer of HTTP responses by the MDN HTTP Observatory's published rules ("Tests and
scoring": https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring).

The Observatory scans a site from the outside: a plain-http request and the redirects it
follows, then the https page, its headers, its cookies and its HTML. ``Scan`` holds what such a
scan saw; ``score`` runs the ten scored tests on it and adds up their modifiers as published:
every site starts at 100, the penalties are taken off, and the bonuses count only when what is
left is 90 (an A) or more. 100 or more is an A+.

What a scan from here cannot know is left to the caller: whether the host is on the browsers'
HSTS preload list (``hsts_preloaded``; the bonus is only for hosts that are).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

BASELINE = 100
MINIMUM_FOR_BONUSES = 90
SIX_MONTHS = 15768000
# The Origin the Observatory sends to see whether CORS reflects any origin.
FOREIGN_ORIGIN = "https://http-observatory.security.mozilla.org"
GRADES = [
    (100, "A+"),
    (90, "A"),
    (85, "A-"),
    (80, "B+"),
    (70, "B"),
    (65, "B-"),
    (60, "C+"),
    (50, "C"),
    (45, "C-"),
    (40, "D+"),
    (30, "D"),
    (25, "D-"),
    (0, "F"),
]

# Every outcome of every test, with its modifier as published.
MODIFIERS = {
    # Content Security Policy
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    # Cookies
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-not-found": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    # Cross-origin resource sharing
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    # Redirection
    "redirection-to-https": 0,
    "redirection-not-needed-no-http": 0,
    "redirection-off-host-from-http": -5,
    "redirection-not-to-https-on-initial-redirection": -10,
    "redirection-not-to-https": -20,
    "redirection-missing": -20,
    # Referrer-Policy
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    # HTTP Strict Transport Security
    "hsts-preloaded": 5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    "hsts-not-implemented-no-https": -20,
    # Subresource Integrity
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-implemented-and-external-scripts-loaded-securely": 5,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-implemented-but-external-scripts-not-loaded-securely": -20,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    # X-Content-Type-Options
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    # X-Frame-Options
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    # Cross-Origin-Resource-Policy
    "cross-origin-resource-policy-implemented-with-same-origin": 10,
    "cross-origin-resource-policy-implemented-with-same-site": 10,
    "cross-origin-resource-policy-implemented-with-cross-origin": 0,
    "cross-origin-resource-policy-not-implemented": 0,
    "cross-origin-resource-policy-header-invalid": -5,
}

# Sources that let anything in.
BROAD_SOURCES = {
    "ftp:",
    "http:",
    "https:",
    "*",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
}
INLINE_SOURCES = {"'unsafe-inline'", "data:"}
NONCE_OR_HASH = ("'nonce-", "'sha256-", "'sha384-", "'sha512-")
PRIVATE_REFERRER = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
UNSAFE_REFERRER = {"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}
DIRECTIVE_NAME = re.compile(r"^[a-z0-9-]+$")


@dataclass(frozen=True)
class Scan:
    """What one scan saw.

    ``redirects``: the URLs from the plain-http request to the final one, each as requested
    (``["http://host/", "https://host/"]``); just the http URL if it did not redirect, empty if
    http was not reachable. ``headers``: the final https response's headers, in order, a name as
    often as sent. ``cookies``: every Set-Cookie value received along the way."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: str = ""
    redirects: list[str] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    hsts_preloaded: bool = False

    def header_values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]

    def header(self, name: str) -> str | None:
        values = self.header_values(name)
        return values[0] if values else None


@dataclass(frozen=True)
class Outcome:
    test: str
    result: str

    @property
    def modifier(self) -> int:
        return MODIFIERS[self.result]


@dataclass(frozen=True)
class Scorecard:
    score: int
    outcomes: list[Outcome]

    @property
    def grade(self) -> str:
        return next(grade for floor, grade in GRADES if self.score >= floor)

    def result(self, test: str) -> str:
        return next(outcome.result for outcome in self.outcomes if outcome.test == test)

    def __str__(self) -> str:
        lines = [f"{self.score} ({self.grade})"]
        lines += [f"  {o.modifier:+4d} {o.test}: {o.result}" for o in self.outcomes]
        return "\n".join(lines)


def score(scan: Scan) -> Scorecard:
    outcomes = [
        Outcome("content-security-policy", content_security_policy(scan)),
        Outcome("cookies", cookies(scan)),
        Outcome("cross-origin-resource-sharing", cross_origin_resource_sharing(scan)),
        Outcome("redirection", redirection(scan)),
        Outcome("referrer-policy", referrer_policy(scan)),
        Outcome("strict-transport-security", strict_transport_security(scan)),
        Outcome("subresource-integrity", subresource_integrity(scan)),
        Outcome("x-content-type-options", x_content_type_options(scan)),
        Outcome("x-frame-options", x_frame_options(scan)),
        Outcome("cross-origin-resource-policy", cross_origin_resource_policy(scan)),
    ]
    total = BASELINE + sum(o.modifier for o in outcomes if o.modifier < 0)
    if total >= MINIMUM_FOR_BONUSES:
        total += sum(o.modifier for o in outcomes if o.modifier > 0)
    return Scorecard(score=max(total, 0), outcomes=outcomes)


def _is_https(scan: Scan) -> bool:
    return urlsplit(scan.url).scheme == "https"


# --- Content Security Policy ----------------------------------------------------------------


class InvalidPolicy(ValueError):
    pass


def parse_csp(values: Iterable[str]) -> dict[str, set[str]]:
    """The directives of every policy sent (header values, comma-separated policies), the
    first occurrence of a directive winning as in browsers; sources lower-cased."""
    policy: dict[str, set[str]] = {}
    for value in values:
        for single in value.split(","):
            for directive in single.split(";"):
                words = directive.strip().lower().split()
                if not words:
                    continue
                name, sources = words[0], set(words[1:])
                if not DIRECTIVE_NAME.match(name):
                    raise InvalidPolicy(name)
                policy.setdefault(name, sources)
    return policy


def content_security_policy(scan: Scan) -> str:
    try:
        policy = parse_csp(scan.header_values("Content-Security-Policy"))
    except InvalidPolicy:
        return "csp-header-invalid"
    if not policy:
        return "csp-not-implemented"

    def sources(name: str) -> set[str]:
        return set(policy.get(name) or policy.get("default-src") or {"*"})

    script_src, style_src, object_src = (
        sources("script-src"),
        sources("style-src"),
        sources("object-src"),
    )
    # A nonce or a hash makes browsers ignore 'unsafe-inline' (kept for older ones).
    for sources_list in (script_src, style_src):
        if any(source.startswith(NONCE_OR_HASH) for source in sources_list):
            sources_list.discard("'unsafe-inline'")
    passive = set().union(
        *(
            policy.get(name) or policy.get("default-src") or set()
            for name in ("img-src", "media-src")
        )
    )
    active = script_src.union(
        *(
            sources
            for name, sources in policy.items()
            if name not in {"img-src", "media-src", "script-src"}
        )
    )

    def insecure(found: set[str]) -> bool:
        return _is_https(scan) and any(s.startswith(("http:", "ftp:")) for s in found)

    if script_src & (BROAD_SOURCES | INLINE_SOURCES) or object_src & BROAD_SOURCES:
        return "csp-implemented-with-unsafe-inline"
    if insecure(active):
        return "csp-implemented-with-insecure-scheme"
    if "'unsafe-eval'" in script_src | style_src:
        return "csp-implemented-with-unsafe-eval"
    if insecure(passive):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only"
    if style_src & (BROAD_SOURCES | INLINE_SOURCES):
        return "csp-implemented-with-unsafe-inline-in-style-src-only"
    # The top bonus, as published: default-src 'none' alone, and forms sent nowhere else.
    if policy.get("default-src") == {"'none'"} and policy.get("form-action", {"*"}) <= {
        "'none'",
        "'self'",
    }:
        return "csp-implemented-with-no-unsafe-default-src-none"
    return "csp-implemented-with-no-unsafe"


# --- Cookies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cookie:
    name: str
    secure: bool
    httponly: bool
    samesite: str | None  # as sent, lower-cased; "" for a SameSite without a value

    @classmethod
    def parse(cls, set_cookie: str) -> Cookie:
        name = set_cookie.split(";", 1)[0].split("=", 1)[0].strip()
        attributes = {}
        for part in set_cookie.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            attributes[key.strip().lower()] = value.strip().lower()
        return cls(
            name=name,
            secure="secure" in attributes,
            httponly="httponly" in attributes,
            samesite=attributes.get("samesite"),
        )

    @property
    def is_session(self) -> bool:
        return any(word in self.name.lower() for word in ("login", "sess"))

    @property
    def is_anti_csrf(self) -> bool:
        return "csrf" in self.name.lower()


# The cookie findings from least to most serious: the most serious one found is the result.
COOKIE_FINDINGS = [
    "cookies-without-secure-flag-but-protected-by-hsts",
    "cookies-without-secure-flag",
    "cookies-session-without-secure-flag-but-protected-by-hsts",
    "cookies-samesite-flag-invalid",
    "cookies-anticsrf-without-samesite-flag",
    "cookies-session-without-httponly-flag",
    "cookies-session-without-secure-flag",
]


def cookies(scan: Scan) -> str:
    found = [Cookie.parse(value) for value in scan.cookies]
    if not found:
        return "cookies-not-found"
    hsts = strict_transport_security(scan) in {
        "hsts-preloaded",
        "hsts-implemented-max-age-at-least-six-months",
    }
    findings = set()
    for cookie in found:
        if cookie.samesite is not None and cookie.samesite not in {"lax", "strict", "none"}:
            findings.add("cookies-samesite-flag-invalid")
        if cookie.samesite == "none" and not cookie.secure:
            findings.add("cookies-samesite-flag-invalid")
        if not cookie.secure:
            findings.add(
                "cookies-without-secure-flag-but-protected-by-hsts"
                if hsts
                else "cookies-without-secure-flag"
            )
            if cookie.is_session:
                findings.add(
                    "cookies-session-without-secure-flag-but-protected-by-hsts"
                    if hsts
                    else "cookies-session-without-secure-flag"
                )
        if cookie.is_anti_csrf and not cookie.samesite:
            findings.add("cookies-anticsrf-without-samesite-flag")
        if cookie.is_session and not cookie.httponly:
            findings.add("cookies-session-without-httponly-flag")
    if findings:
        return max(findings, key=COOKIE_FINDINGS.index)
    if all(cookie.samesite for cookie in found):
        return "cookies-secure-with-httponly-sessions-and-samesite"
    return "cookies-secure-with-httponly-sessions"


# --- Cross-origin resource sharing ----------------------------------------------------------


def cross_origin_resource_sharing(scan: Scan) -> str:
    """The response to a request that said ``Origin: FOREIGN_ORIGIN``."""
    allowed = (scan.header("Access-Control-Allow-Origin") or "").strip()
    if not allowed:
        return "cross-origin-resource-sharing-not-implemented"
    if allowed == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access"
    credentials = (scan.header("Access-Control-Allow-Credentials") or "").strip().lower() == "true"
    if allowed == FOREIGN_ORIGIN and credentials:
        return "cross-origin-resource-sharing-implemented-with-universal-access"
    return "cross-origin-resource-sharing-implemented-with-restricted-access"


# --- Redirection ------------------------------------------------------------------------------


def redirection(scan: Scan) -> str:
    if not scan.redirects:
        return "redirection-not-needed-no-http"
    if len(scan.redirects) == 1:
        return "redirection-missing"
    first, second, final = (
        urlsplit(url) for url in (scan.redirects[0], scan.redirects[1], scan.redirects[-1])
    )
    if final.scheme != "https":
        return "redirection-not-to-https"
    if second.scheme != "https":
        return "redirection-not-to-https-on-initial-redirection"
    if second.hostname != first.hostname:
        return "redirection-off-host-from-http"
    return "redirection-to-https"


# --- Referrer-Policy --------------------------------------------------------------------------


def referrer_policy(scan: Scan) -> str:
    values = scan.header_values("Referrer-Policy")
    if not values:
        return "referrer-policy-not-implemented"
    # Browsers apply the last policy in the list that they know.
    known = [
        token
        for value in values
        for token in (t.strip().lower() for t in value.split(","))
        if token in PRIVATE_REFERRER | UNSAFE_REFERRER
    ]
    if not known:
        return "referrer-policy-header-invalid"
    return "referrer-policy-private" if known[-1] in PRIVATE_REFERRER else "referrer-policy-unsafe"


# --- HTTP Strict Transport Security ---------------------------------------------------------


def strict_transport_security(scan: Scan) -> str:
    if not _is_https(scan):
        return "hsts-not-implemented-no-https"
    value = scan.header("Strict-Transport-Security")
    if value is None:
        return "hsts-not-implemented"
    max_age = None
    for directive in value.split(";"):
        key, _, argument = directive.strip().partition("=")
        if key.strip().lower() == "max-age":
            argument = argument.strip().strip('"')
            if not argument.isdigit():
                return "hsts-header-invalid"
            max_age = int(argument)
    if max_age is None:
        return "hsts-header-invalid"
    if scan.hsts_preloaded:
        return "hsts-preloaded"
    if max_age >= SIX_MONTHS:
        return "hsts-implemented-max-age-at-least-six-months"
    return "hsts-implemented-max-age-less-than-six-months"


# --- Subresource Integrity --------------------------------------------------------------------


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[str, bool]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.scripts.append((attributes["src"], bool(attributes.get("integrity"))))


def subresource_integrity(scan: Scan) -> str:
    content_type = (scan.header("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in {"text/html", "application/xhtml+xml"}:
        return "sri-not-implemented-response-not-html"
    parser = _Scripts()
    parser.feed(scan.body)
    if not parser.scripts:
        return "sri-not-implemented-but-no-scripts-loaded"
    page = urlsplit(scan.url)
    external = []
    for src, has_integrity in parser.scripts:
        target = urlsplit(urljoin(scan.url, src))
        if target.hostname != page.hostname:
            # A protocol-relative src (//host/…) counts as insecure, as published.
            insecure = target.scheme != "https" or src.startswith("//")
            external.append((insecure, has_integrity))
    every_script_has_integrity = all(has_integrity for _, has_integrity in parser.scripts)
    if any(insecure for insecure, _ in external):
        if all(has_integrity for _, has_integrity in external):
            return "sri-implemented-but-external-scripts-not-loaded-securely"
        return "sri-not-implemented-and-external-scripts-not-loaded-securely"
    if external:
        if all(has_integrity for _, has_integrity in external):
            return "sri-implemented-and-external-scripts-loaded-securely"
        return "sri-not-implemented-but-external-scripts-loaded-securely"
    if every_script_has_integrity:
        return "sri-implemented-and-all-scripts-loaded-securely"
    return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"


# --- X-Content-Type-Options, X-Frame-Options, Cross-Origin-Resource-Policy --------------------


def x_content_type_options(scan: Scan) -> str:
    value = scan.header("X-Content-Type-Options")
    if value is None:
        return "x-content-type-options-not-implemented"
    if value.strip().lower() == "nosniff":
        return "x-content-type-options-nosniff"
    return "x-content-type-options-header-invalid"


def x_frame_options(scan: Scan) -> str:
    try:
        ancestors = parse_csp(scan.header_values("Content-Security-Policy")).get("frame-ancestors")
    except InvalidPolicy:
        ancestors = None
    if ancestors is not None and not ancestors & BROAD_SOURCES:
        return "x-frame-options-implemented-via-csp"
    value = scan.header("X-Frame-Options")
    if value is None:
        return "x-frame-options-not-implemented"
    value = value.strip().lower()
    if value in {"deny", "sameorigin"}:
        return "x-frame-options-sameorigin-or-deny"
    if value.startswith("allow-from "):
        return "x-frame-options-allow-from-origin"
    return "x-frame-options-header-invalid"


def cross_origin_resource_policy(scan: Scan) -> str:
    value = scan.header("Cross-Origin-Resource-Policy")
    if value is None:
        return "cross-origin-resource-policy-not-implemented"
    return {
        "same-origin": "cross-origin-resource-policy-implemented-with-same-origin",
        "same-site": "cross-origin-resource-policy-implemented-with-same-site",
        "cross-origin": "cross-origin-resource-policy-implemented-with-cross-origin",
    }.get(value.strip().lower(), "cross-origin-resource-policy-header-invalid")
