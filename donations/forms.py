"""The public donation inquiry form: it only validates and normalises (DESIGN.md §6.5)."""

from __future__ import annotations

import re

import phonenumbers
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.japanese import (
    fiscal_year,
    fiscal_year_label,
    normalize_kana_reading,
    normalize_number_text,
)
from core.models import SiteProfile
from core.validators import validate_corporate_number
from projects.models import Project

from .abuse import FormTokenError, issue_form_token, read_form_token, sent_too_fast
from .inquiry_steps import SECTIONS
from .models import MINIMUM_CORPORATE_DONATION
from .postal import address_for_postal_code
from .services import InquiryData

MAXIMUM_PLANNED_AMOUNT = 10**12  # ¥1 trillion: anything above is a typing error
KATAKANA_READING = re.compile(r"^[ァ-ヶー・＆　]+$")
# Postal codes starting with 254 are all in Hiratsuka; its few others (the Kanome area's 259-12xx)
# are caught by the city's name in the address.
HIRATSUKA_POSTAL_PREFIX = "254"
HIRATSUKA_NAMES = ("平塚市", "hiratsuka")
UNKNOWN_POSTAL_CODE = _(
    "この郵便番号から住所が見つかりませんでした。郵便番号をご確認いただくか、"
    "住所を直接ご記入ください。"
)


def planned_fiscal_year_choices() -> list[tuple[int, str]]:
    """From this fiscal year to the scheme's last one (a setting)."""
    first = fiscal_year(timezone.localdate())
    return [
        (year, fiscal_year_label(year))
        for year in range(first, settings.CORPORATE_HOMETOWN_TAX_LAST_FISCAL_YEAR + 1)
    ]


def _contact_params() -> dict[str, str]:
    """Whom a company the scheme excludes can talk to instead (the city's contact)."""
    profile = SiteProfile.objects.current()
    return {
        "department": profile.department if profile else "",
        "phone": profile.phone if profile else "",
    }


class ProjectChoiceField(forms.ModelMultipleChoiceField):
    """Refuses anything that is not a plausible id before asking the database: an id past the
    64-bit range would otherwise reach SQLite or PostgreSQL and fail there."""

    def _check_values(self, value):
        for item in value:
            text = str(item)
            if not text.isascii() or not text.isdigit() or int(text) >= 2**63:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": text},
                )
        return super()._check_values(value)


def _reading(value: str) -> str:
    reading = normalize_kana_reading(value)
    if not KATAKANA_READING.match(reading):
        raise ValidationError(
            _("フリガナはカタカナで入力してください（ひらがなは自動でカタカナに直します）。"),
            code="not_katakana",
        )
    return reading


