"""Donations and donors as spreadsheets (CSV/XLSX) staff import and export in the admin, and
inquiries exported for the staff who may read their personal data.

取り込みの書式 — what last year's spreadsheet should look like (also on the import pages, with a
sample file): one row per donation, the first row the column names below. ID, 和暦 and 寄附者ID
are what an export adds: leave them out (or empty) for new rows; with an ID the row updates that
donation. The donor is found by 寄附者ID, else by 法人番号, else by its exact name: import the
donors first (寄附者 → インポート) when they are new.
"""

from __future__ import annotations

from django.core.exceptions import MultipleObjectsReturned, ValidationError
from django.utils.translation import gettext
from import_export import fields, widgets

from core.spreadsheets import (
    ChoiceLabelWidget,
    DateWidget,
    ExportOnlyResource,
    FiscalYearWidget,
    SpreadsheetResource,
    YenWidget,
    YesNoWidget,
    wareki_column,
)
from core.validators import validate_corporate_number
from projects.models import Project

from .models import Donation, DonationInquiry, Donor, InquiryStatus, Scheme

# Column names: the models' verbose names, as staff see them in the admin.
ID = "ID"
WAREKI = "和暦"
DONOR = "寄附者"
DONOR_ID = "寄附者ID"
CORPORATE_NUMBER = "法人番号"


def text_field(attribute: str, column: str) -> fields.Field:
    return fields.Field(
        attribute=attribute, column_name=column, widget=widgets.CharWidget(allow_blank=True)
    )


def yes_no_field(attribute: str, column: str) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=column, widget=YesNoWidget())


