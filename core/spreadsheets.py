"""Spreadsheets staff import and export in the admin (django-import-export): the kit's part.

What a city office's spreadsheets look like, whatever the model:

* CSV as Excel on Japanese Windows writes it (Shift_JIS/cp932) or as UTF-8 (with or without
  the BOM), detected on import; exported as UTF-8 with a BOM, which Excel opens without mojibake;
* Japanese column headers (each field's verbose name), はい/いいえ for yes/no, choices by their
  Japanese label, amounts with or without 円 and commas, fiscal years as 2023 or 令和5年度;
* every row checked by the model's own ``full_clean`` (the admin form's rules), each error
  named by its column, and one transaction: if any row is invalid, nothing is written.

Part of the kit: it names no app and no model of ours; the apps declare their resources
(``<app>/resources.py``) with these widgets and use ``SpreadsheetAdminMixin`` in their admin.
"""

from __future__ import annotations

import re
from datetime import datetime

import tablib
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm, SelectableFieldsExportForm

from .japanese import ERAS, fiscal_year_wareki, normalize_number_text

# --- File formats --------------------------------------------------------------------------------

# Tried in this order: UTF-8 (a BOM is dropped) is strict enough that Shift_JIS text almost never
# decodes as UTF-8 by accident, so a file that fails it is read as Excel's Japanese encoding.
CSV_IMPORT_ENCODINGS = ("utf-8-sig", "cp932")


class ExcelCSV(base_formats.CSV):
    """CSV as Excel reads and writes it in Japan.

    Read as bytes (``is_binary``) so the encoding can be detected here rather than fixed by a
    setting; written as UTF-8 with a BOM, the one signal Excel needs to read UTF-8."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decode_csv(in_stream)
        return super().create_dataset(in_stream, **kwargs)

    def export_data(self, dataset, **kwargs):
        return super().export_data(dataset, **kwargs).encode("utf-8-sig")


def decode_csv(data: bytes) -> str:
    for encoding in CSV_IMPORT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(
        gettext("文字コードを判別できません。UTF-8またはShift_JISのCSVファイルを選んでください。")
    )


SPREADSHEET_FORMATS = [ExcelCSV, base_formats.XLSX]


# --- Widgets: one cell <-> one value -------------------------------------------------------------


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class YesNoWidget(widgets.BooleanWidget):
    """はい/いいえ on export; on import also TRUE/FALSE, 1/0, ○/×, yes/no. An empty cell is いいえ
    (the flags it serves are all "no unless said")."""

    YES = ("はい", "○", "〇", "1", "true", "yes", "y")
    NO = ("いいえ", "×", "0", "false", "no", "n", "")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            value = str(int(value))
        text = normalize_number_text(_text(value)).lower()
        if text in self.YES:
            return True
        if text in self.NO:
            return False
        raise ValueError(gettext("「はい」か「いいえ」で入力してください。"))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return gettext("はい") if value else gettext("いいえ")


class ChoiceLabelWidget(widgets.Widget):
    """A choice by its Japanese label (法人, 個人); the stored code is accepted too."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        for code, label in self.choices.choices:
            if text in (code, str(label)):
                return code
        raise ValueError(
            gettext("「%(value)s」は選べません。次のどれかを入力してください：%(labels)s")
            % {"value": text, "labels": "、".join(str(label) for label in self.choices.labels)}
        )

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        try:
            return str(self.choices(value).label)
        except ValueError:
            return value


class YenWidget(widgets.IntegerWidget):
    """A whole amount of yen: 1000000, 1,000,000, 1,000,000円, ¥1,000,000 or full-width digits."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value != int(value):
                raise ValueError(gettext("金額は円単位の整数で入力してください。"))
            return int(value)
        text = normalize_number_text(_text(value))
        text = re.sub(r"[,，円¥￥\s]", "", text)
        if not text:
            return None
        if not text.isascii() or not text.isdigit():
            raise ValueError(gettext("金額は数字で入力してください（例：1000000）。"))
        return int(text)


_WAREKI_YEAR = re.compile(r"^(?P<era>明治|大正|昭和|平成|令和)(?P<year>元|\d+)年?度?$")


class FiscalYearWidget(widgets.IntegerWidget):
    """A fiscal year as its Western year (2023, as exported), or as 令和5年度 / 令和5."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return int(value)
        text = normalize_number_text(_text(value)).replace("年度", "")
        if not text:
            return None
        if text.isascii() and text.isdigit():
            return int(text)
        if match := _WAREKI_YEAR.match(text):
            era = next(era for era in ERAS if era.name == match["era"])
            year = 1 if match["year"] == "元" else int(match["year"])
            return era.first_year + year - 1
        raise ValueError(gettext("年度は西暦の数字で入力してください（例：2023）。"))


class DateWidget(widgets.DateWidget):
    """2023-05-01 on export; 2023-05-01, 2023/5/1 or an Excel date cell on import."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)
        self.formats = ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = normalize_number_text(value)
        if isinstance(value, datetime):  # an Excel date cell
            return value.date()
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                gettext("日付は 2023-05-01 または 2023/5/1 の形で入力してください。")
            ) from None


def wareki_column(fiscal_year: int | None) -> str:
    """The export's 和暦 column beside the Western fiscal year: 令和5年度."""
    return fiscal_year_wareki(fiscal_year) if fiscal_year else ""


# --- Resources -----------------------------------------------------------------------------------


