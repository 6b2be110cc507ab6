"""What the projects app adds to the site search: projects, their milestones and outcomes, the
research facilities, the research group with its meetings, and the organisations a public page
names (discovered at start-up by the kit's search engine, see ``core.search``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import pgettext_lazy

from core import search
from core.search import (
    Source,
    anchored,
    date_text,
    fiscal_year_text,
    joined,
    listed,
    other_names,
    with_note,
)

from .models import (
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

# --- Organisations: found only where a public page names them ---------------------------------


@dataclass(frozen=True)
class Appearance:
    """A kind of public record that names organisations, and so makes them findable.

    ``records`` are the public records (their model's ``public()``), ``organization_field`` their
    field that points at the organisation and ``related_name`` the organisation's accessor for
    them. A result's snippet lists the ``label`` of every record naming the organisation; its link
    goes to the ``url`` of the first record, in the order the appearances were added. Another app
    adds its own records with ``organization_appears_in`` (agreements name their parties)."""

    records: Callable[[], models.QuerySet]
    organization_field: str
    related_name: str
    label: Callable[[Any], str]
    url: Callable[[Any], str]

    @property
    def attribute(self) -> str:
        return f"public_{self.related_name}"


_appearances: list[Appearance] = []


def organization_appears_in(appearance: Appearance) -> None:
    _appearances.append(appearance)


def _organizations() -> models.QuerySet[Organization]:
    named = Q()
    for appearance in _appearances:
        records = appearance.records().filter(**{appearance.organization_field: OuterRef("pk")})
        named |= Exists(records)
    return Organization.objects.filter(named).prefetch_related(
        *(
            Prefetch(appearance.related_name, appearance.records(), to_attr=appearance.attribute)
            for appearance in _appearances
        )
    )


def _appearing_records(organization: Organization):
    for appearance in _appearances:
        for record in getattr(organization, appearance.attribute):
            yield appearance, record


def _organization_roles(organization: Organization) -> str:
    return listed(
        [appearance.label(record) for appearance, record in _appearing_records(organization)]
    )


def _organization_url(organization: Organization) -> str:
    appearance, record = next(_appearing_records(organization))
    return appearance.url(record)


def _facilities_url(facility: Facility) -> str:
    # The page of its kind: the project list shows only the first few of each.
    return facility.get_absolute_url()


organization_appears_in(
    Appearance(
        records=lambda: (
            Participation.objects.public()
            .select_related("project")
            .order_by("project__position", "project__pk", "position", "pk")
        ),
        organization_field="organization",
        related_name="participations",
        label=lambda participation: with_note(
            participation.project.title, participation.get_role_display()
        ),
        url=lambda participation: anchored(
            participation.project.get_absolute_url(), "partners-heading"
        ),
    )
)
organization_appears_in(
    Appearance(
        records=lambda: Membership.objects.public().select_related("research_group"),
        organization_field="organization",
        related_name="memberships",
        label=lambda membership: with_note(
            membership.research_group.name, membership.get_category_display()
        ),
        # The page of its category: the group's page lists only the first of each.
        url=lambda membership: membership.get_absolute_url(),
    )
)
organization_appears_in(
    Appearance(
        records=Facility.objects.public,
        organization_field="managed_by",
        related_name="facilities",
        label=lambda facility: facility.name,
        url=_facilities_url,
    )
)


# --- Outcomes: shown on the research group's page or on a public project's ---------------------


def _outcomes() -> models.QuerySet[Outcome]:
    on_public_group = ResearchGroup.objects.public().filter(pk=OuterRef("research_group"))
    return (
        Outcome.objects.public()
        .select_related("research_group")
        .annotate(on_public_group=Exists(on_public_group))
        .prefetch_related(
            Prefetch("projects", queryset=Project.objects.public(), to_attr="public_projects")
        )
    )


def _outcome_url(outcome: Outcome) -> str:
    if outcome.on_public_group:
        # The page of its kind: the group's page lists only the latest of each.
        return outcome.group_page_url()
    return anchored(outcome.public_projects[0].get_absolute_url(), "outcomes-heading")


def _milestone_when(milestone: Milestone) -> str:
    return date_text(milestone.occurred_on) or fiscal_year_text(milestone.fiscal_year)


search.register(
    Source(
        key="projects",
        label=pgettext_lazy("search result kind", "研究開発プロジェクト"),
        fields=("title", "summary", "description"),
        queryset=Project.objects.public,
        title=lambda project: project.title,
        url=lambda project: project.get_absolute_url(),
        context=lambda project: [project.summary, project.description],
        meta=lambda project: project.get_status_display(),
    ),
    Source(
        key="milestones",
        label=pgettext_lazy("search result kind", "プロジェクトの歩み"),
        fields=("title", "description"),
        queryset=lambda: Milestone.objects.public().select_related("project"),
        title=lambda milestone: milestone.title,
        url=lambda milestone: anchored(milestone.project.get_absolute_url(), "milestones-heading"),
        context=lambda milestone: [milestone.description],
        meta=lambda milestone: joined(milestone.project.title, _milestone_when(milestone)),
    ),
    Source(
        key="outcomes",
        label=pgettext_lazy("search result kind", "成果"),
        fields=("title", "description", "organizations_text"),
        queryset=_outcomes,
        title=lambda outcome: outcome.title,
        url=_outcome_url,
        context=lambda outcome: [outcome.description, outcome.organizations_text],
        meta=lambda outcome: joined(
            outcome.get_kind_display(), fiscal_year_text(outcome.fiscal_year)
        ),
    ),
    Source(
        key="facilities",
        label=pgettext_lazy("search result kind", "研究施設"),
        fields=("name", "description"),
        queryset=Facility.objects.public,
        title=lambda facility: facility.name,
        url=_facilities_url,
        context=lambda facility: [facility.description],
        meta=lambda facility: facility.get_kind_display(),
    ),
    Source(
        key="research-group",
        label=pgettext_lazy("search result kind", "研究会"),
        fields=("name", "purpose", "activities"),
        queryset=ResearchGroup.objects.public,
        title=lambda group: group.name,
        url=lambda group: group.get_absolute_url(),
        context=lambda group: [group.purpose, group.activities],
    ),
    Source(
        key="meetings",
        label=pgettext_lazy("search result kind", "研究会の会議・活動"),
        fields=("title", "place", "notes", "research_group__name"),
        queryset=lambda: Meeting.objects.public().select_related("research_group"),
        title=lambda meeting: meeting.title,
        # On the page of its fiscal year: the group's page shows only the latest meetings.
        url=lambda meeting: meeting.get_absolute_url(),
        context=lambda meeting: [meeting.notes, meeting.research_group.name],
        meta=lambda meeting: joined(date_text(meeting.starts_at), meeting.place),
    ),
    Source(
        key="organizations",
        label=pgettext_lazy("search result kind", "組織"),
        # Other names staff entered (a former name, an abbreviation) find it too.
        fields=("name",),
        shared_fields=("aliases",),
        queryset=_organizations,
        title=lambda organization: organization.name,
        url=_organization_url,
        context=lambda organization: [
            joined(_organization_roles(organization), other_names(organization.aliases))
        ],
        meta=lambda organization: organization.get_kind_display(),
    ),
)
