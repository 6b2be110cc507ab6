"""Public pages of the projects app: the project list, one project, the research group."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from core.by_fiscal_year import in_fiscal_year, is_plausible_fiscal_year
from core.japanese import fiscal_year_label
from core.models import SiteProfile
from core.pagination import paginate
from core.pdf import pdf_filename, pdf_response
from core.updates import last_updated

from .activity import yearly_activity
from .forms import ProjectFilterForm
from .grouped_lists import first_of_each_choice
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


# Cards per page of the project list: a multiple of 2 and 3, so the grid's rows are full on
# phones, tablets and desktops alike.
PROJECTS_PER_PAGE = 24
# Facilities of each kind under the project cards; all of a kind are on the page of that kind.
FACILITIES_SHOWN = 4


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    # The page number is the paginator's; only the filters are the form's.
    form = ProjectFilterForm(request.GET or None)
    projects = Project.objects.public().for_cards()
    if form.is_valid():
        if status := form.cleaned_data["status"]:
            projects = projects.filter(status=status)
        if theme := form.cleaned_data["theme"]:
            projects = projects.filter(themes=theme)
    pagination = paginate(request, projects, PROJECTS_PER_PAGE)
    facility_groups = first_of_each_choice(
        Facility.objects.public().select_related("managed_by").prefetch_related("themes"),
        "kind",
        Facility.Kind,
        FACILITIES_SHOWN,
    )
    return render(
        request,
        "projects/project_list.html",
        {
            "form": form,
            "projects": pagination.page.object_list,
            "pagination": pagination,
            "facility_groups": facility_groups,
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


# Meetings the research group's page shows on either side of today; the others are on the
# pages of their fiscal year.
MEETINGS_SHOWN = 10
# Members of each category, outcomes of each kind, on the group's page; all of them are on the
# page of their category or kind.
MEMBERS_SHOWN = 12
OUTCOMES_SHOWN = 5


def _public_group() -> ResearchGroup:
    group = ResearchGroup.objects.public().first()
    if group is None:
        raise Http404(_("研究会の情報はまだ公開されていません。"))
    return group


@require_safe
def research_group(request: HttpRequest) -> HttpResponse:
    group = ResearchGroup.objects.public().for_page().first()
    if group is None:
        raise Http404(_("研究会の情報はまだ公開されていません。"))
    now = timezone.now()
    meetings = group.meetings.public()
    # The page keeps its size as the years go by: the next and the latest few meetings, and
    # the yearly figures counted in SQL; every meeting is on the page of its fiscal year.
    upcoming = list(meetings.filter(starts_at__gte=now).order_by("starts_at")[:MEETINGS_SHOWN])
    past = list(meetings.filter(starts_at__lt=now).order_by("-starts_at")[:MEETINGS_SHOWN])
    return render(
        request,
        "projects/researchgroup_detail.html",
        {
            "group": group,
            "members_by_category": first_of_each_choice(
                group.memberships.select_related("organization"),
                "category",
                Membership.Category,
                MEMBERS_SHOWN,
            ),
            "upcoming_meetings": upcoming,
            "past_meetings": past,
            "meetings_shown": MEETINGS_SHOWN,
            "activity": yearly_activity(group, list(group.activity_records.all())),
            # The page names each outcome's organisations, not its projects.
            "outcome_groups": first_of_each_choice(
                group.outcomes.prefetch_related("organizations"),
                "kind",
                Outcome.Kind,
                OUTCOMES_SHOWN,
            ),
            "breadcrumbs": [(group.name, None)],
            "last_updated": last_updated(
                ResearchGroup, Membership, Meeting, ActivityRecord, Outcome, Video
            ),
        },
    )


@require_safe
def meeting_years(request: HttpRequest) -> HttpResponse:
    """The fiscal years with meetings, each with its count, linking to its page."""
    group = _public_group()
    years = [
        (year["fiscal_year"], year["meetings"])
        for year in reversed(group.meetings.public().yearly_totals())
    ]
    return render(
        request,
        "projects/meeting_years.html",
        {
            "group": group,
            "years": years,
            "breadcrumbs": [
                (group.name, group.get_absolute_url()),
                (_("年度別の会議・活動"), None),
            ],
            "last_updated": last_updated(ResearchGroup, Meeting),
        },
    )


@require_safe
def meeting_year(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """Every public meeting of one fiscal year, in the order they were (or will be) held."""
    group = _public_group()
    if not is_plausible_fiscal_year(fiscal_year):
        raise Http404(_("その年度の会議・活動はありません。"))
    meetings = list(
        group.meetings.public()
        .filter(in_fiscal_year(Meeting, "starts_at", fiscal_year))
        .order_by("starts_at", "pk")
    )
    if not meetings:
        raise Http404(_("その年度の会議・活動はありません。"))
    label = fiscal_year_label(fiscal_year)
    return render(
        request,
        "projects/meeting_year.html",
        {
            "group": group,
            "fiscal_year": fiscal_year,
            "meetings": meetings,
            "breadcrumbs": [
                (group.name, group.get_absolute_url()),
                (_("年度別の会議・活動"), reverse("projects:meeting-years")),
                (label, None),
            ],
            "last_updated": last_updated(group, meetings),
        },
    )


@require_safe
def members(request: HttpRequest, category: str) -> HttpResponse:
    """Every member of the research group in one category (市内企業, 大学 …)."""
    group = _public_group()
    if category not in Membership.Category.values:
        raise Http404(_("その区分の会員はいません。"))
    memberships = list(group.memberships.filter(category=category).select_related("organization"))
    if not memberships:
        raise Http404(_("その区分の会員はいません。"))
    label = Membership.Category(category).label
    return render(
        request,
        "projects/members.html",
        {
            "group": group,
            "category": label,
            "memberships": memberships,
            "breadcrumbs": [(group.name, group.get_absolute_url()), (label, None)],
            "last_updated": last_updated(group, memberships),
        },
    )


@require_safe
def outcomes(request: HttpRequest, kind: str) -> HttpResponse:
    """Every outcome of the research group of one kind (派生実験, 特許申請 …)."""
    group = _public_group()
    if kind not in Outcome.Kind.values:
        raise Http404(_("その種類の成果はありません。"))
    items = list(group.outcomes.filter(kind=kind).prefetch_related("organizations"))
    if not items:
        raise Http404(_("その種類の成果はありません。"))
    label = Outcome.Kind(kind).label
    return render(
        request,
        "projects/outcomes.html",
        {
            "group": group,
            "kind": label,
            "outcomes": items,
            "breadcrumbs": [(group.name, group.get_absolute_url()), (label, None)],
            "last_updated": last_updated(group, items),
        },
    )


@require_safe
def facilities(request: HttpRequest, kind: str) -> HttpResponse:
    """Every public research facility of one kind (観測タワー, 港 …)."""
    if kind not in Facility.Kind.values:
        raise Http404(_("その種類の施設はありません。"))
    items = list(
        Facility.objects.public()
        .filter(kind=kind)
        .select_related("managed_by")
        .prefetch_related("themes")
    )
    if not items:
        raise Http404(_("その種類の施設はありません。"))
    label = Facility.Kind(kind).label
    return render(
        request,
        "projects/facilities.html",
        {
            "kind": label,
            "facilities": items,
            "breadcrumbs": [(_("研究開発プロジェクト"), Project.list_url()), (label, None)],
            "last_updated": last_updated(items),
        },
    )
