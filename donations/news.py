"""The donations app's news: the awards the city received for its use of donations."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import news
from core.news import NewsItem, translated

from .models import Award


@news.register
def awards(today: datetime.date, limit: int) -> list[NewsItem]:
    latest = (
        Award.objects.public()
        .filter(ceremony_on__lte=today)
        .only("ceremony_on", *translated("title", "description"))
        .order_by("-ceremony_on")[:limit]
    )
    return [
        NewsItem(
            award.ceremony_on,
            str(_("表彰")),
            award.title,
            f"{reverse('donations:donation-list')}#award-{award.pk}-heading",
            award.description,
            # The award's own record is the account the site gives of the ceremony.
            tells="award",
        )
        for award in latest
    ]
