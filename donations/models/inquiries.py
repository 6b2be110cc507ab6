"""Inquiries: what a company sends through the public form before donating, and the city's
follow-up (status, notes, who changed what, the e-mails sent about it)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fiscal_years import FiscalYearField
from core.storage import PrivateStorage
from core.validators import validate_corporate_number
from projects.models import Project

from .record import MINIMUM_CORPORATE_DONATION, Donation


class InquiryStatus(models.TextChoices):
    RECEIVED = "received", _("受付")
    CONTACTING = "contacting", _("連絡中")
    PLEDGED = "pledged", _("寄附の申出あり")
    DONATED = "donated", _("寄附済み")
    DECLINED = "declined", _("見送り（市）")
    WITHDRAWN = "withdrawn", _("取下げ（企業）")


class PaymentMethod(models.TextChoices):
    """How the company pays, as the 寄附申出書 asks (様式第1号 of the municipal bylaws)."""

    INVOICE = "invoice", _("納付書")
    TRANSFER = "transfer", _("振込")
    OTHER = "other", _("その他")


# Which status may follow which: the follow-up moves forward, and can end at any open step.
INQUIRY_TRANSITIONS: dict[str, set[str]] = {
    InquiryStatus.RECEIVED: {
        InquiryStatus.CONTACTING,
        InquiryStatus.DECLINED,
        InquiryStatus.WITHDRAWN,
    },
    InquiryStatus.CONTACTING: {
        InquiryStatus.PLEDGED,
        InquiryStatus.DECLINED,
        InquiryStatus.WITHDRAWN,
    },
    InquiryStatus.PLEDGED: {
        InquiryStatus.DONATED,
        InquiryStatus.DECLINED,
        InquiryStatus.WITHDRAWN,
    },
    InquiryStatus.DONATED: set(),
    InquiryStatus.DECLINED: set(),
    InquiryStatus.WITHDRAWN: set(),
}


# What identifies or reaches a person (the contact, and where the company is written to), and the
# free text that may quote either: shown only with donations.view_personal_data, and what the
# retention rule erases. The company's name and 法人番号 are public facts, not personal data.
INQUIRY_PERSONAL_FIELDS: tuple[str, ...] = (
    "contact_name",
    "contact_name_kana",
    "email",
    "phone",
    "postal_code",
    "head_office_address",
    "representative",
    "message",
)

# The follow-up has ended: the company donated, the city declined or the company withdrew.
# No further step can follow (INQUIRY_TRANSITIONS), so the personal data is no longer needed
# once the retention period has passed.
CLOSED_STATUSES = (InquiryStatus.DONATED, InquiryStatus.DECLINED, InquiryStatus.WITHDRAWN)


class DonationInquiryQuerySet(models.QuerySet):
    def open(self) -> DonationInquiryQuerySet:
        return self.filter(
            status__in=[
                InquiryStatus.RECEIVED,
                InquiryStatus.CONTACTING,
                InquiryStatus.PLEDGED,
            ]
        )

    def pledged(self) -> DonationInquiryQuerySet:
        """Inquiries whose company pledged a donation (寄附の申出あり) and those it has since
        donated from (寄附済み). A pledge later declined or withdrawn is not counted."""
        return self.filter(status__in=[InquiryStatus.PLEDGED, InquiryStatus.DONATED])

    def count_by_status(self) -> dict[str, int]:
        """How many inquiries are at each status (every status, 0 included), in one query."""
        rows = self.order_by().values("status").annotate(count=models.Count("pk"))
        counts = {row["status"]: row["count"] for row in rows}
        return {status: counts.get(status, 0) for status in InquiryStatus.values}

    def awaiting_first_contact(self) -> DonationInquiryQuerySet:
        """Inquiries nobody has contacted yet: still at 受付 (the follow-up moves to 連絡中 with
        the first contact), oldest first."""
        return self.filter(status=InquiryStatus.RECEIVED).order_by("created_at", "pk")

    def with_closed_at(self) -> DonationInquiryQuerySet:
        """Annotates ``closed_at``: when the follow-up ended, from the status history (the
        last move to a closed status); an inquiry without that history (older data) counts
        from its last update."""
        return self.annotate(
            closed_at=Coalesce(
                Max(
                    "status_changes__changed_at",
                    filter=Q(status_changes__to_status__in=CLOSED_STATUSES),
                ),
                F("updated_at"),
            )
        )

    def payment_overdue(self, *, requested_before: date) -> DonationInquiryQuerySet:
        """Pledges whose payment the city asked for before ``requested_before`` and from which
        no donation has been recorded yet, the longest waiting first."""
        return (
            self.filter(
                status=InquiryStatus.PLEDGED,
                payment_requested_on__lt=requested_before,
            )
            .exclude(Exists(Donation.objects.filter(inquiry=OuterRef("pk"))))
            .order_by("payment_requested_on", "pk")
        )

    def due_for_anonymisation(self, *, closed_before: datetime) -> DonationInquiryQuerySet:
        """Closed inquiries whose follow-up ended before ``closed_before`` and whose personal
        data is still there."""
        return (
            self.filter(status__in=CLOSED_STATUSES, anonymised_at__isnull=True)
            .with_closed_at()
            .filter(closed_at__lt=closed_before)
            .order_by("closed_at", "pk")
        )


class DonationInquiry(models.Model):
    """A company's inquiry about donating, sent through the public form, and its follow-up."""

    reference = models.CharField(_("受付番号"), max_length=20, unique=True, editable=False)
    # The signed token of the form the company submitted: a second submission of the same form
    # (a double click, a reload) finds this inquiry instead of creating another.
    submission_token = models.CharField(max_length=64, unique=True, editable=False)
    language = models.CharField(_("言語"), max_length=5, choices=settings.LANGUAGES)

    company_name = models.CharField(_("法人名"), max_length=200)
    company_name_kana = models.CharField(_("法人名（フリガナ）"), max_length=200)
    corporate_number = models.CharField(
        _("法人番号"), max_length=13, blank=True, validators=[validate_corporate_number]
    )
    postal_code = models.CharField(_("本社の郵便番号"), max_length=8)
    head_office_address = models.CharField(_("本社の所在地"), max_length=300)
    # Printed on the 寄附申出書; the company may leave it for staff (who hear it on the phone)
    # or for the company's own pen on the printed form.
    representative = models.CharField(
        _("代表者の役職・氏名"),
        max_length=200,
        blank=True,
        help_text=_("例：代表取締役 平塚 太郎"),
    )
    # Only a company filing a blue return may donate under the scheme; the form refuses the
    # others. Empty for inquiries sent before the form asked.
    files_blue_return = models.BooleanField(_("青色申告を行っている"), null=True, blank=True)
    department = models.CharField(_("部署名"), max_length=200, blank=True)
    contact_name = models.CharField(_("担当者名"), max_length=100)
    contact_name_kana = models.CharField(_("担当者名（フリガナ）"), max_length=100)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20)
    planned_amount = models.PositiveBigIntegerField(_("寄附予定額（円）"))
    planned_fiscal_year = FiscalYearField(_("寄附予定年度"))
    projects = models.ManyToManyField(
        Project, blank=True, related_name="inquiries", verbose_name=_("関心のある取組み")
    )
    consent_publish_name = models.BooleanField(_("法人名の公表に同意"), default=False)
    consent_publish_amount = models.BooleanField(_("寄附額の公表に同意"), default=False)
    message = models.TextField(_("お問い合わせ内容"), blank=True)
    privacy_consented_at = models.DateTimeField(_("個人情報の取扱いへの同意日時"))

    status = models.CharField(
        _("対応状況"), max_length=20, choices=InquiryStatus, default=InquiryStatus.RECEIVED
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donation_inquiries",
        verbose_name=_("担当者"),
    )
    # Recorded with the pledge (寄附申出書) or later, by staff: see InquiryFollowUpForm.
    payment_method = models.CharField(
        _("納付方法"), max_length=20, choices=PaymentMethod, blank=True
    )
    payment_requested_on = models.DateField(
        _("納付依頼日"),
        null=True,
        blank=True,
        help_text=_("市が企業に納付を依頼した日（納付書を送付した日、振込先を案内した日）"),
    )
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    anonymised_at = models.DateTimeField(
        _("個人情報の消去日時"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("保存期間が過ぎ、個人情報を消去した日時（anonymise_inquiries）"),
    )

    objects = DonationInquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("寄附のお問い合わせ")
        verbose_name_plural = _("寄附のお問い合わせ")
        ordering = ["-created_at"]
        # Staff who follow inquiries up see who wrote and how to reach them; other staff who
        # may read inquiries (閲覧者) see them without INQUIRY_PERSONAL_FIELDS.
        permissions = [("view_personal_data", _("問い合わせの個人情報を閲覧できる"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_amount__gte=MINIMUM_CORPORATE_DONATION),
                name="inquiry_amount_at_least_minimum",
            ),
            models.CheckConstraint(
                condition=Q(status__in=InquiryStatus.values), name="inquiry_status_known"
            ),
            # The city asks for a payment in a given way: no request without a method.
            models.CheckConstraint(
                condition=Q(payment_requested_on__isnull=True) | ~Q(payment_method=""),
                name="inquiry_payment_request_has_method",
                violation_error_message=_("納付を依頼するには、先に納付方法を選んでください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.company_name}"

    def get_absolute_url(self) -> str:
        return reverse("admin:donations_donationinquiry_change", args=[self.pk])


class InquiryNote(models.Model):
    """A dated note a staff member wrote while following an inquiry up."""

    inquiry = models.ForeignKey(
        DonationInquiry,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("お問い合わせ"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("記入者"),
    )
    body = models.TextField(_("メモ"))
    created_at = models.DateTimeField(_("記入日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("対応メモ")
        verbose_name_plural = _("対応メモ")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:40]


class InquiryStatusChange(models.Model):
    """Who moved an inquiry from which status to which, and when."""

    inquiry = models.ForeignKey(
        DonationInquiry,
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("お問い合わせ"),
    )
    from_status = models.CharField(_("変更前"), max_length=20, choices=InquiryStatus, blank=True)
    to_status = models.CharField(_("変更後"), max_length=20, choices=InquiryStatus)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("変更者"),
    )
    changed_at = models.DateTimeField(_("変更日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("対応状況の履歴")
        verbose_name_plural = _("対応状況の履歴")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_status=F("to_status")), name="statuschange_changes_something"
            ),
        ]

    def __str__(self) -> str:
        # Labels, never the stored codes; the first row (the form's submission) has no "from".
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


class InquiryNotification(models.Model):
    """An e-mail about an inquiry, stored with the inquiry and sent after commit.

    The message is rendered when the inquiry is stored (a snapshot in the recipient's
    language); delivery failures are recorded here and retried with back-off by the task
    worker, so no inquiry is lost when the mail server is down.
    """

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("受付確認（企業あて）")
        STAFF_NOTICE = "staff_notice", _("受付通知（市あて）")
        APPLICATION = "application", _("寄附申出書の送付（企業あて）")
        RECEIPT = "receipt", _("受領証と礼状の送付（企業あて）")

    class State(models.TextChoices):
        PENDING = "pending", _("送信待ち")
        SENT = "sent", _("送信済み")
        FAILED = "failed", _("送信失敗")

    inquiry = models.ForeignKey(
        DonationInquiry,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("お問い合わせ"),
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind)
    recipient = models.EmailField(_("宛先"))
    subject = models.CharField(_("件名"), max_length=300)
    body = models.TextField(_("本文"))
    state = models.CharField(_("状態"), max_length=10, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("送信試行回数"), default=0)
    last_error = models.TextField(_("直近のエラー"), blank=True)
    next_attempt_at = models.DateTimeField(_("次の送信予定"), null=True, blank=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)
    # The document sent with the e-mail, exactly as sent (a copy of the frozen application or
    # receipt): the mail can be retried days later and still carries the same bytes.
    attachment = models.FileField(
        _("添付ファイル"),
        upload_to="notifications/%Y/",
        max_length=255,
        storage=PrivateStorage(),
        blank=True,
    )
    attachment_name = models.CharField(_("添付ファイル名"), max_length=120, blank=True)
    # The member of staff who had a document sent (the audit trail's author); none for the
    # e-mails the public form sends by itself.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("送信した職員"),
    )
    # Who last asked for an immediate attempt (「今すぐ送信する」) and when.
    send_now_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("今すぐ送信を指示した職員"),
    )
    send_now_requested_at = models.DateTimeField(_("今すぐ送信の指示日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知メール")
        verbose_name_plural = _("通知メール")
        ordering = ["created_at", "pk"]
        constraints = [
            # One acknowledgement and one staff notice per inquiry; documents may be sent again.
            models.UniqueConstraint(
                fields=["inquiry", "kind"],
                condition=Q(kind__in=["acknowledgement", "staff_notice"]),
                name="notification_one_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sent", "failed"]),
                name="notification_state_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"
