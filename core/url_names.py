"""The name a record's public page is found at (a slug, in Django's words: a word staff do
not use): 「URL用の名前」, explained where it is entered."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def url_name_field() -> models.SlugField:
    """The 「URL用の名前」 of a record with a page of its own: /projects/<this name>/."""
    return models.SlugField(
        _("URL用の名前"),
        max_length=80,
        unique=True,
        help_text=_(
            "公開ページのアドレス（URL）の一部になる名前です。半角の英小文字・数字・ハイフンで"
            "入力します（例：wave-power-3rd）。英語の名称から自動で入りますが、公開後に変えると"
            "以前のアドレスは使えなくなります。"
        ),
    )
