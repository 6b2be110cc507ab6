from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult, get_date_max
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from core.admin_history import HistoryAdmin
from core.publishing_admin import PublishableAdmin

# Importing it replaces django-axes' admins (failed sign-ins and locks) by superuser-only ones.
from . import signin_admin  # noqa: F401
from .models import AccessibilityCriterion, SitePage, SitePageSection

# Importing it adds the superuser's reset of a staff member's second factor to the user admin.
from .two_factor import admin as two_factor_admin  # noqa: F401

admin.site.site_header = _("平塚市 知的対流推進事業 管理画面")
admin.site.site_title = _("知的対流推進事業 管理画面")
admin.site.index_title = _("サイト管理")


class SitePageSectionInline(TranslationStackedInline):
    # Each section has its own 公開日時: a revised section can wait as a draft, or for the
    # day it takes effect, while the page stays online.
    model = SitePageSection
    extra = 0


@admin.register(SitePage)
class SitePageAdmin(PublishableAdmin, HistoryAdmin, TranslationAdmin):
    list_display = ["title", "kind", "publication_state_display", "updated_at"]
    search_fields = ["title", "lead", "sections__heading", "sections__body"]
    inlines = [SitePageSectionInline]


@admin.register(AccessibilityCriterion)
class AccessibilityCriterionAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["number", "name", "level", "result"]
    list_filter = ["level", "result"]
    search_fields = ["number", "name_ja", "name_en"]


# --- Internal machinery: superusers only --------------------------------------------------------

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    """The queue of background jobs (e-mails to send): read-only, and shown to superusers only,
    whatever permissions a role is given; staff follow an e-mail on its inquiry's page."""

    list_display = [
        "task_name",
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "queue_name",
    ]

    def get_readonly_fields(self, request, obj=None):
        # The id is the page's address already; the rest is shown as the package lists it.
        return [name for name in super().get_readonly_fields(request, obj) if name != "id"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    @admin.display(description=_("処理の名前"))
    def task_name(self, obj):
        return obj.task_name

    @admin.display(description=_("エラーの詳細"))
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=_("実行予定"))
    def display_run_after(self, obj):
        if obj.run_after == get_date_max():
            return self.get_empty_value_display()
        return obj.run_after
