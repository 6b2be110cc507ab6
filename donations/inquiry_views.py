"""The donation inquiry form and the thanks page; the form's abuse protection is in
``donations.abuse``."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.page_cache import page_cache_exempt
from core.workdays import add_working_days

from . import abuse, inquiry_steps
from .dashboard import FIRST_CONTACT_WORKING_DAYS
from .forms import UNKNOWN_POSTAL_CODE, DonationInquiryForm
from .models import DonationInquiry, InquiryNotification
from .postal import address_for_postal_code
from .services import inquiry_submit

SESSION_KEY = "donations.inquiry.reference"


def _breadcrumbs(*extra):
    return [(_("企業版ふるさと納税・寄附"), reverse("donations:donation-list")), *extra]


def _render_form(
    request: HttpRequest,
    form: DonationInquiryForm,
    status: int = 200,
    *,
    address_filled: bool = False,
):
    return render(
        request,
        "donations/inquiry_form.html",
        {
            "form": form,
            "address_filled": address_filled,
            "breadcrumbs": _breadcrumbs((_("寄附のお問い合わせ"), None)),
        },
        status=status,
    )


def _render_refusal(request: HttpRequest, refusal: abuse.Refusal):
    return render(
        request,
        "donations/inquiry_rejected.html",
        {
            "reason": refusal.reason,
            "breadcrumbs": _breadcrumbs((_("寄附のお問い合わせ"), None)),
        },
        status=refusal.status,
    )


def _render_rate_limited(request: HttpRequest, refusal: abuse.Refusal, data) -> HttpResponse:
    """The form again with everything typed, unjudged (it was not read), saying when to send it
    again: a refused company must not lose its work."""
    form = DonationInquiryForm(data)
    form.helper.form_show_errors = False
    response = render(
        request,
        "donations/inquiry_form.html",
        {
            "form": form,
            "retry_at": refusal.retry_at,
            "breadcrumbs": _breadcrumbs((_("寄附のお問い合わせ"), None)),
        },
        status=refusal.status,
    )
    response["Retry-After"] = str(refusal.retry_after_seconds)
    return response


def _refused(request: HttpRequest, data) -> HttpResponse | None:
    if (refusal := abuse.refusal(request)) is None:
        return None
    if refusal.reason == abuse.RATE_LIMITED:
        return _render_rate_limited(request, refusal, data)
    return _render_refusal(request, refusal)


@page_cache_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry_form(request: HttpRequest) -> HttpResponse:
    """入力: a valid POST is kept as the session's draft and shown on the 確認 page
    (``inquiry_confirm``); the draft also fills the form again when the company comes back
    to correct it (see ``donations.inquiry_steps``)."""
    if request.method != "POST":
        draft = inquiry_steps.draft_read(request.session)
        return _render_form(request, DonationInquiryForm(draft))

    if (refused := _refused(request, request.POST)) is not None:
        return refused
    form = DonationInquiryForm(request.POST)
    if "fill_address" in request.POST:
        filled = form.fill_address()
        return _render_form(request, form, address_filled=filled)
    if not form.is_valid():
        return _render_form(request, form)
    inquiry_steps.draft_save(request.session, form.data, form.fields)
    # Post/Redirect/Get here too: Back from the thanks page reaches a GET, never a POST.
    return redirect("donations:inquiry-confirm")


@page_cache_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry_confirm(request: HttpRequest) -> HttpResponse:
    """確認: the draft, read-only, with 「送信する」 (the only thing that stores it) and
    「入力内容を修正する」 (back to the form, every value kept)."""
    draft = inquiry_steps.draft_read(request.session)
    if draft is None:
        # Nothing to confirm; after a second click on 「送信する」, what the first one sent.
        resent = "send" in request.POST and request.session.get(SESSION_KEY)
        return redirect("donations:inquiry-thanks" if resent else "donations:inquiry")
    if request.method == "POST" and (refused := _refused(request, draft)) is not None:
        return refused
    form = DonationInquiryForm(draft)
    if not form.is_valid() or (request.method == "POST" and "send" not in request.POST):
        return redirect("donations:inquiry")
    if request.method != "POST":
        return render(
            request,
            "donations/inquiry_confirm.html",
            {
                "sections": inquiry_steps.confirmation_sections(form),
                "breadcrumbs": _breadcrumbs(
                    (_("寄附のお問い合わせ"), reverse("donations:inquiry")),
                    (_("入力内容の確認"), None),
                ),
            },
        )
    inquiry, created = inquiry_submit(
        data=form.inquiry_data(),
        projects=form.cleaned_data["projects"],
        language=get_language(),
        submission_token=form.submission_token(),
    )
    if created:
        abuse.record_accepted(request)
    inquiry_steps.draft_clear(request.session)
    request.session[SESSION_KEY] = inquiry.reference
    # Post/Redirect/Get: Back and reload on the thanks page never send the form again.
    return redirect("donations:inquiry-thanks")


@require_safe
def inquiry_address(request: HttpRequest) -> JsonResponse:
    """郵便番号 → 住所 for the form's script (static/donations/postal_fill.js): the same answer
    as the 「住所を自動入力」 button's own submission, as JSON."""
    address = address_for_postal_code(request.GET.get("postal_code", ""))
    if address is None:
        # 200 all the same: an unknown code is an answer, not a missing page (and a 404 would
        # be logged as an error in the browser's console).
        return JsonResponse({"address": None, "error": str(UNKNOWN_POSTAL_CODE)})
    return JsonResponse(
        {
            "address": address,
            "message": _(
                "郵便番号から住所「%(address)s」を入力しました。番地・建物名などを続けてご記入ください。"
            )
            % {"address": address},
        }
    )


@page_cache_exempt
@require_safe
def inquiry_thanks(request: HttpRequest) -> HttpResponse:
    # The reference and what was sent are shown only to the browser that submitted the
    # inquiry (the reference is kept in that visitor's session, never in the URL).
    reference = request.session.get(SESSION_KEY)
    inquiry = (
        DonationInquiry.objects.filter(reference=reference).prefetch_related("projects").first()
        if reference
        else None
    )
    if inquiry is None:
        return redirect("donations:inquiry")
    received_on = timezone.localdate(inquiry.created_at)
    return render(
        request,
        "donations/inquiry_thanks.html",
        {
            "inquiry": inquiry,
            "reference": inquiry.reference,
            "working_days": FIRST_CONTACT_WORKING_DAYS,
            # The same promise the staff dashboard watches (an inquiry not contacted within
            # FIRST_CONTACT_WORKING_DAYS is flagged there).
            "answer_by": add_working_days(received_on, FIRST_CONTACT_WORKING_DAYS),
            # What the page says of the acknowledgement is what has happened to it: sent, or
            # still waiting (the mail server may be down), never "sent" before it is.
            "acknowledgement": inquiry.notifications.filter(
                kind=InquiryNotification.Kind.ACKNOWLEDGEMENT
            ).first(),
            "expected_hours": settings.DONATION_ACKNOWLEDGEMENT_EXPECTED_HOURS,
            "breadcrumbs": _breadcrumbs((_("お問い合わせを受け付けました"), None)),
        },
    )
