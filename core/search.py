"""The site search engine: query parsing, matching, snippets and result grouping.

It knows no app. Each app declares its searchable records in its own ``search.py`` (discovered
at start-up, as ``admin.py`` is) by registering ``Source`` objects: a public queryset (the
model's own ``public()`` rule), the translated fields to search, and how a record becomes a
result — a title, a snippet and the page where the record is shown. The search page
(``hiratsuka_portal.views.search``) runs every registered source.

Matching is a case-insensitive substring match (``icontains``) on the active language's columns,
so Japanese needs no word segmentation: 波力 finds 波力発電 and 波力船 alike. Every term of the
query must match (AND), each in any of the source's fields (OR) and in any of its variants (see
"Variants" below). On PostgreSQL the searched
columns carry trigram indexes on ``UPPER(column)``, which is what ``icontains`` compares (see the
``*_search_trigram_indexes`` migrations of projects, donations and agreements); SQLite scans,
which is fine at a city portal's size.

Variants: a query is normalised with NFKC (full-width ＷＡＶＥ → WAVE, half-width ﾊﾟﾜｰ → パワー),
but the content keeps the forms its authors typed — Japanese text has full-width brackets
（第2世代）, sometimes full-width digits. Rather than fold the stored text (which would change what
is shown, and the indexes), each term is expanded into the forms the text may be written in: its
orthographic variants from the small table ``SPELLING_VARIANTS`` (寄付 → 寄付 | 寄附), and for each
of them its full-width and half-width forms. The database matches any of them with the same
``icontains`` (so the trigram indexes still serve every alternative), and the highlighting marks
whichever one the text holds.

Results are grouped by kind, in the order the sources were registered. The page number applies
to every group at once (page 2 shows each kind's results 21–40), so a page costs one query for
the counts of every kind plus one query (and its prefetches) per kind that has results on that
page — never more with more data.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import jaconv
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, pgettext

from . import japanese as jp

# Longer input is cut to this many characters (after normalisation) and the visitor told so.
MAX_QUERY_LENGTH = 100
# Only the first terms count; a query of hundreds of words would only make a slow query.
MAX_TERMS = 10
RESULTS_PER_KIND = 20
SNIPPET_LENGTH = 80
# Input beyond this is dropped before normalisation, so a huge query string costs nothing.
_RAW_INPUT_LIMIT = MAX_QUERY_LENGTH * 10


# --- The query -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchQuery:
    """What the visitor typed, made safe to search for."""

    text: str = ""
    terms: tuple[str, ...] = ()
    truncated: bool = False
    too_many_terms: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.text

    @property
    def has_terms(self) -> bool:
        return bool(self.terms)


def _is_searchable(term: str) -> bool:
    """A term is worth searching for when it has a letter or a digit (any script)."""
    return any(unicodedata.category(char)[0] in "LN" for char in term)


def parse_query(raw: str | None) -> SearchQuery:
    """Normalise the visitor's input into search terms.

    NFKC folds full-width ASCII and half-width kana into the forms the content is written in
    (ＷＡＶＥ → WAVE, ﾊﾟﾈﾙ → パネル). Control and format characters (NUL, bidi overrides,
    zero-width spaces) are dropped — PostgreSQL refuses NUL in text, and none of them can be
    meant. Terms without a letter or a digit (``%``, ``'``, an emoji) are ignored.
    """
    if not raw:
        return SearchQuery()
    text = unicodedata.normalize("NFKC", raw[:_RAW_INPUT_LIMIT])
    text = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char)[0] != "C"
    )
    text = " ".join(text.split())
    truncated = len(text) > MAX_QUERY_LENGTH or len(raw) > _RAW_INPUT_LIMIT
    if truncated:
        text = text[:MAX_QUERY_LENGTH].strip()
    terms: list[str] = []
    seen: set[str] = set()
    for term in text.split():
        if _is_searchable(term) and term.casefold() not in seen:
            seen.add(term.casefold())
            terms.append(term)
    return SearchQuery(
        text=text,
        terms=tuple(terms[:MAX_TERMS]),
        truncated=truncated,
        too_many_terms=len(terms) > MAX_TERMS,
    )


# --- Variants --------------------------------------------------------------------------------

# Spellings of one word that are written interchangeably: the city writes 寄附 (the legal term),
# many people type 寄付; 磯焼け is also written 磯焼. A term containing one spelling is searched in
# every spelling of its group. Only words of general usage belong here — names of organisations
# (a company's old and new names) are the records' own ``aliases``, entered by staff.
SPELLING_VARIANTS: tuple[tuple[str, ...], ...] = (
    ("寄附", "寄付"),
    ("磯焼け", "磯焼"),
    ("取組み", "取り組み", "取組"),
    ("問合せ", "問い合わせ", "問合わせ"),
    ("申込み", "申し込み", "申込"),
    ("打合せ", "打ち合わせ"),
    ("子ども", "子供"),
    # English: the site writes American spelling; a British spelling finds it all the same.
    ("organization", "organisation"),
    ("program", "programme"),
    ("center", "centre"),
    ("catalog", "catalogue"),
    ("e-mail", "email"),
)
# A term expands into at most this many alternatives (a long term full of variants would
# otherwise make a query of hundreds of comparisons).
MAX_VARIANTS = 12

_SPELLINGS: dict[str, tuple[str, ...]] = {
    spelling.casefold(): group for group in SPELLING_VARIANTS for spelling in group
}
_LONGEST_SPELLING = max(len(spelling) for spelling in _SPELLINGS)
# NFKC turned full-width ASCII into ASCII; the text may hold either.
_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
_FULL_WIDTH_PUNCTUATION = {
    code: full for code, full in _FULL_WIDTH.items() if not chr(code).isalnum()
}


def _spellings(term: str) -> list[str]:
    """The term in every combination of the spellings it contains (longest spelling first)."""
    pieces: list[tuple[str, ...]] = []
    position = 0
    folded = term.casefold()
    while position < len(term):
        for length in range(min(_LONGEST_SPELLING, len(term) - position), 0, -1):
            group = _SPELLINGS.get(folded[position : position + length])
            if group:
                typed = term[position : position + length]
                pieces.append((typed, *(s for s in group if s.casefold() != typed.casefold())))
                position += length
                break
        else:
            pieces.append((term[position],))
            position += 1
    spellings = [""]
    for piece in pieces:
        spellings = [start + part for start in spellings for part in piece][:MAX_VARIANTS]
    return spellings


def term_variants(term: str) -> list[str]:
    """Every form of a (normalised) term the text may be written in, the term itself first:
    its spellings, each also with full-width punctuation （…）, full-width letters and digits,
    and half-width katakana."""
    variants: dict[str, None] = {}
    for spelling in _spellings(term):
        for form in (
            spelling,
            spelling.translate(_FULL_WIDTH_PUNCTUATION),
            spelling.translate(_FULL_WIDTH),
            jaconv.z2h(spelling, kana=True, ascii=False, digit=False),
        ):
            variants.setdefault(form, None)
    return list(variants)[:MAX_VARIANTS]


def match_variants(term: str) -> list[str]:
    """The variants the database must compare: one contained in another is enough on its own
    (寄付 finds what 寄付金 would), so only the shortest ones are kept."""
    variants = term_variants(term)
    folded = [variant.casefold() for variant in variants]
    return [
        variant
        for variant, mine in zip(variants, folded, strict=True)
        if not any(other != mine and other in mine for other in folded)
    ]


def term_condition(term: str, columns: Sequence[str]) -> Q:
    """Any variant of the term in any of the columns."""
    condition = Q()
    for variant in match_variants(term):
        for column in columns:
            condition |= Q(**{f"{column}__icontains": variant})
    return condition


# --- Highlighting and snippets -------------------------------------------------------------


def term_pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern for all terms and their variants, longest first so 波力発電 wins over 波力
    where both match."""
    if not terms:
        return None
    alternatives = sorted(
        {re.escape(variant) for term in terms for variant in term_variants(term)},
        key=len,
        reverse=True,
    )
    return re.compile("|".join(alternatives), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """Escape ``text`` and wrap every match of ``pattern`` in ``<mark>``.

    Matching runs on the raw text and each piece is escaped on its own, so a term can never
    match inside an entity (``amp`` in ``&amp;``) or smuggle markup in."""
    if not text:
        return mark_safe("")
    if pattern is None:
        return escape(text)
    parts = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() == match.end():
            continue
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


def _window(text: str, start: int, end: int) -> str:
    """About SNIPPET_LENGTH characters of ``text`` around ``text[start:end]``."""
    if len(text) <= SNIPPET_LENGTH:
        return text
    begin = max(0, min(start - SNIPPET_LENGTH // 3, len(text) - SNIPPET_LENGTH))
    stop = max(begin + SNIPPET_LENGTH, end)
    return ("…" if begin else "") + text[begin:stop] + ("…" if stop < len(text) else "")


def snippet(texts: Sequence[str], pattern: re.Pattern[str] | None) -> str:
    """A window around the first match in the first text that has one; the start of the first
    non-empty text when none has (the record matched on its title alone)."""
    candidates = [" ".join(text.split()) for text in texts if text and text.strip()]
    if pattern is not None:
        for text in candidates:
            if match := pattern.search(text):
                return _window(text, match.start(), match.end())
    return _window(candidates[0], 0, 0) if candidates else ""


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

    def page(self, terms: Sequence[str], language: str, offset: int) -> list:
        """This kind's results for one page: those whose title matches every term first, then
        in the order the pages list them."""
        title_column = self.localized_fields(language)[0]
        title_matches = Q()
        for term in terms:
            title_matches &= term_condition(term, [title_column])
        queryset = self.matching(terms, language)
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
    terms: Sequence[str], language: str, sources: Sequence[Source] | None = None
) -> dict[str, int]:
    """Every kind's number of matches, in one query (a UNION ALL of counts)."""
    sources = registered_sources() if sources is None else sources
    counts = [
        source.matching(terms, language)
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
    counts = count_matches(query.terms, language, sources)
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
            for obj in source.page(query.terms, language, offset)
        ]
    return SearchResults(groups=groups, page=page)
