"""The cooperation agreements between Hiratsuka City and the University of Tokyo Institute of
Industrial Science (IIS): their texts, their history and how the relationship grew."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.documents import ValidatedPdfField
from core.fiscal_years import FiscalYearField
from core.images import CaptionedImage, ValidatedImageField
from core.japanese import fiscal_year
from core.publishing import Publishable, PublishableQuerySet, public_relation_q
from core.url_names import url_name_field
from projects.models import Organization, Project


class AgreementQuerySet(PublishableQuerySet):
    def in_force(self, on: datetime.date | None = None) -> AgreementQuerySet:
        """Agreements in force on a day (today by default): the status follows the dates."""
        on = on or timezone.localdate()
        return self.filter(in_force_from__lte=on).filter(
            Q(in_force_until__isnull=True) | Q(in_force_until__gte=on)
        )

    def in_force_or_latest(self, latest: int) -> AgreementQuerySet:
        """The agreements in force today and the ``latest`` last signed, without repeats."""
        recent = self.order_by("-signed_on", "-pk").values("pk")[:latest]
        return self.filter(Q(pk__in=self.in_force().values("pk")) | Q(pk__in=recent))

    def for_history(self) -> AgreementQuerySet:
        return self.prefetch_related("parties").order_by("signed_on", "pk")

    def for_report(self) -> AgreementQuerySet:
        """The agreements in the order they were signed, with what the PDF report prints:
        parties, aims, articles and the published projects each article names."""
        return (
            self.select_related("supersedes")
            .prefetch_related(
                "parties",
                "focus_areas",
                models.Prefetch(
                    "articles",
                    queryset=Article.objects.prefetch_related(
                        models.Prefetch(
                            "projects",
                            queryset=Project.objects.public(),
                            to_attr="published_projects",
                        )
                    ),
                ),
            )
            .order_by("signed_on", "pk")
        )

    def for_open_data(self) -> AgreementQuerySet:
        """The public agreements with everything agreements.json holds, in signing order."""
        return (
            self.public()
            .select_related("supersedes")
            .prefetch_related(
                "parties",
                "focus_areas",
                "superseded_by",
                "documents",
                models.Prefetch(
                    "articles",
                    queryset=Article.objects.prefetch_related(
                        models.Prefetch(
                            "projects",
                            queryset=Project.objects.public().order_by("position", "pk"),
                            to_attr="published_projects",
                        )
                    ),
                ),
                models.Prefetch(
                    "events",
                    queryset=AgreementEvent.objects.public()
                    .prefetch_related("documents")
                    .order_by("occurred_on", "pk"),
                ),
            )
            .order_by("signed_on", "pk")
        )

    def for_detail(self) -> AgreementQuerySet:
        return self.select_related("supersedes").prefetch_related(
            "parties",
            "focus_areas",
            models.Prefetch(
                "articles",
                queryset=Article.objects.prefetch_related(
                    # Linked by title: a draft project is neither named nor linked (its page
                    # answers 404), and its long texts are not needed.
                    models.Prefetch(
                        "projects",
                        queryset=Project.objects.public().only("slug", "title_ja", "title_en"),
                    )
                ),
            ),
            models.Prefetch(
                "events",
                queryset=AgreementEvent.objects.public().prefetch_related("documents", "photos"),
            ),
            "documents",
            "superseded_by",
        )


# URL names the site's own agreement pages take (/agreements/history/, /agreements/all/).
RESERVED_URL_NAMES = frozenset({"history", "all"})


class Agreement(Publishable):
    """An agreement: who signed it, when, for how long, why and what it covers."""

    class Status(models.TextChoices):
        NOT_YET = "not_yet", _("発効前")
        IN_FORCE = "in_force", _("現行")
        ENDED = "ended", pgettext_lazy("agreement status", "終了")

    slug = url_name_field()
    title = models.CharField(_("名称"), max_length=300)
    parties = models.ManyToManyField(
        Organization, related_name="agreements", verbose_name=_("締結者")
    )
    signed_on = models.DateField(_("締結日"))
    in_force_from = models.DateField(_("効力の発生日"))
    in_force_until = models.DateField(
        _("終了日"), null=True, blank=True, help_text=_("期限のない場合は空欄")
    )
    purpose = models.TextField(_("目的"))
    text_is_draft = models.BooleanField(
        _("目的・内容は協定書（案）の文言"),
        default=False,
        help_text=_(
            "掲載している目的と協定の内容が、締結した協定書ではなく協定書（案）の文言の場合にオン。"
            "ページに「協定書（案）」と明記します。"
        ),
    )
    background = models.TextField(_("背景"), blank=True)
    future_scope = models.TextField(_("将来の展望"), blank=True)
    plan_context = models.TextField(
        _("市の計画における位置づけ"),
        blank=True,
        help_text=_("空行で段落、「- 」で始まる行は箇条書き"),
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("引き継いだ協定"),
    )

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("連携協力協定")
        verbose_name_plural = _("連携協力協定")
        ordering = ["-signed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_force_until__isnull=True)
                | Q(in_force_until__gte=F("in_force_from")),
                name="agreement_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(in_force_from__gte=F("signed_on")),
                name="agreement_in_force_after_signing",
            ),
            models.CheckConstraint(
                condition=~Q(supersedes=F("pk")),
                name="agreement_does_not_supersede_itself",
                violation_error_message=_("協定は自分自身を引き継ぐことはできません。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("agreements:agreement-detail", kwargs={"slug": self.slug})

    @property
    def label(self) -> str:
        """The title with the year it was signed: two agreements of the same title are told
        apart wherever one is named."""
        return _("%(title)s（%(year)s年締結）") % {"title": self.title, "year": self.signed_on.year}

    def has_ended_on(self, day: datetime.date) -> bool:
        return self.status_on(day) == self.Status.ENDED

    def clean(self):
        super().clean()
        errors = {}
        if self.in_force_until and self.in_force_from and self.in_force_until < self.in_force_from:
            errors["in_force_until"] = ValidationError(
                _("終了日は効力の発生日以降にしてください。"), code="period_reversed"
            )
        if self.in_force_from and self.signed_on and self.in_force_from < self.signed_on:
            errors["in_force_from"] = ValidationError(
                _("効力の発生日は締結日以降にしてください。"), code="in_force_before_signing"
            )
        # /agreements/history/ is the history's page (urls.py): an agreement of that name
        # would have a page nobody could reach.
        if self.slug in RESERVED_URL_NAMES:
            errors["slug"] = ValidationError(
                _(
                    "「%(name)s」はほかのページのアドレスに使われているため、URL用の名前にできません。"
                ),
                code="reserved",
                params={"name": self.slug},
            )
        if errors:
            raise ValidationError(errors)

    def status_on(self, day: datetime.date) -> Agreement.Status:
        if day < self.in_force_from:
            return self.Status.NOT_YET
        if self.in_force_until and day > self.in_force_until:
            return self.Status.ENDED
        return self.Status.IN_FORCE

    @property
    def status(self) -> Agreement.Status:
        """Derived from the dates, never typed by hand: an agreement whose end date has passed
        reads 終了 the next morning without anyone editing it."""
        return self.status_on(timezone.localdate())


class FocusArea(models.Model):
    """What the agreement means by one of its aims (海洋活用技術, 新産業創出, 人材育成)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("協定")
    )
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("説明"))
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("協定の目指す姿")
        verbose_name_plural = _("協定の目指す姿")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet):
    def public(self) -> ArticleQuerySet:
        """The articles of public agreements."""
        return self.filter(public_relation_q("agreement"))


