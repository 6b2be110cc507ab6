"""The agreements app's news: the steps of the agreements' history."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import news
from core.news import NewsItem

from .models import AgreementEvent


@news.register
def events(today: datetime.date, limit: int) -> list[NewsItem]:
    latest = (
        AgreementEvent.objects.public()
        .filter(occurred_on__lte=today)
        .select_related("agreement")
        .order_by("-occurred_on")[:limit]
    )
    return [
        NewsItem(
            event.occurred_on,
            str(_("協定")),
            event.title,
            event.agreement.get_absolute_url()
            if event.agreement
            else reverse("agreements:agreement-list"),
            event.description,
            retells="award" if event.kind == AgreementEvent.Kind.AWARD else "",
        )
        for event in latest
    ]
