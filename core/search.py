"""The site search engine: query parsing, matching, snippets and result grouping.

It knows no app. Each app declares its searchable records in its own ``search.py`` (discovered
at start-up, as ``admin.py`` is) by registering ``Source`` objects: a public queryset (the
model's own ``public()`` rule), the translated fields to search, and how a record becomes a
result — a title, a snippet and the page where the record is shown. The search page
(``hiratsuka_portal.views.search``) runs every registered source.

Matching is a case-insensitive substring match (``icontains``) on the active language's columns,
so Japanese needs no word segmentation: 波力 finds 波力発電 and 波力船 alike. Every term of the
query must match (AND), each in any of the source's fields (OR) and in any of its variants (see
``core.search_text``). On PostgreSQL the searched
columns carry trigram indexes on ``UPPER(column)``, which is what ``icontains`` compares (see the
``*_search_trigram_indexes`` migrations of projects, donations and agreements); SQLite scans,
which is fine at a city portal's size.

Results are grouped by kind, in the order the sources were registered. The page number applies
to every group at once (page 2 shows each kind's results 21–40), so a page costs one query for
the counts of every kind plus one query (and its prefetches) per kind that has results on that
page — never more with more data.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, pgettext

from . import japanese as jp
from .search_text import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    SNIPPET_LENGTH,
    SearchQuery,
    highlight,
    match_variants,
    parse_query,
    snippet,
    term_condition,
    term_pattern,
    term_variants,
)

# What the search page and the apps' search.py use: the engine's whole interface in one place.
__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "RESULTS_PER_KIND",
    "SNIPPET_LENGTH",
    "Hit",
    "ResultGroup",
    "SearchQuery",
    "SearchResults",
    "Source",
    "anchored",
    "count_matches",
    "date_text",
    "fiscal_year_text",
    "highlight",
    "joined",
    "listed",
    "match_variants",
    "other_names",
    "parse_query",
    "register",
    "registered_sources",
    "run_search",
    "search_language",
    "snippet",
    "term_condition",
    "term_pattern",
    "term_variants",
    "with_note",
]

# Each kind shows this many results per page.
RESULTS_PER_KIND = 20

# --- Sources -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One kind of searchable record.

    ``fields`` are translated fields (modeltranslation) without the language suffix, the first
    one being the title; a related record's field is written with ``__`` as in a lookup.
    ``shared_fields`` are searched as they are in every language (names a record is also known
    by, which are names in whatever script they are written). ``context`` gives the texts a
    snippet may be cut from, in order of preference."""

    key: str
    label: str | Promise
    fields: tuple[str, ...]
    queryset: Callable[[], models.QuerySet]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    context: Callable[[Any], Sequence[str]]
    meta: Callable[[Any], str] = lambda obj: ""
    shared_fields: tuple[str, ...] = ()

    def localized_fields(self, language: str) -> list[str]:
        """The columns searched in ``language``: the title's first."""
        suffix = language.replace("-", "_")
        return [f"{name}_{suffix}" for name in self.fields] + list(self.shared_fields)

    def matching(self, terms: Sequence[str], language: str) -> models.QuerySet:
        columns = self.localized_fields(language)
        condition = Q()
        for term in terms:
            condition &= term_condition(term, columns)
        return self.queryset().filter(condition)

    def page(
        self,
        terms: Sequence[str],
        language: str,
        offset: int,
        matching: models.QuerySet | None = None,
    ) -> list:
        """This kind's results for one page: those whose title matches every term first, then
        in the order the pages list them. ``matching`` is ``self.matching(terms, language)``
        when the caller has built it already."""
        title_column = self.localized_fields(language)[0]
        title_matches = Q()
        for term in terms:
            title_matches &= term_condition(term, [title_column])
        queryset = self.matching(terms, language) if matching is None else matching
        ordering = queryset.query.order_by or queryset.model._meta.ordering
        queryset = queryset.annotate(
            search_rank=Case(When(title_matches, then=Value(0)), default=Value(1))
        ).order_by("search_rank", *ordering, "pk")
        # A result that reached for data not loaded up front would cost a query per result.
        queryset = queryset.fetch_mode(models.FETCH_RAISE)
        return list(queryset[offset : offset + RESULTS_PER_KIND])


# --- The registry ----------------------------------------------------------------------------

_sources: dict[str, Source] = {}


def register(*sources: Source) -> None:
    """Add sources to the search (from an app's ``search.py``); their kinds are listed in the
    order they are registered."""
    keys = [source.key for source in sources]
    # All or nothing: a mistake leaves the registry as it was.
    if repeated := sorted({key for key in keys if key in _sources or keys.count(key) > 1}):
        raise ImproperlyConfigured(f"Search sources registered twice: {', '.join(repeated)}.")
    _sources.update((source.key, source) for source in sources)


