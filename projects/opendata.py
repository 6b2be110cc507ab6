"""The projects app's open data: the public projects as projects.json and the research group's
meetings as meetings.ics; and the entries other apps' files use to name a project or an
organisation the same way."""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from core import opendata
from core.opendata import (
    CHOICE,
    TRANSLATED,
    Field,
    Publication,
    choice,
    fiscal_year_period,
    iso_date,
    translated,
    url_in_both_languages,
)

from .models import (
    Funding,
    FundingSource,
    Meeting,
    Milestone,
    Organization,
    Outcome,
    Participation,
    Project,
    ResearchGroup,
    Theme,
)


def project_reference(project: Project, publication: Publication) -> dict[str, Any]:
    return {
        "id": project.pk,
        "slug": project.slug,
        "title": translated(project, "title"),
        "url": url_in_both_languages("projects:project-detail", publication, slug=project.slug),
    }


def organization_entry(organization: Organization) -> dict[str, Any]:
    return {
        "name": translated(organization, "name"),
        "kind": choice(Organization.Kind, organization.kind),
        "corporate_number": organization.corporate_number or None,
        "in_hiratsuka": organization.in_hiratsuka,
        "website": organization.website or None,
    }


def funding_entry(funding: Funding) -> dict[str, Any]:
    source = funding.source
    return {
        "source": {
            "slug": source.slug,
            "name": translated(source, "name"),
            "kind": choice(FundingSource.Kind, source.kind),
            "provider": translated(source.provider, "name") if source.provider else None,
        },
        "period": fiscal_year_period(funding.start_fiscal_year, funding.end_fiscal_year),
        "note": translated(funding, "note"),
    }


def project_entry(project: Project, publication: Publication) -> dict[str, Any]:
    return {
        **project_reference(project, publication),
        "summary": translated(project, "summary"),
        "description": translated(project, "description"),
        "status": choice(Project.Status, project.status),
        "period": fiscal_year_period(project.start_fiscal_year, project.end_fiscal_year),
        "themes": [
            {"slug": theme.slug, "name": translated(theme, "name")}
            for theme in project.themes.all()
        ],
        "organizations": [
            {
                **organization_entry(participation.organization),
                "role": choice(Participation.Role, participation.role),
                "role_note": translated(participation, "role_note"),
            }
            for participation in project.participations.all()
        ],
        "funding": [funding_entry(funding) for funding in project.fundings.all()],
        "milestones": [
            {
                "title": translated(milestone, "title"),
                "description": translated(milestone, "description"),
                "date": iso_date(milestone.occurred_on),
                "fiscal_year": milestone.fiscal_year,
                "planned": milestone.is_planned,
            }
            for milestone in project.milestones.all()
        ],
        "outcomes": [
            {
                "id": outcome.pk,
                "kind": choice(Outcome.Kind, outcome.kind),
                "title": translated(outcome, "title"),
                "description": translated(outcome, "description"),
                "fiscal_year": outcome.fiscal_year,
                "organizations": [
                    translated(organization, "name") for organization in outcome.organizations.all()
                ],
                "organizations_text": translated(outcome, "organizations_text"),
            }
            for outcome in project.outcomes.all()
        ],
    }


class ProjectsJson(opendata.JsonDataset):
    filename = "projects.json"
    position = 30
    title = _("研究開発プロジェクト（JSON）")
    description = _(
        "公開中の研究開発プロジェクトの一覧です。状況、期間、研究テーマ、参加組織と役割、"
        "財源、マイルストーン、成果を収めています。"
    )
    fields = (
        Field("id / slug / url", _("プロジェクトの番号、URLに使う名前、このサイトのページ")),
        Field("title / summary / description", TRANSLATED),
        Field("status", CHOICE),
        Field("period", _("開始年度と終了年度（西暦と和暦）。未定の場合はnull")),
        Field("themes", _("研究テーマ")),
        Field("organizations", _("参加組織：名称、種別、法人番号、市内か、役割")),
        Field("funding", _("財源：名称、種別、提供元、期間、備考")),
        Field("milestones", _("マイルストーン：内容、日付または年度、予定かどうか")),
        Field("outcomes", _("成果：種類、内容、年度、関わった組織")),
    )
    models = (
        Project,
        Theme,
        Organization,
        Participation,
        Funding,
        FundingSource,
        Milestone,
        Outcome,
    )
    source_page = "projects:project-list"

    def items(self, publication: Publication) -> list[dict[str, Any]]:
        return [project_entry(project, publication) for project in Project.objects.for_open_data()]


def meeting_description(meeting: Meeting) -> str:
    lines = [
        meeting.research_group.name,
        gettext("種類：%(kind)s") % {"kind": meeting.get_kind_display()},
    ]
    if meeting.participants is not None:
        count = meeting.participants
        lines.append(
            ngettext("参加者：%(counter)s人", "参加者：%(counter)s人", count) % {"counter": count}
        )
    if meeting.notes:
        lines.append(meeting.notes)
    return "\n".join(lines)


class MeetingsCalendar(opendata.CalendarDataset):
    """The meetings in the active language (the summary, place and description, and the page
    the events link to)."""

    filename = "meetings.ics"
    position = 50
    title = _("研究会の会議・活動（iCalendar）")
    description = _(
        "平塚海洋エネルギー研究会の総会・研究会・視察・実験の日時と場所です。"
        "カレンダーアプリに登録（購読）できます。"
    )
    fields = (
        Field("UID", _("会議を識別する番号（変わりません）")),
        Field("SUMMARY", _("名称")),
        Field("DTSTART / DTEND", _("開始日時と終了日時（終了日時が分からない場合はDTENDなし）")),
        Field("LOCATION", _("場所")),
        Field("CATEGORIES", _("種類（総会、研究会、部会、視察、実験）")),
        Field("DESCRIPTION", _("研究会の名称、参加者数、内容")),
        Field("URL", _("このサイトの研究会のページ")),
    )
    models = (Meeting, ResearchGroup)

    def render(self, publication: Publication) -> bytes:
        meetings = list(
            Meeting.objects.public().select_related("research_group").order_by("starts_at", "pk")
        )
        groups = {meeting.research_group.pk: meeting.research_group for meeting in meetings}
        name = (
            gettext("%(group)sの会議・活動") % {"group": next(iter(groups.values())).name}
            if len(groups) == 1
            else gettext("研究会の会議・活動")
        )
        page = publication.absolute(reverse("projects:research-group"))
        calendar = opendata.calendar(name, page)
        for meeting in meetings:
            event = icalendar.Event()
            event.add("uid", f"meeting-{meeting.pk}@{publication.host}")
            # DTSTAMP is when the information was last revised in the store: the data's last
            # change; the meeting's own start where the audit trail has nothing (seeded records).
            stamp = publication.last_modified or meeting.starts_at
            event.add("dtstamp", stamp.astimezone(datetime.UTC))
            event.add("dtstart", meeting.starts_at.astimezone(opendata.TOKYO))
            if meeting.ends_at:
                event.add("dtend", meeting.ends_at.astimezone(opendata.TOKYO))
            event.add("summary", meeting.title)
            event.add("location", meeting.place)
            event.add("categories", [meeting.get_kind_display()])
            event.add("description", meeting_description(meeting))
            # The meeting on the page of its fiscal year, where it stays listed (the group's
            # page shows only the latest).
            event.add("url", publication.absolute(meeting.get_absolute_url()))
            calendar.add_component(event)
        return opendata.calendar_bytes(calendar)


opendata.register(ProjectsJson())
opendata.register(MeetingsCalendar())
