"""From a pledge to the public record without retyping (issue 12, point 4): 「寄附として記録する」
on a pledged inquiry records the donation (donor by 法人番号 or new, amount, fiscal year from the
date received, projects, the consent flags exactly) and marks the inquiry 寄附済み, in one
transaction; each refusal stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from donations.models import (
    Donation,
    DonationInquiry,
    Donor,
    InquiryStatus,
    InquiryStatusChange,
    Scheme,
)
from tests.admin_tools import admin_url, open_page, page_messages

from .factories import DonationInquiryFactory, DonorFactory

pytestmark = pytest.mark.django_db

MARCH = dt.date(2025, 3, 31)  # FY2024 (令和6年度)
APRIL = dt.date(2025, 4, 1)  # FY2025 (令和7年度)


def record_url(inquiry) -> str:
    return admin_url(DonationInquiry, "record_donation", inquiry.pk)


def record(client, inquiry, *, amount=1_000_000, received_on=APRIL, further=False):
    data = {"amount": str(amount), "received_on": received_on.isoformat()}
    if further:
        data["further_payment"] = "on"
    return client.post(record_url(inquiry), data)


def stored() -> tuple[int, int, int, int]:
    return (
        Donation.objects.count(),
        Donor.objects.count(),
        InquiryStatusChange.objects.count(),
        Donation.history.count(),
    )


@pytest.fixture
def pledged(inquiry) -> DonationInquiry:
    """The shared inquiry (株式会社湘南テクノ, 法人番号 7000012050002, 第3世代波力発電),
    pledged."""
    DonationInquiry.objects.filter(pk=inquiry.pk).update(status=InquiryStatus.PLEDGED)
    inquiry.refresh_from_db()
    return inquiry


# --- The happy path ------------------------------------------------------------------------------


def test_a_pledge_is_recorded_as_the_donation_of_the_donor_with_its_corporate_number(
    user_with_role, pledged
):
    known = DonorFactory(name_ja="湘南テクノ株式会社（登録済み）", corporate_number="7000012050002")
    officer = user_with_role("寄附担当")

    page = open_page(officer, record_url(pledged)).content.decode()
    assert "湘南テクノ株式会社（登録済み）" in page and "法人番号" in page
    assert 'value="1000000"' in page  # the pledged amount, editable
    assert "追加の納付として記録する" not in page  # nothing recorded from it yet

    response = record(officer, pledged, amount=1_200_000, received_on=APRIL)

    donation = Donation.objects.get()
    assert response.status_code == 302
    assert response.url == admin_url(Donation, "change", donation.pk)
    assert donation.donor == known and Donor.objects.count() == 1
    assert donation.amount == 1_200_000
    assert donation.received_on == APRIL and donation.fiscal_year == 2025
    assert donation.scheme == Scheme.CORPORATE_HOMETOWN_TAX
    assert [p.title_ja for p in donation.projects.all()] == ["第3世代波力発電"]
    assert donation.inquiry == pledged
    pledged.refresh_from_db()
    assert pledged.status == InquiryStatus.DONATED
    change = pledged.status_changes.last()
    assert (change.to_status, change.changed_by) == (InquiryStatus.DONATED, officer.user)
    assert pledged.history.first().history_user == officer.user
    assert donation.history.get().history_user == officer.user
    assert page_messages(officer.get(response.url)) == [
        ("success", f'寄附「<a href="{response.url}">{donation}</a>」を記録しました。')
    ]


def test_without_a_known_corporate_number_a_new_donor_is_created_from_the_inquiry(
    staff_client, pledged
):
    DonorFactory(name_ja="株式会社湘南テクノ")  # the same name, no 法人番号: never matched by name

    record(staff_client, pledged)

    donor = Donation.objects.get().donor
    assert donor.name_ja == "株式会社湘南テクノ"
    assert donor.corporate_number == "7000012050002"
    assert donor.kind == Donor.Kind.COMPANY and not donor.is_anonymous
    assert Donor.objects.filter(name_ja="株式会社湘南テクノ").count() == 2


@pytest.mark.parametrize("name, amount", [(True, False), (False, True), (False, False)])
def test_the_publish_flags_are_exactly_the_companys_consent(staff_client, name, amount):
    inquiry = DonationInquiryFactory(
        status=InquiryStatus.PLEDGED, consent_publish_name=name, consent_publish_amount=amount
    )

    record(staff_client, inquiry)

    donation = Donation.objects.get()
    assert (donation.publish_name, donation.publish_amount) == (name, amount)


@pytest.mark.parametrize("received_on, fiscal_year", [(MARCH, 2024), (APRIL, 2025)])
def test_the_fiscal_year_is_the_one_the_money_was_received_in(
    staff_client, pledged, received_on, fiscal_year
):
    record(staff_client, pledged, received_on=received_on)

    assert Donation.objects.get().fiscal_year == fiscal_year


def test_the_inquiry_and_the_donation_link_to_each_other(staff_client, pledged):
    record(staff_client, pledged)
    donation = Donation.objects.get()

    inquiry_page = open_page(staff_client, admin_url(DonationInquiry, "change", pledged.pk))
    donation_url = admin_url(Donation, "change", donation.pk)
    assert f'href="{donation_url}"' in inquiry_page.content.decode()

    donation_page = open_page(staff_client, donation_url).content.decode()
    inquiry_url = admin_url(DonationInquiry, "change", pledged.pk)
    assert f'<a href="{inquiry_url}">D26-ABC234 株式会社湘南テクノ</a>' in donation_page


def test_a_viewer_sees_the_link_to_the_inquiry_without_its_personal_data(
    user_with_role, staff_client, pledged
):
    record(staff_client, pledged)
    viewer = user_with_role("閲覧者")

    page = open_page(viewer, admin_url(Donation, "change", Donation.objects.get().pk))
    assert "D26-ABC234 株式会社湘南テクノ" in page.content.decode()
    assert "hanako@shonan-techno.example.jp" not in page.content.decode()


def test_the_inquiry_page_offers_the_button_while_pledged(staff_client, inquiry, pledged):
    page = open_page(staff_client, admin_url(DonationInquiry, "change", pledged.pk))
    assert f'href="{record_url(pledged)}"' in page.content.decode()


def test_the_action_leads_to_the_confirmation_page_for_one_inquiry(staff_client, pledged):
    other = DonationInquiryFactory(status=InquiryStatus.PLEDGED)
    changelist = admin_url(DonationInquiry, "changelist")

    response = staff_client.post(
        changelist, {"action": "record_donation", "_selected_action": [str(pledged.pk)]}
    )
    assert response.status_code == 302 and response.url == record_url(pledged)

    response = staff_client.post(
        changelist,
        {"action": "record_donation", "_selected_action": [str(pledged.pk), str(other.pk)]},
        follow=True,
    )
    assert ("warning", "寄附として記録するお問い合わせを1件だけ選んでください。") in page_messages(
        response
    )
    assert not Donation.objects.exists()


# --- Refusals: a clear message on the page, nothing stored ---------------------------------------


def refused(response) -> str:
    assert response.status_code == 200
    return " ".join(
        str(error) for errors in response.context["form"].errors.values() for error in errors
    )


def test_an_amount_under_the_schemes_floor_is_refused(staff_client, pledged):
    before = stored()

    response = record(staff_client, pledged, amount=99_999)

    assert "企業版ふるさと納税の寄附は100,000円以上です。" in refused(response)
    assert stored() == before
    pledged.refresh_from_db()
    assert pledged.status == InquiryStatus.PLEDGED


@pytest.mark.parametrize("status", [InquiryStatus.CONTACTING, InquiryStatus.DECLINED])
def test_an_inquiry_that_is_not_pledged_is_refused(staff_client, status):
    inquiry = DonationInquiryFactory(status=status)
    before = stored()

    response = record(staff_client, inquiry)

    assert "「寄附の申出あり」のお問い合わせだけです" in refused(response)
    assert stored() == before


def test_a_second_donation_needs_staff_to_confirm_a_further_payment(staff_client, pledged):
    record(staff_client, pledged)
    before = stored()

    response = record(staff_client, pledged, amount=500_000)

    assert "「追加の納付として記録する」にチェックしてください" in refused(response)
    assert stored() == before
    page = open_page(staff_client, record_url(pledged)).content.decode()
    assert 'name="further_payment"' in page
    assert f'href="{admin_url(Donation, "change", Donation.objects.get().pk)}"' in page

    response = record(staff_client, pledged, amount=500_000, further=True)

    assert response.status_code == 302
    assert sorted(Donation.objects.values_list("amount", flat=True)) == [500_000, 1_000_000]
    pledged.refresh_from_db()
    assert pledged.status == InquiryStatus.DONATED
    assert pledged.donations.count() == 2
    assert Donor.objects.count() == 1  # the second payment credits the donor of the first


def test_a_date_received_in_the_future_is_refused(staff_client, pledged):
    before = stored()

    response = record(staff_client, pledged, received_on=dt.date.today() + dt.timedelta(days=2))

    assert "受領日には今日までの日付を入力してください。" in refused(response)
    assert stored() == before


# --- Who may record ------------------------------------------------------------------------------


def test_a_viewer_can_neither_run_the_action_nor_open_the_page(user_with_role, pledged):
    viewer = user_with_role("閲覧者")

    changelist = open_page(viewer, admin_url(DonationInquiry, "changelist"))
    assert "record_donation" not in changelist.content.decode()
    change = open_page(viewer, admin_url(DonationInquiry, "change", pledged.pk))
    assert record_url(pledged) not in change.content.decode()
    assert viewer.get(record_url(pledged)).status_code == 403
    assert record(viewer, pledged).status_code == 403
    assert not Donation.objects.exists()


def test_an_editor_cannot_open_the_page(user_with_role, pledged):
    editor = user_with_role("編集者")

    assert editor.get(record_url(pledged)).status_code == 403
