"""What's new: the latest dated records of the apps, merged into one list.

Nothing is kept in a separate news model that staff would have to keep in sync: each app declares
in its own ``news.py`` (discovered at start-up) a function that returns its newest dated
entries — milestones, meetings, awards, agreement events — and the merge puts them together.
The home page lists them and /feed.atom publishes the same list.

Each entry says what happened in its own words (a source writes a title a reader understands
out of context: 「平塚海洋エネルギー研究会 総会（平塚市役所304会議室）」, not 「総会」). The merge
then makes sure one happening is one item:

- One event is often recorded in several places: an award is a record of its own, a milestone of
  the project it rewards and a step in the agreement's history. It is told once: an entry that
  ``tells`` an occasion (the award's own record) makes the merge drop the entries of the same day
  that only ``retell`` it.
- Entries of the same day that lead to the same page are one item: a signing, its ceremony and
  the presentations given there are one day on the agreement's page. The most ``prominent`` of
  them (the signing) is the item; the others are folded into it and named in its headline
  (``NewsItem.headline``: 「…を締結（同日：協定締結式、…）」).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import gettext, pgettext

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
    # Among the entries of one day leading to one page, the most prominent is the item the others
    # are folded into (a signing before its ceremony); on a tie, the first in the merged order.
    prominence: int = 0
    # The titles of the entries folded into this one (set by the merge).
    also: tuple[str, ...] = ()
    # The title naming the entries folded into it, in the language active when the item was
    # made (as its title is): what the list and the feed show.
    headline: str = field(init=False, compare=False)

    def __post_init__(self) -> None:
        headline = self.title
        if self.also:
            others = pgettext("list separator", "、").join(self.also)
            headline = gettext("%(title)s（同日：%(others)s）") % {
                "title": self.title,
                "others": others,
            }
        object.__setattr__(self, "headline", headline)


def translated(*fields: str) -> list[str]:
    """Every language's column of translated fields, for a source's ``only()``: an item reads
    the active language's text and falls back to Japanese, and a column left out would be
    fetched by a query of its own."""
    return [f"{name}_{code.replace('-', '_')}" for name in fields for code, _ in settings.LANGUAGES]


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


def _merged(items: list[NewsItem]) -> list[NewsItem]:
    """Newest first; retellings dropped; the entries of one day on one page folded into one."""
    told = {(item.tells, item.date) for item in items if item.tells}
    items = [item for item in items if (item.retells, item.date) not in told]
    # Stable: on one day, tellers first, then by prominence, then in the sources' order.
    items.sort(key=lambda item: (item.date, bool(item.tells), item.prominence), reverse=True)
    folded: dict[tuple[datetime.date, str], list[NewsItem]] = {}
    for item in items:
        folded.setdefault((item.date, item.url), []).append(item)
    merged = []
    for lead, *others in folded.values():
        also = tuple(dict.fromkeys(o.title for o in others if o.title != lead.title))
        merged.append(dataclasses.replace(lead, also=lead.also + also))
    return merged


def whats_new(*, today: datetime.date | None = None, limit: int = LIMIT) -> list[NewsItem]:
    """The latest items dated up to today, newest first: one query per source.

    Dropping and folding make fewer items than entries, so each source is asked for twice the
    entries the list shows. The list is made of the items no source can be missing an older
    entry before: those dated on or after the oldest entry of every source that gave all it was
    asked for (only that last day may lack a source's entries beyond what it gave). Should fewer
    than ``limit`` items be left — a source's entries folding by the dozen — the sources are
    asked again for twice as many: a second round is the exception, and the rounds are few
    however the data grows (they double)."""
    today = today or timezone.localdate()
    asked = 2 * limit
    while True:
        batches = [source(today, asked) for source in _sources]
        items = _merged([item for batch in batches for item in batch])
        full = [batch for batch in batches if len(batch) >= asked]
        if not full:
            return items[:limit]
        horizon = max(min(item.date for item in batch) for batch in full)
        certain = [item for item in items if item.date >= horizon]
        if len(certain) >= limit:
            return certain[:limit]
        asked *= 2
