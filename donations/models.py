"""Donations: the public record of corporate hometown-tax donations and the inquiries
companies send before donating, with the city's follow-up."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, F, Max, Min, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.storage import PrivateStorage
from core.validators import validate_corporate_number
from projects.models import Project, Video

# The scheme's floor: a corporate hometown-tax donation is at least ¥100,000 (内閣府の制度).
MINIMUM_CORPORATE_DONATION = 100_000


class Scheme(models.TextChoices):
    CORPORATE_HOMETOWN_TAX = "corporate_hometown_tax", _("企業版ふるさと納税")
    OTHER = "other", _("その他の寄附")


class Donor(models.Model):
    """A company or a person who donated. An anonymous donor is never named anywhere public."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("法人")
        INDIVIDUAL = "individual", _("個人")

    kind = models.CharField(_("種別"), max_length=20, choices=Kind)
    name = models.CharField(_("名称・氏名"), max_length=200, blank=True)
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    corporate_number = models.CharField(
        _("法人番号"), max_length=13, blank=True, validators=[validate_corporate_number]
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("寄附者")
        verbose_name_plural = _("寄附者")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_anonymous=True) | ~Q(name=""), name="donor_named_unless_anonymous"
            ),
        ]

    def __str__(self) -> str:
        if self.name:
            return self.name
        return str(_("匿名（個人）") if self.kind == self.Kind.INDIVIDUAL else _("匿名（法人）"))


class DonationQuerySet(models.QuerySet):
    def for_fiscal_year(self, fiscal_year: int) -> DonationQuerySet:
        return self.filter(fiscal_year=fiscal_year)

    def for_public_table(self) -> DonationQuerySet:
        """In table order, with the donor and, as ``published_projects``, the funded projects
        the public may see: two queries whatever the number of donations."""
        return (
            self.select_related("donor")
            .prefetch_related(
                models.Prefetch(
                    "projects",
                    queryset=Project.objects.published(),
                    to_attr="published_projects",
                )
            )
            .order_by("fiscal_year", "position", "pk")
        )

    def public_summary(self) -> dict | None:
        """The published total and the fiscal years it spans, in one query; None while no
        donation is recorded.

        Unpublished amounts stay out of every public total: summed in, anyone could subtract
        the published ones and learn them."""
        summary = self.aggregate(
            count=Count("pk"),
            total=Sum("amount", filter=Q(publish_amount=True), default=0),
            first_year=Min("fiscal_year"),
            last_year=Max("fiscal_year"),
        )
        return summary if summary["count"] else None


