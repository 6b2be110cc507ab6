"""The 寄附申出書 (donation application, 様式第1号): issued when staff accept an inquiry as a
pledge, sent to the company by e-mail with the PDF attached, and downloadable by the company
from a signed private link that expires.

An issued application is frozen like a receipt (see ``receipts.receipt_issue``, the model
followed here): the facts printed are kept as a snapshot, the PDF in private storage with its
SHA-256, and a later issue (after a correction) is a new application beside the old one.

Keyword-only, validated inside a transaction, called by the admin and by the pledge step
(``inquiries.inquiry_change_status``).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.models import SiteProfile
from core.pdf import pdf_filename, render_pdf
from core.storage import files_removed_on_failure

from ..models import (
    DonationApplication,
    DonationInquiry,
    InquiryNotification,
    InquiryStatus,
    PaymentMethod,
)
from .inquiries import Attachment, notification_queue, render_email

# Like the receipt, the application is an official form of the city's bylaws: always Japanese.
APPLICATION_LANGUAGE = "ja"
# The salt names what the signed value is for: a token made for anything else never opens an
# application, and an application's token opens nothing else.
LINK_SALT = "donations.application.link"
# The statuses whose application a company may still download (pledged, and donated: the
# company may want its copy). Declined and withdrawn inquiries have no application to return.
LINK_STATUSES = (InquiryStatus.PLEDGED, InquiryStatus.DONATED)


def _check_pledged(inquiry: DonationInquiry) -> None:
    if inquiry.status != InquiryStatus.PLEDGED:
        raise ValidationError(
            _(
                "寄附申出書は「寄附の申出あり」のお問い合わせにだけ作成・送付できます"
                "（現在の対応状況：%(status)s）。"
            ),
            code="not_pledged",
            params={"status": InquiryStatus(inquiry.status).label},
        )
    if inquiry.anonymised_at is not None:
        raise ValidationError(
            _("個人情報を消去したお問い合わせには、寄附申出書を作成できません。"),
            code="anonymised",
        )


def application_issue(
    *, inquiry: DonationInquiry, issued_by: AbstractBaseUser
) -> DonationApplication:
    """Issue the 寄附申出書 of a pledged inquiry, pre-filled from it, and store it as printed.

    Every call issues a new application; the latest one is the one that counts. What the
    inquiry leaves empty (the representative, the projects, the payment method) is printed as
    a blank for the company to fill in by hand, as is the seal or signature.
    """
    with files_removed_on_failure() as keep, transaction.atomic():
        inquiry = DonationInquiry.objects.select_for_update().get(pk=inquiry.pk)
        _check_pledged(inquiry)
        issued_at = timezone.now()
        with translation.override(APPLICATION_LANGUAGE):
            snapshot = _application_snapshot(inquiry=inquiry, issued_at=issued_at)
        pdf = render_pdf(
            "pdf/donation_application.html",
            _application_context(snapshot),
            language=APPLICATION_LANGUAGE,
        )
        application = DonationApplication(
            inquiry=inquiry,
            issued_at=issued_at,
            issued_by=issued_by,
            sha256=hashlib.sha256(pdf.content).hexdigest(),
            snapshot=snapshot,
        )
        # Unguessable: the application names a company, its representative and an amount.
        file_name = f"{inquiry.reference}-{secrets.token_hex(8)}.pdf"
        application.file.save(file_name, ContentFile(pdf.content), save=False)
        keep(application.file)
        application.full_clean()
        application.save()
    return application


def _application_snapshot(*, inquiry: DonationInquiry, issued_at: datetime.datetime) -> dict:
    """What the application prints, as JSON: the PDF is rendered from this and nothing else."""
    return {
        "reference": inquiry.reference,
        "company_name": inquiry.company_name,
        "company_name_kana": inquiry.company_name_kana,
        "corporate_number": inquiry.corporate_number,
        "postal_code": inquiry.postal_code,
        "head_office_address": inquiry.head_office_address,
        "representative": inquiry.representative,
        "projects": [str(project.title) for project in inquiry.projects.order_by("position")],
        "amount": inquiry.planned_amount,
        "fiscal_year": inquiry.planned_fiscal_year,
        "payment_method": inquiry.payment_method,
        "payment_method_label": (
            str(PaymentMethod(inquiry.payment_method).label) if inquiry.payment_method else ""
        ),
        "consent_publish_name": inquiry.consent_publish_name,
        "consent_publish_amount": inquiry.consent_publish_amount,
        "city": SiteProfile.objects.as_issuer(),
        "issued_at": issued_at.isoformat(),
        "issued_on": timezone.localdate(issued_at).isoformat(),
    }


def _application_context(snapshot: dict) -> dict:
    return {
        "application": snapshot,
        "issued_on": datetime.date.fromisoformat(snapshot["issued_on"]),
        "payment_methods": [str(label) for label in PaymentMethod.labels],
    }


def application_file_name(application: DonationApplication) -> str:
    """The name the company sees: 寄附申出書_<reference>.pdf, in Japanese whatever the page's
    language, like the form itself."""
    return pdf_filename(f"寄附申出書_{application.snapshot.get('reference', '')}")


# --- The private link ---------------------------------------------------------------------------


def application_link_token(application: DonationApplication) -> str:
    """A signed, timestamped token naming ``application``: the company's private link."""
    return signing.dumps({"application": application.pk}, salt=LINK_SALT, compress=True)


