"""What the agreements app adds to the site search: the agreements, their articles and their
history; and, as parties to a public agreement, the organisations it names."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core import search
from core.search import Source, anchored, date_text, joined, with_note
from projects.search import Appearance, organization_appears_in

from .models import Agreement, AgreementEvent, Article


def signed_on_text(agreement: Agreement) -> str:
    return _("%(date)s締結") % {"date": date_text(agreement.signed_on)}


def agreement_label(agreement: Agreement) -> str:
    # Both agreements bear the same title; the signing date tells them apart.
    return with_note(agreement.title, signed_on_text(agreement))


def _event_url(event: AgreementEvent) -> str:
    if event.agreement is not None:
        return anchored(event.agreement.get_absolute_url(), "events-heading")
    # The history that belongs to no agreement is on the page of its fiscal year.
    return event.get_absolute_url()


organization_appears_in(
    Appearance(
        records=Agreement.objects.public,
        organization_field="parties",
        related_name="agreements",
        label=agreement_label,
        url=lambda agreement: agreement.get_absolute_url(),
    )
)

search.register(
    Source(
        key="agreements",
        label=pgettext_lazy("search result kind", "協定"),
        fields=("title", "purpose", "background", "future_scope", "plan_context"),
        queryset=Agreement.objects.public,
        title=lambda agreement: agreement.title,
        url=lambda agreement: agreement.get_absolute_url(),
        context=lambda agreement: [
            agreement.purpose,
            agreement.background,
            agreement.future_scope,
            agreement.plan_context,
        ],
        meta=signed_on_text,
    ),
    Source(
        key="articles",
        label=pgettext_lazy("search result kind", "協定の内容"),
        fields=("text", "expected_projects"),
        queryset=lambda: Article.objects.public().select_related("agreement"),
        title=lambda article: article.text,
        url=lambda article: anchored(article.agreement.get_absolute_url(), "articles-heading"),
        context=lambda article: [article.expected_projects],
        meta=lambda article: agreement_label(article.agreement),
    ),
    Source(
        key="events",
        label=pgettext_lazy("search result kind", "協定の経緯"),
        fields=("title", "description"),
        queryset=lambda: AgreementEvent.objects.public().select_related("agreement"),
        title=lambda event: event.title,
        url=_event_url,
        context=lambda event: [event.description],
        meta=lambda event: joined(date_text(event.occurred_on), event.get_kind_display()),
    ),
)
