from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from core.admin_history import HistoryAdmin

# Importing it replaces django-axes' admins (failed sign-ins and locks) by superuser-only ones.
from . import signin_admin  # noqa: F401
from .models import AccessibilityCriterion, SitePage, SitePageSection

admin.site.site_header = _("平塚市 知的対流推進事業 管理画面")
admin.site.site_title = _("知的対流推進事業 管理画面")
admin.site.index_title = _("サイト管理")


class SitePageSectionInline(TranslationStackedInline):
    model = SitePageSection
    extra = 0


@admin.register(SitePage)
class SitePageAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["title", "kind", "updated_at"]
    search_fields = ["title", "lead", "sections__heading", "sections__body"]
    inlines = [SitePageSectionInline]


@admin.register(AccessibilityCriterion)
class AccessibilityCriterionAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["number", "name", "level", "result"]
    list_filter = ["level", "result"]
    search_fields = ["number", "name_ja", "name_en"]
