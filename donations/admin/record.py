"""The Japanese admin for the public record: donors, donations, receipts, interviews and
awards (DESIGN.md §6.7).

Donors, donations and awards are edited declaratively. Receipts (受領証) are issued from the
donation list (an action calling ``receipt_issue``) and are then read-only for good: listed
under their donation, opened as the PDF that was issued. A receipt is mailed to the company
with the letter of thanks (礼状, ``DonorLetter``) either as it is issued (the action
「受領証を発行してメールで送付する」) or later from the receipt's page; the letter's wording is a
site text staff edit (``DonorLetterAdmin``).
"""

from __future__ import annotations

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from modeltranslation.admin import TranslationAdmin

from core.admin_helpers import (
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    fiscal_year_filter,
    formatted_column,
)
from core.admin_history import HistoryAdmin
from core.japanese import date_label, fiscal_year_label, format_yen
from core.publishing_admin import PublishableAdmin
from core.spreadsheets import SpreadsheetAdminMixin

from ..models import Award, Donation, DonationReceipt, Donor, DonorInterview, InquiryNotification
from ..records import year_page_url
from ..resources import DonationResource, DonorResource
from ..services import (
    receipt_document_name,
    receipt_issue,
    receipt_issue_and_send,
    receipt_send,
)
from .totals import PledgeTotalsAdminMixin


class DonorInterviewInline(admin.TabularInline):
    model = DonorInterview
    extra = 0
    autocomplete_fields = ["video"]
    fields = ["video", "position"]


class DonorDonationInline(ReadOnlyInline):
    """The donor's donations at a glance; each is edited on its own page."""

    model = Donation
    fields = ["fiscal_year_display", "amount_display", "scheme", "received_on", "receipt_number"]
    readonly_fields = fields
    show_change_link = True
    verbose_name_plural = _("寄附の記録")

    fiscal_year_display = formatted_column("fiscal_year", _("年度"), fiscal_year_label)

    def view_on_site(self, obj):
        # 「サイトで見る」: a donation is shown in the table of its fiscal year's page (every
        # donation is in the public record, its name or amount as 非公表 where so chosen).
        try:
            return year_page_url(obj.fiscal_year) if obj.fiscal_year else None
        except NoReverseMatch:
            return None

    amount_display = formatted_column("amount", _("金額"), format_yen)


@admin.register(Donor)
class DonorAdmin(SpreadsheetAdminMixin, HistoryAdmin, TranslationAdmin):
    resource_classes = [DonorResource]
    import_format_template = "admin/donations/donor/import_format.html"
    list_display = [
        "display_name",
        "kind",
        "is_anonymous",
        "corporate_number",
        "donation_count",
        "donation_total",
    ]
    list_filter = ["kind", "is_anonymous"]
    search_fields = ["name_ja", "name_en", "aliases", "corporate_number"]
    fields = ["kind", "name", "aliases", "is_anonymous", "corporate_number", "note"]
    inlines = [DonorDonationInline, DonorInterviewInline]

    def get_queryset(self, request):
        # One join, two aggregates: the count and the sum come from the same donation rows.
        return (
            super()
            .get_queryset(request)
            .annotate(donation_count=Count("donations"), donation_total=Sum("donations__amount"))
        )

    @admin.display(description=_("名称・氏名"), ordering="name")
    def display_name(self, obj):
        # An anonymous donor has no name; 匿名（法人） says which kind it is.
        return str(obj)

    @admin.display(description=_("寄附件数"), ordering="donation_count")
    def donation_count(self, obj):
        return obj.donation_count

    @admin.display(description=_("寄附額の合計"), ordering="donation_total")
    def donation_total(self, obj):
        return format_yen(obj.donation_total or 0)


def _iso_date_label(value: str | None) -> str:
    return date_label(datetime.date.fromisoformat(value)) if value else "—"


def may_issue_receipts(user) -> bool:
    """Issuing a receipt and mailing one are the same power: adding a receipt."""
    opts = DonationReceipt._meta
    return user.has_perm(f"{opts.app_label}.add_{opts.model_name}")


def receipt_pdf_link(receipt: DonationReceipt):
    url = reverse("admin:donations_donationreceipt_pdf", args=[receipt.pk])
    return format_html('<a href="{}" type="application/pdf">{}</a>', url, gettext("PDFを開く"))