class Article(models.Model):
    """One area of cooperation in the agreement, with the projects it is expected to cover."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="articles", verbose_name=_("協定")
    )
    number = models.PositiveSmallIntegerField(_("番号"), validators=[MinValueValidator(1)])
    text = models.TextField(_("条文"))
    expected_projects = models.TextField(_("想定する事業等"), blank=True)
    projects = models.ManyToManyField(
        Project, blank=True, related_name="agreement_articles", verbose_name=_("関連する事業")
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("協定の内容")
        verbose_name_plural = _("協定の内容")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"],
                name="article_unique_number",
                violation_error_message=_("この番号はすでに使われています。"),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="article_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


class AgreementEventQuerySet(PublishableQuerySet):
    def public(self) -> AgreementEventQuerySet:
        """The published events of public agreements, and of the history that belongs to
        none."""
        return super().public().filter(public_relation_q("agreement", optional=True))

    def unattached(self) -> AgreementEventQuerySet:
        """The events of the history that belong to no agreement, in date order."""
        return self.filter(agreement__isnull=True).order_by("occurred_on", "pk")


class AgreementEvent(Publishable):
    """A dated step in the history: a signing, a ceremony, a presentation, an award, an end."""

    class Kind(models.TextChoices):
        SIGNING = "signing", _("締結")
        CEREMONY = "ceremony", _("式典")
        PRESENTATION = "presentation", _("発表")
        AWARD = "award", _("表彰")
        END = "end", pgettext_lazy("agreement event", "終了")

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("協定"),
    )
    occurred_on = models.DateField(_("日付"))
    kind = models.CharField(_("種類"), max_length=20, choices=Kind)
    title = models.CharField(_("内容"), max_length=300)
    description = models.TextField(_("説明"), blank=True)

    objects = AgreementEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("協定の経緯")
        verbose_name_plural = _("協定の経緯")
        ordering = ["occurred_on", "pk"]

    def __str__(self) -> str:
        return self.title

    def year_page_url(self) -> str:
        """The history page of its fiscal year (the agreements' page shows only the latest)."""
        return reverse(
            "agreements:history-year", kwargs={"fiscal_year": fiscal_year(self.occurred_on)}
        )

    def get_absolute_url(self) -> str:
        return f"{self.year_page_url()}#event-{self.pk}"


class AgreementDocument(models.Model):
    """A document of the agreement or of one of its events (a presentation, the agreement
    text). The file may be missing when only its existence is known."""

    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("協定"),
    )
    event = models.ForeignKey(
        AgreementEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("経緯"),
    )
    title = models.CharField(_("資料名"), max_length=300)
    file = ValidatedPdfField(_("PDFファイル"), upload_to="agreements/", blank=True)
    url = models.URLField(
        _("資料のURL"),
        blank=True,
        help_text=_("ファイルを登録しない場合に、資料を掲載しているページのURLを入力"),
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("資料")
        verbose_name_plural = _("資料")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement__isnull=False) | Q(event__isnull=False),
                name="document_belongs_somewhere",
                violation_error_message=_("資料は協定か経緯のどちらかに登録してください。"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.file and self.url:
            raise ValidationError(
                {"url": _("ファイルとURLのどちらか一方を登録してください。")},
                code="file_and_url",
            )

    @property
    def href(self) -> str:
        """Where the document can be read: the attached file, or the page staff entered."""
        return self.file.url if self.file else self.url

    @property
    def is_pdf(self) -> bool:
        return bool(self.file) or self.url.lower().split("?")[0].endswith(".pdf")


class AgreementPhoto(CaptionedImage):
    event = models.ForeignKey(
        AgreementEvent, on_delete=models.CASCADE, related_name="photos", verbose_name=_("経緯")
    )
    image = ValidatedImageField(_("写真"), upload_to="agreements/photos/")

    class Meta(CaptionedImage.Meta):
        verbose_name = _("写真")
        verbose_name_plural = _("写真")


class RelationshipPhase(models.Model):
    """A phase of the relationship between the city and the institute, as the city describes
    it: who did what, how it was funded, and what the city was after."""

    name = models.CharField(_("名称"), max_length=100)
    period = models.CharField(_("時期"), max_length=100, blank=True)
    start_fiscal_year = FiscalYearField(_("開始年度"), null=True, blank=True)
    end_fiscal_year = FiscalYearField(_("終了年度"), null=True, blank=True)
    summary = models.CharField(_("主な出来事"), max_length=200, blank=True)
    city_role = models.TextField(_("平塚市の役割"), blank=True)
    institute_role = models.TextField(_("東京大学生産技術研究所の役割"), blank=True)
    funding = models.TextField(_("財源"), blank=True)
    city_stance = models.TextField(_("市のスタンス"), blank=True)
    notes = models.TextField(_("備考"), blank=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("関係の段階")
        verbose_name_plural = _("関係の段階")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_fiscal_year__isnull=True)
                | Q(start_fiscal_year__isnull=True)
                | Q(end_fiscal_year__gte=F("start_fiscal_year")),
                name="phase_period_in_order",
                violation_error_message=_("終了年度は開始年度以降にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name
