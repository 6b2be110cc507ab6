"""The 寄附申出書 in the admin: issued when an inquiry is moved to 寄附の申出あり, re-issued
after a correction (「寄附申出書を作り直す」) and e-mailed to the company
(「寄附申出書をメールで送付する」), from the inquiry list (actions) or the inquiry's page
(buttons). Issued applications are read-only for good, listed under their inquiry; their PDF
names the company's representative and head office, so only staff who may see personal data
open it.

Only staff who may add applications, change inquiries and see personal data (寄附担当,
superusers) issue or send one.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.admin_helpers import ReadOnlyAdminMixin, ReadOnlyInline
from core.japanese import format_yen

from ..models import DonationApplication, InquiryStatus
from ..services import application_issue, application_send
from ..services.applications import application_file_name
from .personal_data import PERSONAL_DATA_PERMISSION, may_see_personal_data


def may_issue_applications(user) -> bool:
    return (
        user.has_perm("donations.add_donationapplication")
        and user.has_perm("donations.change_donationinquiry")
        and user.has_perm(PERSONAL_DATA_PERMISSION)
    )


def application_pdf_link(application: DonationApplication):
    if application.is_erased:
        return gettext("消去済み（保存期間経過）")
    url = reverse("admin:donations_donationapplication_pdf", args=[application.pk])
    return format_html('<a href="{}" type="application/pdf">{}</a>', url, gettext("PDFを開く"))


class DonationApplicationInline(ReadOnlyInline):
    """The applications issued for an inquiry, oldest first, the latest marked as the one that
    counts; the PDF link only for staff who may see personal data."""

    model = DonationApplication
    fields = ["issued_at", "issued_by", "current", "pdf"]
    readonly_fields = fields
    verbose_name_plural = _("発行した寄附申出書")

    def has_view_permission(self, request, obj=None):
        # Whoever may see the inquiry sees that (and when, by whom) an application was issued.
        return request.user.has_perm("donations.view_donationinquiry") or request.user.has_perm(
            "donations.change_donationinquiry"
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issued_by")

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if may_see_personal_data(request.user) else [f for f in fields if f != "pdf"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    @admin.display(description=_("有効"))
    def current(self, obj):
        latest = obj.inquiry.applications.latest_first().values_list("pk", flat=True).first()
        return gettext("最新") if latest == obj.pk else gettext("作り直し前")

    @admin.display(description=_("PDF"))
    def pdf(self, obj):
        return application_pdf_link(obj)


@admin.register(DonationApplication)
class DonationApplicationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Issued applications, read-only: issued from the inquiries and never changed."""

    list_display = ["reference", "company", "amount_display", "issued_at", "issued_by", "pdf"]
    search_fields = ["inquiry__reference", "inquiry__company_name"]
    list_select_related = ["inquiry", "issued_by"]
    date_hierarchy = "issued_at"
    fields = ["inquiry", "issued_at", "issued_by", "erased_at", "pdf"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        # A mistaken issue is for a superuser to remove; an issued one is otherwise kept.
        return request.user.is_superuser

    def get_urls(self):
        return [
            path(
                "<path:object_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="donations_donationapplication_pdf",
            ),
            *super().get_urls(),
        ]

    def get_list_display(self, request):
        columns = super().get_list_display(request)
        if may_see_personal_data(request.user):
            return columns
        return [column for column in columns if column != "pdf"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if may_see_personal_data(request.user) else [f for f in fields if f != "pdf"]

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def pdf_view(self, request, object_id):
        """The PDF exactly as it was issued (staff who may see personal data only)."""
        application = self.get_object(request, unquote(object_id))
        if application is None or application.is_erased:
            raise Http404
        if not self.has_view_permission(request, application) or not may_see_personal_data(
            request.user
        ):
            raise PermissionDenied
        return FileResponse(
            application.file.open("rb"),
            content_type="application/pdf",
            filename=application_file_name(application),
        )

    @admin.display(description=_("受付番号"), ordering="inquiry__reference")
    def reference(self, obj):
        return obj.snapshot.get("reference", "")

    @admin.display(description=_("法人名"))
    def company(self, obj):
        return obj.snapshot.get("company_name", "")

    @admin.display(description=_("寄附申出額"))
    def amount_display(self, obj):
        return format_yen(obj.snapshot.get("amount", 0))

    @admin.display(description=_("PDF"))
    def pdf(self, obj):
        return application_pdf_link(obj)


class ApplicationAdminMixin:
    """For the inquiry's ModelAdmin: the two actions, the two buttons and their views."""

    def has_issue_application_permission(self, request, obj=None) -> bool:
        return may_issue_applications(request.user)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/application/issue/",
                self.admin_site.admin_view(require_POST(self.issue_application_view)),
                name="donations_donationinquiry_issue_application",
            ),
            path(
                "<path:object_id>/application/send/",
                self.admin_site.admin_view(require_POST(self.send_application_view)),
                name="donations_donationinquiry_send_application",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, unquote(object_id))
        if (
            obj is not None
            and obj.status == InquiryStatus.PLEDGED
            and obj.anonymised_at is None
            and self.has_issue_application_permission(request, obj)
        ):
            extra_context["issue_application_url"] = reverse(
                "admin:donations_donationinquiry_issue_application", args=[obj.pk]
            )
            extra_context["send_application_url"] = reverse(
                "admin:donations_donationinquiry_send_application", args=[obj.pk]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    # --- Actions

    @admin.action(description=_("寄附申出書を作り直す"), permissions=["issue_application"])
    def reissue_applications(self, request, queryset):
        done = [i for i in queryset if self._issue(request, i)]
        if done:
            self.message_user(
                request,
                gettext("寄附申出書を%(count)d件作成しました。") % {"count": len(done)},
                level=messages.SUCCESS,
            )

    @admin.action(description=_("寄附申出書をメールで送付する"), permissions=["issue_application"])
    def send_applications(self, request, queryset):
        done = [i for i in queryset if self._send(request, i)]
        if done:
            self.message_user(
                request,
                gettext("寄附申出書のメール%(count)d件を送信待ちにしました。")
                % {"count": len(done)},
                level=messages.SUCCESS,
            )

    # --- The buttons on the inquiry's page (POST only)

    def issue_application_view(self, request, object_id):
        inquiry = self._inquiry_for_button(request, object_id)
        if self._issue(request, inquiry):
            self.message_user(
                request, gettext("寄附申出書を作り直しました。"), level=messages.SUCCESS
            )
        return HttpResponseRedirect(self._change_url(inquiry))

    def send_application_view(self, request, object_id):
        inquiry = self._inquiry_for_button(request, object_id)
        if self._send(request, inquiry):
            self.message_user(
                request,
                gettext("寄附申出書のメールを%(email)sあてに送信待ちにしました。")
                % {"email": inquiry.email},
                level=messages.SUCCESS,
            )
        return HttpResponseRedirect(self._change_url(inquiry))

    def _inquiry_for_button(self, request, object_id):
        inquiry = self.get_object(request, unquote(object_id))
        if inquiry is None:
            raise Http404
        if not self.has_issue_application_permission(request, inquiry):
            raise PermissionDenied
        return inquiry

    @staticmethod
    def _change_url(inquiry) -> str:
        return reverse("admin:donations_donationinquiry_change", args=[inquiry.pk])

    def _issue(self, request, inquiry) -> bool:
        try:
            application_issue(inquiry=inquiry, issued_by=request.user)
        except ValidationError as error:
            self.message_user(
                request, f"{inquiry.reference}：{' '.join(error.messages)}", level=messages.ERROR
            )
            return False
        return True

    def _send(self, request, inquiry) -> bool:
        try:
            application_send(
                inquiry=inquiry, sent_by=request.user, build_link_url=request.build_absolute_uri
            )
        except ValidationError as error:
            self.message_user(
                request, f"{inquiry.reference}：{' '.join(error.messages)}", level=messages.ERROR
            )
            return False
        return True