class DonationReceiptInline(ReadOnlyInline):
    """The receipts issued for a donation, oldest first; each opens as the PDF that was issued."""

    model = DonationReceipt
    # The PDF's SHA-256 stays internal (it proves the stored file is the one issued): staff
    # open the PDF, they do not compare hashes.
    fields = ["issued_at", "kind", "issued_by", "pdf", "mail"]
    readonly_fields = fields
    verbose_name_plural = _("発行した受領証")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("issued_by")

    @admin.display(description=_("PDF"))
    def pdf(self, obj):
        return receipt_pdf_link(obj)

    @admin.display(description=_("メール送付"))
    def mail(self, obj):
        # Sent from the receipt's own page (a form cannot sit inside the donation's form).
        url = reverse("admin:donations_donationreceipt_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("受領証のページから送付する"))


@admin.register(Donation)
class DonationAdmin(PledgeTotalsAdminMixin, SpreadsheetAdminMixin, HistoryAdmin):
    resource_classes = [DonationResource]
    import_format_template = "admin/donations/donation/import_format.html"
    # Named, so the import and export buttons are added around it (the filtered totals).
    change_list_template = "admin/donations/donation/change_list.html"
    list_display = [
        "fiscal_year_display",
        "donor",
        "amount_display",
        "scheme",
        "publication",
        "received_on",
        "receipt_number",
    ]
    list_display_links = ["fiscal_year_display", "donor"]
    list_filter = [
        fiscal_year_filter("fiscal_year", _("年度")),
        "scheme",
        "publish_name",
        "publish_amount",
    ]
    search_fields = ["donor__name_ja", "donor__name_en", "receipt_number"]
    list_select_related = ["donor"]
    autocomplete_fields = ["donor", "projects"]
    fieldsets = [
        (None, {"fields": ["donor", ("fiscal_year", "amount", "scheme")]}),
        (_("受領"), {"fields": [("received_on", "receipt_number"), "projects"]}),
        (_("公表"), {"fields": [("publish_name", "publish_amount"), "position"]}),
        (_("記録元"), {"fields": ["inquiry_link", "receipt_mails"]}),
    ]
    inlines = [DonationReceiptInline]
    actions = ["issue_receipts", "issue_and_send_receipts"]

    # Shown in place of the stored number once a receipt has frozen them.
    FROZEN_DISPLAY = {"fiscal_year": "fiscal_year_display", "amount": "amount_display"}

    def is_frozen(self, obj) -> bool:
        return obj is not None and obj.receipts.exists()

    def get_readonly_fields(self, request, obj=None):
        # The number is given when the first receipt is issued, never typed. Once a receipt
        # is issued, what it printed is shown but no longer editable (the model refuses it
        # too: Donation.clean).
        if self.is_frozen(obj):
            return [
                self.FROZEN_DISPLAY.get(name, name)
                for name in (
                    *Donation.FIELDS_FROZEN_BY_RECEIPT,
                    "projects",
                    "inquiry_link",
                    "receipt_mails",
                )
            ]
        return ["receipt_number", "inquiry_link", "receipt_mails"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.is_frozen(obj):
            return fieldsets

        def shown(fields):
            return [
                tuple(self.FROZEN_DISPLAY.get(n, n) for n in f)
                if isinstance(f, tuple)
                else self.FROZEN_DISPLAY.get(f, f)
                for f in fields
            ]

        (name, options), *rest = [(n, {**o, "fields": shown(o["fields"])}) for n, o in fieldsets]
        options["description"] = gettext(
            "受領証を発行したため、受領証に記載した内容（寄附者・年度・金額・制度・受領日・"
            "受領証番号・活用先）は変更できません。"
        )
        return [(name, options), *rest]

    fiscal_year_display = formatted_column("fiscal_year", _("年度"), fiscal_year_label)

    def view_on_site(self, obj):
        # 「サイトで見る」: a donation is shown in the table of its fiscal year's page (every
        # donation is in the public record, its name or amount as 非公表 where so chosen).
        try:
            return year_page_url(obj.fiscal_year) if obj.fiscal_year else None
        except NoReverseMatch:
            return None

    amount_display = formatted_column("amount", _("金額"), format_yen)

    @admin.display(description=_("記録元のお問い合わせ"))
    def inquiry_link(self, obj):
        # The reference and the company's name are no personal data (the inquiry's page
        # itself hides the contact for staff without that permission): every role that sees
        # donations may open inquiries (hiratsuka_portal/roles.py).
        if obj is None or obj.inquiry is None:
            return "—"
        url = reverse("admin:donations_donationinquiry_change", args=[obj.inquiry.pk])
        return format_html('<a href="{}">{}</a>', url, obj.inquiry)

    @admin.display(description=_("受領証の送付（メール）"))
    def receipt_mails(self, obj):
        """The receipt e-mails sent to the inquiry's company, with who had each sent: the
        audit trail of the sending, also on the inquiry's page. The address is left out (it
        is personal data, shown on the inquiry's page to those allowed to see it)."""
        if obj is None or obj.inquiry is None:
            return "—"
        mails = (
            obj.inquiry.notifications.filter(kind=InquiryNotification.Kind.RECEIPT)
            .select_related("requested_by")
            .order_by("created_at", "pk")
        )
        rows = [
            (
                date_label(timezone.localtime(mail.created_at)),
                timezone.localtime(mail.created_at).strftime("%H:%M"),
                mail.attachment_name,
                mail.get_state_display(),
                mail.requested_by or "—",
            )
            for mail in mails
        ]
        if not rows:
            return gettext("まだ送付していません。")
        return format_html(
            '<table class="receipt-mails"><thead><tr><th scope="col">{}</th><th scope="col">{}'
            '</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody>'
            "</table>",
            gettext("依頼日時"),
            gettext("添付ファイル"),
            gettext("状態"),
            gettext("送信した職員"),
            format_html_join("", "<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.display(description=_("公表"))
    def publication(self, obj):
        # One short column instead of two yes/no columns: what the public record shows.
        match obj.publish_name, obj.publish_amount:
            case True, True:
                return gettext("名称・金額")
            case True, False:
                return gettext("名称のみ")
            case False, True:
                return gettext("金額のみ")
        return pgettext("donor name", "非公表")

    def has_issue_receipt_permission(self, request) -> bool:
        return may_issue_receipts(request.user)

    @admin.action(description=_("受領証を発行する"), permissions=["issue_receipt"])
    def issue_receipts(self, request, queryset):
        originals = reissues = 0
        for donation in queryset.select_related("donor"):
            try:
                receipt = receipt_issue(donation=donation, issued_by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{donation}：{' '.join(error.messages)}", level=messages.ERROR
                )
            else:
                if receipt.kind == DonationReceipt.Kind.ORIGINAL:
                    originals += 1
                else:
                    reissues += 1
        if originals or reissues:
            self.message_user(
                request,
                gettext("受領証を発行しました（原本%(originals)d件、再発行%(reissues)d件）。")
                % {"originals": originals, "reissues": reissues},
                level=messages.SUCCESS,
            )

    @admin.action(description=_("受領証を発行してメールで送付する"), permissions=["issue_receipt"])
    def issue_and_send_receipts(self, request, queryset):
        """Issue each donation's receipt and mail it to the company with the letter of thanks,
        saying per donation what was done or why nothing was."""
        for donation in queryset.select_related("donor", "inquiry"):
            try:
                receipt, _notification = receipt_issue_and_send(
                    donation=donation, issued_by=request.user
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("%(donation)s：受領証を発行・送付できませんでした。%(reason)s")
                    % {"donation": donation, "reason": " ".join(error.messages)},
                    level=messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    gettext(
                        "%(donation)s：受領証（%(kind)s、%(number)s）を発行し、お問い合わせ "
                        "%(reference)s のメールアドレスあてに礼状を添えて送付します"
                        "（送信は自動で行い、状況はお問い合わせのページに表示します）。"
                    )
                    % {
                        "donation": donation,
                        "kind": receipt.get_kind_display(),
                        "number": receipt.snapshot["receipt_number"],
                        "reference": donation.inquiry.reference,
                    },
                    level=messages.SUCCESS,
                )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # A redirect (after an action, or ?e=1) has no context; the list page itself does.
        cl = getattr(response, "context_data", {}).get("cl")
        if cl is not None:
            totals = cl.queryset.aggregate(count=Count("pk"), total=Sum("amount"))
            response.context_data["filtered_totals"] = {
                "count": f"{totals['count']:,}",
                "total": format_yen(totals["total"] or 0),
            }
        return response


@admin.register(DonationReceipt)
class DonationReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Issued receipts, read-only: they are issued from the donation list and never changed."""

    list_display = [
        "receipt_number",
        "kind",
        "donor",
        "amount_display",
        "issued_at",
        "issued_by",
        "pdf",
    ]
    list_filter = ["kind", fiscal_year_filter("donation__fiscal_year", _("年度"))]
    search_fields = ["donation__receipt_number", "donation__donor__name_ja"]
    list_select_related = ["donation__donor", "issued_by"]
    date_hierarchy = "issued_at"
    fields = ["donation", "kind", "issued_at", "issued_by", "pdf", "printed"]
    readonly_fields = fields
    change_form_template = "admin/donations/donationreceipt/change_form.html"
    actions = ["send_receipts"]

    def get_urls(self):
        return [
            path(
                "<path:object_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="donations_donationreceipt_pdf",
            ),
            path(
                "<path:object_id>/send/",
                self.admin_site.admin_view(require_POST(self.send_view)),
                name="donations_donationreceipt_send",
            ),
            *super().get_urls(),
        ]

    def has_issue_receipt_permission(self, request) -> bool:
        return may_issue_receipts(request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if self.has_issue_receipt_permission(request):
            extra_context["send_url"] = reverse(
                "admin:donations_donationreceipt_send", args=[object_id]
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def _send(self, request, receipt: DonationReceipt) -> bool:
        try:
            notification = receipt_send(receipt=receipt, sent_by=request.user)
        except ValidationError as error:
            self.message_user(
                request,
                gettext("%(receipt)s：送付できませんでした。%(reason)s")
                % {"receipt": receipt_document_name(receipt), "reason": " ".join(error.messages)},
                level=messages.ERROR,
            )
            return False
        self.message_user(
            request,
            gettext(
                "%(receipt)s を、お問い合わせ %(reference)s のメールアドレスあてに礼状を添えて"
                "送付します（送信は自動で行い、状況はお問い合わせのページに表示します）。"
            )
            % {
                "receipt": notification.attachment_name,
                "reference": notification.inquiry.reference,
            },
            level=messages.SUCCESS,
        )
        return True

    def send_view(self, request, object_id):
        """Mail an issued receipt (again) to the company, with the letter of thanks."""
        receipt = self.get_object(request, unquote(object_id))
        if receipt is None:
            raise Http404
        if not self.has_issue_receipt_permission(request):
            raise PermissionDenied
        self._send(request, receipt)
        return HttpResponseRedirect(
            reverse("admin:donations_donationreceipt_change", args=[receipt.pk])
        )

    @admin.action(description=_("選択した受領証をメールで送付する"), permissions=["issue_receipt"])
    def send_receipts(self, request, queryset):
        for receipt in queryset:
            self._send(request, receipt)

    def pdf_view(self, request, object_id):
        """The PDF exactly as it was issued (staff only: it names a donor and an amount)."""
        receipt = self.get_object(request, unquote(object_id))
        if receipt is None:
            raise Http404
        if not self.has_view_permission(request, receipt):
            raise PermissionDenied
        return FileResponse(
            receipt.file.open("rb"),
            content_type="application/pdf",
            filename=receipt_document_name(receipt),
        )

    @admin.display(description=_("受領証番号"), ordering="donation__receipt_number")
    def receipt_number(self, obj):
        return obj.snapshot.get("receipt_number", "")

    @admin.display(description=_("寄附者"))
    def donor(self, obj):
        return obj.snapshot.get("donor_name", "")

    @admin.display(description=_("金額"))
    def amount_display(self, obj):
        return format_yen(obj.snapshot.get("amount", 0))

    @admin.display(description=_("PDF"))
    def pdf(self, obj):
        return receipt_pdf_link(obj)

    @admin.display(description=_("記載内容"))
    def printed(self, obj):
        # The facts as they were printed, whatever the donation's record says today.
        snapshot = obj.snapshot
        rows = [
            (_("受領証番号"), snapshot.get("receipt_number", "")),
            (_("寄附者"), snapshot.get("donor_name", "")),
            (_("金額"), format_yen(snapshot.get("amount", 0))),
            (_("受領日"), _iso_date_label(snapshot.get("received_on"))),
            (
                _("年度"),
                fiscal_year_label(snapshot["fiscal_year"]) if "fiscal_year" in snapshot else "",
            ),
            (_("制度"), snapshot.get("scheme_label", "")),
            (_("活用先の取組み"), "、".join(snapshot.get("projects", []))),
            (_("発行日"), _iso_date_label(snapshot.get("issued_on"))),
        ]
        return format_html(
            '<table class="receipt-printed"><tbody>{}</tbody></table>',
            format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows),
        )


@admin.register(Award)
class AwardAdmin(PublishableAdmin, HistoryAdmin, TranslationAdmin):
    list_display = [
        "title",
        "presented_by",
        "fiscal_year_display",
        "ceremony_on",
        "initiative",
        "project",
        "publication_state_display",
    ]
    list_filter = [fiscal_year_filter("fiscal_year", _("年度"))]
    search_fields = [
        "title_ja",
        "title_en",
        "presented_by_ja",
        "presented_by_en",
        "initiative_ja",
        "initiative_en",
    ]
    list_select_related = ["project"]
    autocomplete_fields = ["project"]

    fiscal_year_display = formatted_column("fiscal_year", _("年度"), fiscal_year_label)

    def preview_url(self, obj):
        # Awards are told on the donation page.
        try:
            return f"{reverse('donations:donation-list')}#award-{obj.pk}-heading"
        except NoReverseMatch:
            return None
