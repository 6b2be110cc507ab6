"""Receipt numbers are given, not typed: the first receipt of a donation takes the next number
of the fiscal year it is issued in, in the city's format (RECEIPT_NUMBER_FORMAT); and once a
receipt is issued, what it printed can no longer be changed on the donation."""

from __future__ import annotations

import datetime as dt
import threading
import time
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from donations.models import Donation
from donations.services import receipt_issue, receipt_number_assign
from tests.admin_tools import admin_url, open_page, post_change_form

from .factories import DonationFactory

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def issued_on(day: dt.date):
    """The clock during an issue: noon in Hiratsuka on ``day``."""
    return time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=TOKYO), tick=False)


@pytest.fixture
def unnumbered(seeded):
    return DonationFactory.create_batch(3, receipt_number="", received_on=dt.date(2024, 6, 1))


@pytest.mark.django_db
def test_numbers_count_per_fiscal_year_of_issue_in_the_citys_format(unnumbered, staff):
    first, second, third = unnumbered
    with issued_on(dt.date(2025, 3, 31)):  # the last day of FY2024
        receipt_issue(donation=first, issued_by=staff)
        receipt_issue(donation=second, issued_by=staff)
    with issued_on(dt.date(2025, 4, 1)):  # FY2025 starts again at 001
        receipt_issue(donation=third, issued_by=staff)
        reissue = receipt_issue(donation=first, issued_by=staff)
    for donation in unnumbered:
        donation.refresh_from_db()
    assert [d.receipt_number for d in unnumbered] == [
        "平産第2024-001号",
        "平産第2024-002号",
        "平産第2025-001号",
    ]
    # A re-issue repeats the number of the original, printed on it.
    assert reissue.snapshot["receipt_number"] == "平産第2024-001号"


@pytest.mark.django_db
def test_the_format_is_a_setting_and_a_number_typed_in_the_past_is_skipped(
    unnumbered, staff, settings
):
    settings.RECEIPT_NUMBER_FORMAT = "{era}{era_year}年度 平産受第{serial}号"
    DonationFactory(receipt_number="令和6年度 平産受第1号")  # typed by hand before
    with issued_on(dt.date(2024, 12, 1)):
        receipt = receipt_issue(donation=unnumbered[0], issued_by=staff)
    assert receipt.snapshot["receipt_number"] == "令和6年度 平産受第2号"


@pytest.mark.django_db
def test_a_number_already_given_is_kept(seeded, staff):
    donation = DonationFactory(receipt_number="R6-0042", received_on=dt.date(2024, 6, 1))
    receipt = receipt_issue(donation=donation, issued_by=staff)
    assert receipt.snapshot["receipt_number"] == "R6-0042"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are what PostgreSQL adds here"
)
def test_concurrent_issues_never_take_the_same_number():
    """Two members of staff take a number at the same moment: the second waits for the
    first's transaction and takes the next serial."""
    numbers: list[str] = []
    holding = threading.Event()

    def take(hold: bool):
        try:
            with transaction.atomic():
                numbers.append(receipt_number_assign(issued_on=dt.date(2024, 6, 1)))
                if hold:
                    holding.set()
                    time.sleep(0.5)  # the other one asks meanwhile
        finally:
            connection.close()

    first = threading.Thread(target=take, args=(True,))
    first.start()
    holding.wait(5)
    second = threading.Thread(target=take, args=(False,))
    second.start()
    first.join()
    second.join()
    assert sorted(numbers) == ["平産第2024-001号", "平産第2024-002号"]


# --- What a receipt froze ----------------------------------------------------------------------


@pytest.fixture
def issued(seeded, staff):
    donation = DonationFactory(receipt_number="", received_on=dt.date(2024, 6, 1))
    receipt_issue(donation=donation, issued_by=staff)
    donation.refresh_from_db()
    return donation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", 2_000_000),
        ("received_on", None),
        ("receipt_number", ""),
        ("fiscal_year", 2023),
        ("scheme", "other"),
    ],
)
def test_the_model_refuses_to_change_what_a_receipt_printed(issued, field, value):
    setattr(issued, field, value)
    with pytest.raises(ValidationError) as error:
        issued.full_clean()
    assert "受領証の発行後は変更できません" in error.value.message_dict[field][0]


@pytest.mark.django_db
def test_before_a_receipt_the_record_is_editable_but_the_number_is_never_typed(
    staff_client, seeded
):
    donation = DonationFactory(receipt_number="", received_on=dt.date(2024, 6, 1))
    page = open_page(staff_client, admin_url(Donation, "change", donation.pk)).content.decode()
    assert 'name="amount"' in page and 'name="received_on"' in page
    assert 'name="receipt_number"' not in page
    assert "受領証を発行すると、発行した年度の通し番号で自動的に付けられます。" in page
    donation.amount = 1_200_000
    donation.full_clean()  # no receipt yet: nothing is frozen


@pytest.mark.django_db
def test_after_a_receipt_the_admin_shows_the_printed_fields_read_only(staff_client, issued):
    url = admin_url(Donation, "change", issued.pk)
    page = open_page(staff_client, url).content.decode()
    for name in ("amount", "received_on", "fiscal_year", "donor", "scheme", "projects"):
        assert f'name="{name}"' not in page, name
    assert issued.receipt_number in page
    assert "受領証を発行したため、受領証に記載した内容" in page
    assert "令和6年度（2024年度）" in page and "1,000,000円" in page  # as printed, not 2024
    # A change sent anyway leaves what the receipt printed as it was.
    response = post_change_form(staff_client, issued, amount="2000000", received_on="")
    assert response.status_code == 302
    issued.refresh_from_db()
    assert (issued.amount, issued.received_on) == (1_000_000, dt.date(2024, 6, 1))
    # What is not printed (whether the name is published) still changes.
    post_change_form(staff_client, issued, publish_name="")
    issued.refresh_from_db()
    assert issued.publish_name is False
