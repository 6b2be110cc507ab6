"""The letter of thanks (礼状) the city sends with a donation's receipt: a site text staff edit
in the admin, in Japanese and English, with named placeholders the service fills in.

The letter is plain text with ``{name}`` placeholders from a fixed list, never a Django
template: staff-written text must not be able to reach into objects (template injection), so
only bare, known names are accepted and they are replaced by plain strings.
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

# What staff may write in the letter ({法人名}, in both languages' texts: the city's staff write
# both), and the value each stands for (``letter_values`` in donations.services.receipts).
LETTER_PLACEHOLDERS: dict[str, str] = {
    "法人名": "company",
    "ご担当者名": "contact_name",
    "寄附金額": "amount",
    "受領日": "received_on",
    "年度": "fiscal_year",
    "活用先": "projects",
    "受領証番号": "receipt_number",
    "受付番号": "reference",
    "市の担当": "city_contact",
}
_PLACEHOLDER_LIST = "、".join("{" + name + "}" for name in LETTER_PLACEHOLDERS)


def letter_text_errors(text: str) -> list[ValidationError]:
    """What is wrong with the placeholders of ``text``: broken braces, unknown names, or
    anything but a bare name (``{amount:>10}``, ``{company.name}``, ``{company!r}``)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return [
            ValidationError(
                _(
                    "波括弧（{ }）の対応が正しくありません。差込み項目は {法人名} のように書き、"
                    "波括弧そのものを書くときは {{ と }} のように2つ重ねてください。"
                ),
                code="letter_braces",
            )
        ]
    errors = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in LETTER_PLACEHOLDERS or spec or conversion:
            shown = (
                "{"
                + name
                + ("!" + conversion if conversion else "")
                + (":" + spec if spec else "")
                + "}"
            )
            errors.append(
                ValidationError(
                    _("差込み項目「%(placeholder)s」は使えません。使える項目：%(known)s"),
                    code="letter_unknown_placeholder",
                    params={
                        "placeholder": shown,
                        "known": _PLACEHOLDER_LIST,
                    },
                )
            )
    return errors


def letter_render(text: str, values: Mapping[str, str]) -> str:
    """``text`` with its placeholders replaced by ``values`` (keyed by the placeholders'
    values in ``LETTER_PLACEHOLDERS``: ``company``, ``amount``, …; plain strings, inserted as
    they are); the text must have passed ``letter_text_errors``."""
    parts = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        parts.append(literal)
        if name is not None:
            parts.append(str(values[LETTER_PLACEHOLDERS[name]]))
    return "".join(parts)


class DonorLetterQuerySet(models.QuerySet):
    def current(self) -> DonorLetter:
        """The letter, created with the default wording if the row is missing (a flushed
        database: the data migration seeds it everywhere else)."""
        letter, _created = self.get_or_create(
            pk=DonorLetter.SINGLETON_ID,
            defaults={
                f"{field}_{language}": text
                for language, texts in DEFAULT_LETTER.items()
                for field, text in texts.items()
            },
        )
        return letter


class DonorLetter(models.Model):
    """The letter of thanks (礼状) sent to the company with its receipt (受領証), in the
    company's language. One row; staff edit its wording, with history of who changed it."""

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    subject = models.CharField(
        _("件名"),
        max_length=200,
        help_text=format_lazy(
            "{}{}", _("メールの件名。本文と同じ差込み項目が使えます："), _PLACEHOLDER_LIST
        ),
    )
    body = models.TextField(
        _("本文"),
        help_text=format_lazy(
            "{}{}{}",
            _(
                "メールの本文（礼状）。受領証のPDFを添付して送ります。次の差込み項目は、"
                "送付するときに寄附の内容で置き換わります（英語版でも同じ項目名で書きます）："
            ),
            _PLACEHOLDER_LIST,
            _(
                "。{寄附金額}は日本語では1,000,000円、英語では¥1,000,000のように、{受領日}も"
                "それぞれの言語の書き方になります。{市の担当}は「サイト情報・問い合わせ先」の"
                "課・担当・電話番号・メールアドレスです。"
            ),
        ),
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = DonorLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("礼状の文面")
        verbose_name_plural = _("礼状の文面")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="donorletter_single_row"),
        ]

    def __str__(self) -> str:
        return str(_("受領証に添える礼状"))

    def clean(self):
        """Every language's subject and body: present, and with known placeholders only."""
        super().clean()
        errors: dict[str, list[ValidationError]] = {}
        for language in DEFAULT_LETTER:
            for field in ("subject", "body"):
                name = f"{field}_{language}"
                text = getattr(self, name, None) or ""
                if not text.strip():
                    # An empty English text would send the English mail in Japanese.
                    errors.setdefault(name, []).append(
                        ValidationError(_("入力してください。"), code="required")
                    )
                    continue
                found = letter_text_errors(text)
                if found:
                    errors.setdefault(name, []).extend(found)
        if errors:
            raise ValidationError(errors)

    def texts(self, language: str) -> tuple[str, str]:
        """The subject and the body in ``language`` (``ja`` or ``en``)."""
        return getattr(self, f"subject_{language}"), getattr(self, f"body_{language}")


# The wording the data migration seeds (and ``current`` restores on a flushed database). The
# city writes as 平塚市 and signs as its mayor; the receipt it refers to is always Japanese.
DEFAULT_LETTER: dict[str, dict[str, str]] = {
    "ja": {
        "subject": "【平塚市】寄附金受領証の送付と御礼（受領証番号 {受領証番号}）",
        "body": """{法人名}
{ご担当者名} 様

拝啓　時下ますますご清栄のこととお喜び申し上げます。

このたびは、企業版ふるさと納税（地方創生応援税制）により、平塚市の「{活用先}」に多大なるご寄附を賜り、誠にありがとうございました。心より厚く御礼申し上げます。

ご寄附は、次のとおり確かに受領いたしました。

　寄附金額：{寄附金額}
　受領日：{受領日}
　受領証番号：{受領証番号}

寄附金の受領証（PDF）をこのメールに添付してお送りします。受領証は、寄附金の額と受領した日を証するもので、法人税等の申告で税額控除を受ける際に必要となりますので、大切に保管してください。

お寄せいただいたご寄附は、ご指定の取組みに大切に活用させていただきます。今後とも平塚市のまちづくりに変わらぬご理解とご支援を賜りますよう、よろしくお願い申し上げます。

末筆ながら、貴社のますますのご発展を心よりお祈り申し上げます。

敬具

平塚市長

【本件に関するお問い合わせ】
{市の担当}
""",
    },
    "en": {
        "subject": (
            "[Hiratsuka City] Your donation receipt and our thanks (receipt no. {受領証番号})"
        ),
        "body": """{法人名}
Dear {ご担当者名},

On behalf of Hiratsuka City, I would like to express our sincere gratitude for your
generous donation to {活用先} under the corporate hometown tax donation
scheme (企業版ふるさと納税).

We confirm that we have received your donation as follows:

  Amount: {寄附金額}
  Date received: {受領日}
  Receipt number: {受領証番号}

Please find the city's official receipt (受領証, PDF) attached to this e-mail. It
certifies the amount and the date on which the city received your donation, and you
will need it to claim the tax credit in your corporate tax return, so please keep it
in a safe place. As an official document, the receipt is issued in Japanese.

Your donation will be put to careful use in the work you chose to support. We would
be most grateful for your continued understanding and support of Hiratsuka City.

With our warmest wishes for the continued success of your company,

Yours sincerely,

Mayor of Hiratsuka City

For enquiries about this letter:
{市の担当}
""",
    },
}
