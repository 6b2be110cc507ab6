"""Content fields in Japanese and English; audit trail registered after translation."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import Award, Donation, DonationInquiry, Donor, DonorInterview, DonorLetter


@register(Donor)
class DonorTranslation(TranslationOptions):
    fields = ("name", "note")


@register(Award)
class AwardTranslation(TranslationOptions):
    fields = ("title", "presented_by", "description", "initiative")


@register(DonorLetter)
class DonorLetterTranslation(TranslationOptions):
    fields = ("subject", "body")


# app="donations" keeps the historical models in donations.models (HistoricalDonor, ...), where
# they were before the models were split into modules of that package.
for model in (Donor, Donation, DonorInterview, Award, DonationInquiry, DonorLetter):
    simple_history.register(model, app="donations")
