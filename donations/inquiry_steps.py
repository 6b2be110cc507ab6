"""The inquiry form's 入力 → 確認 → 完了 steps, without JavaScript.

What the company typed travels from the 確認 page back to the view in ONE hidden field, signed
with ``django.core.signing`` (not kept in the session): the values are the company's own and
already in its browser, the signature only stops them being changed between 確認 and 送信, and
nothing is left behind on the server for a company that never sends (or sends from two tabs).
The view validates the values again when they come back, whatever the signature says.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core import signing
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.japanese import fiscal_year_label, format_yen

from .abuse import FORM_TOKEN_MAX_AGE

PAYLOAD_SALT = "donations.inquiry.confirm"

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


def payload_sign(data: QueryDict, field_names: Iterable[str]) -> str:
    """The form's fields (and nothing else: no button, no CSRF token), signed."""
    values = {name: data.getlist(name) for name in field_names if name in data}
    return signing.dumps(values, salt=PAYLOAD_SALT, compress=True)


def payload_read(text: str) -> QueryDict | None:
    """The values signed on the 確認 page, or None when they were not (or were changed), or
    are older than the form's own token can be."""
    try:
        values = signing.loads(text, salt=PAYLOAD_SALT, max_age=FORM_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    data = QueryDict(mutable=True)
    for name, items in values.items():
        data.setlist(name, [str(item) for item in items])
    return data


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
