"""Content fields in Japanese and English; audit trail registered after translation."""

import simple_history
from modeltranslation.translator import TranslationOptions, register

from .models import (
    ActivityRecord,
    Facility,
    Funding,
    FundingSource,
    Meeting,
    Membership,
    Milestone,
    Organization,
    Outcome,
    Participation,
    Project,
    ProjectImage,
    ResearchGroup,
    Theme,
    Video,
)


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name",)


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(FundingSource)
class FundingSourceTranslation(TranslationOptions):
    fields = ("name",)


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary", "description", "link_text")


@register(Participation)
class ParticipationTranslation(TranslationOptions):
    fields = ("role_note",)


@register(Funding)
class FundingTranslation(TranslationOptions):
    fields = ("note",)


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("title", "description")


@register(ProjectImage)
class ProjectImageTranslation(TranslationOptions):
    fields = ("alt_text", "caption")


@register(Video)
class VideoTranslation(TranslationOptions):
    fields = ("title", "channel", "thumbnail_alt")


@register(ResearchGroup)
class ResearchGroupTranslation(TranslationOptions):
    fields = ("name", "purpose", "activities", "members_note")


@register(Membership)
class MembershipTranslation(TranslationOptions):
    fields = ("note",)


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("title", "place", "notes")


@register(ActivityRecord)
class ActivityRecordTranslation(TranslationOptions):
    fields = ("meetings_note", "participants_text", "participants_note")


@register(Outcome)
class OutcomeTranslation(TranslationOptions):
    fields = ("title", "description", "organizations_text")


@register(Facility)
class FacilityTranslation(TranslationOptions):
    fields = ("name", "description")


for model in (
    Organization,
    Theme,
    FundingSource,
    Project,
    Participation,
    Funding,
    Milestone,
    ProjectImage,
    Video,
    ResearchGroup,
    Membership,
    Meeting,
    ActivityRecord,
    Outcome,
    Facility,
):
    simple_history.register(model)
