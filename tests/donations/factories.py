"""factory_boy factories for the donations app.

Translated fields are set in both languages (``<field>_ja`` and ``<field>_en``). A donation is
published by default (name and amount); pass ``publish_name=False`` / ``publish_amount=False``
for the other cases, ``donor__anonymous=True`` for an anonymous individual.
"""

from __future__ import annotations

import datetime as dt
import secrets

import factory
from django.utils import timezone

from donations.models import (
    Award,
    Donation,
    DonationInquiry,
    Donor,
    DonorInterview,
    InquiryNotification,
    InquiryStatus,
    Scheme,
)
from tests.core.factories import PUBLISHED_LONG_AGO
from tests.projects.factories import ProjectFactory, VideoFactory, add_many


class DonorFactory(factory.django.DjangoModelFactory):
    """A named company outside Hiratsuka. ``anonymous=True`` gives an anonymous individual."""

    class Meta:
        model = Donor

    class Params:
        anonymous = factory.Trait(
            kind=Donor.Kind.INDIVIDUAL, is_anonymous=True, name_ja="", name_en=""
        )

    kind = Donor.Kind.COMPANY
    name_ja = factory.Sequence(lambda n: f"湘南テスト工業{n}株式会社")
    name_en = factory.Sequence(lambda n: f"Shonan Test Industries {n} Co., Ltd.")
    is_anonymous = False


class DonationFactory(factory.django.DjangoModelFactory):
    """A published corporate hometown-tax donation. ``projects=[...]`` links funded projects."""

    class Meta:
        model = Donation
        skip_postgeneration_save = True

    donor = factory.SubFactory(DonorFactory)
    fiscal_year = 2024
    amount = 1_000_000
    scheme = Scheme.CORPORATE_HOMETOWN_TAX
    received_on = factory.LazyAttribute(lambda o: dt.date(o.fiscal_year, 10, 1))
    receipt_number = factory.Sequence(lambda n: f"R{n:06d}")
    publish_name = True
    publish_amount = True
    position = factory.Sequence(lambda n: n)

    projects = add_many("projects")


class DonorInterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DonorInterview

    donor = factory.SubFactory(DonorFactory)
    video = factory.SubFactory(
        VideoFactory,
        title_ja=factory.LazyAttribute(lambda o: f"{o.factory_parent.donor.name_ja} インタビュー"),
        title_en=factory.LazyAttribute(
            lambda o: f"Interview with {o.factory_parent.donor.name_en}"
        ),
    )
    position = factory.Sequence(lambda n: n)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    title_ja = factory.Sequence(lambda n: f"地域活性化表彰{n}")
    title_en = factory.Sequence(lambda n: f"Regional revitalisation award {n}")
    presented_by_ja = "内閣府"
    presented_by_en = "Cabinet Office"
    fiscal_year = 2024
    ceremony_on = dt.date(2025, 2, 10)
    description_ja = "寄附を活用した取組みが評価されました。"
    description_en = "The city's use of donations was recognised."
    project = factory.SubFactory(ProjectFactory)
    published_at = PUBLISHED_LONG_AGO


class DonationInquiryFactory(factory.django.DjangoModelFactory):
    """A received inquiry from a company outside Hiratsuka, as the public form stores it.
    ``projects=[...]`` sets the projects it is interested in; ``notifications={"acknowledgement":
    "sent", ...}`` adds its e-mails in those states (``ALL_SENT``: both sent)."""

    class Meta:
        model = DonationInquiry
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"D26-T{n:05d}")
    submission_token = factory.LazyFunction(lambda: secrets.token_hex(16))
    language = "ja"
    company_name = factory.Sequence(lambda n: f"横浜テスト商事{n}株式会社")
    company_name_kana = "ヨコハマテストショウジ"
    corporate_number = ""
    postal_code = "231-0005"
    head_office_address = "神奈川県横浜市中区本町6丁目50番地の10"
    department = "経営企画部"
    contact_name = "山田 太郎"
    contact_name_kana = "ヤマダ タロウ"
    email = factory.Sequence(lambda n: f"contact{n}@example.jp")
    phone = "045-000-0000"
    planned_amount = 1_000_000
    planned_fiscal_year = 2026
    consent_publish_name = True
    consent_publish_amount = True
    message = "第3世代波力発電への寄附を検討しています。"
    privacy_consented_at = factory.LazyFunction(timezone.now)
    status = InquiryStatus.RECEIVED

    projects = add_many("projects")

    @factory.post_generation
    def notifications(obj, create, extracted, **kwargs):
        if create and extracted:
            for kind, state in extracted.items():
                InquiryNotification.objects.create(
                    inquiry=obj,
                    kind=kind,
                    recipient=obj.email,
                    subject=f"受付番号 {obj.reference}",
                    body="本文",
                    state=state,
                    attempts=6 if state == "failed" else 1,
                    last_error="ConnectionRefusedError: [Errno 111]" if state == "failed" else "",
                    sent_at=timezone.now() if state == "sent" else None,
                )


ALL_SENT = {"acknowledgement": "sent", "staff_notice": "sent"}
