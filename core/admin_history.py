"""The admin's audit trail, in Japanese (issue 11, point 3): every app's admin uses
``HistoryAdmin`` instead of django-simple-history's ``SimpleHistoryAdmin``.

- The history page lists each version with 日時, 変更者, 種別 and the changed fields as
  「項目：旧 → 新」 (core/history_text.py); the change reason column appears only when a
  version has one.
- A version's page shows what that version changed from the one before, above the version's
  form; reverting to it ("この版に戻す") needs the change permission (a POST without it is
  refused, not silently saved).
- 「削除された記録」: the deleted records of a model, each leading to its history (which
  simple-history keeps after the deletion but offers no way to reach).

Subclasses hide fields from every history page with ``history_hidden_fields`` (personal data
the user may not see), and name money fields in ``history_yen_fields`` (fields ending in
``amount`` are money already).
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from simple_history.admin import SimpleHistoryAdmin

from .history_text import author_label, field_changes, history_type_label


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_template = "admin/core/history/object_history.html"
    object_history_list_template = "admin/core/history/object_history_list.html"
    object_history_form_template = "admin/core/history/object_history_form.html"
    deleted_records_template = "admin/core/history/deleted_records.html"
    history_yen_fields: frozenset[str] = frozenset()

    def history_hidden_fields(self, request) -> set[str]:
        """Fields this user may not see in any version (none here)."""
        return set()

    # --- The history list

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        records = list(historical_records)
        hidden = self.history_hidden_fields(request)
        for index, record in enumerate(records):
            record.author_label = author_label(record.history_user)
            record.type_label = history_type_label(record.history_type)
            if record.history_type != "~":
                record.readable_changes = []
                continue
            # The page is newest first: the version before is the next row, or on the next page.
            previous = records[index + 1] if index + 1 < len(records) else record.prev_record
            record.readable_changes = (
                field_changes(
                    self.model,
                    record,
                    previous,
                    hidden=hidden,
                    yen_fields=self.history_yen_fields,
                )
                if previous is not None
                else []
            )

    def render_history_view(self, request, template, context, **kwargs):
        page_obj = context.get("page_obj")
        if page_obj is not None:
            context["show_change_reason"] = any(r.history_change_reason for r in page_obj)
        return TemplateResponse(request, template, context, **kwargs)

    def history_view_title(self, request, obj):
        return gettext("変更履歴：%(object)s") % {"object": obj}

    # --- One version

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        record = (
            history.filter(**{self.model._meta.pk.attname: unquote(object_id)})
            .filter(history_id=version_id)
            .select_related("history_user")
            .first()
        )
        if record is not None:
            obj = record.instance
            if not self.has_view_history_or_change_history_permission(request, obj):
                raise PermissionDenied
            if request.method == "POST" and self.revert_disabled(request, obj):
                # simple-history would save the form of a user who may only look.
                raise PermissionDenied
            previous = record.prev_record
            extra_context = {
                **(extra_context or {}),
                "version": record,
                "version_author": author_label(record.history_user),
                "version_type": history_type_label(record.history_type),
                "version_changes": field_changes(
                    self.model,
                    record,
                    previous,
                    hidden=self.history_hidden_fields(request),
                    yen_fields=self.history_yen_fields,
                    shorten=False,
                )
                if previous is not None and record.history_type == "~"
                else [],
            }
        return super().history_form_view(request, object_id, version_id, extra_context)

    def history_form_view_title(self, request, obj):
        if self.revert_disabled(request, obj):
            return gettext("過去の版：%(object)s") % {"object": obj}
        return gettext("過去の版に戻す：%(object)s") % {"object": obj}

    # --- Deleted records

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_records_view),
                name=f"{opts.app_label}_{opts.model_name}_deleted",
            ),
            *super().get_urls(),
        ]

    def deleted_records_url(self) -> str:
        opts = self.model._meta
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_deleted",
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "deleted_records_url": self.deleted_records_url()}
        return super().changelist_view(request, extra_context)

    def deleted_records_view(self, request):
        """The model's deleted records, newest deletion first, each leading to its history."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        history = getattr(self.model, opts.simple_history_manager_attribute)
        deletions = history.filter(history_type="-").select_related("history_user")
        page = Paginator(deletions.order_by("-history_date", "-history_id"), 100).get_page(
            request.GET.get("p")
        )
        rows = [
            {
                "record": record,
                "label": str(record.instance),
                "author": author_label(record.history_user),
                "history_url": reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_history",
                    args=[getattr(record, opts.pk.attname)],
                ),
            }
            for record in page
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("削除された%(name)s") % {"name": opts.verbose_name},
            "opts": opts,
            "app_label": opts.app_label,
            "page_obj": page,
            "rows": rows,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.deleted_records_template, context)
