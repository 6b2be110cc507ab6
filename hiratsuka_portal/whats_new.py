"""What's new: the latest dated records of the apps, composed rather than kept in a separate
news model that staff would have to keep in sync (milestones, meetings, agreement events,
awards). The home page lists them and /feed.atom publishes the same list."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import AgreementEvent
from donations.models import Award
from projects.models import Meeting, Milestone

LIMIT = 8


@dataclass(frozen=True)
class NewsItem:
    date: datetime.date
    kind: str
    title: str
    url: str
    summary: str


def whats_new(*, today: datetime.date | None = None, limit: int = LIMIT) -> list[NewsItem]:
    """The latest records dated up to today, newest first: one query per source."""
    today = today or timezone.localdate()
    awards = list(
        Award.objects.filter(ceremony_on__lte=today)
        .select_related("project")
        .order_by("-ceremony_on")[:limit]
    )
    items = [
        NewsItem(
            award.ceremony_on,
            str(_("表彰")),
            award.title,
            f"{reverse('donations:donation-list')}#award-{award.pk}-heading",
            award.description,
        )
        for award in awards
    ]
    # An award is told once, by its Award record, not again by the milestone or the history
    # entry that mention the same ceremony.
    award_days = {award.ceremony_on for award in awards}
    milestones = (
        Milestone.objects.filter(project__is_published=True, occurred_on__lte=today)
        .exclude(occurred_on__in=award_days)
        .select_related("project")
        .order_by("-occurred_on")[:limit]
    )
    items += [
        NewsItem(
            milestone.occurred_on,
            str(_("プロジェクト")),
            _("%(project)s：%(title)s")
            % {"project": milestone.project.title, "title": milestone.title},
            milestone.project.get_absolute_url(),
            milestone.description,
        )
        for milestone in milestones
    ]
    meetings = (
        Meeting.objects.filter(research_group__is_published=True, starts_at__date__lte=today)
        .select_related("research_group")
        .order_by("-starts_at")[:limit]
    )
    items += [
        NewsItem(
            timezone.localdate(meeting.starts_at),
            str(meeting.get_kind_display()),
            meeting.title,
            reverse("projects:research-group"),
            meeting.place,
        )
        for meeting in meetings
    ]
    events = (
        AgreementEvent.objects.public()
        .filter(occurred_on__lte=today)
        .exclude(kind=AgreementEvent.Kind.AWARD)
        .select_related("agreement")
        .order_by("-occurred_on")[:limit]
    )
    items += [
        NewsItem(
            event.occurred_on,
            str(_("協定")),
            event.title,
            event.agreement.get_absolute_url()
            if event.agreement
            else reverse("agreements:agreement-list"),
            event.description,
        )
        for event in events
    ]
    items.sort(key=lambda item: item.date, reverse=True)
    return items[:limit]
