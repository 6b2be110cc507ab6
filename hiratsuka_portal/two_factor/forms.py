"""The two-factor forms: they only validate the shape of what was typed; whether a code is
right is the device's answer (views)."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    """The six digits an authenticator app shows."""

    code = forms.CharField(
        label=_("確認コード（6桁）"),
        help_text=_("認証アプリに表示されている6桁の数字を入力してください。"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "autofocus": True,
                "spellcheck": "false",
                "size": 8,
            }
        ),
        error_messages={"required": _("確認コードを入力してください。")},
    )

    def clean_code(self) -> str:
        # Apps show the code as "123 456"; people copy it with the space.
        code = re.sub(r"\s", "", self.cleaned_data["code"])
        if not re.fullmatch(r"[0-9]{6}", code):
            raise forms.ValidationError(_("確認コードは6桁の数字です。"), code="format")
        return code


class RecoveryCodeForm(forms.Form):
    """One of the account's single-use recovery codes."""

    code = forms.CharField(
        label=_("回復コード"),
        help_text=_(
            "二段階認証の設定時に保存した回復コードのうち、未使用のものを1つ入力してください。"
        ),
        max_length=32,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
                "size": 12,
            }
        ),
        error_messages={"required": _("回復コードを入力してください。")},
    )

    def clean_code(self) -> str:
        # Shown as "abcd-efgh"; stored as "abcdefgh" (django-otp's tokens are lower case).
        return re.sub(r"[\s-]", "", self.cleaned_data["code"]).lower()
