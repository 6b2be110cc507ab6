"""Importing and exporting spreadsheets through the admin, as staff do: the import page, its
preview, the confirmation, and the export form."""

from __future__ import annotations

import csv
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.admin_tools import admin_url

CSV, XLSX = "0", "1"  # the formats' positions on the import and export forms
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_rows(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def upload(client, model, content: bytes, *, name: str = "寄附.csv", file_format: str = CSV):
    """Sends a file to the import page: the response is the preview (or the errors)."""
    return client.post(
        admin_url(model, "import"),
        {
            "resource": "0",
            "format": file_format,
            "import_file": SimpleUploadedFile(name, content),
        },
    )


def confirm(client, model, preview):
    """Confirms the import the preview offered."""
    form = preview.context["confirm_form"]
    assert form is not None, "the preview offers no confirmation"
    return client.post(admin_url(model, "process_import"), form.initial)


def import_file(client, model, content: bytes, **kwargs):
    preview = upload(client, model, content, **kwargs)
    assert preview.status_code == 200
    return confirm(client, model, preview)


def export(client, model, file_format: str = CSV):
    """Sends the export form with every column ticked, as it opens."""
    url = admin_url(model, "export")
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial}
    data.update({"format": file_format, "resource": "0"})
    return client.post(url, data)
