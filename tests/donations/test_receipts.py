"""Receipts (受領証): issued by staff from the admin, stored as they were printed, never changed;
a later issue is a re-issue marked 「再発行」 kept beside the original."""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.japanese import date_label
from donations.admin.record import DonationReceiptAdmin
from donations.models import DonationReceipt, Scheme
from donations.services import receipt_issue
from tests.admin_tools import page_messages
from tests.core.pdf_tools import (
    assert_accessible_japanese_pdf,
    assert_text,
    pdf_info,
    squeezed,
)
from tests.projects.factories import ProjectFactory

from .factories import DonationFactory, DonorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def donation(seeded):
    # After the seed: the city's contact (the issuer) is there as it is on the site.
    return DonationFactory(
        donor=DonorFactory(name_ja="湘南海洋工業株式会社", name_en="Shonan Marine Industries"),
        fiscal_year=2024,
        amount=1_500_000,
        received_on=dt.date(2024, 10, 1),
        receipt_number="R6-0042",
        projects=[ProjectFactory(title_ja="第3世代波力発電の実証")],
    )


# --- The service -------------------------------------------------------------------------------


def test_the_first_issue_is_the_original_with_the_facts_and_the_city_as_issuer(donation, staff):
    receipt = receipt_issue(donation=donation, issued_by=staff)
    assert receipt.kind == DonationReceipt.Kind.ORIGINAL
    assert receipt.issued_by == staff
    content = receipt.file.read()
    assert hashlib.sha256(content).hexdigest() == receipt.sha256
    text = assert_text(
        content,
        "受領証",
        "R6-0042",
        "湘南海洋工業株式会社 様",
        "1,500,000円",
        "令和6年10月1日（2024年10月1日）",
        "令和6年度（2024年度）",
        "企業版ふるさと納税",
        "第3世代波力発電の実証",
        "上記の金額を、平塚市への寄附金として受領しました。",
        "発行者",
        "平塚市",
        "産業振興課 企業支援・労政担当",
        "0463-21-9758",
        squeezed(f"発行日：{date_label(timezone.localdate(), 'ja')}"),
    )
    assert "再発行" not in text
    assert_accessible_japanese_pdf(content, title="受領証 R6-0042", language="ja")
    assert pdf_info(content)["Pages"] == "1"
    assert receipt.snapshot | {"issued_at": None, "issued_on": None} == {
        "kind": "original",
        "receipt_number": "R6-0042",
        "donor_name": "湘南海洋工業株式会社",
        "amount": 1_500_000,
        "received_on": "2024-10-01",
        "fiscal_year": 2024,
        "scheme": "corporate_hometown_tax",
        "scheme_label": "企業版ふるさと納税",
        "projects": ["第3世代波力発電の実証"],
        "issuer": {
            "organization": "平塚市",
            "department": "産業振興課",
            "section": "企業支援・労政担当",
            "phone": "0463-21-9758",
            "email": "sangyo-s@city.hiratsuka.kanagawa.jp",
        },
        "issued_at": None,
        "issued_on": None,
        "original_issued_on": None,
    }


def test_issuing_again_gives_a_reissue_and_keeps_the_original_untouched(donation, staff):
    original = receipt_issue(donation=donation, issued_by=staff)
    first_bytes = original.file.read()
    first_hash = original.sha256

    # The donation's record changes afterwards; the issued receipt does not.
    donation.donor.name_ja = "湘南海洋ホールディングス株式会社"
    donation.donor.save()
    reissue = receipt_issue(donation=donation, issued_by=staff)

    assert reissue.kind == DonationReceipt.Kind.REISSUE
    assert list(donation.receipts.all()) == [original, reissue]
    original.refresh_from_db()
    assert original.sha256 == first_hash
    with original.file.open("rb") as stored:
        assert stored.read() == first_bytes
    assert hashlib.sha256(first_bytes).hexdigest() == first_hash
    assert original.snapshot["donor_name"] == "湘南海洋工業株式会社"
    assert reissue.file.name != original.file.name
    assert_text(
        reissue.file.read(),
        "再発行",
        "湘南海洋ホールディングス株式会社 様",
        squeezed(
            f"この受領証は、{date_label(timezone.localdate(original.issued_at), 'ja')}"
            "に発行した受領証の再発行です。"
        ),
    )
    # A third issue is another re-issue; there is still one original.
    receipt_issue(donation=donation, issued_by=staff)
    assert donation.receipts.originals().count() == 1
    assert donation.receipts.count() == 3


