"""The follow-up form of an inquiry's admin page: status, assignee, the pledge's payment
(method and the day the city asked for it) and a new note. It only validates; the inquiry's
admin saves each change through its service (donations/admin/inquiries.py)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import INQUIRY_TRANSITIONS, DonationInquiry, InquiryStatus

# The payment fields of the follow-up, and the statuses they may be filled from (contacting:
# in the same save that moves the inquiry to pledged, checked in clean()).
PAYMENT_FIELDS = ("payment_method", "payment_requested_on")
PAYMENT_EDITABLE_FROM = (InquiryStatus.CONTACTING, InquiryStatus.PLEDGED)


class InquiryFollowUpForm(forms.ModelForm):
    """Only the follow-up is editable; the form checks the status move the service will make."""

    new_note = forms.CharField(
        label=_("対応メモを追加"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("保存すると、記入者と日時とともに対応メモに記録されます。"),
    )

    class Meta:
        model = DonationInquiry
        fields = ["representative", "status", "assignee", "payment_method", "payment_requested_on"]
        widgets = {"payment_requested_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            following = sorted(
                INQUIRY_TRANSITIONS[self.instance.status], key=InquiryStatus.values.index
            )
            self.fields["status"].help_text = (
                gettext("次に選べる対応状況：%(statuses)s")
                % {"statuses": "、".join(str(InquiryStatus(s).label) for s in following)}
                if following
                else gettext("この対応状況からは変更できません。")
            )
        # The payment is recorded with the pledge or after it, while the inquiry is pledged:
        # a closed one keeps what was recorded.
        for name in PAYMENT_FIELDS:
            if name in self.fields and self.instance.status not in PAYMENT_EDITABLE_FROM:
                self.fields[name].disabled = True
        if "assignee" in self.fields:
            # Active staff, and whoever is assigned now even if they have since left.
            self.fields["assignee"].queryset = get_user_model().objects.filter(
                Q(is_staff=True, is_active=True) | Q(pk=self.instance.assignee_id)
            )

    def clean_status(self):
        status = self.cleaned_data["status"]
        current = self.instance.status
        if status != current and status not in INQUIRY_TRANSITIONS[current]:
            raise ValidationError(
                _("「%(from)s」から「%(to)s」には変更できません。"),
                code="invalid_transition",
                params={"from": InquiryStatus(current).label, "to": InquiryStatus(status).label},
            )
        return status

    def clean_payment_requested_on(self):
        requested_on = self.cleaned_data.get("payment_requested_on")
        if requested_on and requested_on > timezone.localdate():
            raise ValidationError(
                _("納付依頼日には今日までの日付を入力してください。"), code="requested_in_future"
            )
        return requested_on

    def clean(self):
        cleaned = super().clean()
        changed = [name for name in PAYMENT_FIELDS if name in self.changed_data]
        if not changed:
            return cleaned
        if cleaned.get("status", self.instance.status) != InquiryStatus.PLEDGED:
            for name in changed:
                self.add_error(
                    name,
                    ValidationError(
                        _("納付方法と納付依頼日は「寄附の申出あり」のときに記録します。"),
                        code="not_pledged",
                    ),
                )
        elif cleaned.get("payment_requested_on") and not cleaned.get("payment_method"):
            self.add_error(
                "payment_method",
                ValidationError(
                    _("納付を依頼するには、先に納付方法を選んでください。"), code="method_missing"
                ),
            )
        return cleaned

    def clean_representative(self):
        return " ".join(self.cleaned_data["representative"].split())

    def clean_new_note(self):
        return self.cleaned_data["new_note"].strip()
