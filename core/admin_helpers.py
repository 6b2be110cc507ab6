"""Admin helpers every app of ours can use (DESIGN.md §6.7): the fiscal-year list filter, the
read-only admin for records only code writes, image thumbnails and period labels.

Part of the kit: it names no app and no model of ours; callers pass field names, images and
values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.utils.html import format_html

from .images import rendition_url
from .japanese import fiscal_year_label


def fiscal_year_filter(field_name: str, title) -> type[admin.SimpleListFilter]:
    """A list filter offering the fiscal years present, newest first, labelled
    令和5年度（2023年度）.

    ``field_name`` may follow relations (``donation__fiscal_year``) and may be nullable: rows
    without a year are offered no choice of their own. A value that is not a year (a
    hand-edited address) finds nothing."""

    class FiscalYearFilter(admin.SimpleListFilter):
        parameter_name = field_name

        def lookups(self, request, model_admin):
            years = (
                model_admin.model._default_manager.exclude(**{f"{field_name}__isnull": True})
                .order_by(f"-{field_name}")
                .values_list(field_name, flat=True)
                .distinct()
            )
            return [(str(year), fiscal_year_label(year)) for year in years]

        def queryset(self, request, queryset):
            value = self.value()
            if value is None:
                return queryset
            # The filter's own links carry ASCII digits; str.isdigit alone would let "²"
            # through to int() and fail.
            if not (value.isascii() and value.isdigit()):
                return queryset.none()
            return queryset.filter(**{field_name: int(value)})

    FiscalYearFilter.title = title
    FiscalYearFilter.__name__ = f"FiscalYearFilter_{field_name}"
    return FiscalYearFilter


class ReadOnlyAdminMixin:
    """Nothing can be added, changed or deleted from the admin: for records only code writes
    (issued documents, histories of what happened). Whoever may view them still sees them.

    The signatures fit both a ModelAdmin and an inline (which also passes the parent)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Rows listed read-only under their parent, with no empty form to add one."""

    extra = 0
    can_delete = False


def formatted_column(field_name: str, description, label: Callable[[Any], str]):
    """A sortable admin column showing ``field_name`` written by ``label`` (e.g.
    ``fiscal_year_label``: 令和5年度（2023年度）, ``format_yen``, ``date_label``), or — when
    empty.

    Assign it in the ModelAdmin (``fiscal_year_display = formatted_column(...)``) and name it
    in ``list_display`` or ``readonly_fields`` like any other column."""

    @admin.display(description=description, ordering=field_name)
    def column(model_admin, obj) -> str:
        value = getattr(obj, field_name)
        return label(value) if value is not None else "—"

    column.__name__ = f"{field_name}_column"
    return column


def thumbnail(image, alt: str):
    """A preview of a stored image for the admin, or — when there is none."""
    # Only a stored image: an upload the form has just refused must not be decoded or kept.
    if not image or not image._committed:
        return "—"
    # rendition_url falls back to the original when it cannot make a rendition.
    return format_html('<img src="{}" alt="{}" width="160">', rendition_url(image, 480), alt)


def period_label(
    start: Any,
    end: Any,
    *,
    label: Callable[[Any], str] = fiscal_year_label,
    open_end: str = "",
) -> str:
    """``start〜end`` with each end written by ``label`` (fiscal years by default, or e.g.
    ``date_label``); a missing end is written ``open_end`` (期限なし), a missing start left
    blank, and a period with neither is —."""
    if start is None and end is None:
        return "—"
    start_label = label(start) if start is not None else ""
    end_label = label(end) if end is not None else open_end
    return f"{start_label}〜{end_label}"
