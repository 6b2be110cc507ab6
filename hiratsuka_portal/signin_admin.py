"""The sign-in protection's records in the admin (django-axes), for superusers only.

Failed sign-ins name accounts and addresses: only a superuser reads them, and lifts a lock by
deleting the account's アクセス試行 (access attempt) row. Imported by ``admin.py``; axes has
registered its own admins by then (it comes first in INSTALLED_APPS) and they are replaced here.
"""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class SuperusersOnlyMixin:
    """Hidden from every role: the index, the lists and the records open to superusers only."""

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


class PortalAccessAttemptAdmin(SuperusersOnlyMixin, AccessAttemptAdmin):
    # axes' own action reports in an untranslatable f-string; this one reports in Japanese.
    actions = ["cleanup_expired_attempts"]

    @admin.action(description=_("期限切れの試行記録を削除する"))
    def cleanup_expired_attempts(self, request, queryset):
        # axes reads the cool-off threshold from the time of a sign-in attempt, which only its
        # sign-in handling sets on a request; without one it counts from now.
        request.axes_attempt_time = getattr(request, "axes_attempt_time", None)
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request,
            gettext("期限切れの試行記録を%(count)d件削除しました。") % {"count": count},
            level=messages.SUCCESS,
        )

    @admin.display(description=_("状態"))
    def status(self, obj: AccessAttempt) -> str:
        remaining = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if remaining > 0:
            return gettext("あと%(count)d回でロック") % {"count": remaining}
        return gettext("ロック中")


class PortalAccessLogAdmin(SuperusersOnlyMixin, AccessLogAdmin):
    pass


class PortalAccessFailureLogAdmin(SuperusersOnlyMixin, AccessFailureLogAdmin):
    pass


for model, model_admin in (
    (AccessAttempt, PortalAccessAttemptAdmin),
    (AccessLog, PortalAccessLogAdmin),
    (AccessFailureLog, PortalAccessFailureLogAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
