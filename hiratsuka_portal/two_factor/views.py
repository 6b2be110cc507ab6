"""The two-factor pages, under /admin/two-factor/ in the admin's look.

- verify / recovery: the second step of a sign-in (the app's code, or a recovery code);
- enrol → recovery_codes: set up an authenticator app, then see the recovery codes once;
- manage: the 「二段階認証」 page linked from the admin's user tools (status, new recovery
  codes, removal for an account not required to use it).
"""

from __future__ import annotations

from base64 import b32encode
from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .forms import CodeForm, RecoveryCodeForm
from .middleware import step_url
from .policy import Step, has_confirmed_device, must_use_two_factor, pending_step
from .qr import qr_svg, secret_grouped
from .signin import sign_in_complete, sign_in_failed, sign_in_locked_out

# The recovery codes of a new set wait here, between the POST that made them and the one page
# that shows them (then they are gone from the session: only their use remains possible).
NEW_CODES_SESSION_KEY = "two_factor_new_recovery_codes"


def staff_signed_in(view):
    """Signed-in staff only (verified or not: each view decides); others go to the sign-in."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _page(request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
    pending = pending_step(request.user) is not None
    return render(
        request,
        template,
        {
            **admin.site.each_context(request),
            # Before the code, the page shows nothing of the admin (no app list, no links).
            "is_nav_sidebar_enabled": False,
            "available_apps": [],
            "two_factor_pending": pending,
            "title": title,
            "next": _next_url(request),
            **context,
        },
    )


# --- The second step of a sign-in ----------------------------------------------------------------


def _second_step(
    request: HttpRequest, *, form_class, device_model, template: str, title: str
) -> HttpResponse:
    user = request.user
    step = pending_step(user)
    if step is None:
        return redirect(_next_url(request))
    if step is Step.ENROL:
        return redirect(step_url(Step.ENROL, next_url=_next_url(request)))
    if locked := sign_in_locked_out(request, user):
        return locked
    form = form_class(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = device_model.objects.devices_for_user(user, confirmed=True).first()
        allowed, _details = device.verify_is_allowed() if device else (False, None)
        if allowed and device.verify_token(form.cleaned_data["code"]):
            sign_in_complete(request, device)
            return redirect(_next_url(request))
        if device is None:
            form.add_error("code", gettext("この方法で使えるコードがありません。"))
        elif not allowed:
            # django-otp's throttling: the wait doubles after each wrong code.
            form.add_error(
                "code",
                gettext("誤ったコードが続いたため、少し待ってからもう一度入力してください。"),
            )
        else:
            form.add_error("code", gettext("コードが正しくありません。"))
        if locked := sign_in_failed(request, user):
            return locked
    return _page(request, template, title, form=form)


@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
@staff_signed_in
def verify(request: HttpRequest) -> HttpResponse:
    return _second_step(
        request,
        form_class=CodeForm,
        device_model=TOTPDevice,
        template="admin/two_factor/verify.html",
        title=gettext("確認コードの入力"),
    )


@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
@staff_signed_in
def recovery(request: HttpRequest) -> HttpResponse:
    owed_the_code = pending_step(request.user) is Step.VERIFY
    response = _second_step(
        request,
        form_class=RecoveryCodeForm,
        device_model=StaticDevice,
        template="admin/two_factor/recovery.html",
        title=gettext("回復コードでログイン"),
    )
    signed_in_now = owed_the_code and request.user.is_authenticated and request.user.is_verified()
    if request.method == "POST" and signed_in_now:
        remaining = services.recovery_codes_remaining(user=request.user)
        messages.warning(
            request,
            gettext(
                "回復コードでログインしました。残りの回復コードは%(count)d個です。"
                "認証アプリを使えなくなった場合は、「二段階認証」のページで設定し直すか、"
                "管理者にリセットを依頼してください。"
            )
            % {"count": remaining},
        )
    return response


# --- Enrolment -----------------------------------------------------------------------------------


@sensitive_post_parameters("code")
@require_http_methods(["GET", "HEAD", "POST"])
@staff_signed_in
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if has_confirmed_device(user):
        # One app per account; a session that has not given its code may not replace it.
        step = pending_step(user)
        if step is not None:
            return redirect(step_url(step, next_url=_next_url(request)))
        return redirect("two_factor:manage")
    device = services.totp_enrolment_start(user=user)
    form = CodeForm(request.POST if request.method == "POST" else None)
    # Typing errors while setting up are no guesses at a secret (it is on the screen): they do
    # not count towards the lockout.
    if form.is_valid():
        codes = services.totp_enrolment_confirm(device=device, token=form.cleaned_data["code"])
        if codes is not None:
            sign_in_complete(request, device)
            request.session[NEW_CODES_SESSION_KEY] = codes
            return redirect(
                reverse("two_factor:recovery_codes") + "?" + urlencode({"next": _next_url(request)})
            )
        form.add_error(
            "code",
            gettext(
                "コードが正しくありません。認証アプリに表示されている最新のコードを入力してください。"
            ),
        )
    return _page(
        request,
        "admin/two_factor/enrol.html",
        gettext("二段階認証の設定"),
        form=form,
        required=must_use_two_factor(user),
        qr_code=qr_svg(
            device.config_url,
            title=gettext("認証アプリで読み取るQRコード"),
        ),
        secret=secret_grouped(_base32_secret(device)),
    )


def _base32_secret(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode()


@require_http_methods(["GET", "HEAD"])
@staff_signed_in
def recovery_codes(request: HttpRequest) -> HttpResponse:
    if pending_step(request.user) is not None:
        return redirect(step_url(pending_step(request.user)))
    codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("two_factor:manage")
    return _page(
        request,
        "admin/two_factor/recovery_codes.html",
        gettext("回復コードを保存してください"),
        codes=[f"{code[:4]}-{code[4:]}" for code in codes],
    )


# --- The 「二段階認証」 page ---------------------------------------------------------------------


def _verified_or_redirect(request: HttpRequest) -> HttpResponse | None:
    step = pending_step(request.user)
    return redirect(step_url(step, next_url=request.get_full_path())) if step else None


@require_http_methods(["GET", "HEAD"])
@staff_signed_in
def manage(request: HttpRequest) -> HttpResponse:
    if elsewhere := _verified_or_redirect(request):
        return elsewhere
    user = request.user
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    return _page(
        request,
        "admin/two_factor/manage.html",
        gettext("二段階認証"),
        device=device,
        required=must_use_two_factor(user),
        recovery_codes_remaining=services.recovery_codes_remaining(user=user),
    )


@require_POST
@staff_signed_in
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    if elsewhere := _verified_or_redirect(request):
        return elsewhere
    if not has_confirmed_device(request.user):
        return redirect("two_factor:manage")
    request.session[NEW_CODES_SESSION_KEY] = services.recovery_codes_issue(user=request.user)
    return redirect(
        reverse("two_factor:recovery_codes")
        + "?"
        + urlencode({"next": reverse("two_factor:manage")})
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_signed_in
def remove(request: HttpRequest) -> HttpResponse:
    if elsewhere := _verified_or_redirect(request):
        return elsewhere
    user = request.user
    if must_use_two_factor(user):
        raise PermissionDenied
    if not has_confirmed_device(user):
        return redirect("two_factor:manage")
    if request.method == "POST":
        services.two_factor_remove_own(user=user)
        messages.success(request, gettext("二段階認証をやめました。"))
        return redirect("two_factor:manage")
    return _page(request, "admin/two_factor/remove.html", gettext("二段階認証をやめる"))