@pytest.mark.parametrize("receipt_number", ["", "R6-0042"])
def test_no_receipt_without_the_date_received(seeded, staff, stored_files, receipt_number):
    donation = DonationFactory(received_on=None, receipt_number=receipt_number)
    with pytest.raises(ValidationError) as error:
        receipt_issue(donation=donation, issued_by=staff)
    assert error.value.code == "receipt_data_missing"
    assert "受領日が登録されていない寄附には、受領証を発行できません" in error.value.messages[0]
    assert not DonationReceipt.objects.exists()
    assert stored_files() == []
    donation.refresh_from_db()
    assert donation.receipt_number == receipt_number  # no number is used up


def test_no_receipt_for_a_donor_without_a_name(db, staff):
    donation = DonationFactory(donor=DonorFactory(anonymous=True), scheme=Scheme.OTHER)
    with pytest.raises(ValidationError) as error:
        receipt_issue(donation=donation, issued_by=staff)
    assert error.value.code == "receipt_donor_unnamed"


def test_a_failed_issue_leaves_no_file_behind(donation, staff, stored_files, monkeypatch):
    def broken_clean(self, *args, **kwargs):
        raise ValidationError("broken")

    monkeypatch.setattr(DonationReceipt, "full_clean", broken_clean)
    with pytest.raises(ValidationError):
        receipt_issue(donation=donation, issued_by=staff)
    assert stored_files() == []


def test_the_database_allows_one_original_per_donation(donation, staff):
    original = receipt_issue(donation=donation, issued_by=staff)
    duplicate = DonationReceipt(
        donation=donation,
        kind=DonationReceipt.Kind.ORIGINAL,
        issued_at=timezone.now(),
        issued_by=staff,
        file=original.file.name,
        sha256=original.sha256,
        snapshot=original.snapshot,
    )
    with pytest.raises(ValidationError, match="すでに発行されています"):
        duplicate.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_an_issued_receipt_is_never_saved_again_and_its_donation_stays(donation, staff):
    receipt = receipt_issue(donation=donation, issued_by=staff)
    receipt.sha256 = "0" * 64
    with pytest.raises(ValueError, match="never changed"):
        receipt.save()
    with pytest.raises(ProtectedError):
        donation.delete()


# --- The admin ---------------------------------------------------------------------------------


def run_issue_action(client, *donations):
    return client.post(
        reverse("admin:donations_donation_changelist"),
        {"action": "issue_receipts", "_selected_action": [str(d.pk) for d in donations]},
        follow=True,
    )


def test_the_action_issues_originals_then_reissues_and_reports_the_rest(staff_client, donation):
    undated = DonationFactory(received_on=None)
    response = run_issue_action(staff_client, donation, undated)
    assert response.status_code == 200
    messages = page_messages(response)
    assert ("success", "受領証を発行しました（原本1件、再発行0件）。") in messages
    assert any(
        level == "error" and str(undated) in text and "受領日が登録されていない" in text
        for level, text in messages
    )
    assert donation.receipts.get().kind == DonationReceipt.Kind.ORIGINAL
    assert not undated.receipts.exists()

    response = run_issue_action(staff_client, donation)
    assert ("success", "受領証を発行しました（原本0件、再発行1件）。") in page_messages(response)
    assert [r.kind for r in donation.receipts.all()] == ["original", "reissue"]