class Donation(models.Model):
    """One donation as the city received it."""

    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="donations", verbose_name=_("寄附者")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    amount = models.PositiveBigIntegerField(_("金額（円）"), validators=[MinValueValidator(1)])
    scheme = models.CharField(
        _("制度"), max_length=30, choices=Scheme, default=Scheme.CORPORATE_HOMETOWN_TAX
    )
    received_on = models.DateField(_("受領日"), null=True, blank=True)
    receipt_number = models.CharField(_("受領証番号"), max_length=50, blank=True)
    projects = models.ManyToManyField(
        Project, blank=True, related_name="donations", verbose_name=_("活用先の取組み")
    )
    publish_name = models.BooleanField(_("名称を公表する"), default=False)
    publish_amount = models.BooleanField(_("金額を公表する"), default=False)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("寄附")
        verbose_name_plural = _("寄附")
        ordering = ["-fiscal_year", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_amount_positive"),
            models.CheckConstraint(
                condition=~Q(scheme="corporate_hometown_tax")
                | Q(amount__gte=MINIMUM_CORPORATE_DONATION),
                name="donation_corporate_minimum",
            ),
            models.CheckConstraint(
                condition=Q(scheme__in=Scheme.values), name="donation_scheme_known"
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~Q(receipt_number=""),
                name="donation_unique_receipt_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.donor} {self.amount:,}"

    @property
    def shows_donor_name(self) -> bool:
        """The donor is named only when it agreed to it and is not anonymous."""
        return self.publish_name and not self.donor.is_anonymous

    @property
    def public_donor_name(self) -> str:
        """What the public table shows in place of the donor."""
        if self.donor.is_anonymous:
            return str(_("匿名"))
        if not self.publish_name:
            return str(pgettext_lazy("donor name", "非公表"))
        return self.donor.name


class DonationReceiptQuerySet(models.QuerySet):
    def originals(self) -> DonationReceiptQuerySet:
        return self.filter(kind=DonationReceipt.Kind.ORIGINAL)


class DonationReceipt(models.Model):
    """A receipt (受領証) the city issued for a donation: the PDF exactly as it was handed out,
    its SHA-256, and the facts printed on it.

    Issued documents are frozen: a receipt is never changed (``receipt_issue`` only ever adds
    one, the admin offers no change or delete) and a later issue is a re-issue (再発行) kept
    beside the original."""

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("原本")
        REISSUE = "reissue", _("再発行")

    donation = models.ForeignKey(
        Donation, on_delete=models.PROTECT, related_name="receipts", verbose_name=_("寄附")
    )
    kind = models.CharField(_("種類"), max_length=10, choices=Kind)
    issued_at = models.DateTimeField(_("発行日時"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("発行者"),
    )
    # Receipts name donors and amounts: they live outside the public media folder and are
    # served only through the admin's download view.
    file = models.FileField(
        _("PDFファイル"), upload_to="receipts/%Y/", max_length=255, storage=PrivateStorage()
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    snapshot = models.JSONField(_("記載内容"), help_text=_("受領証に印字した内容"))

    objects = DonationReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("受領証")
        verbose_name_plural = _("受領証")
        ordering = ["issued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["donation"],
                condition=Q(kind="original"),
                name="receipt_one_original_per_donation",
                violation_error_message=_("この寄附の受領証（原本）はすでに発行されています。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["original", "reissue"]), name="receipt_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.snapshot.get('receipt_number', '')} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        # The one guard against rewriting an issued document from code; the service and the
        # admin never try.
        if not self._state.adding:
            raise ValueError("An issued receipt is never changed; issue a re-issue instead.")
        super().save(*args, **kwargs)


class DonorInterview(models.Model):
    """A donor explaining, on video, why it supports the city's work."""

    donor = models.ForeignKey(
        Donor, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("寄附者")
    )
    video = models.ForeignKey(
        Video, on_delete=models.CASCADE, related_name="donor_interviews", verbose_name=_("動画")
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("寄附者インタビュー")
        verbose_name_plural = _("寄附者インタビュー")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.video)


class Award(models.Model):
    """Recognition the city received for the way it uses donations."""

    title = models.CharField(_("名称"), max_length=300)
    presented_by = models.CharField(_("主催"), max_length=200)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    ceremony_on = models.DateField(_("表彰式の日"), null=True, blank=True)
    description = models.TextField(_("説明"), blank=True)
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("対象の取組み"),
    )

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-fiscal_year", "pk"]

    def __str__(self) -> str:
        return self.title


# --- Inquiries ---------------------------------------------------------------------------------


class InquiryStatus(models.TextChoices):
    RECEIVED = "received", _("受付")
    CONTACTING = "contacting", _("連絡中")
    PLEDGED = "pledged", _("寄附の申出あり")
    DONATED = "donated", _("寄附済み")
    DECLINED = "declined", _("見送り（市）")
    WITHDRAWN = "withdrawn", _("取下げ（企業）")


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


class DonationInquiryQuerySet(models.QuerySet):
    def open(self) -> DonationInquiryQuerySet:
        return self.filter(
            status__in=[
                InquiryStatus.RECEIVED,
                InquiryStatus.CONTACTING,
                InquiryStatus.PLEDGED,
            ]
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
    department = models.CharField(_("部署名"), max_length=200, blank=True)
    contact_name = models.CharField(_("担当者名"), max_length=100)
    contact_name_kana = models.CharField(_("担当者名（フリガナ）"), max_length=100)
    email = models.EmailField(_("メールアドレス"))
    phone = models.CharField(_("電話番号"), max_length=20)
    planned_amount = models.PositiveBigIntegerField(_("寄附予定額（円）"))
    planned_fiscal_year = models.PositiveSmallIntegerField(_("寄附予定年度"))
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
    created_at = models.DateTimeField(_("受付日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = DonationInquiryQuerySet.as_manager()

    class Meta:
        verbose_name = _("寄附のお問い合わせ")
        verbose_name_plural = _("寄附のお問い合わせ")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_amount__gte=MINIMUM_CORPORATE_DONATION),
                name="inquiry_amount_at_least_minimum",
            ),
            models.CheckConstraint(
                condition=Q(status__in=InquiryStatus.values), name="inquiry_status_known"
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
        return f"{self.from_status} → {self.to_status}"


class InquiryNotification(models.Model):
    """An e-mail about an inquiry, stored with the inquiry and sent after commit.

    The message is rendered when the inquiry is stored (a snapshot in the recipient's
    language); delivery failures are recorded here and retried with back-off by the task
    worker, so no inquiry is lost when the mail server is down.
    """

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("受付確認（企業あて）")
        STAFF_NOTICE = "staff_notice", _("受付通知（市あて）")

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
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("通知メール")
        verbose_name_plural = _("通知メール")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "kind"], name="notification_one_per_kind"),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "sent", "failed"]),
                name="notification_state_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"
