"""The donations' publish rules as QuerySet methods: each rule is written once, on its model."""

from __future__ import annotations

import pytest

from donations.models import Donor, DonorInterview

from .factories import DonationFactory, DonorFactory, DonorInterviewFactory

pytestmark = pytest.mark.django_db


def test_publicly_named_donors_agreed_to_be_named_at_least_once():
    named = DonorFactory(name_ja="公表株式会社")
    DonationFactory(donor=named, publish_name=False, fiscal_year=2023)
    DonationFactory(donor=named, publish_name=True, fiscal_year=2024)
    withheld = DonorFactory(name_ja="非公表株式会社")
    DonationFactory(donor=withheld, publish_name=False)
    anonymous = DonorFactory(anonymous=True)
    # Even a donation marked "name may be published" never names an anonymous donor.
    DonationFactory(donor=anonymous, publish_name=True)
    DonorFactory(name_ja="寄附の記録がない株式会社")

    assert list(Donor.objects.publicly_named()) == [named]


def test_publicly_named_lists_each_donor_once_and_can_be_filtered_further():
    donor = DonorFactory(name_ja="二回寄附した株式会社")
    DonationFactory.create_batch(2, donor=donor, publish_name=True)

    assert Donor.objects.publicly_named().count() == 1
    assert not Donor.objects.publicly_named().filter(name_ja="別の株式会社").exists()


def test_public_interviews_leave_out_anonymous_donors():
    shown = DonorInterviewFactory(donor=DonorFactory(name_ja="インタビュー株式会社"))
    DonorInterviewFactory(donor=DonorFactory(anonymous=True))

    assert list(DonorInterview.objects.public()) == [shown]
