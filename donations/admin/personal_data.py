"""Inquiries' personal data in the admin: shown only to holders of
``donations.view_personal_data`` (寄附担当 and superusers, see hiratsuka_portal/roles.py).

Staff who may only read inquiries (閲覧者) see each inquiry without
``INQUIRY_PERSONAL_FIELDS`` — on its page, in a past version's page and in its history — cannot
search by them, and do not see the follow-up notes (which quote the contact person) or the
e-mails' addresses and texts.
"""

from __future__ import annotations

from ..models import INQUIRY_PERSONAL_FIELDS

PERSONAL_DATA_PERMISSION = "donations.view_personal_data"

# Where a notification names or reaches the contact person.
NOTIFICATION_PERSONAL_FIELDS = ("recipient", "subject", "body", "last_error")


def may_see_personal_data(user) -> bool:
    return user.has_perm(PERSONAL_DATA_PERMISSION)


def _without(fields, hidden) -> list:
    """``fields`` (names, or tuples shown on one line) without the ``hidden`` names."""
    kept = []
    for field in fields:
        if isinstance(field, list | tuple):
            line = tuple(name for name in field if name not in hidden)
            if line:
                kept.append(line)
        elif field not in hidden:
            kept.append(field)
    return kept


class PersonalDataAdminMixin:
    """For the inquiry's ModelAdmin: leaves the personal fields out for those without the
    permission. ``personal_inlines`` are left out entirely."""

    personal_fields: tuple[str, ...] = INQUIRY_PERSONAL_FIELDS
    personal_inlines: tuple[type, ...] = ()

    def hides_personal_data(self, request) -> bool:
        return not may_see_personal_data(request.user)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.hides_personal_data(request):
            return fieldsets
        masked = []
        for title, options in fieldsets:
            fields = _without(options.get("fields", ()), self.personal_fields)
            if fields:
                masked.append((title, {**options, "fields": fields}))
        return masked

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if self.hides_personal_data(request):
            return _without(fields, self.personal_fields)
        return fields

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        if self.hides_personal_data(request):
            # Searching by an e-mail address would tell who wrote, without showing it.
            return [f for f in fields if f.split("__")[0] not in self.personal_fields]
        return fields

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        if self.hides_personal_data(request):
            return [inline for inline in inlines if inline not in self.personal_inlines]
        return inlines

    def history_hidden_fields(self, request) -> set[str]:
        hidden = set(super().history_hidden_fields(request))
        if self.hides_personal_data(request):
            hidden |= set(self.personal_fields)
        return hidden


class PersonalDataInlineMixin:
    """For an inline of the inquiry: its ``personal_fields`` left out for those without the
    permission."""

    personal_fields: tuple[str, ...] = ()

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if may_see_personal_data(request.user):
            return fields
        return _without(fields, self.personal_fields)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if may_see_personal_data(request.user):
            return fields
        return _without(fields, self.personal_fields)