def registered_sources() -> tuple[Source, ...]:
    return tuple(_sources.values())


# --- Wording shared by the sources' results ----------------------------------------------------


def anchored(url: str, anchor: str) -> str:
    """A link to a section of a page."""
    return f"{url}#{anchor}"


def date_text(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # A meeting at 9:00 in Tokyo is on the Tokyo day, whatever UTC says.
        value = timezone.localdate(value)
    return jp.date_label(value)


def fiscal_year_text(value: int | None) -> str:
    return jp.fiscal_year_label(value) if value else ""


def joined(*parts: str) -> str:
    """Facts about a result, side by side: 「第3世代波力発電 ／ 令和6年度（2024年度）」."""
    return " ／ ".join(part for part in parts if part)


def listed(items: Sequence[str]) -> str:
    return pgettext("list separator", "、").join(items)


def other_names(aliases: str | None) -> str:
    """A record's other names (``aliases``, one per line) as a result shows them:
    「ほかの名称：LINEヤフー株式会社」; "" when there are none."""
    names = [line.strip() for line in (aliases or "").splitlines() if line.strip()]
    return gettext("ほかの名称：%(names)s") % {"names": listed(names)} if names else ""


def with_note(text: str, note: str) -> str:
    return text + (pgettext("parenthesised note", "（%(note)s）") % {"note": note} if note else "")


# --- Running a search ----------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    url: str
    title: SafeString
    snippet: SafeString
    meta: SafeString


@dataclass
class ResultGroup:
    key: str
    label: str | Promise
    count: int
    first: int = 0
    hits: list[Hit] = field(default_factory=list)

    @property
    def last(self) -> int:
        return self.first + len(self.hits) - 1


@dataclass
class SearchResults:
    groups: list[ResultGroup]
    page: Page

    @property
    def total(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def groups_found(self) -> list[ResultGroup]:
        return [group for group in self.groups if group.count]

    @property
    def groups_on_page(self) -> list[ResultGroup]:
        return [group for group in self.groups if group.hits]

    @property
    def page_numbers(self) -> list[int | str]:
        return list(self.page.paginator.get_elided_page_range(self.page.number, on_ends=1))


def search_language() -> str:
    """The language whose columns are searched: the page's own."""
    language = get_language() or settings.LANGUAGE_CODE
    codes = [code for code, _name in settings.LANGUAGES]
    if language in codes:
        return language
    base = language.split("-")[0]
    return base if base in codes else settings.LANGUAGE_CODE


def count_matches(
    terms: Sequence[str],
    language: str,
    sources: Sequence[Source] | None = None,
    matching: Mapping[str, models.QuerySet] | None = None,
) -> dict[str, int]:
    """Every kind's number of matches, in one query (a UNION ALL of counts). ``matching``
    holds each source's ``matching()`` queryset by key when the caller has built them."""
    sources = registered_sources() if sources is None else sources
    matching = {} if matching is None else matching
    counts = [
        (matching[source.key] if source.key in matching else source.matching(terms, language))
        .order_by()
        .annotate(search_kind=Value(source.key, output_field=models.CharField()))
        .values("search_kind")
        .annotate(search_count=Count("pk"))
        .values_list("search_kind", "search_count")
        for source in sources
    ]
    combined = counts[0].union(*counts[1:], all=True).order_by()
    return dict(combined)


def run_search(
    query: SearchQuery, page_number: str | None, sources: Sequence[Source] | None = None
) -> SearchResults:
    sources = registered_sources() if sources is None else sources
    language = search_language()
    # Built once per kind, for the counts and the page alike: filtering the translated columns
    # is most of the cost of building a search's queries.
    matching = {source.key: source.matching(query.terms, language) for source in sources}
    counts = count_matches(query.terms, language, sources, matching)
    groups = [
        ResultGroup(key=source.key, label=source.label, count=counts.get(source.key, 0))
        for source in sources
    ]
    # The page number is shared by the groups: there are as many pages as the largest needs.
    longest = max((group.count for group in groups), default=0)
    page = Paginator(range(longest), RESULTS_PER_KIND).get_page(page_number)
    offset = (page.number - 1) * RESULTS_PER_KIND
    pattern = term_pattern(query.terms)
    for source, group in zip(sources, groups, strict=True):
        if group.count <= offset:
            continue
        group.first = offset + 1
        group.hits = [
            Hit(
                url=source.url(obj),
                title=highlight(source.title(obj), pattern),
                snippet=highlight(snippet(source.context(obj), pattern), pattern),
                meta=highlight(source.meta(obj), pattern),
            )
            for obj in source.page(query.terms, language, offset, matching[source.key])
        ]
    return SearchResults(groups=groups, page=page)
