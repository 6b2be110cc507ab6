"""The Japanese admin for projects, organisations and the research group (DESIGN.md §6.7).

Every admin keeps an audit trail (HistoryAdmin) and edits Japanese and English side by
side (modeltranslation, without its tabbed variants: they load jQuery UI from a CDN).
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import NoReverseMatch
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from core.admin_helpers import fiscal_year_filter, period_label, thumbnail
from core.admin_history import HistoryAdmin
from core.japanese import fiscal_year_label
from core.publishing_admin import PublishableAdmin
from core.spreadsheets import SpreadsheetExportMixin

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
    ProjectImage,
    ResearchGroup,
    Theme,
    Video,
)
from .resources import ProjectResource

# --- Inlines -----------------------------------------------------------------------------------


class ParticipationInline(TranslationTabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "role", "role_note", "position"]


class ProjectFundingInline(TranslationTabularInline):
    model = Funding
    fk_name = "project"
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "start_fiscal_year", "end_fiscal_year", "note"]


class ResearchGroupFundingInline(ProjectFundingInline):
    fk_name = "research_group"


class MilestoneInline(TranslationStackedInline):
    model = Milestone
    extra = 0
    fields = [
        "title",
        "description",
        ("occurred_on", "fiscal_year", "is_planned"),
        "published_at",
    ]


class ProjectImageInline(TranslationStackedInline):
    model = ProjectImage
    extra = 0
    fields = ["image", "preview", "alt_text", "caption", "position"]
    readonly_fields = ["preview"]

    @admin.display(description=_("プレビュー"))
    def preview(self, obj):
        return thumbnail(obj.image, obj.alt_text)


class MembershipInline(TranslationTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]
    fields = ["organization", "category", "note", "position"]


class ActivityRecordInline(TranslationStackedInline):
    model = ActivityRecord
    extra = 0
    fields = [
        ("fiscal_year", "meetings_count", "participants_count"),
        "meetings_note",
        "participants_text",
        "participants_note",
    ]


# --- Organisations, themes, funding sources ----------------------------------------------------


@admin.register(Organization)
class OrganizationAdmin(HistoryAdmin, TranslationAdmin):
    list_display = [
        "name",
        "kind",
        "in_hiratsuka",
        "parent",
        "corporate_number",
        "project_count",
        "membership_count",
    ]
    list_filter = ["kind", "in_hiratsuka"]
    search_fields = ["name_ja", "name_en", "aliases", "slug", "corporate_number"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name_en"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                project_count=Count("participations__project", distinct=True),
                membership_count=Count("memberships", distinct=True),
            )
        )

    @admin.display(description=_("プロジェクト数"), ordering="project_count")
    def project_count(self, obj):
        return obj.project_count

    @admin.display(description=_("研究会の会員"), ordering="membership_count")
    def membership_count(self, obj):
        return obj.membership_count


@admin.register(Theme)
class ThemeAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["name", "slug", "position", "project_count"]
    search_fields = ["name_ja", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(project_count=Count("projects"))

    @admin.display(description=_("プロジェクト数"), ordering="project_count")
    def project_count(self, obj):
        return obj.project_count


@admin.register(FundingSource)
class FundingSourceAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["name", "kind", "provider", "funding_count"]
    list_filter = ["kind"]
    search_fields = ["name_ja", "name_en", "slug"]
    list_select_related = ["provider"]
    autocomplete_fields = ["provider"]
    prepopulated_fields = {"slug": ["name_en"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(funding_count=Count("fundings"))

    @admin.display(description=_("活用件数"), ordering="funding_count")
    def funding_count(self, obj):
        return obj.funding_count


# --- Projects ----------------------------------------------------------------------------------


@admin.register(Project)
class ProjectAdmin(PublishableAdmin, SpreadsheetExportMixin, HistoryAdmin, TranslationAdmin):
    resource_classes = [ProjectResource]
    list_display = [
        "title",
        "status",
        "period",
        "lead_organizations",
        "accepts_donations",
        "publication_state_display",
        "updated_at",
        "public_page",
    ]
    list_filter = ["status", "accepts_donations", "themes", "is_featured"]
    search_fields = ["title_ja", "title_en", "summary_ja", "summary_en", "slug"]
    autocomplete_fields = ["themes"]
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "description"]}),
        (_("関連ページ（外部リンク）"), {"fields": ["link_url", "link_text"]}),
        (
            _("状況と期間"),
            {
                "fields": [
                    "status",
                    ("start_fiscal_year", "end_fiscal_year"),
                    "themes",
                    "accepts_donations",
                ]
            },
        ),
        (_("公開"), {"fields": ["published_at", "preview_link", "is_featured", "position"]}),
    ]
    inlines = [
        ParticipationInline,
        ProjectFundingInline,
        MilestoneInline,
        ProjectImageInline,
    ]

    def get_queryset(self, request):
        # for_list() prefetches the lead organisations the list shows.
        return super().get_queryset(request).for_list()

    @admin.display(description=_("期間"), ordering="start_fiscal_year")
    def period(self, obj):
        return period_label(obj.start_fiscal_year, obj.end_fiscal_year)

    @admin.display(description=_("研究開発主体"))
    def lead_organizations(self, obj):
        return "、".join(str(p.organization) for p in obj.lead_participations) or "—"

    @admin.display(description=_("公開ページ"))
    def public_page(self, obj):
        url = self.view_on_site(obj)
        if url is None:
            return "—"
        label = _("表示") if obj.publication_state == "published" else _("プレビュー")
        return format_html('<a href="{}">{}</a>', url, label)


# --- The research group ------------------------------------------------------------------------


@admin.register(ResearchGroup)
class ResearchGroupAdmin(PublishableAdmin, HistoryAdmin, TranslationAdmin):
    list_display = [
        "name",
        "founded_on",
        "member_count",
        "meeting_count",
        "publication_state_display",
    ]
    search_fields = ["name_ja", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [MembershipInline, ActivityRecordInline, ResearchGroupFundingInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_count=Count("memberships", distinct=True),
                meeting_count=Count("meetings", distinct=True),
            )
        )

    @admin.display(description=_("会員数"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description=_("会議・活動の数"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count


@admin.register(Meeting)
class MeetingAdmin(PublishableAdmin, HistoryAdmin, TranslationAdmin):
    list_display = [
        "title",
        "kind",
        "starts_at",
        "place",
        "participants",
        "research_group",
        "publication_state_display",
    ]
    list_filter = ["kind", "research_group"]
    search_fields = ["title_ja", "title_en", "place_ja", "place_en", "notes_ja", "notes_en"]
    list_select_related = ["research_group"]
    date_hierarchy = "starts_at"

    def preview_url(self, obj):
        # A meeting is listed on the page of its fiscal year (the group's page shows only the
        # latest).
        return super().preview_url(obj) if obj.research_group_id and obj.starts_at else None


@admin.register(Outcome)
class OutcomeAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["title", "kind", "fiscal_year_display", "organizations_text", "research_group"]
    list_filter = ["kind", fiscal_year_filter("fiscal_year", _("年度")), "research_group"]
    search_fields = ["title_ja", "title_en", "organizations_text_ja", "organizations_text_en"]
    list_select_related = ["research_group"]
    autocomplete_fields = ["projects", "organizations"]

    @admin.display(description=_("年度"), ordering="fiscal_year")
    def fiscal_year_display(self, obj):
        return fiscal_year_label(obj.fiscal_year) if obj.fiscal_year else "—"


# --- Facilities and videos ---------------------------------------------------------------------


@admin.register(Facility)
class FacilityAdmin(PublishableAdmin, HistoryAdmin, TranslationAdmin):
    list_display = ["name", "kind", "managed_by", "position", "publication_state_display"]
    list_filter = ["kind", "themes"]
    search_fields = ["name_ja", "name_en", "slug"]
    list_select_related = ["managed_by"]
    autocomplete_fields = ["managed_by", "themes"]
    prepopulated_fields = {"slug": ["name_en"]}

    def preview_url(self, obj):
        # A facility is listed on the page of its kind (the project list shows the first few).
        try:
            return obj.get_absolute_url() if obj.kind else None
        except NoReverseMatch:
            return None


@admin.register(Video)
class VideoAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["title", "channel", "preview", "research_group", "position"]
    list_filter = ["research_group"]
    search_fields = ["title_ja", "title_en", "channel_ja", "channel_en", "url"]
    list_select_related = ["research_group"]
    autocomplete_fields = ["projects"]
    readonly_fields = ["preview"]

    @admin.display(description=_("サムネイル"))
    def preview(self, obj):
        return thumbnail(obj.thumbnail, obj.thumbnail_alt)
