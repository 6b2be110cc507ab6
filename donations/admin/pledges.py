"""Recording the donation a pledged inquiry led to, from the inquiry's admin: the action
「寄附として記録する」 (and the button on the inquiry's page) opens a confirmation page,
Django-admin style like a deletion's, where staff confirm the amount received and the date;
the service ``donation_record_from_inquiry`` does the rest in one transaction.

Only staff who may add donations and change inquiries (寄附担当, superusers) see the action,
the button and the page.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.japanese import format_yen

from ..models import Donation, InquiryStatus
from ..services import donation_record_from_inquiry
from ..services.pledges import donor_matching_inquiry


class RecordDonationForm(forms.Form):
    amount = forms.IntegerField(
        label=_("受領した金額（円）"),
        min_value=1,
        help_text=_("寄附の申出の金額と異なる額が納付された場合は、納付された額を入力します。"),
    )
    received_on = forms.DateField(
        label=_("受領日"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("年度は受領日から決まります（4月1日から翌年3月31日まで）。"),
    )
    further_payment = forms.BooleanField(
        label=_("追加の納付として記録する"),
        required=False,
        help_text=_(
            "このお問い合わせから寄附をすでに記録していて、同じ企業から追加の納付があった場合にチェックします。"
        ),
    )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise ValidationError(
                _("受領日には今日までの日付を入力してください。"), code="received_in_future"
            )
        return received_on


class RecordDonationAdminMixin:
    """For the inquiry's ModelAdmin: the action, the button and the confirmation page."""

    record_donation_template = "admin/donations/donationinquiry/record_donation.html"

    def has_record_donation_permission(self, request, obj=None) -> bool:
        user = request.user
        return user.has_perm("donations.add_donation") and user.has_perm(
            "donations.change_donationinquiry"
        )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/record-donation/",
                self.admin_site.admin_view(self.record_donation_view),
                name="donations_donationinquiry_record_donation",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("寄附として記録する"), permissions=["record_donation"])
    def record_donation(self, request, queryset):
        # One donation is confirmed at a time: each has its own amount and date received.
        selected = list(queryset[:2])
        if len(selected) != 1:
            self.message_user(
                request,
                gettext("寄附として記録するお問い合わせを1件だけ選んでください。"),
                level=messages.WARNING,
            )
            return None
        return HttpResponseRedirect(record_donation_url(selected[0]))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, unquote(object_id))
        if (
            obj is not None
            and obj.status in (InquiryStatus.PLEDGED, InquiryStatus.DONATED)
            and self.has_record_donation_permission(request, obj)
        ):
            extra_context["record_donation_url"] = record_donation_url(obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def record_donation_view(self, request, object_id):
        inquiry = self.get_object(request, unquote(object_id))
        if inquiry is None:
            raise Http404
        if not self.has_record_donation_permission(request, inquiry):
            raise PermissionDenied
        if request.method == "POST":
            form = RecordDonationForm(request.POST)
            if form.is_valid():
                try:
                    donation = donation_record_from_inquiry(
                        inquiry=inquiry,
                        amount=form.cleaned_data["amount"],
                        received_on=form.cleaned_data["received_on"],
                        recorded_by=request.user,
                        further_payment=form.cleaned_data["further_payment"],
                    )
                except ValidationError as error:
                    _add_errors(form, error)
                else:
                    url = reverse("admin:donations_donation_change", args=[donation.pk])
                    self.message_user(
                        request,
                        format_html(
                            gettext("寄附「{}」を記録しました。"),
                            format_html('<a href="{}">{}</a>', url, donation),
                        ),
                        level=messages.SUCCESS,
                    )
                    return HttpResponseRedirect(url)
        else:
            form = RecordDonationForm(initial={"amount": inquiry.planned_amount})
        earlier = list(inquiry.donations.select_related("donor").order_by("received_on", "pk"))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("寄附として記録する"),
            "subtitle": str(inquiry),
            "opts": self.opts,
            "inquiry": inquiry,
            "form": form,
            "matched_donor": donor_matching_inquiry(inquiry),
            "earlier_donations": earlier,
            "projects": list(inquiry.projects.all()),
            "planned_amount": format_yen(inquiry.planned_amount),
        }
        return TemplateResponse(request, self.record_donation_template, context)


def record_donation_url(inquiry) -> str:
    return reverse("admin:donations_donationinquiry_record_donation", args=[inquiry.pk])


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def donations_links(inquiry) -> str:
    """The donations recorded from ``inquiry``, each linked to its page (the inquiry's page)."""
    donations: list[Donation] = list(inquiry.donations.select_related("donor"))
    if not donations:
        return "—"
    return format_html_join(
        mark_safe("<br>"),
        '<a href="{}">{}</a>',
        ((reverse("admin:donations_donation_change", args=[d.pk]), str(d)) for d in donations),
    )
