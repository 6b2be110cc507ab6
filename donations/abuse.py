"""What keeps programs and floods away from the donation inquiry form.

- The rate limit: accepted submissions per client address and window
  (``DONATION_INQUIRY_RATE_LIMIT`` per ``DONATION_INQUIRY_RATE_WINDOW`` seconds), and a looser
  ceiling on every POST (``DONATION_INQUIRY_ABUSE_LIMIT``); past either, the form again with
  what was typed, status 429, when to retry and a Retry-After header.
- The honeypot: ``website``, a field people can neither see nor reach; filled in, the refusal
  page with 400.
- The time trap: each copy of the form carries a signed token saying when it was shown. The
  form itself refuses one sent back sooner than a person can fill it in, or whose token has
  expired or is not ours, and shows itself again with what was typed (``DonationInquiryForm``).

The two refusals come before the form is read; the time trap is part of its validation.
"""

from __future__ import annotations

import math
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

# A namespace for signing, not a secret: the secret is SECRET_KEY.
FORM_TOKEN_SALT = "donations.inquiry.form"  # noqa: S105
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
    """Why a submission is turned away unread: ``reason`` tells the page what to say,
    ``status`` is the response's status code, ``retry_at`` when the client may send again."""

    reason: str
    status: int
    retry_at: datetime | None = None

    @property
    def retry_after_seconds(self) -> int | None:
        if self.retry_at is None:
            return None
        return max(1, math.ceil((self.retry_at - timezone.now()).total_seconds()))


RATE_LIMITED = "rate_limited"
BOT = Refusal("bot", 400)


def refusal(request: HttpRequest) -> Refusal | None:
    """Count this POST against its client's abuse ceiling, check its accepted submissions
    against the rate limit, then look at the honeypot; None when the form may be read."""
    retry_at = _past_ceiling(request) or _past_rate_limit(request)
    if retry_at is not None:
        return Refusal(RATE_LIMITED, 429, retry_at)
    if request.POST.get("website"):
        # Only a program fills in a field that people can neither see nor reach.
        return BOT
    return None


def record_accepted(request: HttpRequest) -> None:
    """Count a stored inquiry toward its client's rate limit.

    Only accepted submissions count: a company correcting its mistakes, or two colleagues behind
    one office address, must not lock themselves out. The times are kept (a sliding window) so
    that a refusal can say when the oldest one stops counting.
    """
    key = _client_key(request, "accepted")
    now = time.time()
    window = settings.DONATION_INQUIRY_RATE_WINDOW
    recent = [t for t in cache.get(key, []) if t > now - window]
    cache.set(key, [*recent, now], timeout=window)


def _client_key(request: HttpRequest, kind: str) -> str:
    # REMOTE_ADDR is the connecting client; behind a proxy, the proxy must set it (gunicorn's
    # --forwarded-allow-ips) rather than us trusting a header anyone can send.
    return f"donations:inquiry:{kind}:{request.META.get('REMOTE_ADDR', 'unknown')}"


def _past_rate_limit(request: HttpRequest) -> datetime | None:
    """When the client may send again, if it has had its share of accepted inquiries."""
    window = settings.DONATION_INQUIRY_RATE_WINDOW
    now = time.time()
    recent = sorted(t for t in cache.get(_client_key(request, "accepted"), []) if t > now - window)
    if len(recent) < settings.DONATION_INQUIRY_RATE_LIMIT:
        return None
    # The oldest submission that must leave the window for one more to fit.
    oldest = recent[len(recent) - settings.DONATION_INQUIRY_RATE_LIMIT]
    return _aware(oldest + window)


def _past_ceiling(request: HttpRequest) -> datetime | None:
    """Count this POST, whatever becomes of it; when the client may send again once it has
    sent more than the abuse ceiling in the window (a fixed window from its first POST)."""
    key = _client_key(request, "posts")
    window = settings.DONATION_INQUIRY_RATE_WINDOW
    cache.add(f"{key}:start", time.time(), timeout=window)
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count <= settings.DONATION_INQUIRY_ABUSE_LIMIT:
        return None
    started = cache.get(f"{key}:start") or time.time()
    return _aware(started + window)


def _aware(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)