class DonationInquiryForm(forms.Form):
    # autocomplete and inputmode: the browser fills in what it knows and a phone shows the
    # right keyboard (numbers for digits, a dial pad for the phone number).
    company_name = forms.CharField(
        label=_("法人名"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    company_name_kana = forms.CharField(
        label=_("法人名（フリガナ）"), max_length=200, help_text=_("例：カブシキガイシャヒラツカ")
    )
    corporate_number = forms.CharField(
        label=_("法人番号"),
        required=False,
        max_length=30,
        help_text=_("13桁。分かる場合のみご記入ください。"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    postal_code = forms.CharField(
        label=_("本社の郵便番号"),
        max_length=10,
        help_text=_("例：254-8686"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    head_office_address = forms.CharField(
        label=_("本社（主たる事務所）の所在地"),
        max_length=300,
        help_text=_("登記上の本社・主たる事務所の所在地をご記入ください。"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    # Someone else's name (not the person filling in the form): no autocomplete token fits, and
    # "name" would offer the contact's own name.
    representative = forms.CharField(
        label=_("代表者の役職・氏名"),
        max_length=200,
        required=False,
        help_text=_(
            "寄附申出書に記入します。例：代表取締役 平塚 太郎（分からない場合は空欄で構いません）"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    files_blue_return = forms.TypedChoiceField(
        label=_("青色申告を行っていますか"),
        choices=[("yes", _("はい")), ("no", _("いいえ"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=_("企業版ふるさと納税は、青色申告を行う法人が対象です。"),
    )
    department = forms.CharField(label=_("部署名"), max_length=200, required=False)
    contact_name = forms.CharField(
        label=_("ご担当者名"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_name_kana = forms.CharField(label=_("ご担当者名（フリガナ）"), max_length=100)
    email = forms.EmailField(
        label=_("メールアドレス"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )
    phone = forms.CharField(
        label=_("電話番号"),
        max_length=30,
        help_text=_("例：0463-21-9758"),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
    )
    planned_amount = forms.CharField(
        label=_("寄附予定額（円）"),
        max_length=30,
        help_text=_("10万円以上。例：1000000"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    planned_fiscal_year = forms.TypedChoiceField(
        label=_("寄附予定年度"), coerce=int, choices=planned_fiscal_year_choices
    )
    projects = ProjectChoiceField(
        label=_("関心のある取組み"),
        queryset=Project.objects.none(),  # set per form: see __init__
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_publish_name = forms.BooleanField(
        label=_("寄附実績に法人名を公表してよい"), required=False
    )
    consent_publish_amount = forms.BooleanField(
        label=_("寄附実績に寄附額を公表してよい"), required=False
    )
    message = forms.CharField(
        label=_("お問い合わせ内容"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    privacy_consent = forms.BooleanField(
        label=_("個人情報の取扱いに同意する"),
        error_messages={"required": _("送信するには、個人情報の取扱いへの同意が必要です。")},
    )
    # Anti-abuse fields (donations.abuse): the signed form token, a fresh one in each copy of
    # the form, whose time trap this form checks; and the honeypot (a field people never see
    # or reach, which bots fill in), which the view refuses before the form is read.
    form_token = forms.CharField(widget=forms.HiddenInput, initial=issue_form_token)
    website = forms.CharField(required=False, label=_("この欄は空欄のままにしてください"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # What is public depends on the clock (scheduled publication): ask when the form is
        # made, not when the module was imported.
        self.fields["projects"].queryset = Project.objects.open_for_support()
        self.helper = self._layout()
        self._token = self._read_token() if self.is_bound else None

    def _read_token(self) -> dict | None:
        """The payload of the token this copy was sent with, or None when it has expired (left
        open for a day) or is not ours: then this copy takes a fresh token, so that it can be
        sent again once the company has checked what it typed."""
        try:
            return read_form_token(self.data.get("form_token", ""))
        except FormTokenError:
            self.data = self.data.copy()
            self.data["form_token"] = issue_form_token()
            return None

    def submission_token(self) -> str:
        """The nonce naming the copy of the form that was sent: stored with the inquiry, so
        that a second submission of the same copy (a double click, a reload) finds it."""
        return self._token["nonce"]

    # --- Field rules -------------------------------------------------------------------------

    def clean_company_name_kana(self) -> str:
        return _reading(self.cleaned_data["company_name_kana"])

    def clean_contact_name_kana(self) -> str:
        return _reading(self.cleaned_data["contact_name_kana"])

    def clean_corporate_number(self) -> str:
        number = re.sub(r"[\s-]", "", normalize_number_text(self.cleaned_data["corporate_number"]))
        if number:
            validate_corporate_number(number)
        return number

    def clean_postal_code(self) -> str:
        code = normalize_number_text(self.cleaned_data["postal_code"]).replace(" ", "")
        if not re.fullmatch(r"[0-9]{3}-?[0-9]{4}", code):
            raise ValidationError(
                _("郵便番号は7桁の数字で入力してください（例：254-8686）。"), code="invalid"
            )
        digits = code.replace("-", "")
        return f"{digits[:3]}-{digits[3:]}"

    def clean_head_office_address(self) -> str:
        return normalize_number_text(self.cleaned_data["head_office_address"])

    def clean_representative(self) -> str:
        return " ".join(self.cleaned_data["representative"].split())

    def clean_files_blue_return(self) -> bool:
        if not self.cleaned_data["files_blue_return"]:
            raise ValidationError(
                _(
                    "企業版ふるさと納税の制度上、寄附できるのは青色申告を行う法人に限られます。"
                    "ほかの形での応援をお考えの場合は、%(department)s（電話 %(phone)s）へ"
                    "ご相談ください。"
                ),
                code="no_blue_return",
                params=_contact_params(),
            )
        return True

    def clean_phone(self) -> str:
        text = normalize_number_text(self.cleaned_data["phone"])
        try:
            number = phonenumbers.parse(text, "JP")
        except phonenumbers.NumberParseException:
            number = None
        if number is None or not phonenumbers.is_valid_number(number):
            raise ValidationError(
                _("電話番号を確認してください（例：0463-21-9758）。"), code="invalid_phone"
            )
        if number.country_code != 81:
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)

    def clean_planned_amount(self) -> int:
        text = normalize_number_text(self.cleaned_data["planned_amount"])
        text = text.replace(",", "").replace("円", "").replace("¥", "").strip()
        if not text.isdigit():
            raise ValidationError(
                _("寄附予定額は円単位の数字で入力してください（例：1000000）。"),
                code="not_a_number",
            )
        amount = int(text)
        if amount < MINIMUM_CORPORATE_DONATION:
            raise ValidationError(
                _("企業版ふるさと納税の寄附額は1回10万円以上です。"), code="below_minimum"
            )
        if amount > MAXIMUM_PLANNED_AMOUNT:
            raise ValidationError(_("寄附予定額をご確認ください。"), code="too_large")
        return amount

    def clean(self):
        cleaned = super().clean()
        address = cleaned.get("head_office_address", "")
        postal_code = cleaned.get("postal_code", "")
        if any(name in address.lower() for name in HIRATSUKA_NAMES) or postal_code.startswith(
            HIRATSUKA_POSTAL_PREFIX
        ):
            self.add_error("head_office_address", self._head_office_in_hiratsuka_error())
        self._check_time_trap()
        return cleaned

    def _check_time_trap(self) -> None:
        # Not a field's error: the token is hidden, and the message is about the whole form.
        if self._token is None:
            self.add_error(
                None,
                ValidationError(
                    _(
                        "フォームの有効期限が切れました。内容をご確認のうえ、"
                        "もう一度送信してください。"
                    ),
                    code="form_expired",
                ),
            )
        elif sent_too_fast(self._token):
            self.add_error(
                None,
                ValidationError(
                    _("送信が早すぎます。内容をご確認のうえ、もう一度送信してください。"),
                    code="sent_too_fast",
                ),
            )

    @staticmethod
    def _head_office_in_hiratsuka_error() -> ValidationError:
        return ValidationError(
            _(
                "本社（主たる事務所）が平塚市内にある法人は、企業版ふるさと納税の制度上、平塚市へ"
                "寄附することができません（市内の支店・営業所からのご相談は可能です）。"
                "ほかの形での応援をお考えの場合は、%(department)s（電話 %(phone)s）へ"
                "ご相談ください。"
            ),
            code="head_office_in_hiratsuka",
            params=_contact_params(),
        )

    def fill_address(self) -> bool:
        """The 「住所を自動入力」 button: the address from the postal code, in a form shown
        again unchecked (nothing typed is called wrong, nothing is stored); an unknown postal
        code is said at its field. True when the address was filled in."""
        address = address_for_postal_code(self.data.get("postal_code", ""))
        # Shown as is: no field is judged but the postal code.
        self.cleaned_data = {}
        self._errors = ErrorDict()
        if address is None:
            self.add_error(
                "postal_code",
                ValidationError(UNKNOWN_POSTAL_CODE, code="unknown_postal_code"),
            )
            return False
        current = self.data.get("head_office_address", "")
        if not normalize_number_text(current).startswith(address):
            self.data = self.data.copy()
            self.data["head_office_address"] = address
        return True

    def inquiry_data(self) -> InquiryData:
        fields = InquiryData.__dataclass_fields__
        return InquiryData(**{name: self.cleaned_data[name] for name in fields})

    # --- Layout ------------------------------------------------------------------------------

    def _layout(self) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "post"
        helper.form_action = reverse("donations:inquiry")
        helper.attrs = {"novalidate": ""}  # our own messages, next to each field
        # The publication note comes before the two consents it explains; the button that
        # fills in the address comes right after the postal code.
        extras_before = {
            "consent_publish_name": HTML(
                '{% include "donations/includes/publication_note.html" %}'
            ),
            "head_office_address": HTML(
                '{% include "donations/includes/postal_fill_button.html" %}'
            ),
        }
        fieldsets = [
            Fieldset(
                title,
                *(
                    item
                    for name in names
                    for item in ([extras_before[name]] if name in extras_before else []) + [name]
                ),
            )
            for title, names in SECTIONS
        ]
        helper.layout = Layout(
            HTML('{% include "donations/includes/default_submit.html" %}'),
            *fieldsets,
            HTML('{% include "donations/includes/privacy_summary.html" %}'),
            "privacy_consent",
            "form_token",
            HTML('{% include "donations/includes/honeypot.html" %}'),
            Submit("confirm", _("入力内容を確認する"), css_class="btn-lg"),
        )
        return helper