class DonorWidget(widgets.ForeignKeyWidget):
    """The donor of a donation row: by 寄附者ID (an export), else 法人番号, else its exact name."""

    def __init__(self, **kwargs):
        super().__init__(Donor, **kwargs)

    def clean(self, value, row=None, **kwargs):
        row = row or {}
        donor_id = str(row.get(DONOR_ID) or "").strip()
        number = str(row.get(CORPORATE_NUMBER) or "").strip()
        name = str(value or "").strip()
        if donor_id:
            if not donor_id.isdigit() or not (donor := Donor.objects.filter(pk=donor_id).first()):
                raise ValueError(
                    gettext("寄附者ID「%(id)s」の寄附者はいません。") % {"id": donor_id}
                )
            return donor
        if number:
            donor = Donor.objects.filter(corporate_number=number).first()
            if donor is None:
                raise ValueError(
                    gettext(
                        "法人番号「%(number)s」の寄附者が登録されていません。先に寄附者を登録してください。"
                    )
                    % {"number": number}
                )
            return donor
        if not name:
            raise ValueError(gettext("寄附者の名称を入力してください。"))
        try:
            return Donor.objects.get(name_ja=name)
        except Donor.DoesNotExist:
            raise ValueError(
                gettext(
                    "寄附者「%(name)s」が登録されていません。先に寄附者を登録（インポート）してください。"
                )
                % {"name": name}
            ) from None
        except MultipleObjectsReturned:
            raise ValueError(
                gettext("「%(name)s」という寄附者が複数います。法人番号の列で指定してください。")
                % {"name": name}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ProjectsWidget(widgets.ManyToManyWidget):
    """The funded projects by their Japanese names, separated by 、; an unknown name is an error
    (ManyToManyWidget would drop it silently)."""

    def __init__(self, **kwargs):
        super().__init__(Project, separator="、", field="title_ja", **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in str(value or "").split(self.separator) if name.strip()]
        projects = {
            project.title_ja: project for project in Project.objects.filter(title_ja__in=names)
        }
        missing = [name for name in names if name not in projects]
        if missing:
            raise ValueError(
                gettext("取組み「%(names)s」が見つかりません。名称をご確認ください。")
                % {"names": "、".join(missing)}
            )
        return [projects[name] for name in names]


class DonorResource(SpreadsheetResource):
    id = fields.Field(attribute="id", column_name=ID, widget=widgets.IntegerWidget())
    kind = fields.Field(attribute="kind", column_name="種別", widget=ChoiceLabelWidget(Donor.Kind))
    name_ja = text_field("name_ja", "名称・氏名")
    name_en = text_field("name_en", "名称・氏名（英語）")
    aliases = text_field("aliases", "ほかの名称")
    is_anonymous = yes_no_field("is_anonymous", "匿名")
    corporate_number = text_field("corporate_number", CORPORATE_NUMBER)
    note_ja = text_field("note_ja", "備考")
    note_en = text_field("note_en", "備考（英語）")

    sample_columns = ["種別", "名称・氏名", "匿名", CORPORATE_NUMBER, "備考"]
    sample_rows = [
        {
            "種別": "法人",
            "名称・氏名": "株式会社湘南テクノ",
            "匿名": "いいえ",
            CORPORATE_NUMBER: "",
        },
        {"種別": "個人", "名称・氏名": "", "匿名": "はい"},
    ]

    class Meta(SpreadsheetResource.Meta):
        model = Donor
        fields = [
            "id",
            "kind",
            "name_ja",
            "name_en",
            "aliases",
            "is_anonymous",
            "corporate_number",
            "note_ja",
            "note_en",
        ]
        import_id_fields = ["id"]

    def get_instance(self, instance_loader, row):
        """A row without an ID updates the donor it names (by 法人番号, else by its exact name)
        rather than adding it twice; anonymous donors have no name to be found by."""
        if str(row.get(ID) or "").strip():
            return super().get_instance(instance_loader, row)
        number = str(row.get(CORPORATE_NUMBER) or "").strip()
        if number:
            return Donor.objects.filter(corporate_number=number).first()
        name = str(row.get("名称・氏名") or "").strip()
        if name:
            return Donor.objects.filter(name_ja=name).first()
        return None

    def before_import_row(self, row, **kwargs):
        # The check digit is checked before the lookup by number, which must not match a typo.
        number = str(row.get(CORPORATE_NUMBER) or "").strip()
        if number:
            try:
                validate_corporate_number(number)
            except ValidationError as error:
                raise ValidationError({CORPORATE_NUMBER: error.messages}) from None


class DonationResource(SpreadsheetResource):
    id = fields.Field(attribute="id", column_name=ID, widget=widgets.IntegerWidget())
    fiscal_year = fields.Field(
        attribute="fiscal_year", column_name="年度", widget=FiscalYearWidget()
    )
    wareki = fields.Field(column_name=WAREKI, readonly=True)
    donor = fields.Field(attribute="donor", column_name=DONOR, widget=DonorWidget())
    donor_ref = fields.Field(column_name=DONOR_ID, readonly=True)
    donor_corporate_number = fields.Field(column_name=CORPORATE_NUMBER, readonly=True)
    amount = fields.Field(attribute="amount", column_name="金額（円）", widget=YenWidget())
    scheme = fields.Field(attribute="scheme", column_name="制度", widget=ChoiceLabelWidget(Scheme))
    received_on = fields.Field(attribute="received_on", column_name="受領日", widget=DateWidget())
    receipt_number = text_field("receipt_number", "受領証番号")
    projects = fields.Field(
        attribute="projects", column_name="活用先の取組み", widget=ProjectsWidget()
    )
    publish_name = yes_no_field("publish_name", "名称を公表する")
    publish_amount = yes_no_field("publish_amount", "金額を公表する")
    position = fields.Field(
        attribute="position", column_name="表示順", widget=widgets.IntegerWidget()
    )

    sample_columns = [
        "年度",
        DONOR,
        CORPORATE_NUMBER,
        "金額（円）",
        "制度",
        "受領日",
        "受領証番号",
        "活用先の取組み",
        "名称を公表する",
        "金額を公表する",
    ]
    sample_rows = [
        {
            "年度": "2023",
            DONOR: "株式会社湘南テクノ",
            "金額（円）": "1000000",
            "制度": "企業版ふるさと納税",
            "受領日": "2023-10-02",
            "名称を公表する": "はい",
            "金額を公表する": "いいえ",
        }
    ]

    class Meta(SpreadsheetResource.Meta):
        model = Donation
        fields = [
            "id",
            "fiscal_year",
            "wareki",
            "donor",
            "donor_ref",
            "donor_corporate_number",
            "amount",
            "scheme",
            "received_on",
            "receipt_number",
            "projects",
            "publish_name",
            "publish_amount",
            "position",
        ]
        import_id_fields = ["id"]

    def get_queryset(self):
        return super().get_queryset().select_related("donor").prefetch_related("projects")

    def dehydrate_wareki(self, donation):
        return wareki_column(donation.fiscal_year)

    def dehydrate_donor_ref(self, donation):
        return donation.donor_id

    def dehydrate_donor_corporate_number(self, donation):
        return donation.donor.corporate_number

    def import_instance(self, instance, row, **kwargs):
        # An empty 表示順 keeps the donation's order (0 for a new one) rather than clearing it.
        if "表示順" in row and not str(row["表示順"] or "").strip():
            row = {**row, "表示順": instance.position or 0}
        super().import_instance(instance, row, **kwargs)


class DonationInquiryResource(ExportOnlyResource):
    """Everything a company sent and the city's follow-up, for staff with the permission to
    read personal data (donations.view_personal_data)."""

    reference = fields.Field(attribute="reference", column_name="受付番号")
    created_at = fields.Field(
        attribute="created_at", column_name="受付日時", widget=widgets.DateTimeWidget()
    )
    status = fields.Field(
        attribute="status", column_name="対応状況", widget=ChoiceLabelWidget(InquiryStatus)
    )
    company_name = fields.Field(attribute="company_name", column_name="法人名")
    company_name_kana = fields.Field(
        attribute="company_name_kana", column_name="法人名（フリガナ）"
    )
    corporate_number = fields.Field(attribute="corporate_number", column_name=CORPORATE_NUMBER)
    postal_code = fields.Field(attribute="postal_code", column_name="本社の郵便番号")
    head_office_address = fields.Field(attribute="head_office_address", column_name="本社の所在地")
    department = fields.Field(attribute="department", column_name="部署名")
    contact_name = fields.Field(attribute="contact_name", column_name="担当者名")
    contact_name_kana = fields.Field(
        attribute="contact_name_kana", column_name="担当者名（フリガナ）"
    )
    email = fields.Field(attribute="email", column_name="メールアドレス")
    phone = fields.Field(attribute="phone", column_name="電話番号")
    planned_amount = fields.Field(
        attribute="planned_amount", column_name="寄附予定額（円）", widget=YenWidget()
    )
    planned_fiscal_year = fields.Field(attribute="planned_fiscal_year", column_name="寄附予定年度")
    planned_wareki = fields.Field(column_name="寄附予定年度（和暦）", readonly=True)
    projects = fields.Field(
        attribute="projects", column_name="関心のある取組み", widget=ProjectsWidget()
    )
    consent_publish_name = yes_no_field("consent_publish_name", "法人名の公表に同意")
    consent_publish_amount = yes_no_field("consent_publish_amount", "寄附額の公表に同意")
    message = fields.Field(attribute="message", column_name="お問い合わせ内容")
    assignee = fields.Field(column_name="市の担当者", readonly=True)
    updated_at = fields.Field(
        attribute="updated_at", column_name="更新日時", widget=widgets.DateTimeWidget()
    )
    anonymised_at = fields.Field(
        attribute="anonymised_at", column_name="個人情報の消去日時", widget=widgets.DateTimeWidget()
    )

    class Meta:
        model = DonationInquiry
        fields = [
            "reference",
            "created_at",
            "status",
            "company_name",
            "company_name_kana",
            "corporate_number",
            "postal_code",
            "head_office_address",
            "department",
            "contact_name",
            "contact_name_kana",
            "email",
            "phone",
            "planned_amount",
            "planned_fiscal_year",
            "planned_wareki",
            "projects",
            "consent_publish_name",
            "consent_publish_amount",
            "message",
            "assignee",
            "updated_at",
            "anonymised_at",
        ]

    def get_queryset(self):
        return super().get_queryset().select_related("assignee").prefetch_related("projects")

    def dehydrate_planned_wareki(self, inquiry):
        return wareki_column(inquiry.planned_fiscal_year)

    def dehydrate_assignee(self, inquiry):
        return inquiry.assignee.get_username() if inquiry.assignee else ""
