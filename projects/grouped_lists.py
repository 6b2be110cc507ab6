"""Lists grouped by a choice (the members by category, the outcomes by kind), bounded: the
first few of each group on the research group's page, each whole group on a page of its own.

Two queries whatever the data. The first ranks the rows of each group in the model's order
(ROW_NUMBER) and counts each group (COUNT … OVER) on the table's own columns, which an index on
(parent, choice, position) covers, and returns the keys of the first rows of each; the second
fetches those rows with their joins. Ranking the joined rows in one query would join every row
of the table (a thousand members of a category) to keep a dozen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber


@dataclass(frozen=True)
class ChoiceGroup:
    value: str
    label: str
    items: list
    count: int

    @property
    def more(self) -> int:
        """How many of the group the short list leaves out."""
        return self.count - len(self.items)


def _ordering(model: type[models.Model]) -> list:
    return [
        F(name[1:]).desc() if name.startswith("-") else F(name).asc()
        for name in model._meta.ordering
    ]


def first_of_each_choice(
    queryset: models.QuerySet, field: str, choices: type[models.Choices], limit: int
) -> list[ChoiceGroup]:
    """The first ``limit`` records of each value of ``field``, with the size of each group,
    in the order the choices are declared (groups without records left out)."""
    first_rows = dict(
        queryset.prefetch_related(None)
        .annotate(
            rank_in_group=Window(
                RowNumber(), partition_by=[F(field)], order_by=_ordering(queryset.model)
            ),
            group_size=Window(Count("pk"), partition_by=[F(field)]),
        )
        .filter(rank_in_group__lte=limit)
        .values_list("pk", "group_size")
    )
    items: dict[str, list] = {value: [] for value in choices.values}
    counts: dict[str, int] = {}
    for item in queryset.filter(pk__in=first_rows):
        items[getattr(item, field)].append(item)
        counts[getattr(item, field)] = first_rows[item.pk]
    return [
        ChoiceGroup(value, choices(value).label, items[value], counts[value])
        for value in choices.values
        if counts.get(value)
    ]
