"""Uploaded documents: only complete PDFs of a reasonable size get in, whatever their name says."""

from __future__ import annotations

from io import BytesIO

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core import documents
from core.documents import ValidatedPdfField, validate_pdf_file


def pdf_bytes(pages: int = 1) -> bytes:
    """A small, valid PDF drawn by Pillow: header, objects, xref table and %%EOF trailer."""
    buffer = BytesIO()
    first, *others = [Image.new("RGB", (10, 10), "white") for _ in range(pages)]
    first.save(buffer, "PDF", save_all=True, append_images=others)
    return buffer.getvalue()


def upload(data: bytes, name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def refusal(data: bytes, name: str = "document.pdf") -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate_pdf_file(upload(data, name))
    return caught.value


# --- validate_pdf_file --------------------------------------------------------------------------


@pytest.mark.parametrize("pages", [1, 3])
def test_a_real_pdf_is_accepted_and_left_where_it_was(pages):
    file = upload(pdf_bytes(pages))
    file.seek(7)
    validate_pdf_file(file)
    # Saving afterwards stores the whole file, from where the caller had it.
    assert file.tell() == 7


def test_a_pdf_with_a_little_after_its_trailer_is_accepted():
    # Some writers append a newline or a few bytes of padding after %%EOF.
    validate_pdf_file(upload(pdf_bytes() + b"\r\n" + b"\x00" * 100))


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(png(), id="png"),
        pytest.param("第1条 この協定は、連携協力について定める。\n".encode() * 50, id="text"),
        pytest.param(b"", id="empty"),
        pytest.param(pdf_bytes()[:-200], id="truncated-pdf"),
        pytest.param(b"%%EOF\n" + pdf_bytes()[5:], id="no-header"),
    ],
)
def test_a_file_that_is_not_a_complete_pdf_is_refused(data):
    error = refusal(data)
    assert error.code == "not_a_pdf"
    assert error.messages == ["PDFとして読み込めないファイルです。PDFファイルを選んでください。"]


def test_the_truncated_pdf_really_lacks_its_trailer():
    data = pdf_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert b"%%EOF" not in data[:-200]


def test_a_refused_file_is_also_left_where_it_was():
    file = upload(png())
    file.seek(3)
    with pytest.raises(ValidationError):
        validate_pdf_file(file)
    assert file.tell() == 3


def test_a_file_over_the_size_limit_is_refused_with_the_limit_in_the_message(monkeypatch):
    monkeypatch.setattr(documents, "MAX_PDF_BYTES", 500)
    data = pdf_bytes()
    assert len(data) > 500
    error = refusal(data)
    assert error.code == "file_too_large"
    message = error.messages[0]
    assert (
        message.startswith("PDFのファイルサイズは")
        and "以下にしてください（このファイルは" in message
    )
    assert "500" in message


def test_a_file_at_the_size_limit_is_accepted(monkeypatch):
    data = pdf_bytes()
    monkeypatch.setattr(documents, "MAX_PDF_BYTES", len(data))
    validate_pdf_file(upload(data))


# --- ValidatedPdfField --------------------------------------------------------------------------


def field_errors(field: ValidatedPdfField, file) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        field.run_validators(file)
    return [error.code for error in caught.value.error_list]


def test_the_field_refuses_another_extension_even_for_a_real_pdf():
    field = ValidatedPdfField(upload_to="documents/")
    assert field_errors(field, upload(pdf_bytes(), "document.txt")) == ["invalid_extension"]


def test_the_field_refuses_a_text_file_named_txt_on_both_counts():
    field = ValidatedPdfField(upload_to="documents/")
    assert field_errors(field, upload(b"hello\n", "notes.txt")) == [
        "invalid_extension",
        "not_a_pdf",
    ]


def test_the_field_accepts_a_real_pdf_whatever_the_case_of_its_extension():
    field = ValidatedPdfField(upload_to="documents/")
    field.run_validators(upload(pdf_bytes(), "KYOTEI.PDF"))


def test_the_form_widget_offers_pdfs_only():
    form_field = ValidatedPdfField(upload_to="documents/").formfield()
    assert form_field.widget.attrs["accept"] == "application/pdf"
    assert 'accept="application/pdf"' in form_field.widget.render("file", None)


def test_each_form_field_has_its_own_widget_attributes():
    model_field = ValidatedPdfField(upload_to="documents/")
    first = model_field.formfield()
    first.widget.attrs["accept"] = "changed"
    assert model_field.formfield().widget.attrs["accept"] == "application/pdf"


def test_a_form_can_choose_its_own_accept_attribute():
    widget = forms.ClearableFileInput(attrs={"accept": ".pdf"})
    form_field = ValidatedPdfField(upload_to="documents/").formfield(widget=widget)
    assert form_field.widget.attrs["accept"] == ".pdf"
