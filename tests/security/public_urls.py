"""Every public URL a visitor can GET, with the query parameters its view reads (from
``request.GET`` in the views and the forms they bind it to), for the hostile-input and markup
tests. A URL added to the site belongs here too."""

from __future__ import annotations

from django.urls import reverse

from agreements.models import Agreement, AgreementEvent
from core import opendata
from core.japanese import fiscal_year
from core.publishing import PREVIEW_PARAMETER
from donations.models import Donation
from projects.models import Facility, Meeting, Membership, Outcome, Project, ResearchGroup

# Read by the middleware on every page (the staff preview); a name no view reads, which must be
# ignored.
PARAMETERS_EVERY_PAGE_READS = (PREVIEW_PARAMETER, "utm_source")

# The inquiry's steps take a POST of their own.
FORM_URLS = {"/donations/inquiry/", "/donations/inquiry/confirm/"}

# Outside i18n_patterns: the same in both languages.
LANGUAGE_NEUTRAL = ("/healthz", "/robots.txt", "/favicon.ico", "/sitemap.xml", "/admin/")


def first_meeting_year() -> int:
    return Meeting.objects.public().yearly_totals()[0]["fiscal_year"]


def first_history_year() -> int:
    return fiscal_year(AgreementEvent.objects.public().order_by("occurred_on").first().occurred_on)


def first_donation_year() -> int:
    return Donation.objects.order_by("fiscal_year").values_list("fiscal_year", flat=True)[0]


def group_outcome_kind() -> str:
    public_groups = ResearchGroup.objects.public()
    return Outcome.objects.filter(research_group__in=public_groups).order_by("pk").first().kind


def public_get_urls() -> list[tuple[str, tuple[str, ...]]]:
    """(path in Japanese, the parameters its view reads) for every public page and file."""
    project = Project.objects.public().order_by("pk").first()
    agreement = Agreement.objects.public().order_by("pk").first()
    urls = [
        (reverse("home"), ()),
        (reverse("accessibility"), ()),
        (reverse("privacy"), ()),
        (reverse("projects:project-list"), ("status", "theme", "page")),
        (project.get_absolute_url(), ()),
        (Facility.objects.public().order_by("pk").first().get_absolute_url(), ()),
        (reverse("projects:factsheet", args=[project.slug]), ()),
        (reverse("projects:research-group"), ()),
        (reverse("projects:meeting-years"), ()),
        (reverse("projects:meeting-year", args=[first_meeting_year()]), ()),
        (reverse("projects:members", args=[Membership.objects.public().first().category]), ()),
        (reverse("projects:outcomes", args=[group_outcome_kind()]), ()),
        (reverse("donations:donation-list"), ("amount",)),
        (reverse("donations:donation-year", args=[first_donation_year()]), ()),
        (reverse("donations:report"), ()),
        (reverse("donations:inquiry"), ()),
        (reverse("donations:inquiry-address"), ("postal_code",)),
        (reverse("donations:inquiry-confirm"), ()),
        (reverse("donations:inquiry-thanks"), ()),
        (reverse("agreements:agreement-list"), ()),
        (reverse("agreements:agreement-all"), ("page",)),
        (reverse("agreements:report"), ()),
        (agreement.get_absolute_url(), ()),
        (reverse("agreements:history-years"), ()),
        (reverse("agreements:history-year", args=[first_history_year()]), ()),
        (reverse("search"), ("q", "page")),
        (reverse("feed"), ()),
        (reverse("opendata-index"), ()),
        *((reverse(dataset.url_name), ()) for dataset in opendata.datasets()),
        (reverse("sitemap"), ()),
        (reverse("robots-txt"), ()),
        (reverse("healthz"), ()),
        (reverse("favicon"), ()),
    ]
    return urls


def in_language(path: str, language: str) -> str:
    """``path`` (a Japanese one) as the page in ``language``: English lives under /en/."""
    if language == "ja" or path.startswith(LANGUAGE_NEUTRAL):
        return path
    return f"/en{path}"
