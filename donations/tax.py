"""The worked example of corporate hometown-tax relief shown on the donations page.

The relief is "up to about 90%" of the donation: the donation is a deductible expense
(損金算入, about 30%) and, on top of that, a tax credit (税額控除) of up to 60% applies. What a
company actually saves depends on its income and taxes (each credit is capped by the tax it
would have paid), so the page always shows this as an approximation with a disclaimer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.japanese import format_man_yen, normalize_number_text

from .models import MINIMUM_CORPORATE_DONATION

# Percentages of the donation, as the Cabinet Office presents the scheme.
DEDUCTION_PERCENT = 30  # 損金算入による軽減（約3割）
CREDIT_PERCENT = 60  # 税額控除（最大6割）
# Anything above this is a typing mistake rather than a donation to a city (100億円).
MAXIMUM_EXAMPLE_AMOUNT = 10_000_000_000

_DIGITS = re.compile(r"-?[0-9]+")


@dataclass(frozen=True)
class TaxRates:
    """The scheme's rates in whole percent, for the page's explanations."""

    deduction: int = DEDUCTION_PERCENT
    credit: int = CREDIT_PERCENT

    @property
    def relief(self) -> int:
        return self.deduction + self.credit

    @property
    def burden(self) -> int:
        return 100 - self.relief


RATES = TaxRates()


@dataclass(frozen=True)
class TaxReliefExample:
    """The approximate relief on one donation, in whole yen (each part rounded down)."""

    amount: int
    deduction: int
    credit: int
    relief: int
    burden: int


def display_unit(amount: int) -> int:
    """The unit an approximate figure is written in, as the city writes 約37万円 rather than
    約37万370円: 万円 from 10万円 up, 千円 from 1万円, 百円 below."""
    if amount >= 100_000:
        return 10_000
    if amount >= 10_000:
        return 1_000
    return 100


def approximate(example: TaxReliefExample) -> TaxReliefExample:
    """The example as the page shows it, each figure rounded to its display unit: the relief
    down (never promising more than the scheme gives) and the company's burden up (never
    promising less than it pays). The amount itself stays exact."""

    def down(value: int) -> int:
        unit = display_unit(value)
        return value // unit * unit

    def up(value: int) -> int:
        unit = display_unit(value)
        return -(-value // unit) * unit

    return TaxReliefExample(
        amount=example.amount,
        deduction=down(example.deduction),
        credit=down(example.credit),
        relief=down(example.relief),
        burden=up(example.burden),
    )


def tax_relief_example(amount: int, rates: TaxRates = RATES) -> TaxReliefExample:
    """Split ``amount`` yen into the approximate relief of each part and what remains.

    Rounding each part down never overstates the relief; the remaining burden takes the
    rounding, so the parts always add up to the amount.
    """
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"amount must be an int, got {type(amount).__name__}")
    if amount < 0:
        raise ValueError(f"amount must not be negative, got {amount}")
    deduction = amount * rates.deduction // 100
    credit = amount * rates.credit // 100
    relief = deduction + credit
    return TaxReliefExample(
        amount=amount,
        deduction=deduction,
        credit=credit,
        relief=relief,
        burden=amount - relief,
    )


class TaxExampleForm(forms.Form):
    """The amount a visitor wants the example for: a plain GET form that works without JS.

    Accepts what people type: full-width digits, thousands separators and a trailing 円.
    """

    amount = forms.CharField(
        label=_("寄附額（円）"),
        help_text=_("半角・全角の数字で入力してください（例：1000000）。"),
        error_messages={"required": _("寄附額を入力してください。")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "class": "form-control"}
        ),
    )

    def clean_amount(self) -> int:
        text = normalize_number_text(self.cleaned_data["amount"])
        text = "".join(text.split()).replace(",", "").removesuffix("円")
        if not _DIGITS.fullmatch(text):
            raise ValidationError(
                _("寄附額は数字だけで入力してください（例：1000000）。"), code="invalid"
            )
        # Too many digits is too large: checked before int() so no huge number is ever parsed.
        if len(text.lstrip("-").lstrip("0")) > len(str(MAXIMUM_EXAMPLE_AMOUNT)):
            raise self._too_large()
        amount = int(text)
        if amount < MINIMUM_CORPORATE_DONATION:
            raise ValidationError(
                _("企業版ふるさと納税の寄附は1回%(minimum)s以上です。"),
                code="below_minimum",
                params={"minimum": format_man_yen(MINIMUM_CORPORATE_DONATION)},
            )
        if amount > MAXIMUM_EXAMPLE_AMOUNT:
            raise self._too_large()
        return amount

    @staticmethod
    def _too_large() -> ValidationError:
        return ValidationError(
            _("計算できるのは%(maximum)sまでです。金額をご確認ください。"),
            code="too_large",
            params={"maximum": format_man_yen(MAXIMUM_EXAMPLE_AMOUNT)},
        )
