"""Public pages of the agreements app: the history across agreements, and one agreement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from core.models import SiteProfile
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


@require_safe
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    agreements = Agreement.objects.public().for_history()
    events = list(
        AgreementEvent.objects.public()
        .select_related("agreement")
        .prefetch_related("documents", "photos")
    )
    for event in events:
        # The history highlights what belongs to the agreement in force today.
        event.of_agreement_in_force = (
            event.agreement is not None
            and event.agreement.status_on(today) == Agreement.Status.IN_FORCE
        )
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "agreements": [(agreement, agreement.status_on(today)) for agreement in agreements],
            "events": events,
            "phases": RelationshipPhase.objects.all(),
            "breadcrumbs": [(_("東京大学生産技術研究所との協定"), None)],
            "last_updated": last_updated(
                Agreement, AgreementEvent, AgreementDocument, AgreementPhoto, RelationshipPhase
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
