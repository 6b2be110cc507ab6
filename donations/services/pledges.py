"""From a pledge to the public record: the donation recorded from the inquiry it was pledged
in, without retyping what the company already told the city (its name, 法人番号, projects and
its consent to publish its name and amount).

Keyword-only, ``full_clean()`` inside one transaction with the inquiry's move to 寄附済み: a
refusal stores nothing.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.japanese import fiscal_year

from ..models import Donation, DonationInquiry, Donor, InquiryStatus, Scheme
from .inquiries import inquiry_change_status


def donation_record_from_inquiry(
    *,
    inquiry: DonationInquiry,
    amount: int,
    received_on: datetime.date,
    recorded_by: AbstractBaseUser,
    further_payment: bool = False,
) -> Donation:
    """Record the donation a pledged inquiry led to and mark the inquiry 寄附済み.

    The donor is the one with the inquiry's 法人番号 when there is one (a company that donated
    before); otherwise a new donor is created from the inquiry: names alone are not matched, as
    two companies may share one and a match would credit the wrong company. The fiscal year is
    the one the money was received in; the publish flags are exactly the company's consent.

    A second donation from the same inquiry (a payment in instalments, a top-up) is refused
    unless ``further_payment`` says staff meant it; the inquiry then stays 寄附済み.
    """
    with transaction.atomic():
        inquiry = DonationInquiry.objects.select_for_update().get(pk=inquiry.pk)
        _check_may_record(inquiry, further_payment=further_payment)
        donor = _donor_for(inquiry, recorded_by=recorded_by)
        donation = Donation(
            donor=donor,
            fiscal_year=fiscal_year(received_on),
            amount=amount,
            scheme=Scheme.CORPORATE_HOMETOWN_TAX,
            received_on=received_on,
            publish_name=inquiry.consent_publish_name,
            publish_amount=inquiry.consent_publish_amount,
            inquiry=inquiry,
        )
        try:
            donation.full_clean()
        except ValidationError as error:
            # The fiscal year is not typed on the confirmation page: it comes from the date.
            raise ValidationError(_move(error.message_dict, "fiscal_year", "received_on")) from None
        donation._history_user = recorded_by
        donation.save()
        donation.projects.set(inquiry.projects.all())
        if inquiry.status == InquiryStatus.PLEDGED:
            inquiry_change_status(
                inquiry=inquiry, to_status=InquiryStatus.DONATED, changed_by=recorded_by
            )
    return donation


def inquiry_set_payment(
    *,
    inquiry: DonationInquiry,
    payment_method: str,
    payment_requested_on: datetime.date | None,
    changed_by: AbstractBaseUser,
) -> None:
    """Record how a pledged company pays and the day the city asked it to (納付依頼日)."""
    with transaction.atomic():
        inquiry = DonationInquiry.objects.select_for_update().get(pk=inquiry.pk)
        if inquiry.status != InquiryStatus.PLEDGED:
            raise ValidationError(
                {
                    "payment_method": ValidationError(
                        _("納付方法と納付依頼日は「寄附の申出あり」のときに記録します。"),
                        code="not_pledged",
                    )
                }
            )
        inquiry.payment_method = payment_method
        inquiry.payment_requested_on = payment_requested_on
        # What the company sent is not re-validated here: only what staff set now.
        inquiry.full_clean(
            exclude=[
                f.name
                for f in inquiry._meta.concrete_fields
                if f.name not in ("payment_method", "payment_requested_on")
            ]
        )
        inquiry._history_user = changed_by
        inquiry.save(update_fields=["payment_method", "payment_requested_on", "updated_at"])


def _check_may_record(inquiry: DonationInquiry, *, further_payment: bool) -> None:
    if inquiry.status == InquiryStatus.PLEDGED:
        return
    if inquiry.status == InquiryStatus.DONATED and inquiry.donations.exists():
        if further_payment:
            return
        raise ValidationError(
            {
                "further_payment": ValidationError(
                    _(
                        "このお問い合わせからは寄附をすでに記録しています。同じ企業からの追加の"
                        "納付であれば「追加の納付として記録する」にチェックしてください。"
                    ),
                    code="already_recorded",
                )
            }
        )
    raise ValidationError(
        {
            NON_FIELD_ERRORS: ValidationError(
                _(
                    "寄附として記録できるのは「寄附の申出あり」のお問い合わせだけです"
                    "（現在の対応状況：%(status)s）。"
                ),
                code="not_pledged",
                params={"status": InquiryStatus(inquiry.status).label},
            )
        }
    )


def donor_matching_inquiry(inquiry: DonationInquiry) -> Donor | None:
    """The donor a donation recorded from ``inquiry`` is credited to, if one is known: the
    first with the inquiry's 法人番号. None means a new donor will be created."""
    if not inquiry.corporate_number:
        return None
    return Donor.objects.filter(corporate_number=inquiry.corporate_number).order_by("pk").first()


def _donor_for(inquiry: DonationInquiry, *, recorded_by: AbstractBaseUser) -> Donor:
    if (known := donor_matching_inquiry(inquiry)) is not None:
        return known
    donor = Donor(
        kind=Donor.Kind.COMPANY,
        name_ja=inquiry.company_name,
        corporate_number=inquiry.corporate_number,
    )
    donor.full_clean()
    donor._history_user = recorded_by
    donor.save()
    return donor


def _move(errors: dict[str, list[str]], source: str, target: str) -> dict[str, list[str]]:
    if source not in errors:
        return errors
    moved = {name: messages for name, messages in errors.items() if name != source}
    moved[target] = [*moved.get(target, []), *errors[source]]
    return moved
