"""The agreements app's news: the steps of the agreements' history."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext_lazy as _

from core import news
from core.news import NewsItem, translated

from .models import AgreementEvent

# Of the steps of one day on an agreement's page, the signing is the news; its ceremony and the
# presentations given there are folded into it (core.news).
PROMINENCE = {
    AgreementEvent.Kind.SIGNING: 3,
    AgreementEvent.Kind.END: 3,
    AgreementEvent.Kind.AWARD: 2,
    AgreementEvent.Kind.CEREMONY: 1,
    AgreementEvent.Kind.PRESENTATION: 0,
}


@news.register
def events(today: datetime.date, limit: int) -> list[NewsItem]:
    latest = (
        AgreementEvent.objects.public()
        .filter(occurred_on__lte=today)
        .select_related("agreement")
        .only("occurred_on", "kind", *translated("title", "description"), "agreement__slug")
        .order_by("-occurred_on", "pk")[:limit]
    )
    return [
        NewsItem(
            event.occurred_on,
            str(_("協定")),
            event.title,
            # The history of no agreement is on the page of its fiscal year.
            event.agreement.get_absolute_url() if event.agreement else event.year_page_url(),
            event.description,
            retells="award" if event.kind == AgreementEvent.Kind.AWARD else "",
            prominence=PROMINENCE.get(event.kind, 0),
        )
        for event in latest
    ]
