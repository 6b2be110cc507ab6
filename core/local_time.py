"""Days as the city counts them: in the site's time zone (Asia/Tokyo), whatever the server's."""

from __future__ import annotations

import datetime

from django.utils import timezone


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the site's time zone: the bound a query compares a
    date-time column with, instead of converting every row to a date."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
