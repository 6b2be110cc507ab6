"""Public pages of the agreements app: the history across agreements, and one agreement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .models import Agreement, AgreementEvent, RelationshipPhase


@require_safe
def agreement_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    agreements = Agreement.objects.published().for_history()
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
        },
    )


@require_safe
def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.published().for_detail(), slug=slug)
    return render(
        request,
        "agreements/agreement_detail.html",
        {
            "agreement": agreement,
            "status": agreement.status,
            "breadcrumbs": [
                (_("東京大学生産技術研究所との協定"), reverse("agreements:agreement-list")),
                (agreement.title, None),
            ],
        },
    )
