"""donations.abuse: the inquiry form's rate limit, honeypot and time trap, piece by piece
(test_inquiry.py drives them end to end through the form)."""

from __future__ import annotations

import time

import pytest
from django.core import signing
from django.http import HttpRequest
from django.test import RequestFactory

from donations import abuse
from donations.forms import DonationInquiryForm
from donations.models import DonationInquiry

from .inquiry_tools import FORM, send, valid_data

pytestmark = pytest.mark.django_db


def submission(remote_addr: str = "192.0.2.1", **data) -> HttpRequest:
    return RequestFactory().post(FORM, data, REMOTE_ADDR=remote_addr)


def test_the_rate_limit_counts_accepted_submissions_per_client_address(settings):
    settings.DONATION_INQUIRY_RATE_LIMIT = 2
    assert abuse.refusal(submission()) is None
    abuse.record_accepted(submission())
    assert abuse.refusal(submission()) is None
    abuse.record_accepted(submission())
    refused = abuse.refusal(submission())
    assert (refused.reason, refused.status) == (abuse.RATE_LIMITED, 429)
    assert 3590 <= refused.retry_after_seconds <= 3600
    assert abuse.refusal(submission(remote_addr="192.0.2.2")) is None


def test_the_abuse_ceiling_counts_every_post_per_client_address(settings):
    settings.DONATION_INQUIRY_ABUSE_LIMIT = 2
    # A refused submission counts too: a bot cannot probe the limit with honeypot hits.
    assert abuse.refusal(submission(website="https://spam.example/")) == abuse.BOT
    assert abuse.refusal(submission()) is None
    assert abuse.refusal(submission()).reason == abuse.RATE_LIMITED
    assert abuse.refusal(submission(remote_addr="192.0.2.2")) is None


def test_a_bot_is_refused_with_400():
    assert (abuse.BOT.reason, abuse.BOT.status) == ("bot", 400)


def test_a_token_is_ours_only_when_signed_for_this_form_and_under_a_day_old():
    payload = abuse.read_form_token(abuse.issue_form_token(issued_at=time.time() - 60))
    assert len(payload["nonce"]) == 32
    other_form = signing.dumps({"nonce": "x", "t": time.time()}, salt="another.form")
    day_old = abuse.issue_form_token(issued_at=time.time() - abuse.FORM_TOKEN_MAX_AGE - 1)
    for token in [other_form, day_old, "", "forged"]:
        with pytest.raises(abuse.FormTokenError):
            abuse.read_form_token(token)


def test_each_copy_of_the_form_carries_its_own_fresh_token():
    first, second = (DonationInquiryForm()["form_token"].value() for _ in range(2))
    assert first != second
    assert abuse.read_form_token(first)["t"] == pytest.approx(time.time(), abs=5)


def test_the_time_trap_is_a_form_error_with_its_code(settings):
    too_fast = DonationInquiryForm(valid_data(form_token=abuse.issue_form_token()))
    assert not too_fast.is_valid()
    assert too_fast.has_error("__all__", code="sent_too_fast")

    settings.DONATION_INQUIRY_MIN_FILL_SECONDS = 0
    assert DonationInquiryForm(valid_data(form_token=abuse.issue_form_token())).is_valid()


def test_an_expired_form_shown_again_can_be_sent_once_checked(client, settings):
    expired = abuse.issue_form_token(issued_at=time.time() - 2 * abuse.FORM_TOKEN_MAX_AGE)
    response = send(client, FORM, valid_data(form_token=expired))
    assert response.context["form"].has_error("__all__", code="form_expired")
    fresh = response.context["form"].data["form_token"]
    assert fresh != expired

    settings.DONATION_INQUIRY_MIN_FILL_SECONDS = 0
    response = send(client, FORM, valid_data(form_token=fresh))
    assert response.status_code == 302
    assert DonationInquiry.objects.count() == 1
