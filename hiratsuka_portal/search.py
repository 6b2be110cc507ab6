"""Site search: /search/?q= across everything the public pages show (DESIGN.md §5).

A small registry of sources, one per kind of record. Each source knows its public queryset (the
same publish rules as the pages that show the record), the translated fields it searches, and how
to turn a record into a result: a title, a snippet and the page where the record is shown.

Matching is a case-insensitive substring match (``icontains``) on the active language's columns,
so Japanese needs no word segmentation: 波力 finds 波力発電 and 波力船 alike. Every term of the
query must match (AND), each in any of the source's fields (OR). On PostgreSQL the searched
columns carry trigram indexes on ``UPPER(column)``, which is what ``icontains`` compares (see the
``*_search_trigram_indexes`` migrations of projects, donations and agreements); SQLite scans,
which is fine at a city portal's size.

Results are grouped by kind. The page number applies to every group at once (page 2 shows each
kind's results 21–40), so a page costs one query for the counts of every kind plus one query (and
its prefetches) per kind that has results on that page — never more with more data.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Prefetch, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from agreements.models import Agreement, AgreementEvent, Article
from core import japanese as jp
from donations.models import Donation, Donor
from projects.models import (
    Facility,
    Meeting,
    Membership,
    Milestone,
    Organization,
    Outcome,
    Participation,
    Project,
    ResearchGroup,
)

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


# --- Highlighting and snippets -------------------------------------------------------------


def term_pattern(terms: Sequence[str]) -> re.Pattern[str] | None:
    """One pattern for all terms, longest first so 波力発電 wins over 波力 where both match."""
    if not terms:
        return None
    alternatives = sorted({re.escape(term) for term in terms}, key=len, reverse=True)
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
    ``context`` gives the texts a snippet may be cut from, in order of preference."""

    key: str
    label: str | Promise
    fields: tuple[str, ...]
    queryset: Callable[[], models.QuerySet]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    context: Callable[[Any], Sequence[str]]
    meta: Callable[[Any], str] = lambda obj: ""

    def localized_fields(self, language: str) -> list[str]:
        suffix = language.replace("-", "_")
        return [f"{name}_{suffix}" for name in self.fields]

    def matching(self, terms: Sequence[str], language: str) -> models.QuerySet:
        columns = self.localized_fields(language)
        condition = Q()
        for term in terms:
            any_column = Q()
            for column in columns:
                any_column |= Q(**{f"{column}__icontains": term})
            condition &= any_column
        return self.queryset().filter(condition)

    def page(self, terms: Sequence[str], language: str, offset: int) -> list:
        """This kind's results for one page: those whose title matches every term first, then
        in the order the pages list them."""
        title_column = self.localized_fields(language)[0]
        title_matches = Q()
        for term in terms:
            title_matches &= Q(**{f"{title_column}__icontains": term})
        queryset = self.matching(terms, language)
        ordering = queryset.query.order_by or queryset.model._meta.ordering
        queryset = queryset.annotate(
            search_rank=Case(When(title_matches, then=Value(0)), default=Value(1))
        ).order_by("search_rank", *ordering, "pk")
        # A result that reached for data not loaded up front would cost a query per result.
        queryset = queryset.fetch_mode(models.FETCH_RAISE)
        return list(queryset[offset : offset + RESULTS_PER_KIND])


def _with_anchor(url: str, anchor: str) -> str:
    return f"{url}#{anchor}"


