"""What's new: the latest dated records of the apps, merged into one list.

Nothing is kept in a separate news model that staff would have to keep in sync: each app declares
in its own ``news.py`` (discovered at start-up) a function that returns its newest dated
entries — milestones, meetings, awards, agreement events — and the merge puts them together.
The home page lists them and /feed.atom publishes the same list.

One event is often recorded in several places: an award is a record of its own, a milestone of
the project it rewards and a step in the agreement's history. It is told once: an entry that
``tells`` an occasion (the award's own record) makes the merge drop the entries of the same day
that only ``retell`` it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

LIMIT = 8


@dataclass(frozen=True)
class NewsItem:
    date: datetime.date
    kind: str
    title: str
    url: str
    summary: str
    # The occasion this entry is the authoritative account of ("award"), if any …
    tells: str = ""
    # … or the occasion it would only repeat when an authoritative account of the same day exists.
    retells: str = ""


# A source returns its newest entries dated up to ``today``, newest first, at most ``limit``.
NewsSource = Callable[[datetime.date, int], list[NewsItem]]

_sources: list[NewsSource] = []


def register(source: NewsSource) -> NewsSource:
    """Add a source of news (usable as a decorator in an app's ``news.py``)."""
    if source in _sources:
        # Its entries would be told twice.
        raise ImproperlyConfigured(f"The news source {source.__qualname__} is already registered.")
    _sources.append(source)
    return source


def whats_new(*, today: datetime.date | None = None, limit: int = LIMIT) -> list[NewsItem]:
    """The latest entries dated up to today, newest first: one query per source.

    On one day, entries that tell an occasion come first, then the others in the order the
    sources were registered. Dropping a retelling never shortens the list by more than it
    should: the entry that tells the occasion takes its place on the same day."""
    today = today or timezone.localdate()
    items = [item for source in _sources for item in source(today, limit)]
    told = {(item.tells, item.date) for item in items if item.tells}
    items = [item for item in items if (item.retells, item.date) not in told]
    items.sort(key=lambda item: (item.date, bool(item.tells)), reverse=True)
    return items[:limit]
