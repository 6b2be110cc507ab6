"""The donation inquiry form, its abuse protection and the thanks page."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from .forms import DonationInquiryForm, FormTokenError, issue_form_token, read_form_token
from .services import inquiry_submit

SESSION_KEY = "donations.inquiry.reference"


def _breadcrumbs(*extra):
    return [(_("企業版ふるさと納税・寄附"), reverse("donations:donation-list")), *extra]


def _render_form(request: HttpRequest, form: DonationInquiryForm, status: int = 200):
    return render(
        request,
        "donations/inquiry_form.html",
        {"form": form, "breadcrumbs": _breadcrumbs((_("寄附のお問い合わせ"), None))},
        status=status,
    )


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


@require_http_methods(["GET", "HEAD", "POST"])
def inquiry_form(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_form(
            request, DonationInquiryForm(initial={"form_token": issue_form_token()})
        )

    if _rate_limited(request):
        return render(
            request,
            "donations/inquiry_rejected.html",
            {
                "reason": "rate_limited",
                "breadcrumbs": _breadcrumbs((_("寄附のお問い合わせ"), None)),
            },
            status=429,
        )
    if request.POST.get("website"):
        # Only a program fills in a field that people can neither see nor reach.
        return render(
            request,
            "donations/inquiry_rejected.html",
            {"reason": "bot", "breadcrumbs": _breadcrumbs((_("寄附のお問い合わせ"), None))},
            status=400,
        )

    form = DonationInquiryForm(request.POST)
    try:
        token = read_form_token(request.POST.get("form_token", ""))
    except FormTokenError:
        # Expired (left open for a day) or not ours: keep what was typed, with a fresh token.
        form = _with_fresh_token(form)
        form.add_error(
            None,
            _("フォームの有効期限が切れました。内容をご確認のうえ、もう一度送信してください。"),
        )
        return _render_form(request, form)
    if time.time() - token["t"] < settings.DONATION_INQUIRY_MIN_FILL_SECONDS:
        form.is_valid()
        form.add_error(None, _("送信が早すぎます。内容をご確認のうえ、もう一度送信してください。"))
        return _render_form(request, form)
    if not form.is_valid():
        return _render_form(request, form)

    inquiry, _created = inquiry_submit(
        data=form.inquiry_data(),
        projects=form.cleaned_data["projects"],
        language=get_language(),
        submission_token=token["nonce"],
    )
    request.session[SESSION_KEY] = inquiry.reference
    return redirect("donations:inquiry-thanks")


def _with_fresh_token(form: DonationInquiryForm) -> DonationInquiryForm:
    data = form.data.copy()
    data["form_token"] = issue_form_token()
    fresh = DonationInquiryForm(data)
    fresh.is_valid()
    return fresh


@require_safe
def inquiry_thanks(request: HttpRequest) -> HttpResponse:
    # The reference is shown only to the browser that submitted the inquiry (it is kept in
    # that visitor's session, never in the URL).
    reference = request.session.get(SESSION_KEY)
    if not reference:
        return redirect("donations:inquiry")
    return render(
        request,
        "donations/inquiry_thanks.html",
        {
            "reference": reference,
            "breadcrumbs": _breadcrumbs((_("お問い合わせを受け付けました"), None)),
        },
    )
