"""How the admin labels the two language versions of a translated field.

django-modeltranslation labels them 「名称 [ja]」 and 「名称 [en]」; staff read language codes as
jargon. ``localized_verbose_name`` is its ``MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME``
setting (modeltranslation/utils.py ``build_localized_verbose_name`` calls it lazily, so the
label follows the language of the page): 「名称（日本語）」 and 「名称（英語）」.

Imported by the settings: it imports nothing of Django's but its translation functions.
"""

from __future__ import annotations

from django.utils.translation import gettext, pgettext

_LANGUAGE_NAMES = {
    # The language a field is written in, as a label's suffix.
    "ja": lambda: pgettext("field language", "日本語"),
    "en": lambda: pgettext("field language", "英語"),
}


def localized_verbose_name(verbose_name, lang: str) -> str:
    """「名称（日本語）」: the field's name with the language of this version of it."""
    language = _LANGUAGE_NAMES.get(lang)
    return gettext("%(name)s（%(language)s）") % {
        "name": verbose_name,
        "language": language() if language else lang,
    }
