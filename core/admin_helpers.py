"""Admin helpers every app of ours can use (DESIGN.md §6.7): the fiscal-year list filter, the
read-only admin for records only code writes, image thumbnails and period labels; and the two
small corrections of Django's own admin wording that ``CoreConfig.ready`` applies.

Part of the kit: it names no app and no model of ours; callers pass field names, images and
values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

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


def translate_boolean_icons() -> None:
    """Give the admin's yes/no icons a translated text alternative.

    Django 6.1 writes ``alt="True"`` / ``alt="False"`` (the Python value) on the icons of
    boolean columns and read-only fields, which screen readers read out in English. Every
    caller looks ``_boolean_icon`` up in ``admin_list`` when it draws one, so replacing it
    there (once, from ``CoreConfig.ready``) covers lists, read-only fields and inlines."""
    from django.contrib.admin.templatetags import admin_list
    from django.templatetags.static import static
    from django.utils.translation import gettext

    def boolean_icon(field_val):
        icon, text = {
            True: ("yes", gettext("Yes")),
            False: ("no", gettext("No")),
            None: ("unknown", gettext("Unknown")),
        }[field_val]
        return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)

    admin_list._boolean_icon = boolean_icon


def name_many_to_many_links() -> None:
    """Give the rows Django creates for many-to-many fields a name staff can read.

    Deleting a project also deletes its links to themes, and the admin's confirmation lists
    them as 「Project-theme relationship: Project_themes object (3)」: a class name and a code.
    Each automatically created link model is named after its two ends instead (「プロジェクト
    とテーマの関連付け」), and each row after the two records it links. Called once, from
    ``CoreConfig.ready``."""
    from django.apps import apps
    from django.db import models
    from django.utils.text import format_lazy

    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if not opts.auto_created:
            continue
        ends = [field for field in opts.fields if isinstance(field, models.ForeignKey)]
        if len(ends) != 2:
            continue
        first, second = ends
        name = format_lazy(
            _("{}と{}の関連付け"),
            first.related_model._meta.verbose_name,
            second.related_model._meta.verbose_name,
        )
        opts.verbose_name = opts.verbose_name_plural = name
        model.__str__ = _link_str(first.name, second.name)


def _link_str(first: str, second: str):
    def __str__(self) -> str:
        return f"{getattr(self, first)}／{getattr(self, second)}"

    return __str__
