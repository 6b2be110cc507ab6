"""The research group's activity per fiscal year, as the research-group page shows it.

The slide deck gives only yearly totals for H28–H30 (with notes such as 視察含む or 26+α＋48+56):
those are kept as ``ActivityRecord`` rows and shown as recorded. A year without such a record is
derived from the meetings entered for it, so the table keeps itself up to date from now on.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    group: ResearchGroup, records: list[ActivityRecord] | None = None
) -> list[YearActivity]:
    """One row per fiscal year, oldest first: the recorded figures where the city recorded
    them, otherwise the meetings' count and total participants (unknown if any meeting's
    participants are)."""
    if records is None:
        records = list(group.activity_records.all())
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
    for totals in Meeting.objects.public().filter(research_group=group).yearly_totals():
        if totals["fiscal_year"] in rows:
            continue
        all_known = totals["with_participants"] == totals["meetings"]
        rows[totals["fiscal_year"]] = YearActivity(
            fiscal_year=totals["fiscal_year"],
            meetings=totals["meetings"],
            meetings_note="",
            participants=totals["participants"] if all_known else None,
            participants_text="",
            participants_note="",
            derived=True,
        )
    return [rows[year] for year in sorted(rows)]
