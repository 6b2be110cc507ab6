"""The inquiry form's 入力 → 確認 → 完了 steps, without JavaScript.

What the company typed is kept between the steps in its SESSION (the draft), not in hidden
fields: so the 確認 page can be a GET reached by a redirect (Post/Redirect/Get at every step:
Back from the thanks page never re-posts), no personal data goes into a URL, nothing can be
changed between 確認 and 送信 (no signature needed), and a company that goes back to correct
something finds every value. The values are validated again when 「送信する」 stores them; the
draft is dropped once stored, and expires with the session otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.japanese import fiscal_year_label, format_yen

DRAFT_KEY = "donations.inquiry.draft"

# The sections of the form, as the input page groups its fields and the 確認 page lists them.
SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        gettext_lazy("法人について"),
        (
            "company_name",
            "company_name_kana",
            "corporate_number",
            "postal_code",
            "head_office_address",
            "representative",
            "files_blue_return",
        ),
    ),
    (
        gettext_lazy("ご担当者"),
        ("department", "contact_name", "contact_name_kana", "email", "phone"),
    ),
    (gettext_lazy("寄附のご予定"), ("planned_amount", "planned_fiscal_year", "projects")),
    (gettext_lazy("寄附実績の公表"), ("consent_publish_name", "consent_publish_amount")),
    (gettext_lazy("お問い合わせ内容"), ("message",)),
)


def draft_save(session, data: QueryDict, field_names: Iterable[str]) -> None:
    """Keep the form's fields (and nothing else: no button, no CSRF token) as the draft."""
    session[DRAFT_KEY] = {name: data.getlist(name) for name in field_names if name in data}


def draft_read(session) -> QueryDict | None:
    """The draft as the form reads a POST, or None when there is none."""
    values = session.get(DRAFT_KEY)
    if not values:
        return None
    data = QueryDict(mutable=True)
    for name, items in values.items():
        data.setlist(name, [str(item) for item in items])
    return data


def draft_clear(session) -> None:
    session.pop(DRAFT_KEY, None)


def confirmation_sections(form) -> list[tuple[str, list[tuple[str, list[str]]]]]:
    """Each section's title and its fields' (label, values as the company reads them): one
    value per field, one per chosen project."""
    return [
        (title, [(form[name].label, _display(form, name)) for name in names])
        for title, names in SECTIONS
    ]


def _display(form, name: str) -> list[str]:
    value = form.cleaned_data.get(name)
    if name == "projects":
        return [project.title for project in value] or [_("（選択なし）")]
    if name == "planned_amount":
        return [format_yen(value)]
    if name == "planned_fiscal_year":
        return [fiscal_year_label(value)]
    if isinstance(value, bool):
        return [_("はい") if value else _("いいえ")]
    return [str(value) if value else _("（未記入）")]
