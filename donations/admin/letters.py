"""The letter of thanks (礼状) staff edit as a site text: one row, in Japanese and English side
by side, with its history (who changed what) and a preview of the mail as a company gets it."""

from __future__ import annotations

import datetime

from django.contrib import admin
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from core.admin_history import HistoryAdmin
from core.japanese import date_label, fiscal_year_label, format_yen

from ..models import DonorLetter, letter_render, letter_text_errors


def _sample_values(language: str) -> dict[str, str]:
    """Made-up facts for the preview, written as the mail writes them in ``language``."""
    with translation.override(language):
        received_on = datetime.date(2026, 12, 1)
        return {
            "company": gettext("株式会社サンプル"),
            "contact_name": gettext("平塚 太郎"),
            "amount": format_yen(1_000_000, language),
            "received_on": date_label(received_on, language),
            "fiscal_year": fiscal_year_label(2026, language),
            "projects": gettext("第3世代波力発電"),
            "receipt_number": "平産第2026-001号",
            "reference": "D26-ABC234",
            "city_contact": gettext("平塚市 産業振興課 企業支援・労政担当"),
        }


@admin.register(DonorLetter)
class DonorLetterAdmin(HistoryAdmin, TranslationAdmin):
    list_display = ["__str__", "subject", "updated_at"]
    fields = ["subject", "body", "preview"]
    readonly_fields = ["preview"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A letter is edited at the width it is read, not in the admin's narrow default boxes.
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name.startswith("subject_"):
            field.widget.attrs.update(size=80)
        elif db_field.name.startswith("body_"):
            field.widget.attrs.update(cols=90, rows=24)
        return field

    # A single row: staff edit its wording, never add a second one or delete it.
    def has_add_permission(self, request):
        return not DonorLetter.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("プレビュー（見本の寄附で表示）"))
    def preview(self, obj):
        """The mail as a company would read it, in each language, filled in with a sample
        donation: shown read-only, as the plain text the mail is."""
        if obj is None or obj.pk is None:
            return "—"
        blocks = []
        headings = {"ja": gettext("日本語のメール"), "en": gettext("英語のメール")}
        for language, heading in headings.items():
            subject, body = obj.texts(language)
            if letter_text_errors(subject or "") or letter_text_errors(body or ""):
                unshown = gettext("（差込み項目を直すと表示します）")
                blocks.append((heading, language, heading, 2, unshown))
                continue
            values = _sample_values(language)
            with translation.override(language):
                subject_label = gettext("件名：")
            mail = f"{subject_label}{letter_render(subject, values)}\n\n"
            mail += letter_render(body, values)
            blocks.append((heading, language, heading, mail.count("\n") + 2, mail))
        return format_html_join(
            "",
            '<p class="letter-preview-heading">{}</p>'
            '<textarea class="letter-preview" lang="{}" aria-label="{}" rows="{}" cols="90"'
            " readonly>{}</textarea>",
            blocks,
        )
