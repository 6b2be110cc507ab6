"""Public pages of the agreements app: the history across agreements, and one agreement."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from core.by_fiscal_year import fiscal_year_counts, in_fiscal_year, is_plausible_fiscal_year
from core.japanese import fiscal_year_label
from core.models import SiteProfile
from core.pagination import paginate
from core.pdf import pdf_filename, pdf_response
from core.updates import last_updated
from projects.models import Organization, Project

from .models import (
    Agreement,
    AgreementDocument,
    AgreementEvent,
    AgreementPhoto,
    Article,
    FocusArea,
    RelationshipPhase,
)

# Steps of the history the agreements' page shows: the latest; the rest are on the pages of
# their fiscal year.
EVENTS_SHOWN = 10
# Agreements the agreements' page shows besides those in force: the last signed; every
# agreement is on /agreements/all/, a page at a time.
AGREEMENTS_SHOWN = 5
AGREEMENTS_PER_PAGE = 20


def _timeline_events():
    return (
        AgreementEvent.objects.public()
        .select_related("agreement")
        .prefetch_related("documents", "photos")
    )


def _marked_in_force(events) -> list[AgreementEvent]:
    events = list(events)
    today = timezone.localdate()
    for event in events:
        # The history highlights what belongs to the agreement in force today.
        event.of_agreement_in_force = (
            event.agreement is not None
            and event.agreement.status_on(today) == Agreement.Status.IN_FORCE
        )
    return events


@require_safe
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    public = Agreement.objects.public()
    agreements = list(public.in_force_or_latest(AGREEMENTS_SHOWN).for_history())
    # The latest steps, told oldest first as a timeline reads.
    events = _marked_in_force(_timeline_events().order_by("-occurred_on", "-pk")[:EVENTS_SHOWN])[
        ::-1
    ]
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "agreements": [(agreement, agreement.status_on(today)) for agreement in agreements],
            "agreements_not_shown": public.count() - len(agreements),
            "events": events,
            "events_shown": EVENTS_SHOWN,
            "phases": RelationshipPhase.objects.all(),
            "breadcrumbs": [(_("東京大学生産技術研究所との協定"), None)],
            "last_updated": last_updated(
                Agreement, AgreementEvent, AgreementDocument, AgreementPhoto, RelationshipPhase
            ),
        },
    )


@require_safe
def agreement_all(request: HttpRequest) -> HttpResponse:
    """Every public agreement, the last signed first, a page at a time."""
    today = timezone.localdate()
    pagination = paginate(
        request,
        Agreement.objects.public().prefetch_related("parties").order_by("-signed_on", "-pk"),
        AGREEMENTS_PER_PAGE,
    )
    return render(
        request,
        "agreements/agreement_all.html",
        {
            "agreements": [
                (agreement, agreement.status_on(today)) for agreement in pagination.page.object_list
            ],
            "pagination": pagination,
            "breadcrumbs": [
                (_("東京大学生産技術研究所との協定"), reverse("agreements:agreement-list")),
                (_("すべての協定"), None),
            ],
            "last_updated": last_updated(Agreement, Organization),
        },
    )


@require_safe
def history_years(request: HttpRequest) -> HttpResponse:
    """The fiscal years of the history, each with its number of steps, linking to its page."""
    return render(
        request,
        "agreements/history_years.html",
        {
            "years": fiscal_year_counts(AgreementEvent.objects.public(), "occurred_on"),
            "breadcrumbs": [
                (_("東京大学生産技術研究所との協定"), reverse("agreements:agreement-list")),
                (_("年度別の経緯"), None),
            ],
            "last_updated": last_updated(Agreement, AgreementEvent),
        },
    )


@require_safe
def history_year(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """Every public step of the history in one fiscal year, oldest first."""
    if not is_plausible_fiscal_year(fiscal_year):
        raise Http404(_("その年度の経緯はありません。"))
    events = _marked_in_force(
        _timeline_events()
        .filter(in_fiscal_year(AgreementEvent, "occurred_on", fiscal_year))
        .order_by("occurred_on", "pk")
    )
    if not events:
        raise Http404(_("その年度の経緯はありません。"))
    return render(
        request,
        "agreements/history_year.html",
        {
            "fiscal_year": fiscal_year,
            "events": events,
            "breadcrumbs": [
                (_("東京大学生産技術研究所との協定"), reverse("agreements:agreement-list")),
                (_("年度別の経緯"), reverse("agreements:history-years")),
                (fiscal_year_label(fiscal_year), None),
            ],
            "last_updated": last_updated(
                events,
                [document for event in events for document in event.documents.all()],
                [photo for event in events for photo in event.photos.all()],
            ),
        },
    )


@require_safe
def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.public().for_detail(), slug=slug)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "status": agreement.status,
            "last_updated": last_updated(
                agreement,
                agreement.focus_areas.all(),
                agreement.articles.all(),
                agreement.events.all(),
                agreement.documents.all(),
            ),
            "supersedes_status": agreement.supersedes.status if agreement.supersedes else None,
            "breadcrumbs": [
                (_("東京大学生産技術研究所との協定"), reverse("agreements:agreement-list")),
                (agreement.label, None),
            ],
        },
    )


def _report_context() -> dict:
    today = timezone.localdate()
    return {
        "agreements": [
            (agreement, agreement.status_on(today))
            for agreement in Agreement.objects.public().for_report()
        ],
        "events": AgreementEvent.objects.public().select_related("agreement"),
        "phases": RelationshipPhase.objects.all(),
    }


@require_safe
def agreement_report(request: HttpRequest) -> HttpResponse:
    """The agreements as a PDF: each agreement's purpose and articles, the history, the
    relationship's phases."""
    return pdf_response(
        request,
        name="agreement-report",
        models=[
            Agreement,
            Article,
            FocusArea,
            AgreementEvent,
            RelationshipPhase,
            Organization,
            Project,
            SiteProfile,
        ],
        template_name="pdf/agreement_report.html",
        context=_report_context,
        filename=pdf_filename(pgettext("PDF file name", "平塚市_東京大学生産技術研究所との協定")),
        ascii_filename="hiratsuka-iis-agreements.pdf",
    )
