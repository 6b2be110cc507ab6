"""Who must sign in with a second factor, and what a signed-in session still owes.

settings.STAFF_TWO_FACTOR (validated at start-up) decides who must: ``roles`` (superusers and
members of 寄附担当, who handle companies' personal data), ``everyone`` (every staff account) or
``none``. Anyone else may enrol of their own accord; once enrolled, they too sign in with a code.
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from hiratsuka_portal.roles import DONATIONS_OFFICER


class Step(StrEnum):
    """What a signed-in staff session must do before it reaches the admin."""

    VERIFY = "verify"  # enter the code of the device the account has
    ENROL = "enrol"  # set up a device: the account must use one and has none


def must_use_two_factor(user) -> bool:
    """Whether ``user`` may not use the admin without a second factor."""
    if not (user.is_active and user.is_staff):
        return False
    match settings.STAFF_TWO_FACTOR:
        case "everyone":
            return True
        case "none":
            return False
        case _:  # "roles"
            return user.is_superuser or user.groups.filter(name=DONATIONS_OFFICER).exists()


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_step(user) -> Step | None:
    """What ``user``'s session owes before the admin, or None (it may go on).

    ``user`` comes from a request through django_otp's OTPMiddleware (``is_verified``)."""
    if not (user.is_authenticated and user.is_active and user.is_staff) or user.is_verified():
        return None
    if has_confirmed_device(user):
        return Step.VERIFY
    if must_use_two_factor(user):
        return Step.ENROL
    return None
