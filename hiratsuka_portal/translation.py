"""Content fields kept in Japanese and English (django-modeltranslation).

The audit trail is registered here, after translation, so that the historical models also carry
the ``_ja``/``_en`` columns (django-simple-history's documented way to combine the two).
"""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import AccessibilityCriterion, SitePage, SitePageSection


@register(SitePage)
class SitePageTranslation(TranslationOptions):
    fields = ("title", "lead")


@register(SitePageSection)
class SitePageSectionTranslation(TranslationOptions):
    fields = ("heading", "body", "link_text")


@register(AccessibilityCriterion)
class AccessibilityCriterionTranslation(TranslationOptions):
    fields = ("name", "note")


simple_history.register(SitePage)
simple_history.register(AccessibilityCriterion)
simple_history.register(SitePageSection)
