"""The publishing workflow in the admin: the 「公開」 fieldset with its preview link, the
公開状態 column and list filter, and the actions that publish or withdraw the selected records.

Part of the kit: it names no app. A ModelAdmin of a ``Publishable`` model puts
``PublishableAdmin`` first among its bases and ``"publication_state_display"`` in its
``list_display``; an admin whose records have no page of their own overrides ``preview_url``
(the parent's page). Inlines of publishable child records name ``"published_at"`` in their
``fields``.
"""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .japanese import date_label, is_english, wareki_date
from .publishing import (
    PREVIEW_PARAMETER,
    PublicationState,
    publication_publish_now,
    publication_unpublish,
)

PUBLICATION_FIELDS = ["published_at", "preview_link"]


def preview_link_for(url: str | None) -> str | None:
    """The public URL with the preview switch on, or None."""
    if not url:
        return None
    path, hash_mark, anchor = url.partition("#")
    separator = "&" if "?" in path else "?"
    return f"{path}{separator}{PREVIEW_PARAMETER}=1{hash_mark}{anchor}"


def publication_time_label(when: datetime.datetime) -> str:
    """令和8年12月3日 9:00 (Japan's time); in English, December 3, 2026 9:00."""
    local = timezone.localtime(when)
    day = date_label(local.date()) if is_english() else wareki_date(local.date())
    return f"{day} {local.hour}:{local.minute:02d}"


def publication_state_label(obj) -> str:
    """下書き / 公開予約 令和8年12月3日 9:00 / 公開中."""
    state = obj.publication_state
    if state == PublicationState.SCHEDULED:
        return gettext("%(state)s %(when)s") % {
            "state": state.label,
            "when": publication_time_label(obj.published_at),
        }
    return str(state.label)


class PublicationStateFilter(admin.SimpleListFilter):
    title = _("公開状態")
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return PublicationState.choices

    def queryset(self, request, queryset):
        value = self.value()
        # An unknown value (a hand-edited query string) finds nothing.
        return queryset if value is None else queryset.in_state(value)


class PublishableAdmin(admin.ModelAdmin):
    """What every publishable model's admin shares (put it first among the bases)."""

    actions = ["publish_now", "unpublish"]

    def preview_url(self, obj) -> str | None:
        """The public page that shows ``obj`` (None when it has none)."""
        try:
            return obj.get_absolute_url()
        except (AttributeError, NoReverseMatch):  # no page, or the public pages not installed
            return None

    def view_on_site(self, obj):
        # 「サイトで見る」: the page as the public sees it once the record is published; before
        # that, its preview (the public page would be 404).
        url = self.preview_url(obj)
        if obj.publication_state == PublicationState.PUBLISHED:
            return url
        return preview_link_for(url)

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        return [PublicationStateFilter, *filters]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "preview_link"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        declared = self.fieldsets or ()
        if any("published_at" in _flat(options["fields"]) for _title, options in declared):
            return fieldsets  # the admin placed the 公開 fields itself
        # The 「公開」 fieldset comes last, where staff finish their edit.
        kept = [
            (title, {**options, "fields": _without(options["fields"], PUBLICATION_FIELDS)})
            for title, options in fieldsets
        ]
        return [*kept, (_("公開"), {"fields": PUBLICATION_FIELDS})]

    @admin.display(description=_("公開状態"), ordering="published_at")
    def publication_state_display(self, obj) -> str:
        return publication_state_label(obj)

    @admin.display(description=_("プレビュー"))
    def preview_link(self, obj) -> str:
        url = preview_link_for(self.preview_url(obj)) if obj and obj.pk else None
        if url is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a><div class="help">{}</div>',
            url,
            _("プレビュー"),
            _("保存した内容を、公開前でも公開ページの形で確認できます（職員のみ）。"),
        )

    @admin.action(description=_("選択したものを今すぐ公開"), permissions=["change"])
    def publish_now(self, request, queryset):
        done = self._apply(request, queryset, publication_publish_now)
        self.message_user(
            request, gettext("%(count)d件を公開しました。") % {"count": done}, messages.SUCCESS
        )

    @admin.action(description=_("選択したものを非公開（下書き）に戻す"), permissions=["change"])
    def unpublish(self, request, queryset):
        done = self._apply(request, queryset, publication_unpublish)
        self.message_user(
            request,
            gettext("%(count)d件を非公開（下書き）に戻しました。") % {"count": done},
            messages.SUCCESS,
        )

    def _apply(self, request, queryset, service) -> int:
        """Run ``service`` on each record; one that does not validate is named, not saved."""
        done = 0
        for obj in queryset:
            try:
                service(obj)
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("「%(record)s」は保存できませんでした：%(errors)s")
                    % {"record": obj, "errors": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                done += 1
        return done


def _without(fields, names) -> list:
    """``fields`` (names, or tuples of names shown on one line) without ``names``."""
    kept = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            line = tuple(name for name in field if name not in names)
            if line:
                kept.append(line)
        elif field not in names:
            kept.append(field)
    return kept


def _flat(fields) -> list[str]:
    names: list[str] = []
    for field in fields:
        if isinstance(field, (list, tuple)):
            names.extend(field)
        else:
            names.append(field)
    return names
