from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from core.publishing_admin import PublishableAdmin

from .models import AccessibilityCriterion, SitePage, SitePageSection

admin.site.site_header = _("平塚市 知的対流推進事業 管理画面")
admin.site.site_title = _("知的対流推進事業 管理画面")
admin.site.index_title = _("サイト管理")


class SitePageSectionInline(TranslationStackedInline):
    # Each section has its own 公開日時: a revised section can wait as a draft, or for the
    # day it takes effect, while the page stays online.
    model = SitePageSection
    extra = 0


@admin.register(SitePage)
class SitePageAdmin(PublishableAdmin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "kind", "publication_state_display", "updated_at"]
    search_fields = ["title", "lead", "sections__heading", "sections__body"]
    inlines = [SitePageSectionInline]


@admin.register(AccessibilityCriterion)
class AccessibilityCriterionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["number", "name", "level", "result"]
    list_filter = ["level", "result"]
    search_fields = ["number", "name_ja", "name_en"]
