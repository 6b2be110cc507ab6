"""The search engine's work on text: the visitor's query made safe to search for, each term's
variants, the database condition a term makes, and the highlighted snippets of the results
(``core.search`` runs the sources with them).

Variants: a query is normalised with NFKC (full-width ＷＡＶＥ → WAVE, half-width ﾊﾟﾜｰ → パワー),
but the content keeps the forms its authors typed — Japanese text has full-width brackets
（第2世代）, sometimes full-width digits. Rather than fold the stored text (which would change what
is shown, and the indexes), each term is expanded into the forms the text may be written in: its
orthographic variants from the small table ``SPELLING_VARIANTS`` (寄付 → 寄付 | 寄附), and for each
of them its full-width and half-width forms. The database matches any of them with the same
``icontains`` (so the trigram indexes still serve every alternative), and the highlighting marks
whichever one the text holds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import jaconv
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Longer input is cut to this many characters (after normalisation) and the visitor told so.
MAX_QUERY_LENGTH = 100
# Only the first terms count; a query of hundreds of words would only make a slow query.
MAX_TERMS = 10
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
    # Safe: every piece of the text is escaped above; only our own <mark> tags are not.
    return mark_safe("".join(parts))  # noqa: S308


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
