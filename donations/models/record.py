"""The public record: the donors, the donations the city received (with the receipts it
issued for them), the donors' interviews and the awards the city received."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fiscal_years import FiscalYearField
from core.japanese import fiscal_year_label, format_yen
from core.publishing import Publishable, PublishableQuerySet
from core.storage import PrivateStorage
from core.validators import validate_corporate_number, validate_past_fiscal_year
from projects.models import Project, Video

# The scheme's floor: a corporate hometown-tax donation is at least ¥100,000 (内閣府の制度).
MINIMUM_CORPORATE_DONATION = 100_000
# The corporate hometown-tax scheme began in FY2016 (地域再生法の改正); its last year is a setting.
FIRST_CORPORATE_HOMETOWN_TAX_FISCAL_YEAR = 2016


class Scheme(models.TextChoices):
    CORPORATE_HOMETOWN_TAX = "corporate_hometown_tax", _("企業版ふるさと納税")
    OTHER = "other", _("その他の寄附")


class DonorQuerySet(models.QuerySet):
    def publicly_named(self) -> DonorQuerySet:
        """The donors the public record names: not anonymous, and with at least one donation
        whose name may be published (``publish_name``).

        A donor whose donations are all unpublished is named nowhere public: the donation
        table shows 非公表 in its place, and search does not find it, not even by its exact
        name."""
        return self.filter(is_anonymous=False).filter(
            Exists(Donation.objects.naming_the_donor().filter(donor=OuterRef("pk")))
        )


class Donor(models.Model):
    """A company or a person who donated. An anonymous donor is never named anywhere public."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("法人")
        INDIVIDUAL = "individual", _("個人")

    kind = models.CharField(_("種別"), max_length=20, choices=Kind)
    name = models.CharField(_("名称・氏名"), max_length=200, blank=True)
    aliases = models.TextField(
        _("ほかの名称"),
        blank=True,
        help_text=_(
            "旧称・現在の名称・略称など、名称のほかに使われる名称を1行に1つ入力します"
            "（英語の名称も同じ欄に）。サイト内検索では日本語・英語のページとも、名称と同じように検索されます（匿名の寄附者は検索されません）。"
        ),
    )
    is_anonymous = models.BooleanField(_("匿名"), default=False)
    corporate_number = models.CharField(
        _("法人番号"), max_length=13, blank=True, validators=[validate_corporate_number]
    )
    note = models.CharField(
        _("備考"),
        max_length=300,
        blank=True,
        help_text=_("公表する名称の後に括弧書きで表示します（例：現在のLINEヤフー株式会社）"),
    )

    objects = DonorQuerySet.as_manager()

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

    def clean(self):
        super().clean()
        if not self.is_anonymous and not (self.name or "").strip():
            raise ValidationError(
                {"name_ja": _("匿名でない寄附者には名称を入力してください。")},
                code="name_missing",
            )


