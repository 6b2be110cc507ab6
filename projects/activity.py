"""The research group's activity per fiscal year, as the research-group page shows it.

The slide deck gives only yearly totals for H28–H30 (with notes such as 視察含む or 26+α＋48+56):
those are kept as ``ActivityRecord`` rows and shown as recorded. A year without such a record is
derived from the meetings entered for it, so the table keeps itself up to date from now on.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from core.japanese import fiscal_year

from .models import ActivityRecord, Meeting, ResearchGroup


@dataclass(frozen=True)
class YearActivity:
    fiscal_year: int
    meetings: int | None
    meetings_note: str
    participants: int | None
    participants_text: str
    participants_note: str
    derived: bool


def yearly_activity(
    group: ResearchGroup,
    records: list[ActivityRecord] | None = None,
    meetings: Iterable[Meeting] | None = None,
) -> list[YearActivity]:
    """One row per fiscal year, oldest first: the recorded figures where the city recorded
    them, otherwise the meetings' count and total participants (unknown if any meeting's
    participants are). ``meetings`` are the group's public meetings when the caller has
    loaded them already (the page lists them all): then they are counted here, not in SQL."""
    if records is None:
        records = list(group.activity_records.all())
    if meetings is None:
        totals = Meeting.objects.public().filter(research_group=group).yearly_totals()
    else:
        totals = _yearly_totals(meetings)
    rows = {
        record.fiscal_year: YearActivity(
            fiscal_year=record.fiscal_year,
            meetings=record.meetings_count,
            meetings_note=record.meetings_note,
            participants=record.participants_count,
            participants_text=record.participants_text,
            participants_note=record.participants_note,
            derived=False,
        )
        for record in records
    }
    for year in totals:
        if year["fiscal_year"] in rows:
            continue
        all_known = year["with_participants"] == year["meetings"]
        rows[year["fiscal_year"]] = YearActivity(
            fiscal_year=year["fiscal_year"],
            meetings=year["meetings"],
            meetings_note="",
            participants=year["participants"] if all_known else None,
            participants_text="",
            participants_note="",
            derived=True,
        )
    return [rows[year] for year in sorted(rows)]


def _yearly_totals(meetings: Iterable[Meeting]) -> list[dict]:
    """What ``MeetingQuerySet.yearly_totals()`` answers, from meetings already loaded: the
    fiscal year of a meeting's local (Tokyo) start, as the SQL reads it."""
    years: dict[int, dict] = {}
    for meeting in meetings:
        key = fiscal_year(timezone.localtime(meeting.starts_at).date())
        year = years.setdefault(
            key, {"fiscal_year": key, "meetings": 0, "with_participants": 0, "participants": 0}
        )
        year["meetings"] += 1
        if meeting.participants is not None:
            year["with_participants"] += 1
            year["participants"] += meeting.participants
    return [years[key] for key in sorted(years)]
