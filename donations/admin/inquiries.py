"""The Japanese admin for donation inquiries and their follow-up (DESIGN.md §6.7).

What the company sent is shown read-only, and everything staff do to an inquiry (status,
assignee, notes, resending its e-mails) goes through ``donations.services``, which records who
did it and when.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin_helpers import ReadOnlyInline, fiscal_year_filter, formatted_column
from core.admin_history import HistoryAdmin
from core.japanese import fiscal_year_label, format_yen
from core.spreadsheets import SpreadsheetExportMixin

from ..models import (
    DonationInquiry,
    InquiryNote,
    InquiryNotification,
    InquiryStatus,
    InquiryStatusChange,
)
from ..resources import DonationInquiryResource
from ..services import (
    inquiry_add_note,
    inquiry_assign,
    inquiry_change_status,
    inquiry_set_payment,
    inquiry_set_representative,
    notification_resend,
    notification_send_now,
)
from ..services.applications import application_issue
from .applications import ApplicationAdminMixin, DonationApplicationInline
from .follow_up import PAYMENT_FIELDS, InquiryFollowUpForm
from .personal_data import (
    NOTIFICATION_PERSONAL_FIELDS,
    PersonalDataAdminMixin,
    PersonalDataInlineMixin,
)
from .pledges import RecordDonationAdminMixin, donations_links

# --- Inquiries: read-only records of what happened -----------------------------------------------


class InquiryRecordInline(ReadOnlyInline):
    """A read-only list of what happened to an inquiry; the services write these rows."""

    def has_view_permission(self, request, obj=None):
        # Whoever may see the inquiry sees its record, without a permission per record model.
        opts = DonationInquiry._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or (
            request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        )


class InquiryNoteInline(InquiryRecordInline):
    model = InquiryNote
    fields = ["created_at", "author", "body"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class InquiryStatusChangeInline(InquiryRecordInline):
    model = InquiryStatusChange
    fields = ["changed_at", "from_status", "to_status", "changed_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


class InquiryNotificationInline(PersonalDataInlineMixin, InquiryRecordInline):
    model = InquiryNotification
    personal_fields = NOTIFICATION_PERSONAL_FIELDS
    fields = [
        "kind",
        "recipient",
        "subject",
        "state",
        "attempts",
        "last_error",
        "next_attempt_at",
        "sent_at",
        "attachment_name",
        "requested_by",
        "send_now_requested_by",
        "send_now_requested_at",
    ]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by", "send_now_requested_by")


# --- Inquiries: the follow-up --------------------------------------------------------------------


def status_action(status: InquiryStatus, description):
    """An admin action moving the selected inquiries to ``status`` through the service."""

    @admin.action(description=description, permissions=["change"])
    def action(modeladmin, request, queryset):
        modeladmin.change_status(request, queryset, status)

    action.__name__ = f"mark_{status}"
    return action


@admin.register(DonationInquiry)
class DonationInquiryAdmin(
    ApplicationAdminMixin,
    RecordDonationAdminMixin,
    PersonalDataAdminMixin,
    SpreadsheetExportMixin,
    HistoryAdmin,
):
    form = InquiryFollowUpForm
    resource_classes = [DonationInquiryResource]
    # Notes quote the contact person: not for those who may not see personal data.
    personal_inlines = (InquiryNoteInline,)
    list_display = [
        "reference",
        "company_name",
        "planned_amount_display",
        "planned_fiscal_year_display",
        "status",
        "assignee",
        "age",
        "notification_summary",
    ]
    list_filter = [
        "status",
        ("assignee", admin.RelatedOnlyFieldListFilter),
        fiscal_year_filter("planned_fiscal_year", _("寄附予定年度")),
        ("projects", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "reference",
        "company_name",
        "company_name_kana",
        "contact_name",
        "email",
        "corporate_number",
    ]
    list_select_related = ["assignee"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]
    actions = [
        "send_notifications_now",
        "resend_notifications",
        "assign_to_me",
        "mark_contacting",
        "mark_pledged",
        "mark_donated",
        "record_donation",
        "send_applications",
        "reissue_applications",
    ]
    readonly_fields = [
        "reference",
        "created_at",
        "language",
        "company_name",
        "company_name_kana",
        "corporate_number",
        "postal_code",
        "head_office_address",
        "files_blue_return",
        "department",
        "contact_name",
        "contact_name_kana",
        "email",
        "phone",
        "planned_amount_display",
        "planned_fiscal_year_display",
        "projects_display",
        "consent_publish_name",
        "consent_publish_amount",
        "message",
        "privacy_consented_at",
        "donations_display",
    ]
    fieldsets = [
        (None, {"fields": [("reference", "created_at", "language")]}),
        (
            _("法人"),
            {
                "fields": [
                    ("company_name", "company_name_kana"),
                    ("corporate_number", "files_blue_return"),
                    ("postal_code", "head_office_address"),
                    "representative",
                ]
            },
        ),
        (
            _("ご担当者"),
            {
                "fields": [
                    "department",
                    ("contact_name", "contact_name_kana"),
                    ("email", "phone"),
                ]
            },
        ),
        (
            _("寄附の予定"),
            {
                "fields": [
                    ("planned_amount_display", "planned_fiscal_year_display"),
                    "projects_display",
                    ("consent_publish_name", "consent_publish_amount"),
                    "message",
                    "privacy_consented_at",
                ]
            },
        ),
        (
            _("市の対応"),
            {
                "fields": [
                    "status",
                    "assignee",
                    ("payment_method", "payment_requested_on"),
                    "new_note",
                    "donations_display",
                ]
            },
        ),
    ]
    inlines = [
        InquiryNoteInline,
        InquiryStatusChangeInline,
        DonationApplicationInline,
        InquiryNotificationInline,
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Read only (閲覧者): there is no note to add, so no empty 「メモを追加」 field.
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f != "new_note"]})
            for title, options in fieldsets
        ]

    def get_queryset(self, request):
        # The notification column's counts come with the rows: no query per inquiry.
        def notifications(**state):
            condition = Q(**{f"notifications__{k}": v for k, v in state.items()})
            return Count("notifications", filter=condition, distinct=True)

        return (
            super()
            .get_queryset(request)
            .annotate(
                notifications_total=Count("notifications", distinct=True),
                notifications_sent=notifications(state=InquiryNotification.State.SENT),
                notifications_failed=notifications(state=InquiryNotification.State.FAILED),
            )
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "assignee":
            # Choosing a colleague, not managing user accounts from an inquiry's page.
            widget = formfield.widget
            widget.can_add_related = widget.can_change_related = False
            widget.can_delete_related = widget.can_view_related = False
        return formfield

    # The follow-up moves only forward, through the services: a past version is for reading.
    def revert_disabled(self, request, obj=None):
        return True

    def has_export_permission(self, request) -> bool:
        # The export holds every contact's name, e-mail and phone: only staff who may read
        # personal data (寄附担当) take it out of the admin.
        return super().has_export_permission(request) and request.user.has_perm(
            "donations.view_personal_data"
        )

    # Inquiries come from the public form only; deleting one is for superusers (e.g. spam).
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    # --- Columns and read-only fields

    planned_amount_display = formatted_column("planned_amount", _("寄附予定額"), format_yen)
    planned_fiscal_year_display = formatted_column(
        "planned_fiscal_year", _("寄附予定年度"), fiscal_year_label
    )

    @admin.display(description=_("関心のある取組み"))
    def projects_display(self, obj):
        return "、".join(str(project) for project in obj.projects.all()) or "—"

    @admin.display(description=_("記録した寄附"))
    def donations_display(self, obj):
        return donations_links(obj)

    @admin.display(description=_("経過日数"), ordering="-created_at")
    def age(self, obj):
        # Calendar days in Japan: an inquiry received yesterday evening is one day old.
        days = (timezone.localdate() - timezone.localdate(obj.created_at)).days
        return gettext("%(days)d日") % {"days": days}

    @admin.display(description=_("通知メール"))
    def notification_summary(self, obj):
        if not obj.notifications_total:
            return "—"
        if obj.notifications_failed:
            return gettext("送信失敗 %(count)d") % {"count": obj.notifications_failed}
        if obj.notifications_sent < obj.notifications_total:
            return gettext("送信待ち %(sent)d/%(total)d") % {
                "sent": obj.notifications_sent,
                "total": obj.notifications_total,
            }
        return gettext("送信済み %(sent)d/%(total)d") % {
            "sent": obj.notifications_sent,
            "total": obj.notifications_total,
        }

    # --- Saving the follow-up through the services

    def save_model(self, request, obj, form, change):
        # The form has put the new values on obj, but nothing is saved here directly: each
        # change goes through its service, which records who made it.
        obj._history_user = request.user
        if "representative" in form.changed_data:
            inquiry_set_representative(
                inquiry=obj,
                representative=form.cleaned_data["representative"],
                changed_by=request.user,
            )
        payment_changed = any(name in form.changed_data for name in PAYMENT_FIELDS)
        # A pledge recorded with its payment method: the 寄附申出書 is issued once the method
        # is recorded too (the admin's change view is one transaction: still the same one).
        issue_after_payment = False
        if "status" in form.changed_data:
            pledging = form.cleaned_data["status"] == InquiryStatus.PLEDGED
            try:
                inquiry_change_status(
                    inquiry=obj,
                    to_status=form.cleaned_data["status"],
                    changed_by=request.user,
                    issue_application=not (pledging and payment_changed),
                )
            except ValidationError as error:
                # Someone else moved the inquiry between the form's check and this save.
                self.message_user(request, " ".join(error.messages), level=messages.ERROR)
                obj.status = DonationInquiry.objects.values_list("status", flat=True).get(pk=obj.pk)
            else:
                issue_after_payment = pledging and payment_changed
        if payment_changed:
            try:
                inquiry_set_payment(
                    inquiry=obj,
                    payment_method=form.cleaned_data["payment_method"],
                    payment_requested_on=form.cleaned_data["payment_requested_on"],
                    changed_by=request.user,
                )
            except ValidationError as error:
                # The status move above was refused (a race): the payment waits for the pledge.
                self.message_user(request, " ".join(error.messages), level=messages.ERROR)
        if issue_after_payment:
            application_issue(inquiry=obj, issued_by=request.user)
        if "assignee" in form.changed_data:
            inquiry_assign(inquiry=obj, assignee=form.cleaned_data["assignee"])
        if note := form.cleaned_data.get("new_note"):
            inquiry_add_note(inquiry=obj, author=request.user, body=note)

    # --- Actions

    @admin.action(description=_("通知メールを再送する"), permissions=["change"])
    def resend_notifications(self, request, queryset):
        # Pending e-mails already have their next attempt scheduled; only failed ones need staff.
        failed = InquiryNotification.objects.filter(
            inquiry_id__in=list(queryset.values_list("pk", flat=True)),
            state=InquiryNotification.State.FAILED,
        )
        count = 0
        for notification in failed:
            notification_resend(notification=notification, requested_by=request.user)
            count += 1
        if count:
            self.message_user(
                request,
                gettext("%(count)d件の通知メールを再送します。") % {"count": count},
                level=messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                gettext(
                    "送信に失敗した通知メールはありません（送信待ちのものは自動で再試行します）。"
                ),
                level=messages.WARNING,
            )

    @admin.action(description=_("今すぐ送信する"), permissions=["change"])
    def send_notifications_now(self, request, queryset):
        # The unsent e-mails (waiting for their next retry, or failed) of the selected inquiries.
        unsent = InquiryNotification.objects.filter(
            inquiry_id__in=list(queryset.values_list("pk", flat=True))
        ).exclude(state=InquiryNotification.State.SENT)
        queued = already = 0
        for notification in unsent:
            try:
                if notification_send_now(notification=notification, requested_by=request.user):
                    queued += 1
                else:
                    already += 1
            except ValidationError as error:
                # Sent by the worker between the list and the lock: said, never sent twice.
                self.message_user(request, " ".join(error.messages), level=messages.WARNING)
        if queued:
            self.message_user(
                request,
                gettext("%(count)d件の通知メールを今すぐ送信します。") % {"count": queued},
                level=messages.SUCCESS,
            )
        if already:
            self.message_user(
                request,
                gettext("%(count)d件の通知メールはすでに送信中です（二重には送信しません）。")
                % {"count": already},
                level=messages.INFO,
            )
        if not unsent:
            self.message_user(
                request,
                gettext("選択したお問い合わせの通知メールはすべて送信済みです。"),
                level=messages.WARNING,
            )

    @admin.action(description=_("自分を担当者にする"), permissions=["change"])
    def assign_to_me(self, request, queryset):
        count = 0
        for inquiry in queryset:
            inquiry_assign(inquiry=inquiry, assignee=request.user)
            count += 1
        self.message_user(
            request,
            gettext("%(count)d件の担当者を%(user)sにしました。")
            % {"count": count, "user": request.user.get_username()},
            level=messages.SUCCESS,
        )

    mark_contacting = status_action(InquiryStatus.CONTACTING, _("連絡中にする"))
    mark_pledged = status_action(InquiryStatus.PLEDGED, _("寄附の申出ありにする"))
    mark_donated = status_action(InquiryStatus.DONATED, _("寄附済みにする"))

    def change_status(self, request, queryset, status: InquiryStatus) -> None:
        changed = 0
        for inquiry in queryset:
            try:
                inquiry_change_status(inquiry=inquiry, to_status=status, changed_by=request.user)
            except ValidationError as error:
                self.message_user(
                    request,
                    f"{inquiry.reference}：{' '.join(error.messages)}",
                    level=messages.ERROR,
                )
            else:
                changed += 1
        if changed:
            self.message_user(
                request,
                gettext("%(count)d件を「%(status)s」にしました。")
                % {"count": changed, "status": status.label},
                level=messages.SUCCESS,
            )