def _date(value: datetime.date | datetime.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        # A meeting at 9:00 in Tokyo is on the Tokyo day, whatever UTC says.
        value = timezone.localdate(value)
    return jp.date_label(value)


def _fiscal_year(value: int | None) -> str:
    return jp.fiscal_year_label(value) if value else ""


def _joined(*parts: str) -> str:
    return " ／ ".join(part for part in parts if part)


def _listed(items: Sequence[str]) -> str:
    return pgettext("list separator", "、").join(items)


def _with_note(text: str, note: str) -> str:
    return text + (pgettext("parenthesised note", "（%(note)s）") % {"note": note} if note else "")


# Projects ------------------------------------------------------------------------------------


def _projects():
    return Project.objects.published()


# Milestones, outcomes, facilities, the research group and its meetings ------------------------


def _milestones():
    return Milestone.objects.filter(project__is_published=True).select_related("project")


def _milestone_when(milestone: Milestone) -> str:
    return _date(milestone.occurred_on) or _fiscal_year(milestone.fiscal_year)


def _outcomes():
    published_projects = Project.objects.published()
    return (
        Outcome.objects.filter(
            Q(research_group__is_published=True)
            | Exists(published_projects.filter(outcomes=OuterRef("pk")))
        )
        .select_related("research_group")
        .prefetch_related(
            Prefetch("projects", queryset=published_projects, to_attr="public_projects")
        )
    )


def _outcome_url(outcome: Outcome) -> str:
    if outcome.research_group and outcome.research_group.is_published:
        return _with_anchor(outcome.research_group.get_absolute_url(), "outcomes-heading")
    return _with_anchor(outcome.public_projects[0].get_absolute_url(), "outcomes-heading")


def _facilities():
    return Facility.objects.published()


def _research_groups():
    return ResearchGroup.objects.published()


def _meetings():
    return Meeting.objects.filter(research_group__is_published=True).select_related(
        "research_group"
    )


# Organisations: only those a public page names --------------------------------------------------


def _organizations():
    return Organization.objects.filter(
        Exists(
            Participation.objects.filter(organization=OuterRef("pk"), project__is_published=True)
        )
        | Exists(
            Membership.objects.filter(
                organization=OuterRef("pk"), research_group__is_published=True
            )
        )
        | Exists(Agreement.objects.published().filter(parties=OuterRef("pk")))
        | Exists(Facility.objects.published().filter(managed_by=OuterRef("pk")))
    ).prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.filter(project__is_published=True)
            .select_related("project")
            .order_by("project__position", "project__pk", "position", "pk"),
            to_attr="public_participations",
        ),
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(research_group__is_published=True).select_related(
                "research_group"
            ),
            to_attr="public_memberships",
        ),
        Prefetch("agreements", queryset=Agreement.objects.published(), to_attr="public_agreements"),
        Prefetch("facilities", queryset=Facility.objects.published(), to_attr="public_facilities"),
    )


def _organization_roles(organization: Organization) -> list[str]:
    """Where the organisation appears on the site, as the snippet shows it."""
    roles = [
        _with_note(p.project.title, p.get_role_display())
        for p in organization.public_participations
    ]
    roles += [
        _with_note(m.research_group.name, m.get_category_display())
        for m in organization.public_memberships
    ]
    roles += [_agreement_label(a) for a in organization.public_agreements]
    roles += [f.name for f in organization.public_facilities]
    return roles


def _organization_url(organization: Organization) -> str:
    if organization.public_participations:
        project = organization.public_participations[0].project
        return _with_anchor(project.get_absolute_url(), "partners-heading")
    if organization.public_memberships:
        group = organization.public_memberships[0].research_group
        return _with_anchor(group.get_absolute_url(), "members-heading")
    if organization.public_agreements:
        return organization.public_agreements[0].get_absolute_url()
    return _with_anchor(reverse("projects:project-list"), "facilities-heading")


# Donors: a name is searchable only where the public record shows it ----------------------------


def _donors():
    # Found only through a donation whose name may be published, and never when anonymous: a
    # donor whose donations are all unpublished is not found, not even by its exact name.
    published_name = Donation.objects.filter(publish_name=True)
    return (
        Donor.objects.filter(is_anonymous=False)
        .filter(Exists(published_name.filter(donor=OuterRef("pk"))))
        .prefetch_related(
            Prefetch(
                "donations",
                queryset=published_name.order_by("fiscal_year", "pk"),
                to_attr="public_donations",
            )
        )
    )


def _donor_years(donor: Donor) -> str:
    years = sorted({donation.fiscal_year for donation in donor.public_donations})
    return _("寄附の年度：%(years)s") % {"years": _listed([_fiscal_year(y) for y in years])}


# Agreements, their articles and their history ------------------------------------------------


def _agreements():
    return Agreement.objects.published()


def _agreement_label(agreement: Agreement) -> str:
    # Both agreements bear the same title; the signing date tells them apart.
    return _with_note(agreement.title, _("%(date)s締結") % {"date": _date(agreement.signed_on)})


def _articles():
    return Article.objects.filter(agreement__is_published=True).select_related("agreement")


def _events():
    return AgreementEvent.objects.public().select_related("agreement")


def _event_url(event: AgreementEvent) -> str:
    if event.agreement is not None:
        return _with_anchor(event.agreement.get_absolute_url(), "events-heading")
    return _with_anchor(reverse("agreements:agreement-list"), "history-heading")


