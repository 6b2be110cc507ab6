"""Public pages of the projects app: the project list, one project, the research group."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from core.models import SiteProfile
from core.pdf import pdf_filename, pdf_response
from core.updates import last_updated

from .activity import yearly_activity
from .forms import ProjectFilterForm
from .models import (
    ActivityRecord,
    Facility,
    Funding,
    FundingSource,
    Meeting,
    Membership,
    Milestone,
    Organization,
    Outcome,
    Participation,
    Project,
    ResearchGroup,
    Theme,
    Video,
)


def grouped_by_choice(items, attribute: str, choices) -> list[tuple[str, list]]:
    """Group items by a choice field, in the order the choices are declared."""
    groups = {value: [] for value in choices.values}
    for item in items:
        groups[getattr(item, attribute)].append(item)
    return [(choices(value).label, members) for value, members in groups.items() if members]


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None)
    projects = Project.objects.public().for_cards()
    if form.is_valid():
        if status := form.cleaned_data["status"]:
            projects = projects.filter(status=status)
        if theme := form.cleaned_data["theme"]:
            projects = projects.filter(themes=theme)
    facilities = Facility.objects.public().select_related("managed_by").prefetch_related("themes")
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "projects": projects,
            "facilities": facilities,
            "breadcrumbs": [(_("研究開発プロジェクト"), None)],
            "last_updated": last_updated(Project, Facility),
        },
    )


@require_safe
def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(Project.objects.public().for_detail(), slug=slug)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "outcomes_by_kind": grouped_by_choice(project.outcomes.all(), "kind", Outcome.Kind),
            "last_updated": last_updated(
                project,
                project.participations.all(),
                project.fundings.all(),
                project.milestones.all(),
                project.outcomes.all(),
                project.images.all(),
                project.videos.all(),
            ),
            "breadcrumbs": [
                (_("研究開発プロジェクト"), Project.list_url()),
                (project.title, None),
            ],
        },
    )


@require_safe
def project_factsheet(request: HttpRequest, slug: str) -> HttpResponse:
    """One project on one or two A4 pages, the same facts as its page."""
    project = get_object_or_404(Project.objects.public(), slug=slug)

    def context() -> dict:
        detailed = Project.objects.for_detail().get(pk=project.pk)
        return {
            "project": detailed,
            "outcomes_by_kind": grouped_by_choice(detailed.outcomes.all(), "kind", Outcome.Kind),
        }

    return pdf_response(
        request,
        name=f"project-factsheet-{project.slug}",
        models=[
            Project,
            Theme,
            Participation,
            Organization,
            Funding,
            FundingSource,
            Milestone,
            Outcome,
            SiteProfile,
        ],
        template_name="pdf/project_factsheet.html",
        context=context,
        filename=pdf_filename(
            pgettext("PDF file name", "平塚市_%(title)s_概要") % {"title": project.title}
        ),
        ascii_filename=f"hiratsuka-project-{project.slug}.pdf",
    )


@require_safe
def research_group(request: HttpRequest) -> HttpResponse:
    group = ResearchGroup.objects.public().for_page().first()
    if group is None:
        raise Http404(_("研究会の情報はまだ公開されていません。"))
    now = timezone.now()
    # One query for the meetings to come and those held: the page lists them all.
    meetings = list(group.meetings.public().order_by("starts_at"))
    upcoming = [meeting for meeting in meetings if meeting.starts_at >= now]
    past = sorted(
        (meeting for meeting in meetings if meeting.starts_at < now),
        key=lambda meeting: meeting.starts_at,
        reverse=True,
    )
    return render(
        request,
        "projects/researchgroup_detail.html",
        {
            "group": group,
            "members_by_category": grouped_by_choice(
                group.memberships.all(), "category", Membership.Category
            ),
            "upcoming_meetings": upcoming,
            "past_meetings": past,
            "activity": yearly_activity(group, list(group.activity_records.all()), meetings),
            "outcomes_by_kind": grouped_by_choice(group.outcomes.all(), "kind", Outcome.Kind),
            "breadcrumbs": [(group.name, None)],
            "last_updated": last_updated(
                ResearchGroup, Membership, Meeting, ActivityRecord, Outcome, Video
            ),
        },
    )