def application_link_path(application: DonationApplication, *, language: str) -> str:
    """The download page of ``application`` in ``language`` (/en/... for English)."""
    with translation.override(language):
        return reverse("donations:application-download", args=[application_link_token(application)])


def application_link_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.DONATION_APPLICATION_LINK_DAYS)


class LinkInvalid(Exception):
    """The link was not made by the city (wrong or tampered signature): a 404."""


class LinkGone(Exception):
    """The link was the city's but leads nowhere any more: a 410, saying why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired", "superseded" or "closed"


def application_for_link(token: str) -> tuple[DonationApplication, datetime.datetime]:
    """The application a private link names and when the link expires, or LinkInvalid /
    LinkGone. Only the latest application of a pledged (or donated) inquiry whose personal
    data is still kept is served."""
    try:
        value, signed_at = _loads_with_timestamp(token)
    except (signing.BadSignature, ValueError, IndexError) as error:
        raise LinkInvalid from error
    expires_at = signed_at + application_link_lifetime()
    if timezone.now() >= expires_at:
        raise LinkGone("expired")
    application_id = value.get("application") if isinstance(value, dict) else None
    if not isinstance(application_id, int):
        raise LinkInvalid
    application = (
        DonationApplication.objects.select_related("inquiry").filter(pk=application_id).first()
    )
    if application is None:
        raise LinkInvalid
    inquiry = application.inquiry
    if (
        inquiry.status not in LINK_STATUSES
        or inquiry.anonymised_at is not None
        or application.is_erased
    ):
        raise LinkGone("closed")
    latest = inquiry.applications.latest_first().values_list("pk", flat=True).first()
    if latest != application.pk:
        raise LinkGone("superseded")
    return application, expires_at


def _loads_with_timestamp(token: str) -> tuple[object, datetime.datetime]:
    """``signing.loads`` with the moment it was signed (to tell an expired link, and its
    expiry date, from a forged one)."""
    signer = signing.TimestampSigner(salt=LINK_SALT)
    # Signer's own check, which leaves the timestamp on: "<payload>:<timestamp>".
    unsigned = signing.Signer.unsign(signer, token)
    timestamp = signing.b62_decode(unsigned.rsplit(signer.sep, 1)[1])
    value = signer.unsign_object(token)
    return value, datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)


# --- Sending --------------------------------------------------------------------------------------


def application_send(
    *,
    application: DonationApplication | None = None,
    inquiry: DonationInquiry | None = None,
    sent_by: AbstractBaseUser,
    link_url: str | None = None,
    build_link_url: Callable[[str], str] | None = None,
) -> InquiryNotification:
    """E-mail the company its 寄附申出書 (the latest one, issued first if there is none),
    with the PDF attached and the private link, through the durable notification queue.

    Pass ``application``, or ``inquiry`` to send its latest application. ``link_url`` is the
    absolute URL of the download page; or ``build_link_url(path)`` turns the page's path into
    one (the admin passes ``request.build_absolute_uri``).
    """
    if application is None and inquiry is None:
        raise TypeError("application_send needs an application or an inquiry.")
    issued_here: DonationApplication | None = None
    try:
        with transaction.atomic():
            inquiry = DonationInquiry.objects.select_for_update().get(
                pk=(application.inquiry_id if application is not None else inquiry.pk)
            )
            _check_pledged(inquiry)
            latest = inquiry.applications.latest_first().first()
            if application is None:
                application = latest or application_issue(inquiry=inquiry, issued_by=sent_by)
                issued_here = None if latest else application
            elif application != latest:
                # Its link would be refused at once (a re-issued application is no more).
                raise ValidationError(
                    _(
                        "作り直す前の寄附申出書は送付できません。最新の寄附申出書を送付してください。"
                    ),
                    code="superseded",
                )
            return _queue_application_mail(
                application=application,
                inquiry=inquiry,
                sent_by=sent_by,
                link_url=link_url,
                build_link_url=build_link_url,
            )
    except BaseException:
        if issued_here is not None:
            # Issued for this mail and rolled back with it: nothing refers to the file.
            DonationApplication.file.field.storage.delete(issued_here.file.name)
        raise


def _queue_application_mail(
    *,
    application: DonationApplication,
    inquiry: DonationInquiry,
    sent_by: AbstractBaseUser,
    link_url: str | None,
    build_link_url: Callable[[str], str] | None,
) -> InquiryNotification:
    if link_url is None:
        path = application_link_path(application, language=inquiry.language)
        link_url = build_link_url(path) if build_link_url else path
    expires_on = timezone.localdate(timezone.now() + application_link_lifetime())
    with application.file.open("rb") as document:
        content = document.read()
    message = render_email(
        "donations/email/application",
        {
            "inquiry": inquiry,
            "application": application.snapshot,
            "link_url": link_url,
            "expires_on": expires_on,
            "site_profile": SiteProfile.objects.current(),
        },
        language=inquiry.language,
    )
    return notification_queue(
        inquiry=inquiry,
        kind=InquiryNotification.Kind.APPLICATION,
        recipient=inquiry.email,
        attachment=Attachment(name=application_file_name(application), content=content),
        requested_by=sent_by,
        **message,
    )
