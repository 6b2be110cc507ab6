"""Content fields in Japanese and English; audit trail registered after translation."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    Agreement,
    AgreementDocument,
    AgreementEvent,
    AgreementPhoto,
    Article,
    FocusArea,
    RelationshipPhase,
)


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "purpose", "background", "future_scope", "plan_context")


@register(FocusArea)
class FocusAreaTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("text", "expected_projects")


@register(AgreementEvent)
class AgreementEventTranslation(TranslationOptions):
    fields = ("title", "description")


@register(AgreementDocument)
class AgreementDocumentTranslation(TranslationOptions):
    fields = ("title",)


@register(AgreementPhoto)
class AgreementPhotoTranslation(TranslationOptions):
    fields = ("alt_text", "caption")


@register(RelationshipPhase)
class RelationshipPhaseTranslation(TranslationOptions):
    fields = (
        "name",
        "period",
        "summary",
        "city_role",
        "institute_role",
        "funding",
        "city_stance",
        "notes",
    )


for model in (
    Agreement,
    FocusArea,
    Article,
    AgreementEvent,
    AgreementDocument,
    AgreementPhoto,
    RelationshipPhase,
):
    simple_history.register(model)