SOURCES: tuple[Source, ...] = (
    Source(
        key="projects",
        label=pgettext_lazy("search result kind", "研究開発プロジェクト"),
        fields=("title", "summary", "description"),
        queryset=_projects,
        title=lambda project: project.title,
        url=lambda project: project.get_absolute_url(),
        context=lambda project: [project.summary, project.description],
        meta=lambda project: project.get_status_display(),
    ),
    Source(
        key="milestones",
        label=pgettext_lazy("search result kind", "プロジェクトの歩み"),
        fields=("title", "description"),
        queryset=_milestones,
        title=lambda milestone: milestone.title,
        url=lambda milestone: _with_anchor(
            milestone.project.get_absolute_url(), "milestones-heading"
        ),
        context=lambda milestone: [milestone.description],
        meta=lambda milestone: _joined(milestone.project.title, _milestone_when(milestone)),
    ),
    Source(
        key="outcomes",
        label=pgettext_lazy("search result kind", "成果"),
        fields=("title", "description", "organizations_text"),
        queryset=_outcomes,
        title=lambda outcome: outcome.title,
        url=_outcome_url,
        context=lambda outcome: [outcome.description, outcome.organizations_text],
        meta=lambda outcome: _joined(outcome.get_kind_display(), _fiscal_year(outcome.fiscal_year)),
    ),
    Source(
        key="facilities",
        label=pgettext_lazy("search result kind", "研究施設"),
        fields=("name", "description"),
        queryset=_facilities,
        title=lambda facility: facility.name,
        url=lambda facility: _with_anchor(reverse("projects:project-list"), "facilities-heading"),
        context=lambda facility: [facility.description],
        meta=lambda facility: facility.get_kind_display(),
    ),
    Source(
        key="research-group",
        label=pgettext_lazy("search result kind", "研究会"),
        fields=("name", "purpose", "activities"),
        queryset=_research_groups,
        title=lambda group: group.name,
        url=lambda group: group.get_absolute_url(),
        context=lambda group: [group.purpose, group.activities],
    ),
    Source(
        key="meetings",
        label=pgettext_lazy("search result kind", "研究会の会議・活動"),
        fields=("title", "place", "notes", "research_group__name"),
        queryset=_meetings,
        title=lambda meeting: meeting.title,
        url=lambda meeting: _with_anchor(
            meeting.research_group.get_absolute_url(), "meetings-heading"
        ),
        context=lambda meeting: [meeting.notes, meeting.research_group.name],
        meta=lambda meeting: _joined(_date(meeting.starts_at), meeting.place),
    ),
    Source(
        key="organizations",
        label=pgettext_lazy("search result kind", "組織"),
        fields=("name",),
        queryset=_organizations,
        title=lambda organization: organization.name,
        url=_organization_url,
        context=lambda organization: [_listed(_organization_roles(organization))],
        meta=lambda organization: organization.get_kind_display(),
    ),
    Source(
        key="donors",
        label=pgettext_lazy("search result kind", "寄附者"),
        fields=("name",),
        queryset=_donors,
        title=lambda donor: donor.name,
        url=lambda donor: _with_anchor(reverse("donations:donation-list"), "record-heading"),
        context=lambda donor: [_donor_years(donor)],
        meta=lambda donor: donor.get_kind_display(),
    ),
    Source(
        key="agreements",
        label=pgettext_lazy("search result kind", "協定"),
        fields=("title", "purpose", "background", "future_scope", "plan_context"),
        queryset=_agreements,
        title=lambda agreement: agreement.title,
        url=lambda agreement: agreement.get_absolute_url(),
        context=lambda agreement: [
            agreement.purpose,
            agreement.background,
            agreement.future_scope,
            agreement.plan_context,
        ],
        meta=lambda agreement: _("%(date)s締結") % {"date": _date(agreement.signed_on)},
    ),
    Source(
        key="articles",
        label=pgettext_lazy("search result kind", "協定の内容"),
        fields=("text", "expected_projects"),
        queryset=_articles,
        title=lambda article: article.text,
        url=lambda article: _with_anchor(article.agreement.get_absolute_url(), "articles-heading"),
        context=lambda article: [article.expected_projects],
        meta=lambda article: _agreement_label(article.agreement),
    ),
    Source(
        key="events",
        label=pgettext_lazy("search result kind", "協定の経緯"),
        fields=("title", "description"),
        queryset=_events,
        title=lambda event: event.title,
        url=_event_url,
        context=lambda event: [event.description],
        meta=lambda event: _joined(_date(event.occurred_on), event.get_kind_display()),
    ),
)


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
    terms: Sequence[str], language: str, sources: Sequence[Source] = SOURCES
) -> dict[str, int]:
    """Every kind's number of matches, in one query (a UNION ALL of counts)."""
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
    query: SearchQuery, page_number: str | None, sources: Sequence[Source] = SOURCES
) -> SearchResults:
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


# --- The page ------------------------------------------------------------------------------

EXAMPLES = (
    pgettext_lazy("search example", "波力"),
    pgettext_lazy("search example", "研究会"),
    pgettext_lazy("search example", "ヤフー"),
)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = parse_query(request.GET.get("q", ""))
    results = run_search(query, request.GET.get("page")) if query.has_terms else None
    return render(
        request,
        "site/search.html",
        {
            "query": query,
            "results": results,
            "examples": EXAMPLES,
            "kinds": [source.label for source in SOURCES],
            "max_query_length": MAX_QUERY_LENGTH,
            "max_terms": MAX_TERMS,
            "breadcrumbs": [(_("サイト内検索"), None)],
        },
    )
