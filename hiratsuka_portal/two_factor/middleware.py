"""Keeps a staff session that still owes its second factor out of everything staff may reach.

After the password, a session whose account has an authenticator app (or must have one) is
signed in but not verified (django_otp's ``is_verified``). Until it is:
- an admin URL redirects to the step it owes (the code, or the enrolment), except the sign-in
  and sign-out pages and the two-factor pages themselves;
- any other page sees an anonymous visitor (no draft previews, nothing staff-only).

After OTPMiddleware, before anything that reads ``request.user`` for staff privileges.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .policy import Step, pending_step

STEP_URL_NAMES = {Step.VERIFY: "two_factor:verify", Step.ENROL: "two_factor:enrol"}


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and (step := pending_step(user)):
            path = request.path_info
            if path.startswith(reverse("admin:index")):
                if not _open_before_verification(path):
                    return redirect(step_url(step, next_url=request.get_full_path()))
            else:
                anonymous = AnonymousUser()
                request.user = anonymous

                async def auser():
                    return anonymous

                request.auser = auser
        return self.get_response(request)


def _open_before_verification(path: str) -> bool:
    return path in (reverse("admin:login"), reverse("admin:logout")) or path.startswith(
        reverse("two_factor:manage")
    )


def step_url(step: Step, *, next_url: str | None = None) -> str:
    url = reverse(STEP_URL_NAMES[step])
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url
