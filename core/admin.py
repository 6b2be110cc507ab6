from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .admin_history import HistoryAdmin
from .models import SiteProfile


@admin.register(SiteProfile)
class SiteProfileAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["organization", "department", "section", "phone", "email", "updated_at"]

    # A single row: staff edit it, never add a second one or delete it.
    def has_add_permission(self, request):
        return not SiteProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
