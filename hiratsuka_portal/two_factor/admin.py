"""The second factor in the admin: a superuser resets a staff member's device (a lost phone)
from the user's page; django-otp's own device admins are withdrawn (they show the secrets).

Imported by hiratsuka_portal/admin.py; django.contrib.auth and django-otp have registered their
admins by then (they come first in INSTALLED_APPS) and are replaced here.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .policy import has_confirmed_device, must_use_two_factor

User = get_user_model()

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


# django-otp names its models in plain English strings, which no catalogue translates (and a
# changed verbose_name would be a migration of the package): a user's deletion page names them
# here instead, and never lists the recovery codes themselves.
DEVICE_LABELS = {TOTPDevice: _("認証アプリ"), StaticDevice: _("回復コード")}
HIDDEN_ON_DELETION = StaticToken


def _relabelled(items: list) -> list:
    relabelled = []
    for item in items:
        if isinstance(item, list):
            if children := _relabelled(item):
                relabelled.append(children)
            continue
        text = str(item)
        if text.startswith(f"{capfirst(HIDDEN_ON_DELETION._meta.verbose_name)}:"):
            continue
        for model, label in DEVICE_LABELS.items():
            prefix = f"{capfirst(model._meta.verbose_name)}:"
            if text.startswith(prefix):
                # The rest is the device's name and user, escaped by the admin already.
                item = mark_safe(f"{label}:{text[len(prefix) :]}")  # noqa: S308
        relabelled.append(item)
    return relabelled


class PortalUserAdmin(UserAdmin):
    """Django's user admin, plus 「二段階認証をリセット」 on a user's page for superusers."""

    change_form_template = "admin/auth/user/two_factor_change_form.html"

    def get_urls(self):
        return [
            path(
                "<path:object_id>/two-factor-reset/",
                self.admin_site.admin_view(self.two_factor_reset_view),
                name="auth_user_two_factor_reset",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if request.user.is_superuser and (user := self.get_object(request, object_id)):
            extra_context["two_factor_enrolled"] = has_confirmed_device(user)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        counts = {}
        for name, count in model_count.items():
            if name == HIDDEN_ON_DELETION._meta.verbose_name_plural:
                name = _("未使用の回復コード")
            for model, label in DEVICE_LABELS.items():
                if name == model._meta.verbose_name_plural:
                    name = label
            counts[name] = count
        return _relabelled(deleted), counts, perms_needed, protected

    def two_factor_reset_view(self, request, object_id):
        if not request.user.is_superuser:
            raise PermissionDenied
        user = get_object_or_404(User, pk=object_id)
        change_url = reverse("admin:auth_user_change", args=[user.pk])
        if request.method == "POST":
            services.two_factor_reset(user=user, reset_by=request.user)
            self.message_user(
                request,
                gettext("%(user)s の二段階認証をリセットしました。次回のログインで設定し直します。")
                % {"user": user.get_username()}
                if must_use_two_factor(user)
                else gettext(
                    "%(user)s の二段階認証をリセットしました。パスワードだけでログインできます。"
                )
                % {"user": user.get_username()},
                messages.SUCCESS,
            )
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("二段階認証のリセット"),
            "opts": self.opts,
            "original": user,
            "change_url": change_url,
            "enrolled": has_confirmed_device(user),
            "required": must_use_two_factor(user),
            "recovery_codes_remaining": services.recovery_codes_remaining(user=user),
        }
        return TemplateResponse(request, "admin/two_factor/reset_confirmation.html", context)


if admin.site.is_registered(User):
    admin.site.unregister(User)
admin.site.register(User, PortalUserAdmin)
