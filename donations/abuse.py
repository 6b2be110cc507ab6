"""What keeps programs and floods away from the donation inquiry form.

- The rate limit: submissions per client address and window (``DONATION_INQUIRY_RATE_LIMIT``
  per ``DONATION_INQUIRY_RATE_WINDOW`` seconds); past it, the refusal page with 429.
- The honeypot: ``website``, a field people can neither see nor reach; filled in, the refusal
  page with 400.
- The time trap: each copy of the form carries a signed token saying when it was shown. The
  form itself refuses one sent back sooner than a person can fill it in, or whose token has
  expired or is not ours, and shows itself again with what was typed (``DonationInquiryForm``).

The two refusals come before the form is read; the time trap is part of its validation.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest

FORM_TOKEN_SALT = "donations.inquiry.form"
FORM_TOKEN_MAX_AGE = 24 * 60 * 60


# --- The time trap -------------------------------------------------------------------------------


def issue_form_token(issued_at: float | None = None) -> str:
    """A signed token naming this copy of the form and when it was shown."""
    payload = {"nonce": secrets.token_hex(16), "t": issued_at or time.time()}
    return signing.dumps(payload, salt=FORM_TOKEN_SALT)


class FormTokenError(Exception):
    """The token was not issued by us, or has expired."""


def read_form_token(token: str) -> dict:
    """The token's payload (``nonce``, ``t`` = when the form was shown), if it is ours and
    no older than a day."""
    try:
        payload = signing.loads(token, salt=FORM_TOKEN_SALT)
    except (signing.BadSignature, TypeError) as error:
        raise FormTokenError from error
    if time.time() - payload["t"] > FORM_TOKEN_MAX_AGE:
        raise FormTokenError
    return payload


def sent_too_fast(payload: dict) -> bool:
    """The form came back sooner after it was shown than a person can fill it in."""
    return time.time() - payload["t"] < settings.DONATION_INQUIRY_MIN_FILL_SECONDS


# --- Refusals before the form is read ------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """Why a submission is turned away unread: ``reason`` tells the refusal page what to say,
    ``status`` is the response's status code."""

    reason: str
    status: int


RATE_LIMITED = Refusal("rate_limited", 429)
BOT = Refusal("bot", 400)


def refusal(request: HttpRequest) -> Refusal | None:
    """Count this submission against its client's rate limit, then look at the honeypot;
    None when the form may be read."""
    if _rate_limited(request):
        return RATE_LIMITED
    if request.POST.get("website"):
        # Only a program fills in a field that people can neither see nor reach.
        return BOT
    return None


def _client_key(request: HttpRequest) -> str:
    # REMOTE_ADDR is the connecting client; behind a proxy, the proxy must set it (gunicorn's
    # --forwarded-allow-ips) rather than us trusting a header anyone can send.
    return f"donations:inquiry:rate:{request.META.get('REMOTE_ADDR', 'unknown')}"


def _rate_limited(request: HttpRequest) -> bool:
    """Count this submission; True once the client has sent too many in the window."""
    key = _client_key(request)
    cache.add(key, 0, timeout=settings.DONATION_INQUIRY_RATE_WINDOW)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.DONATION_INQUIRY_RATE_WINDOW)
        count = 1
    return count > settings.DONATION_INQUIRY_RATE_LIMIT
