"""The staff preview in a real browser: the banner is seen and accessible at every width, and
leads back to the public page."""

import pytest
from django.conf import settings
from django.test import Client

from tests.projects.factories import ProjectFactory
from tests.two_factor_tools import verified_login

from .conftest import axe_violations


@pytest.fixture
def as_staff(visit_at_width, django_user_model, transactional_db):
    staff = django_user_model.objects.create_superuser(username="sangyo", password=None)
    client = Client()
    verified_login(client, staff)
    visit_at_width.page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": visit_at_width.origin,
            }
        ]
    )
    return visit_at_width


def test_a_drafts_preview_is_marked_accessible_and_leads_back(as_staff):
    ProjectFactory(slug="draft", title_ja="準備中の潮流発電", published_at=None)
    page = as_staff.page
    page.goto("/projects/draft/?preview=1")
    banner = page.get_by_role("status")
    assert "プレビュー表示中" in banner.inner_text()
    assert banner.is_visible()
    report = axe_violations(page)
    assert report == "", report
    page.get_by_role("link", name="プレビューを終了").click()
    page.wait_for_load_state()
    assert page.url.endswith("/projects/draft/")
    assert "準備中の潮流発電" not in page.content()
