"""Writes of the second factor: enrolment, recovery codes, removal and a superuser's reset.

An account has at most one authenticator app (a confirmed TOTPDevice) and one set of recovery
codes (a StaticDevice whose tokens are used up one by one). Keyword-only, like every service.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .policy import must_use_two_factor

# Stored in the database as the devices' names (not shown to anyone but a superuser).
TOTP_DEVICE_NAME = "認証アプリ"
RECOVERY_DEVICE_NAME = "回復コード"


def totp_enrolment_start(*, user) -> TOTPDevice:
    """The authenticator app being set up for ``user``: the unconfirmed one already started
    (so reloading the page shows the same QR code), or a new one with a fresh secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_enrolment_confirm(*, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirms ``device`` with a code the app shows now, and issues the account's recovery
    codes, returned in clear this once. A wrong code confirms nothing and returns None."""
    if device.confirmed:
        raise ValidationError("The device is confirmed already.", code="confirmed")
    # verify_token records its own throttling on a wrong code: outside the transaction, so
    # that record stays.
    if not device.verify_token(token):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.full_clean()
        device.save()
        # Any other set-up left unfinished (another browser) is dropped.
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
        return recovery_codes_issue(user=device.user)


def recovery_codes_issue(*, user) -> list[str]:
    """A new set of single-use recovery codes for ``user``, replacing any earlier set."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
        codes = [
            StaticToken.random_token() for _ in range(settings.STAFF_TWO_FACTOR_RECOVERY_CODES)
        ]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_remaining(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _devices_delete(*, user) -> int:
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return removed


def two_factor_remove_own(*, user) -> None:
    """``user`` stops using a second factor: allowed only to an account not required to."""
    if must_use_two_factor(user):
        raise PermissionDenied("This account must use a second factor.")
    with transaction.atomic():
        _devices_delete(user=user)


def two_factor_reset(*, user, reset_by) -> None:
    """A superuser removes ``user``'s authenticator app and recovery codes (a lost phone).

    ``user`` then signs in with the password alone, and an account required to use a second
    factor is sent to enrol again before any admin page. Recorded in the admin's log (the
    user's 変更履歴): who reset, and when."""
    if not (reset_by.is_active and reset_by.is_superuser):
        raise PermissionDenied("Only a superuser resets another account's second factor.")
    with transaction.atomic():
        _devices_delete(user=user)
        LogEntry.objects.log_actions(
            user_id=reset_by.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message=gettext(
                "二段階認証をリセットしました（認証アプリと回復コードを削除）。"
            ),
            single_object=True,
        )
