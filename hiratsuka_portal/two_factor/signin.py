"""The second step of a staff sign-in, tied to the django-axes lockout.

A wrong code is a failed sign-in for axes (``user_login_failed``), counted against the same
limit as wrong passwords for the account and address: after AXES_FAILURE_LIMIT the session is
ended and the lockout page shown, and a locked account cannot reach this step at all.
django-otp's own throttling (a growing wait after each wrong code) stays on besides.

Axes' count is reset only when the sign-in is whole (settings.AXES_RESET_ON_SUCCESS is off):
after the code, or after the password for an account without a second factor.
"""

from __future__ import annotations

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

from hiratsuka_portal.signin import lockout_response

from .policy import has_confirmed_device


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def sign_in_locked_out(request: HttpRequest, user) -> HttpResponse | None:
    """The lockout page (and the half-done sign-in ended) if ``user`` is locked out from this
    address; None otherwise."""
    if AxesProxyHandler.is_locked(request, _credentials(user)):
        logout(request)
        return lockout_response(request)
    return None


def sign_in_failed(request: HttpRequest, user) -> HttpResponse | None:
    """Records a wrong code as a failed sign-in; returns the lockout page once that was one too
    many (the sign-in is ended), None while tries remain."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return lockout_response(request)
    return None


def sign_in_complete(request: HttpRequest, device) -> None:
    """The code was right: the session is verified by ``device``, under a new session key
    (it has just gained the admin), and the account's failed attempts are forgotten."""
    django_otp.login(request, device)
    request.session.cycle_key()
    _forget_failures(request, request.user)


def _forget_failures(request: HttpRequest, user) -> None:
    axes_reset(ip=get_client_ip_address(request), username=user.get_username())


@receiver(user_logged_in, dispatch_uid="two_factor.password_sign_in")
def _password_sign_in(sender, request, user, **kwargs) -> None:
    # With no second factor the password completes the sign-in (what AXES_RESET_ON_SUCCESS did).
    # An account that must enrol has no code to guess: its enrolment follows.
    if request is not None and not has_confirmed_device(user):
        _forget_failures(request, user)