class SpreadsheetResource(resources.ModelResource):
    """A model as a spreadsheet: the model's own validation for every row, errors named by the
    column staff see, and history recorded as an import."""

    #: The reason the audit trail records for an imported change.
    change_reason = _("ファイルから取り込み")
    #: The columns of the sample file offered on the import page (what a new row needs), and
    #: its example rows by column name.
    sample_columns: list[str] = []
    sample_rows: list[dict] = []

    class Meta:
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def column_for(self, name: str) -> str:
        """The column a model field's error belongs to, in the words of the spreadsheet."""
        for field in self.fields.values():
            if field.attribute == name:
                return field.column_name
        model = self._meta.model
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # an error keyed by something that is not a field
            return name

    def _by_column(self, error: ValidationError) -> ValidationError:
        if not hasattr(error, "error_dict"):
            return error
        return ValidationError(
            {
                (key if key == NON_FIELD_ERRORS else self.column_for(key)): messages
                for key, messages in error.error_dict.items()
            }
        )

    def import_instance(self, instance, row, **kwargs):
        # The package checks many-to-many cells only after saving the row; checked here, an
        # unknown name is that row's error in the preview like any other.
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise self._by_column(error) from None

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = str(self.change_reason)
        super().before_save_instance(instance, row, **kwargs)


class ExportOnlyResource(resources.ModelResource):
    """A model written out for staff, never read back."""

    def import_data(self, *args, **kwargs):  # pragma: no cover - no admin offers it
        raise NotImplementedError("This resource only exports.")


# --- The admin -----------------------------------------------------------------------------------


# The formats by the names staff know; the package shows tablib's ("csv", "xlsx").
FORMAT_LABELS = {"csv": _("CSV（Excelで開けます）"), "xlsx": _("Excel（XLSX）")}


class JapaneseFormatChoices:
    def _init_formats(self, formats):
        super()._init_formats(formats)
        field = self.fields["format"]
        field.choices = [(value, FORMAT_LABELS.get(label, label)) for value, label in field.choices]


class PortalImportForm(JapaneseFormatChoices, ImportForm):
    pass


class PortalExportForm(JapaneseFormatChoices, SelectableFieldsExportForm):
    def _get_field_label(self, resource, field_name: str) -> str:
        # A column is chosen by its heading in the file (金額（円）), not by a title made of
        # the attribute's English name ("Amount (金額（円）)").
        field = resource.fields.get(field_name)
        return field.column_name if field is not None and field.column_name else field_name


class SpreadsheetPermissionsMixin:
    """CSV and XLSX; exporting needs view permission (settings), importing needs both add and
    change, as an import may do either."""

    formats = SPREADSHEET_FORMATS
    import_form_class = PortalImportForm
    export_form_class = PortalExportForm

    def has_import_permission(self, request) -> bool:
        opts = self.model._meta
        return all(
            request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}")
            for action in ("add", "change")
        )

    def get_import_data_kwargs(self, **kwargs):
        # The confirmed import is refused whole if a row became invalid after the preview.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def process_result(self, result, request):
        # Reached after the confirmation: a row that became invalid since the preview (someone
        # changed a donor meanwhile) has rolled the whole import back; say so, never "finished".
        if result.has_errors() or result.has_validation_errors():
            self.message_user(
                request,
                gettext(
                    "取り込めない行があったため、何も書き込みませんでした。"
                    "ファイルを直して、もう一度取り込んでください。"
                ),
                level=messages.ERROR,
            )
            opts = self.model._meta
            return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"))
        return super().process_result(result, request)

    def get_export_filename(self, request, queryset, file_format):
        # The model's Japanese name and the day, as staff name files: 寄附_2026-12-02.csv
        day = timezone.localdate().isoformat()
        return f"{self.model._meta.verbose_name_plural}_{day}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form)
        # The Japanese file name as browsers read it (RFC 6266 filename*), not MIME-encoded.
        response["Content-Disposition"] = content_disposition_header(
            True, self.get_export_filename(request, queryset, file_format)
        )
        return response


class SpreadsheetAdminMixin(SpreadsheetPermissionsMixin, ImportExportMixin):
    """Import (with a preview of every row before anything is written) and export.

    ``import_format_template`` explains the file staff should prepare (取り込みの書式) on the
    import page, which also offers a sample file: the import resource's columns and its
    ``sample_columns`` and ``sample_rows``, as a CSV Excel opens."""

    import_template_name = "admin/import_export/portal_import.html"
    import_format_template = ""

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "import/sample.csv",
                self.admin_site.admin_view(self.import_sample_view),
                name=f"{opts.app_label}_{opts.model_name}_import_sample",
            ),
            *super().get_urls(),
        ]

    def import_sample_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        headers = resource.sample_columns
        dataset = tablib.Dataset(headers=headers)
        for sample in resource.sample_rows:
            dataset.append([sample.get(header, "") for header in headers])
        response = HttpResponse(ExcelCSV().export_data(dataset), content_type="text/csv")
        name = gettext("%(model)s_取り込み用の見本.csv") % {"model": self.model._meta.verbose_name}
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response

    def get_import_context_data(self, **kwargs):
        opts = self.model._meta
        return {
            **super().get_import_context_data(**kwargs),
            "import_format_template": self.import_format_template,
            "import_sample_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_import_sample"),
        }


class SpreadsheetExportMixin(SpreadsheetPermissionsMixin, ExportMixin):
    """Export only."""
