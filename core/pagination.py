"""Pages of a long public list: ``?page=N`` on the list's own URL, page 1 being the plain URL.

One rule for every paginated public page, so that they all behave alike for a visitor (and for
the page cache, which stores each page by its path and query): a page number that is not a
positive integer, or beyond the last page, is a 404 — never a 500 and never a silent page 1,
which would give one list many URLs. Links between pages keep every other query parameter (the
project list's filters) and leave ``page`` out for page 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

PAGE_PARAMETER = "page"
# Page numbers shown on either side of the current one; the first and the last are always
# shown, the gaps between as an ellipsis. Kept small so the navigation fits a 390 px phone.
NEIGHBOURS = 1


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis between page numbers
    url: str = ""
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    """One page of a list and the links a template needs to move between its pages."""

    page: Page
    links: list[PageLink]
    previous_url: str
    next_url: str

    @property
    def is_paginated(self) -> bool:
        return self.page.paginator.num_pages > 1

    @property
    def number(self) -> int:
        return self.page.number

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def first_index(self) -> int:
        return self.page.start_index()

    @property
    def last_index(self) -> int:
        return self.page.end_index()


def page_url(request: HttpRequest, number: int) -> str:
    """The URL of page ``number`` of the list the request shows, its other parameters kept."""
    parameters = [
        (key, value)
        for key, values in request.GET.lists()
        if key != PAGE_PARAMETER
        for value in values
    ]
    if number > 1:
        parameters.append((PAGE_PARAMETER, str(number)))
    query = urlencode(parameters)
    return f"{request.path}?{query}" if query else request.path


def requested_page_number(request: HttpRequest) -> int:
    raw = request.GET.get(PAGE_PARAMETER)
    if raw is None:
        return 1
    # Digits only: "1.0", " 2", "+3" or "٣" are not a page of ours.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
        raise Http404(_("そのページはありません。"))
    return int(raw)


def paginate(request: HttpRequest, items, per_page: int) -> Pagination:
    """The requested page of ``items`` (a QuerySet: one COUNT, then one query for the page)."""
    number = requested_page_number(request)
    paginator = Paginator(items, per_page)
    if number > paginator.num_pages:
        raise Http404(_("そのページはありません。"))
    page = paginator.page(number)
    return Pagination(
        page=page,
        links=_links(request, number, paginator.num_pages),
        previous_url=page_url(request, number - 1) if page.has_previous() else "",
        next_url=page_url(request, number + 1) if page.has_next() else "",
    )


def _links(request: HttpRequest, current: int, last: int) -> list[PageLink]:
    shown = {1, last, *range(current - NEIGHBOURS, current + NEIGHBOURS + 1)}
    links: list[PageLink] = []
    previous = 0
    for number in sorted(n for n in shown if 1 <= n <= last):
        if number - previous == 2:
            # A gap of one page: its number takes no more room than an ellipsis would.
            links.append(PageLink(number - 1, page_url(request, number - 1)))
        elif number - previous > 2:
            links.append(PageLink(None))
        links.append(PageLink(number, page_url(request, number), current=number == current))
        previous = number
    return links
