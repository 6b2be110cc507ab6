"""The projects app's news: project milestones and the research group's meetings."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import news
from core.local_time import start_of_day
from core.news import NewsItem, translated

from .models import Meeting, Milestone


@news.register
def milestones(today: datetime.date, limit: int) -> list[NewsItem]:
    latest = (
        Milestone.objects.public()
        .filter(occurred_on__lte=today)
        .select_related("project")
        # Only what an item says: the project's long texts stay in the database.
        .only(
            "occurred_on",
            *translated("title", "description"),
            "project__slug",
            *translated("project__title"),
        )
        .order_by("-occurred_on", "pk")[:limit]
    )
    return [
        NewsItem(
            milestone.occurred_on,
            str(_("プロジェクト")),
            _("%(project)s：%(title)s")
            % {"project": milestone.project.title, "title": milestone.title},
            milestone.project.get_absolute_url(),
            milestone.description,
            # A project's award is the award's own news.
            retells="award",
        )
        for milestone in latest
    ]


@news.register
def meetings(today: datetime.date, limit: int) -> list[NewsItem]:
    latest = (
        Meeting.objects.public()
        # Before the start of the day after ``today`` (local time): a plain comparison of the
        # column, which an index serves, where ``starts_at__date`` would convert every row.
        .filter(starts_at__lt=start_of_day(today + datetime.timedelta(days=1)))
        .select_related("research_group")
        .only(
            "starts_at",
            "kind",
            *translated("title", "place"),
            *translated("research_group__name"),
        )
        .order_by("-starts_at", "pk")[:limit]
    )
    return [
        NewsItem(
            timezone.localdate(meeting.starts_at),
            str(meeting.get_kind_display()),
            meeting_headline(meeting),
            # The page of its fiscal year: the group's page shows only the latest meetings. No
            # anchor, so that two meetings of one day stay one item.
            meeting.year_page_url(),
            meeting.place,
        )
        for meeting in latest
    ]


def meeting_headline(meeting: Meeting) -> str:
    """What happened, from the meeting's own record: a title such as 「総会」 says nothing on a
    list of the whole site's news, so the group and the place are named with it —
    「平塚海洋エネルギー研究会 総会（平塚市役所304会議室）」."""
    group = meeting.research_group.name
    title = meeting.title
    if group not in title:
        title = _("%(group)s %(meeting)s") % {"group": group, "meeting": title}
    if meeting.place:
        title = _("%(title)s（%(place)s）") % {"title": title, "place": meeting.place}
    return title
