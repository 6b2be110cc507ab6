"""Every content page shows its 最終更新日, read from the records it shows."""

from __future__ import annotations

import datetime

import pytest

from agreements.models import Agreement, AgreementEvent, RelationshipPhase
from core.models import SiteProfile
from donations.models import Award, Donation
from hiratsuka_portal.models import SitePage, SitePageSection
from projects.models import Facility, Meeting, Membership, Project
from tests.dating_tools import change_on, date_everything
from tests.page_tools import html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]

OLD = datetime.date(2025, 1, 10)
NEW = datetime.date(2025, 6, 15)
OLD_JA = '最終更新日：<time datetime="2025-01-10">令和7年1月10日（2025年1月10日）</time>'
NEW_JA = '最終更新日：<time datetime="2025-06-15">令和7年6月15日（2025年6月15日）</time>'
NEW_EN = 'Last updated: <time datetime="2025-06-15">June 15, 2025</time>'


def project(slug="wave-power-3rd-generation"):
    return Project.objects.get(slug=slug)


def section_of(kind):
    return SitePageSection.objects.filter(page__kind=kind).first()


# (page, a record it shows, a record it does not show)
PAGES = {
    "home": ("/", lambda: section_of("introduction"), lambda: section_of("privacy")),
    "project list": (
        "/projects/",
        lambda: Facility.objects.first(),
        lambda: Meeting.objects.first(),
    ),
    "project detail": (
        "/projects/wave-power-3rd-generation/",
        lambda: project().milestones.first(),
        lambda: Project.objects.exclude(slug="wave-power-3rd-generation").first(),
    ),
    "research group": (
        "/research-group/",
        lambda: Membership.objects.first(),
        lambda: Facility.objects.first(),
    ),
    "donations": ("/donations/", lambda: Award.objects.first(), lambda: Facility.objects.first()),
    "agreement list": (
        "/agreements/",
        lambda: RelationshipPhase.objects.first(),
        lambda: Membership.objects.first(),
    ),
    "agreement detail": (
        "/agreements/iis-2024/",
        lambda: Agreement.objects.get(slug="iis-2024").events.first(),
        lambda: Agreement.objects.get(slug="iis-2019"),
    ),
    "accessibility": (
        "/accessibility/",
        lambda: section_of("accessibility"),
        lambda: section_of("privacy"),
    ),
    "privacy": (
        "/privacy/",
        lambda: SitePage.objects.get(kind="privacy"),
        lambda: section_of("accessibility"),
    ),
    "open data": (
        "/opendata/",
        lambda: Donation.objects.first(),
        lambda: SiteProfile.objects.first(),
    ),
}


@pytest.mark.parametrize("name", PAGES)
def test_page_shows_the_latest_change_of_what_it_shows(client, seeded, name):
    url, shown, not_shown = PAGES[name]
    date_everything(OLD)
    assert OLD_JA in html(client, url)

    change_on(not_shown(), NEW)
    assert OLD_JA in html(client, url), "a record the page does not show changed its date"

    change_on(shown(), NEW)
    assert NEW_JA in html(client, url)
    assert NEW_EN in html(client, "/en" + url)


def test_the_date_sits_in_the_main_content(client, seeded):
    page = html(client, "/agreements/")
    main = page.split('<main id="main"')[1].split("</main>")[0]
    assert 'class="last-updated"' in main


def test_a_record_without_a_date_of_its_own_takes_its_audit_trail(client, seeded):
    # Agreement events have no updated_at: their history gives the date.
    date_everything(OLD)
    change_on(AgreementEvent.objects.first(), NEW)
    assert NEW_JA in html(client, "/agreements/")


def test_the_seed_is_dated_the_day_it_was_loaded(client, seeded):
    # load_seed starts each record's audit trail, so a freshly seeded site shows a date.
    assert AgreementEvent.history.exists()
    assert 'class="last-updated"' in html(client, "/agreements/")


def test_search_page_shows_no_date(client, seeded):
    assert 'class="last-updated"' not in html(client, "/search/?q=波力")
