"""Validators for Japanese identifiers shared by the apps."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.jp import cn as corporate_number


def validate_corporate_number(value: str) -> None:
    """法人番号: 13 ASCII digits whose first digit is the check digit of the other twelve."""
    if not (len(value) == 13 and value.isascii() and value.isdigit()):
        raise ValidationError(_("法人番号は13桁の数字です。"), code="invalid_format")
    if not corporate_number.is_valid(value):
        raise ValidationError(
            _("法人番号のチェックデジットが正しくありません。番号をご確認ください。"),
            code="invalid_check_digit",
        )