def test_the_action_is_offered_as_受領証を発行する(staff_client, db):
    DonationFactory()  # the action bar shows only above a list with something in it
    page = staff_client.get(reverse("admin:donations_donation_changelist")).content.decode()
    assert '<option value="issue_receipts">受領証を発行する</option>' in page


def test_only_staff_who_may_issue_receipts_get_the_action(db, django_user_model):
    DonationFactory()
    clerk = django_user_model.objects.create_user(username="clerk", is_staff=True, password=None)
    clerk.user_permissions.add(*Permission.objects.filter(codename__endswith="_donation"))
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("admin:donations_donation_changelist")).content.decode()
    assert "issue_receipts" not in page
    clerk.user_permissions.add(Permission.objects.get(codename="add_donationreceipt"))
    clerk = django_user_model.objects.get(pk=clerk.pk)
    client.force_login(clerk)
    page = client.get(reverse("admin:donations_donation_changelist")).content.decode()
    assert "issue_receipts" in page


def test_the_donation_page_lists_its_receipts_read_only_with_links(staff_client, donation, staff):
    original = receipt_issue(donation=donation, issued_by=staff)
    reissue = receipt_issue(donation=donation, issued_by=staff)
    page = staff_client.get(
        reverse("admin:donations_donation_change", args=[donation.pk])
    ).content.decode()
    assert "発行した受領証" in page
    for receipt in (original, reissue):
        url = reverse("admin:donations_donationreceipt_pdf", args=[receipt.pk])
        assert f'<a href="{url}" type="application/pdf">PDFを開く</a>' in page
    assert 'name="receipts-0-kind"' not in page  # shown, not editable


def test_the_pdf_link_serves_the_file_as_issued(staff_client, donation, staff):
    receipt = receipt_issue(donation=donation, issued_by=staff)
    reissue = receipt_issue(donation=donation, issued_by=staff)
    response = staff_client.get(reverse("admin:donations_donationreceipt_pdf", args=[receipt.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == receipt.file.open("rb").read()
    assert f"filename*=utf-8''{quote('受領証_R6-0042.pdf')}" in response["Content-Disposition"]
    response = staff_client.get(reverse("admin:donations_donationreceipt_pdf", args=[reissue.pk]))
    assert quote("受領証_R6-0042_再発行.pdf") in response["Content-Disposition"]
    # Not for the public, nor for unknown receipts.
    assert (
        Client().get(reverse("admin:donations_donationreceipt_pdf", args=[receipt.pk])).status_code
        == 302
    )
    missing = reverse("admin:donations_donationreceipt_pdf", args=[receipt.pk + 100])
    assert staff_client.get(missing).status_code == 404


def test_the_receipt_admin_has_no_add_change_or_delete(staff_client, donation, staff):
    receipt = receipt_issue(donation=donation, issued_by=staff)
    model_admin = DonationReceiptAdmin(DonationReceipt, None)
    request = type("Request", (), {"user": staff})()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, receipt)
    assert not model_admin.has_delete_permission(request, receipt)

    changelist = staff_client.get(reverse("admin:donations_donationreceipt_changelist"))
    assert changelist.status_code == 200
    assert (
        "R6-0042" in changelist.content.decode()
        and "湘南海洋工業株式会社" in changelist.content.decode()
    )
    change_url = reverse("admin:donations_donationreceipt_change", args=[receipt.pk])
    view = staff_client.get(change_url)
    assert view.status_code == 200
    assert 'name="_save"' not in view.content.decode()
    assert "1,500,000円" in view.content.decode() or "1500000" in view.content.decode()
    assert staff_client.post(change_url, {"kind": "reissue"}).status_code == 403
    delete_url = reverse("admin:donations_donationreceipt_delete", args=[receipt.pk])
    assert staff_client.get(delete_url).status_code == 403
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert staff_client.get(reverse("admin:donations_donationreceipt_add")).status_code == 403
    receipt.refresh_from_db()
    assert receipt.kind == DonationReceipt.Kind.ORIGINAL
