"""The Japanese admin for the agreements, their history and the phases of the relationship
(DESIGN.md §6.7).

Every admin keeps an audit trail (HistoryAdmin) and edits Japanese and English side by
side (modeltranslation, without its tabbed variants: they load jQuery UI from a CDN).
"""

from django.contrib import admin
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
    TranslationTabularInline,
)

from core.admin_helpers import formatted_column, period_label, thumbnail
from core.admin_history import HistoryAdmin
from core.japanese import date_label
from core.publishing_admin import PublishableAdmin

from .models import (
    Agreement,
    AgreementDocument,
    AgreementEvent,
    AgreementPhoto,
    Article,
    FocusArea,
    RelationshipPhase,
)


class StatusFilter(admin.SimpleListFilter):
    """現行 / 終了 / 発効前 as of today: the status is derived from the dates, so the filter
    is too (there is no status column to filter on)."""

    title = _("状況")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        # In the order staff ask about them: what is in force now first.
        order = [Agreement.Status.IN_FORCE, Agreement.Status.ENDED, Agreement.Status.NOT_YET]
        return [(status.value, status.label) for status in order]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        match self.value():
            case Agreement.Status.IN_FORCE:
                return queryset.filter(pk__in=Agreement.objects.in_force(on=today).values("pk"))
            case Agreement.Status.ENDED:
                return queryset.filter(in_force_until__lt=today)
            case Agreement.Status.NOT_YET:
                return queryset.filter(in_force_from__gt=today)
            case None:
                return queryset
            case _:  # a hand-edited query string
                return queryset.none()


# --- Inlines -----------------------------------------------------------------------------------


class FocusAreaInline(TranslationStackedInline):
    model = FocusArea
    extra = 0
    fields = ["name", "description", "position"]


class ArticleInline(TranslationStackedInline):
    model = Article
    extra = 0
    fields = ["number", "text", "expected_projects", "projects"]
    autocomplete_fields = ["projects"]


class AgreementDocumentInline(TranslationTabularInline):
    """Documents of the agreement itself (its text, its annexes)."""

    model = AgreementDocument
    fk_name = "agreement"
    extra = 0
    fields = ["title", "file", "url", "position"]


class EventDocumentInline(AgreementDocumentInline):
    """Documents of one event (the slides of a presentation, a press release)."""

    fk_name = "event"


class AgreementPhotoInline(TranslationStackedInline):
    model = AgreementPhoto
    extra = 0
    fields = ["image", "preview", "alt_text", "caption", "position"]
    readonly_fields = ["preview"]

    @admin.display(description=_("プレビュー"))
    def preview(self, obj):
        return thumbnail(obj.image, obj.alt_text)


# --- Agreements --------------------------------------------------------------------------------


@admin.register(Agreement)
class AgreementAdmin(PublishableAdmin, HistoryAdmin, TranslationAdmin):
    list_display = [
        "title",
        "signed_on_display",
        "in_force_period",
        "status_display",
        "supersedes",
        "publication_state_display",
    ]
    list_filter = [StatusFilter]
    search_fields = ["title_ja", "title_en", "purpose_ja", "purpose_en", "slug"]
    list_select_related = ["supersedes"]
    autocomplete_fields = ["parties", "supersedes"]
    prepopulated_fields = {"slug": ["title_en"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "parties"]}),
        (
            _("締結と効力"),
            {"fields": [("signed_on", "in_force_from", "in_force_until"), "supersedes"]},
        ),
        (
            _("協定の趣旨"),
            {
                "fields": [
                    "purpose",
                    "text_is_draft",
                    "background",
                    "future_scope",
                    "plan_context",
                ]
            },
        ),
    ]
    inlines = [FocusAreaInline, ArticleInline, AgreementDocumentInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if obj is not None:
            # An agreement cannot succeed itself (the database refuses it too, less politely).
            supersedes = form.base_fields["supersedes"]
            supersedes.queryset = supersedes.queryset.exclude(pk=obj.pk)
        return form

    signed_on_display = formatted_column("signed_on", _("締結日"), date_label)

    @admin.display(description=_("効力の期間"), ordering="in_force_from")
    def in_force_period(self, obj):
        return period_label(
            obj.in_force_from, obj.in_force_until, label=date_label, open_end=_("期限なし")
        )

    @admin.display(description=_("状況"))
    def status_display(self, obj):
        return Agreement.Status(obj.status).label


# --- The history of the agreement --------------------------------------------------------------


@admin.register(AgreementEvent)
class AgreementEventAdmin(PublishableAdmin, HistoryAdmin, TranslationAdmin):
    list_display = [
        "occurred_on_display",
        "kind",
        "title",
        "agreement",
        "publication_state_display",
    ]
    list_filter = ["kind", "agreement"]
    search_fields = ["title_ja", "title_en", "description_ja", "description_en"]
    list_select_related = ["agreement"]
    autocomplete_fields = ["agreement"]
    date_hierarchy = "occurred_on"
    fields = ["agreement", ("occurred_on", "kind"), "title", "description"]
    inlines = [EventDocumentInline, AgreementPhotoInline]

    occurred_on_display = formatted_column("occurred_on", _("日付"), date_label)

    def preview_url(self, obj):
        # An event is shown on its agreement's page, and in the history on the page of its
        # fiscal year (the agreements' page shows only the latest).
        try:
            if obj.agreement_id:
                return obj.agreement.get_absolute_url()
            return obj.get_absolute_url() if obj.occurred_on else None
        except NoReverseMatch:
            return None


@admin.register(RelationshipPhase)
class RelationshipPhaseAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["name", "period", "summary", "position"]
    ordering = ["position", "pk"]
    search_fields = [
        "name_ja",
        "name_en",
        "period_ja",
        "period_en",
        "summary_ja",
        "summary_en",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "period",
                    ("start_fiscal_year", "end_fiscal_year"),
                    "summary",
                    "position",
                ]
            },
        ),
        (
            _("役割と財源"),
            {"fields": ["city_role", "institute_role", "funding", "city_stance", "notes"]},
        ),
    ]
