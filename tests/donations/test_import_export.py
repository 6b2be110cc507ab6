"""Staff import donations and donors from CSV/XLSX and export records (django-import-export):
a preview of every row before anything is written, nothing written if any row is invalid, the
admin form's rules, Japanese columns, files Excel opens."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from donations.models import Donation, DonationInquiry, Donor, Scheme
from tests.admin_tools import admin_url
from tests.projects.factories import ProjectFactory
from tests.spreadsheet_tools import (
    XLSX,
    csv_bytes,
    export,
    import_file,
    upload,
    xlsx_bytes,
    xlsx_rows,
)

from .factories import DonationFactory, DonationInquiryFactory, DonorFactory

pytestmark = pytest.mark.django_db

HEADERS = ["年度", "寄附者", "金額（円）", "制度", "受領日", "名称を公表する", "金額を公表する"]


@pytest.fixture
def donors():
    return (
        DonorFactory(name_ja="株式会社湘南テクノ", corporate_number="7000012050002"),
        DonorFactory(name_ja="相模マリン株式会社"),
    )


def last_years_sheet(amount: str = "1,000,000円") -> list[list]:
    """What a spreadsheet kept by the section last year looks like."""
    return [
        HEADERS,
        [
            "2023",
            "株式会社湘南テクノ",
            "3000000",
            "企業版ふるさと納税",
            "2023/10/2",
            "はい",
            "はい",
        ],
        [
            "令和5年度",
            "相模マリン株式会社",
            amount,
            "企業版ふるさと納税",
            "2024-01-15",
            "TRUE",
            "0",
        ],
    ]


def assert_imported(staff) -> None:
    donations = Donation.objects.order_by("amount")
    assert [(d.donor.name, d.fiscal_year, d.amount) for d in donations] == [
        ("相模マリン株式会社", 2023, 1_000_000),
        ("株式会社湘南テクノ", 2023, 3_000_000),
    ]
    assert [(d.publish_name, d.publish_amount) for d in donations] == [(True, False), (True, True)]
    assert donations[1].scheme == Scheme.CORPORATE_HOMETOWN_TAX
    assert str(donations[1].received_on) == "2023-10-02"
    # The audit trail names the member of staff who imported them, and how.
    for donation in donations:
        (record,) = donation.history.all()
        assert record.history_type == "+"
        assert record.history_user == staff
        assert record.history_change_reason == "ファイルから取り込み"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp932"])
def test_a_csv_from_excel_imports_exactly_its_rows_with_history(staff_client, donors, encoding):
    preview = staff_client.get(admin_url(Donation, "import"))
    assert "取り込みの書式" in preview.content.decode()
    preview = upload(staff_client, Donation, csv_bytes(last_years_sheet(), encoding))
    html = preview.content.decode()
    # Every row is shown before anything is written.
    assert "プレビュー" in html and html.count(">新規<") + html.count("新規\n") >= 1
    assert "株式会社湘南テクノ" in html and "相模マリン株式会社" in html
    assert not Donation.objects.exists()
    response = staff_client.post(
        admin_url(Donation, "process_import"), preview.context["confirm_form"].initial
    )
    assert response.status_code == 302
    assert_imported(staff_client.user)


def test_an_xlsx_imports_exactly_its_rows(staff_client, donors):
    import_file(staff_client, Donation, xlsx_bytes(last_years_sheet()), file_format=XLSX)
    assert_imported(staff_client.user)


@pytest.mark.parametrize(
    ("amount", "column", "error"),
    [
        ("50000", "金額（円）", "企業版ふるさと納税の寄附は100,000円以上です。"),
        ("百万円", "金額（円）", "金額は数字で入力してください"),
    ],
)
def test_one_bad_row_writes_nothing_and_shows_its_error(
    staff_client, donors, amount, column, error
):
    preview = upload(staff_client, Donation, csv_bytes(last_years_sheet(amount)))
    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is None  # nothing to confirm
    html = preview.content.decode()
    assert "エラーのある行があります" in html
    (invalid,) = preview.context["result"].invalid_rows
    assert invalid.number == 2  # the second data row, as staff count them
    assert error in " ".join(invalid.field_specific_errors[column])
    assert error in html and column in html
    assert not Donation.objects.exists()
    assert not Donation.history.exists()


@pytest.mark.parametrize(
    ("row", "column", "error"),
    [
        (["1999", "株式会社湘南テクノ", "300000", "企業版ふるさと納税"], "年度", "2016"),
        (["5", "株式会社湘南テクノ", "300000", "企業版ふるさと納税"], "年度", "西暦で入力"),
        (
            ["2023", "株式会社まだない", "300000", "企業版ふるさと納税"],
            "寄附者",
            "登録されていません",
        ),
        (["2023", "株式会社湘南テクノ", "300000", "寄付"], "制度", "次のどれか"),
    ],
)
def test_the_admin_forms_rules_hold_for_each_row(staff_client, donors, row, column, error):
    content = csv_bytes([HEADERS[:4], row])
    (invalid,) = upload(staff_client, Donation, content).context["result"].invalid_rows
    assert error in " ".join(invalid.field_specific_errors[column])
    assert not Donation.objects.exists()


def test_an_anonymous_donors_name_cannot_be_published(staff_client):
    DonorFactory(anonymous=True)
    donor = Donor.objects.get()
    content = csv_bytes(
        [
            ["年度", "寄附者", "寄附者ID", "金額（円）", "名称を公表する"],
            ["2023", "", str(donor.pk), "500000", "はい"],
        ]
    )
    (invalid,) = upload(staff_client, Donation, content).context["result"].invalid_rows
    assert "匿名の寄附者の名称は公表できません。" in invalid.field_specific_errors["名称を公表する"]


def test_a_row_invalid_by_the_confirmation_blocks_the_whole_import(staff_client, donors):
    preview = upload(staff_client, Donation, csv_bytes(last_years_sheet()))
    # Between the preview and the confirmation a colleague renames a donor the file names.
    Donor.objects.filter(name_ja="相模マリン株式会社").update(name_ja="相模マリン工業株式会社")
    response = staff_client.post(
        admin_url(Donation, "process_import"),
        preview.context["confirm_form"].initial,
        follow=True,
    )
    assert "何も書き込みませんでした" in response.content.decode()
    assert not Donation.objects.exists()


def test_donors_import_with_a_checked_corporate_number(staff_client, donors):
    content = csv_bytes(
        [
            ["種別", "名称・氏名", "匿名", "法人番号"],
            ["法人", "平塚テスト株式会社", "いいえ", "1234567890123"],
            ["法人", "大磯テスト株式会社", "いいえ", ""],
        ]
    )
    (invalid,) = upload(staff_client, Donor, content).context["result"].invalid_rows
    assert invalid.number == 1
    assert "チェックデジット" in " ".join(invalid.field_specific_errors["法人番号"])
    assert Donor.objects.count() == 2


def test_a_known_donor_is_updated_not_added_twice(staff_client, donors):
    content = csv_bytes(
        [
            ["種別", "名称・氏名", "匿名", "法人番号", "備考"],
            ["法人", "株式会社湘南テクノ", "いいえ", "7000012050002", "旧 湘南技研"],
            ["個人", "", "はい", "", ""],
        ]
    )
    import_file(staff_client, Donor, content)
    assert Donor.objects.count() == 3
    assert Donor.objects.get(corporate_number="7000012050002").note == "旧 湘南技研"
    assert Donor.objects.filter(is_anonymous=True).count() == 1


def test_an_xlsx_export_imports_back_without_a_change(staff_client, donors):
    project = ProjectFactory(title_ja="第3世代波力発電")
    DonationFactory(donor=donors[0], fiscal_year=2023, amount=2_000_000, projects=[project])
    DonationFactory(donor__anonymous=True, scheme=Scheme.OTHER, amount=30_000, publish_name=False)
    before = list(Donation.objects.values().order_by("pk"))
    response = export(staff_client, Donation, XLSX)
    assert response.status_code == 200
    rows = xlsx_rows(response.content)
    assert rows[0][:4] == ["ID", "年度", "和暦", "寄附者"]
    assert "令和5年度" in rows[1] or "令和5年度" in rows[2]
    preview = upload(staff_client, Donation, response.content, name="寄附.xlsx", file_format=XLSX)
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.valid_rows()] == ["skip", "skip"]
    import_file(staff_client, Donation, response.content, name="寄附.xlsx", file_format=XLSX)
    assert list(Donation.objects.values().order_by("pk")) == before
    assert list(Donation.objects.get(amount=2_000_000).projects.all()) == [project]


def test_the_csv_export_opens_in_excel_with_japanese_headers(staff_client, donors):
    DonationFactory(donor=donors[0], fiscal_year=2023, publish_amount=False)
    response = export(staff_client, Donation)
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("ID,年度,和暦,寄附者,寄附者ID,法人番号,金額（円）,制度")
    assert "株式会社湘南テクノ" in text and "令和5年度" in text and ",いいえ," in text
    assert "filename*=utf-8''" in response["Content-Disposition"]


def test_the_sample_file_is_what_the_import_reads(staff_client, donors):
    sample = staff_client.get(admin_url(Donation, "import_sample"))
    assert sample.status_code == 200
    assert sample.content.startswith(b"\xef\xbb\xbf")
    assert sample.content.decode("utf-8-sig").startswith("年度,寄附者,法人番号,金額（円）")
    import_file(staff_client, Donation, sample.content)
    assert Donation.objects.get().donor == donors[0]


# --- Who may import and export --------------------------------------------------------------------


def member_of_staff(django_user_model, *codenames: str) -> Client:
    user = django_user_model.objects.create_user(username="shokuin", is_staff=True, password=None)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def test_import_needs_add_and_change(django_user_model):
    client = member_of_staff(django_user_model, "view_donation", "change_donation")
    assert client.get(admin_url(Donation, "import")).status_code == 403
    assert client.get(admin_url(Donation, "import_sample")).status_code == 403
    assert export(client, Donation).status_code == 200


def test_export_needs_view(django_user_model):
    client = member_of_staff(django_user_model, "view_donor")
    assert client.get(admin_url(Donation, "export")).status_code == 403
    assert client.post(admin_url(Donation, "export"), {"format": "0"}).status_code == 403


def test_the_inquiry_export_needs_the_personal_data_permission(django_user_model):
    DonationInquiryFactory(contact_name="山田 花子", email="hanako@example.jp")
    client = member_of_staff(django_user_model, "view_donationinquiry")
    assert client.get(admin_url(DonationInquiry, "export")).status_code == 403
    changelist = client.get(admin_url(DonationInquiry, "changelist")).content.decode()
    assert "エクスポート" not in changelist


def test_staff_who_may_read_personal_data_export_inquiries(django_user_model):
    DonationInquiryFactory(contact_name="山田 花子", email="hanako@example.jp")
    client = member_of_staff(django_user_model, "view_donationinquiry", "view_personal_data")
    response = export(client, DonationInquiry)
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("受付番号,受付日時,対応状況,法人名")
    assert "山田 花子" in text and "hanako@example.jp" in text and "受付" in text
