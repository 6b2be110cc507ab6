"""Uploaded documents (PDF): checked to be what they claim before anything is stored."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.validators import is_stored, read_from_start, validate_upload_size

MAX_PDF_BYTES = 30 * 1024 * 1024
# A PDF's trailer ends with %%EOF; writers may append a little whitespace or junk after it.
TRAILER_WINDOW = 2048


def validate_pdf_file(file) -> None:
    """Refuse anything that is not a complete PDF of reasonable size."""
    if is_stored(file):
        return
    validate_upload_size(
        file,
        MAX_PDF_BYTES,
        _("PDFのファイルサイズは%(limit)s以下にしてください（このファイルは%(size)s）。"),
    )
    with read_from_start(file):
        head = file.read(1024)
        file.seek(max(file.size - TRAILER_WINDOW, 0))
        tail = file.read(TRAILER_WINDOW)
    if not head.lstrip(b"\x00\t\n\r ").startswith(b"%PDF-") or b"%%EOF" not in tail:
        raise ValidationError(
            _("PDFとして読み込めないファイルです。PDFファイルを選んでください。"),
            code="not_a_pdf",
        )


class ValidatedPdfField(models.FileField):
    """The model field for every uploaded PDF in the portal."""

    default_validators = [FileExtensionValidator(["pdf"]), validate_pdf_file]

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        field.widget.attrs.setdefault("accept", "application/pdf")
        return field
