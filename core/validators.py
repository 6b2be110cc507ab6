"""Validators shared by the apps: Japanese identifiers and uploaded files."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.jp import cn as corporate_number

from .japanese import fiscal_year

# 平成元年度: no record of this site's programs is older, so an earlier year is a typing error.
FIRST_RECORDED_FISCAL_YEAR = 1989


def validate_corporate_number(value: str) -> None:
    """法人番号: 13 ASCII digits whose first digit is the check digit of the other twelve."""
    if not (len(value) == 13 and value.isascii() and value.isdigit()):
        raise ValidationError(_("法人番号は13桁の数字です。"), code="invalid_format")
    if not corporate_number.is_valid(value):
        raise ValidationError(
            _("法人番号のチェックデジットが正しくありません。番号をご確認ください。"),
            code="invalid_check_digit",
        )


def validate_past_fiscal_year(value: int) -> None:
    """A fiscal year (西暦: 2023 for 令和5年度) of something that already happened: from 1989 to
    this fiscal year. Catches a 和暦 number typed for the Western year (5 for 2023) and typos."""
    last = fiscal_year(timezone.localdate())
    if not FIRST_RECORDED_FISCAL_YEAR <= value <= last:
        raise ValidationError(
            _("年度は%(first)d〜%(last)dの西暦で入力してください（例：令和5年度は2023）。"),
            code="fiscal_year_out_of_range",
            params={"first": FIRST_RECORDED_FISCAL_YEAR, "last": last},
        )


def is_stored(file) -> bool:
    """Whether the file was stored already: it was checked when it was uploaded (and the stored
    copy may even be archived elsewhere), so it is not read again on every save."""
    return isinstance(file, FieldFile) and file._committed


@contextmanager
def read_from_start(file) -> Iterator:
    """Read an upload from its first byte, then leave it where it was for whoever reads next
    (Django saves it from there)."""
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        yield file
    finally:
        file.seek(position)


def validate_upload_size(file, limit: int, message: str) -> None:
    """Refuse an upload over ``limit`` bytes; ``message`` names ``%(limit)s`` and ``%(size)s``."""
    if file.size > limit:
        raise ValidationError(
            message,
            code="file_too_large",
            params={"limit": filesizeformat(limit), "size": filesizeformat(file.size)},
        )