class DonationQuerySet(models.QuerySet):
    def for_fiscal_year(self, fiscal_year: int) -> DonationQuerySet:
        return self.filter(fiscal_year=fiscal_year)

    def first_of_each_fiscal_year(self, count: int) -> DonationQuerySet:
        """The first ``count`` donations of each fiscal year in table order, in one query
        (ROW_NUMBER over each year), so that a list of several years stays the same length
        however many donations a year brings."""
        return self.annotate(
            row_in_year=Window(
                RowNumber(),
                partition_by=[F("fiscal_year")],
                order_by=[F("position").asc(), F("pk").asc()],
            )
        ).filter(row_in_year__lte=count)

    def corporate_hometown_tax(self) -> DonationQuerySet:
        """Donations under 企業版ふるさと納税 (not the city's other gifts)."""
        return self.filter(scheme=Scheme.CORPORATE_HOMETOWN_TAX)

    def naming_the_donor(self) -> DonationQuerySet:
        """Donations whose donor agreed to be named (an anonymous donor is still never named:
        see ``Donor.objects.publicly_named``)."""
        return self.filter(publish_name=True)

    def for_public_table(self) -> DonationQuerySet:
        """In table order, with the donor and, as ``published_projects``, the funded projects
        the public may see: two queries whatever the number of donations."""
        return (
            self.select_related("donor")
            .prefetch_related(
                models.Prefetch(
                    "projects",
                    queryset=Project.objects.public(),
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

    def totals_by_fiscal_year(self) -> list[dict]:
        """Every fiscal year with its number of donations and their total, oldest first, in one
        query: the staff's figures, unpublished amounts included (they stay out of the public
        totals, see ``public_summary``)."""
        return list(
            self.order_by()
            .values("fiscal_year")
            .annotate(count=Count("pk"), total=Sum("amount"))
            .order_by("fiscal_year")
        )


class Donation(models.Model):
    """One donation as the city received it."""

    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="donations", verbose_name=_("寄附者")
    )
    fiscal_year = FiscalYearField(_("年度"), validators=[validate_past_fiscal_year])
    amount = models.PositiveBigIntegerField(_("金額（円）"), validators=[MinValueValidator(1)])
    scheme = models.CharField(
        _("制度"), max_length=30, choices=Scheme, default=Scheme.CORPORATE_HOMETOWN_TAX
    )
    received_on = models.DateField(_("受領日"), null=True, blank=True)
    receipt_number = models.CharField(
        _("受領証番号"),
        max_length=50,
        blank=True,
        help_text=_("受領証を発行すると、発行した年度の通し番号で自動的に付けられます。"),
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="donations", verbose_name=_("活用先の取組み")
    )
    publish_name = models.BooleanField(_("名称を公表する"), default=False)
    publish_amount = models.BooleanField(_("金額を公表する"), default=False)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    # The inquiry the donation was recorded from (donation_record_from_inquiry); older
    # donations and those typed in directly have none. PROTECT: the inquiry is the donation's
    # audit trail (who pledged what, with which consent), so it cannot be deleted under it.
    inquiry = models.ForeignKey(
        "donations.DonationInquiry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("お問い合わせ"),
    )
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
        # 令和3年度（2021年度） ヤフー株式会社 24,000,000円, as the donation list reads; a row being
        # imported may still lack any of them.
        parts = (
            fiscal_year_label(self.fiscal_year) if isinstance(self.fiscal_year, int) else "",
            str(self.donor) if self.donor_id else "",
            format_yen(self.amount) if isinstance(self.amount, int) else "",
        )
        return " ".join(part for part in parts if part)

    # What a receipt prints about the donation (see ``receipt_issue``'s snapshot): once one is
    # issued, the record must keep saying what the receipt says.
    FIELDS_FROZEN_BY_RECEIPT = (
        "donor",
        "fiscal_year",
        "amount",
        "scheme",
        "received_on",
        "receipt_number",
    )

    def clean(self):
        """The scheme's rules, for every way a donation is recorded (the admin form, the
        spreadsheet import): each error names its field."""
        super().clean()
        errors: dict[str, ValidationError] = {}
        corporate = self.scheme == Scheme.CORPORATE_HOMETOWN_TAX
        if corporate and self.amount is not None and self.amount < MINIMUM_CORPORATE_DONATION:
            errors["amount"] = ValidationError(
                _("企業版ふるさと納税の寄附は%(minimum)s以上です。"),
                code="below_minimum",
                params={"minimum": format_yen(MINIMUM_CORPORATE_DONATION)},
            )
        if corporate and isinstance(self.fiscal_year, int):
            first = FIRST_CORPORATE_HOMETOWN_TAX_FISCAL_YEAR
            last = settings.CORPORATE_HOMETOWN_TAX_LAST_FISCAL_YEAR
            if not first <= self.fiscal_year <= last:
                errors["fiscal_year"] = ValidationError(
                    _("企業版ふるさと納税は%(first)sから%(last)sまでの制度です。"),
                    code="outside_scheme",
                    params={"first": fiscal_year_label(first), "last": fiscal_year_label(last)},
                )
        if self.received_on and isinstance(self.fiscal_year, int):
            # Money received by the end of May may still count for the year before (出納整理期間).
            start = date(self.fiscal_year, 4, 1)
            end = date(self.fiscal_year + 1, 5, 31)
            if not start <= self.received_on <= end:
                errors["received_on"] = ValidationError(
                    _("受領日が年度（%(year)s）の期間にありません。"),
                    code="received_outside_fiscal_year",
                    params={"year": fiscal_year_label(self.fiscal_year)},
                )
        if self.publish_name and self.donor_id and self.donor.is_anonymous:
            errors["publish_name"] = ValidationError(
                _("匿名の寄附者の名称は公表できません。"), code="anonymous_named"
            )
        # A field a receipt printed is refused for that reason first: the other rules would only
        # describe the change that may not be made at all.
        errors.update(self._changes_frozen_by_receipt())
        if errors:
            raise ValidationError(errors)

    def _changes_frozen_by_receipt(self) -> dict[str, ValidationError]:
        if self._state.adding or not self.receipts.exists():
            return {}
        stored = (
            type(self)
            ._default_manager.values(
                *(self._meta.get_field(name).attname for name in self.FIELDS_FROZEN_BY_RECEIPT)
            )
            .get(pk=self.pk)
        )
        return {
            name: ValidationError(
                _("受領証の発行後は変更できません（発行済みの受領証と食い違うため）。"),
                code="frozen_by_receipt",
            )
            for name in self.FIELDS_FROZEN_BY_RECEIPT
            if getattr(self, self._meta.get_field(name).attname)
            != stored[self._meta.get_field(name).attname]
        }

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


class ReceiptSerial(models.Model):
    """The last serial number given to a receipt in each fiscal year: receipt numbers are
    counted per fiscal year (平産第2024-001号, 平産第2024-002号, …), and the row is locked while
    a number is taken so that two receipts issued at once never get the same one."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    last_serial = models.PositiveIntegerField(_("最後の通し番号"), default=0)

    class Meta:
        verbose_name = _("受領証番号の通し番号")
        verbose_name_plural = _("受領証番号の通し番号")

    def __str__(self) -> str:
        return f"{self.fiscal_year}: {self.last_serial}"


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


class DonorInterviewQuerySet(models.QuerySet):
    def public(self) -> DonorInterviewQuerySet:
        """The interviews the public may see: never an anonymous donor's, whom a video
        would identify."""
        return self.exclude(donor__is_anonymous=True)


class DonorInterview(models.Model):
    """A donor explaining, on video, why it supports the city's work."""

    donor = models.ForeignKey(
        Donor, on_delete=models.CASCADE, related_name="interviews", verbose_name=_("寄附者")
    )
    video = models.ForeignKey(
        Video, on_delete=models.CASCADE, related_name="donor_interviews", verbose_name=_("動画")
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    objects = DonorInterviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("寄附者インタビュー")
        verbose_name_plural = _("寄附者インタビュー")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.video)


class AwardQuerySet(PublishableQuerySet):
    pass


class Award(Publishable):
    """Recognition the city received for the way it uses donations: news on the site's
    what's new and on the donation page, so it is published like one."""

    title = models.CharField(_("名称"), max_length=300)
    presented_by = models.CharField(_("主催"), max_length=200)
    fiscal_year = FiscalYearField(_("年度"))
    ceremony_on = models.DateField(_("表彰式の日"), null=True, blank=True)
    description = models.TextField(_("説明"), blank=True)
    url = models.URLField(
        _("表彰のページのURL"),
        blank=True,
        help_text=_("主催者が表彰を掲載しているページ。入力すると外部リンクとして表示します"),
    )
    initiative = models.CharField(
        _("対象の取組み"),
        max_length=300,
        blank=True,
        help_text=_(
            "表彰の対象となった事業の名称を、表彰のとおりに（例：波力発電関連分野での新産業創出促進事業）"
        ),
    )
    # The award names a program of the city's, not one of the projects on this site: a
    # project it concerns is linked beside it, never in its place.
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="awards",
        verbose_name=_("関連するプロジェクト"),
    )

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        ordering = ["-fiscal_year", "pk"]

    def __str__(self) -> str:
        return self.title
