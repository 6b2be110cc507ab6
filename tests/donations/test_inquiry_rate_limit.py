"""The inquiry form's rate limit as a company meets it: only accepted inquiries count, a looser
ceiling stops floods, and a refusal keeps what was typed and says when to send again."""

from __future__ import annotations

import pytest

from donations.models import DonationInquiry
from tests.core.factories import SiteProfileFactory

from .inquiry_tools import FORM, send, valid_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(db):
    return SiteProfileFactory()


def test_only_accepted_submissions_count_toward_the_rate_limit(client, contact, settings):
    settings.DONATION_INQUIRY_RATE_LIMIT = 2
    # Corrections do not count: a company that gets a few fields wrong is not locked out.
    for _ in range(5):
        assert send(client, FORM, valid_data(company_name="")).status_code == 200
    assert send(client, FORM, valid_data()).status_code == 302
    assert send(client, FORM, valid_data()).status_code == 302
    assert DonationInquiry.objects.count() == 2
    refused = send(client, FORM, valid_data(company_name="株式会社三番目"))
    assert refused.status_code == 429
    assert DonationInquiry.objects.count() == 2


def test_the_abuse_ceiling_counts_every_post(client, contact, settings):
    settings.DONATION_INQUIRY_ABUSE_LIMIT = 3
    for _ in range(3):
        assert send(client, FORM, valid_data(company_name="")).status_code == 200
    assert send(client, FORM, valid_data()).status_code == 429
    assert DonationInquiry.objects.count() == 0


def test_a_refused_submission_keeps_every_value_and_says_when_to_retry(
    client, contact, settings, time_machine
):
    time_machine.move_to("2026-06-01 10:00:00+09:00", tick=False)
    settings.DONATION_INQUIRY_RATE_LIMIT = 1
    assert send(client, FORM, valid_data()).status_code == 302
    time_machine.move_to("2026-06-01 10:20:00+09:00", tick=False)
    response = send(client, FORM, valid_data(company_name="株式会社二番目", message="再送です"))
    assert response.status_code == 429
    assert response["Retry-After"] == str(40 * 60)
    html = response.content.decode()
    assert "11時00分以降にもう一度送信してください" in html
    assert 'value="株式会社二番目"' in html
    assert 'value="hanako@shonan-techno.example.jp"' in html
    assert "再送です" in html
    assert 'value="yes" checked' in html.replace("\n", " ") or "checked" in html
    # Nothing typed is called wrong: the form was not judged.
    assert "入力内容を確認してください" not in html
    english = send(client, "/en" + FORM, valid_data())
    assert english.status_code == 429
    assert "Please send it again after 11:00" in english.content.decode()
