"""Long dated lists split by fiscal year (April–March), for pages such as "the meetings of
FY2023": which years have records (with their counts), and the records of one year.

The year of a record is worked out from its date or date-time in the site's time zone, so a
meeting at 00:30 on 1 April in Tokyo belongs to the new year, as a citizen reads it. Filtering
one year is a range on the column (it can use an index); only the list of years computes the
year in SQL.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Case, Count, F, Q, When
from django.db.models.functions import ExtractYear

from .japanese import fiscal_year_bounds
from .local_time import start_of_day

# Years a URL may name: anything outside is not a year of ours (and would overflow a date).
EARLIEST_FISCAL_YEAR = 1900
LATEST_FISCAL_YEAR = 2999


def fiscal_year_of(field: str) -> Case:
    """The fiscal year of a date or date-time column, as an SQL expression."""
    return Case(
        When(**{f"{field}__month__gte": 4}, then=ExtractYear(field)),
        default=ExtractYear(field) - 1,
        output_field=models.IntegerField(),
    )


def fiscal_year_counts(queryset: models.QuerySet, field: str) -> list[tuple[int, int]]:
    """(fiscal year, number of records) of every year with records, newest first: one query."""
    rows = (
        queryset.order_by()
        .annotate(fiscal_year_value=fiscal_year_of(field))
        .values("fiscal_year_value")
        .annotate(records=Count("pk"))
        .values_list("fiscal_year_value", "records")
        .order_by(F("fiscal_year_value").desc())
    )
    return list(rows)


def in_fiscal_year(model: type[models.Model], field: str, fiscal_year: int) -> Q:
    """The records of ``model`` whose ``field`` falls in ``fiscal_year``."""
    first_day, last_day = fiscal_year_bounds(fiscal_year)
    next_first_day = last_day + dt.timedelta(days=1)
    if isinstance(model._meta.get_field(field), models.DateTimeField):
        return Q(
            **{
                f"{field}__gte": start_of_day(first_day),
                f"{field}__lt": start_of_day(next_first_day),
            }
        )
    return Q(**{f"{field}__gte": first_day, f"{field}__lt": next_first_day})


def is_plausible_fiscal_year(fiscal_year: int) -> bool:
    return EARLIEST_FISCAL_YEAR <= fiscal_year <= LATEST_FISCAL_YEAR
