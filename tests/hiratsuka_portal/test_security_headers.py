"""Permissions-Policy and Cross-Origin-Resource-Policy (core/security_headers.py) on every
response the site gives: rendered and cached pages, revalidations, errors, the admin, downloads.
(A static file from WhiteNoise and the production cookies: tests/hiratsuka_portal/
test_observatory.py, against a production server.)"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from core.security_headers import permissions_policy_value

pytestmark = pytest.mark.django_db

POLICY = permissions_policy_value(settings.PERMISSIONS_POLICY)


def assert_hardened(response) -> None:
    assert response["Permissions-Policy"] == POLICY
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_the_policy_denies_the_powerful_features_to_everyone():
    denied = {item.strip() for item in POLICY.split(",")}
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "interest-cohort"):
        assert f"{feature}=()" in denied
    assert "browsing-topics=()" in denied
    # Nothing is allowed to anyone, not even to the site itself.
    assert all(item.endswith("=()") for item in denied)


def test_policy_value_names_the_allowed_origins():
    assert permissions_policy_value({"camera": [], "fullscreen": ["self"]}) == (
        "camera=(), fullscreen=(self)"
    )


def test_a_rendered_page_and_its_cached_copy_leave_with_the_same_headers(client, seeded):
    rendered = client.get("/projects/")
    cached = Client().get("/projects/")
    assert getattr(cached, "page_cache_hit", False), "the second visitor is served the copy"
    for response in (rendered, cached):
        assert response.status_code == 200
        assert_hardened(response)


def test_a_revalidation_answered_304_from_the_cache(client, seeded):
    first = client.get("/")
    again = Client().get("/", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert_hardened(again)


@pytest.mark.parametrize(
    "path",
    [
        "/no-such-page/",
        "/en/projects/no-such-project/",
        "/admin/login/",
        "/healthz",
        "/robots.txt",
        "/opendata/donations.csv",
        "/sitemap.xml",
    ],
)
def test_pages_errors_downloads_and_the_admin(client, seeded, path):
    response = client.get(path)
    assert response.status_code in {200, 404}
    assert_hardened(response)


def test_a_refused_host_and_a_wrong_method(client, db):
    refused = client.get("/", headers={"Host": "attacker.example"})
    assert refused.status_code == 400
    assert_hardened(refused)
    wrong = client.post("/healthz")
    assert wrong.status_code in {403, 405}
    assert_hardened(wrong)


def test_the_staff_pages_too(staff_client):
    response = staff_client.get("/admin/")
    assert response.status_code == 200
    assert_hardened(response)


def test_a_header_a_view_set_itself_is_kept(rf):
    from django.http import HttpResponse

    from core.security_headers import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("embeddable")
        response["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    response = SecurityHeadersMiddleware(view)(rf.get("/"))
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert response["Permissions-Policy"] == POLICY


def test_development_cookies_work_over_plain_http(client, db):
    # Development and the browser tests run on http://127.0.0.1: a __Host- cookie would be
    # dropped there, so the names keep their plain form outside production.
    response = client.get("/donations/inquiry/")
    assert response.status_code == 200
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
    assert csrf["samesite"] == "Lax"
    assert csrf["httponly"]
