"""The contact's texts in Japanese and English; its audit trail is registered after the
translation so that the history carries both languages (as in every app's translation.py)."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import SiteProfile


@register(SiteProfile)
class SiteProfileTranslation(TranslationOptions):
    fields = ("organization", "department", "section", "phone_note")


simple_history.register(SiteProfile)
