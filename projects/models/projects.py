"""Projects: the organisations' parts in them, their funding, milestones, images and videos."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.fiscal_years import FiscalYearField
from core.images import CaptionedImage, ValidatedImageField
from core.publishing import Publishable, PublishableQuerySet, public_relation_q
from core.url_names import url_name_field

from .organizations import FundingSource, Organization, Theme


def fiscal_year_range_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(end_fiscal_year__isnull=True)
        | Q(start_fiscal_year__isnull=True)
        | Q(end_fiscal_year__gte=F("start_fiscal_year")),
        name=name,
    )


class FiscalYearRange(models.Model):
    """A period in fiscal years (April–March), either end open or unknown."""

    start_fiscal_year = FiscalYearField(_("開始年度"), null=True, blank=True)
    end_fiscal_year = FiscalYearField(_("終了年度"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if (
            self.start_fiscal_year
            and self.end_fiscal_year
            and self.end_fiscal_year < self.start_fiscal_year
        ):
            raise ValidationError(
                {"end_fiscal_year": _("終了年度は開始年度以降にしてください。")},
                code="period_reversed",
            )


def _lead_participations(participations: models.QuerySet) -> models.Prefetch:
    """The lead organisations' parts in each project, where ``Project.lead_organizations``
    looks for them first."""
    return models.Prefetch(
        "participations",
        queryset=participations.filter(role=Participation.Role.LEAD).select_related("organization"),
        to_attr="lead_participations",
    )


class ProjectQuerySet(PublishableQuerySet):
    def for_list(self) -> ProjectQuerySet:
        """Everything the project list renders, in a fixed number of queries."""
        return self.prefetch_related("themes", _lead_participations(Participation.objects))

    def for_cards(self) -> ProjectQuerySet:
        """``for_list()`` with only the columns a project card shows (the project list, the
        home page): the long description and the other texts stay in the database, the
        themes' and the lead organisations' too. (Every language's column of a name: the
        card falls back to Japanese, and a column left out would cost a query per row.)"""
        return self.prefetch_related(
            models.Prefetch("themes", queryset=Theme.objects.only("name_ja", "name_en")),
            # The project's key sorts each participation to its card.
            _lead_participations(
                Participation.objects.only(
                    "project", "organization__name_ja", "organization__name_en"
                )
            ),
        ).only(
            "slug",
            "title_ja",
            "title_en",
            "summary_ja",
            "summary_en",
            "status",
            "start_fiscal_year",
            "end_fiscal_year",
        )

    def for_detail(self) -> ProjectQuerySet:
        return self.prefetch_related(
            "themes",
            models.Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organization"),
            ),
            models.Prefetch(
                "fundings",
                queryset=Funding.objects.select_related("source__provider"),
            ),
            models.Prefetch("milestones", queryset=Milestone.objects.public()),
            "outcomes__organizations",
            "images",
            "videos",
        )

    def featured(self) -> ProjectQuerySet:
        return self.public().filter(is_featured=True)

    def supported_by_donations(self) -> ProjectQuerySet:
        """The public projects the city records as funded by corporate hometown-tax donations
        (a ``Funding`` from that source): what the donations, taken together, supported.
        Which donation went to which project is recorded on the donation, when the city says
        so; this is not that."""
        return (
            self.public()
            .filter(
                Exists(
                    Funding.objects.filter(
                        project=OuterRef("pk"),
                        source__kind=FundingSource.Kind.CORPORATE_DONATION,
                    )
                )
            )
            .order_by("position", "pk")
        )

    def open_for_support(self) -> ProjectQuerySet:
        """The public projects the city is raising donations for: the only ones the donation
        inquiry form offers (a finished project, or one the city never asked support for, is
        not something a company can be invited to fund)."""
        return self.public().filter(accepts_donations=True)

    def for_open_data(self) -> ProjectQuerySet:
        """The public projects with everything projects.json holds, in the list's order."""
        return self.public().for_detail().order_by("position", "pk")


class Project(Publishable, FiscalYearRange):
    """An R&D or demonstration project the city supports."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("構想・候補")
        # An experiment that grew out of the research group's work, whose practical use is a
        # candidate for further R&D: neither running as a project of its own nor finished.
        DERIVED_EXPERIMENT = "derived_experiment", _("派生実験")
        ACTIVE = "active", _("実施中")
        COMPLETED = "completed", _("終了")

    slug = url_name_field()
    title = models.CharField(_("名称"), max_length=200)
    summary = models.TextField(_("概要"), help_text=_("一覧に表示する短い説明"))
    description = models.TextField(
        _("詳しい説明"), blank=True, help_text=_("空行で段落、「- 」で始まる行は箇条書き")
    )
    status = models.CharField(_("状況"), max_length=20, choices=Status, default=Status.ACTIVE)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="projects", verbose_name=_("研究テーマ")
    )
    accepts_donations = models.BooleanField(
        _("寄附を募集中"),
        default=False,
        help_text=_("オンにすると、寄附のお問い合わせフォームで支援先として選べます。"),
    )
    is_featured = models.BooleanField(_("トップページに掲載"), default=False)
    link_url = models.URLField(
        _("関連ページのURL"),
        blank=True,
        help_text=_(
            "市や関係機関がこの事業を紹介しているページ。入力すると外部リンクとして表示します"
        ),
    )
    link_text = models.CharField(
        _("関連ページの名称"), max_length=200, blank=True, help_text=_("リンクの文字列")
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("研究開発プロジェクト")
        verbose_name_plural = _("研究開発プロジェクト")
        ordering = ["position", "pk"]
        constraints = [fiscal_year_range_constraint("project_period_in_order")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("projects:project-detail", kwargs={"slug": self.slug})

    @staticmethod
    def list_url() -> str:
        return reverse("projects:project-list")

    @property
    def lead_organizations(self) -> list[Organization]:
        """Lead organisations; uses the list page's prefetch when it is there."""
        participations = getattr(self, "lead_participations", None)
        if participations is None:
            participations = [
                p for p in self.participations.all() if p.role == Participation.Role.LEAD
            ]
        return [p.organization for p in participations]


class ParticipationQuerySet(models.QuerySet):
    def public(self) -> ParticipationQuerySet:
        """The parts organisations play in public projects."""
        return self.filter(public_relation_q("project"))


class Participation(models.Model):
    """An organisation's part in a project."""

    class Role(models.TextChoices):
        LEAD = "lead", _("研究開発主体")
        PARTNER = "partner", _("共同研究")
        SUPPORT = "support", _("支援")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("プロジェクト"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name=_("組織"),
    )
    role = models.CharField(_("役割"), max_length=20, choices=Role)
    role_note = models.CharField(_("役割の説明"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    objects = ParticipationQuerySet.as_manager()

    class Meta:
        verbose_name = _("参加組織")
        verbose_name_plural = _("参加組織")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization", "role"], name="participation_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}（{self.get_role_display()}）"


class Funding(FiscalYearRange):
    """Money from one source for a project or for the research group, over fiscal years."""

    source = models.ForeignKey(
        FundingSource, on_delete=models.PROTECT, related_name="fundings", verbose_name=_("財源")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fundings",
        verbose_name=_("プロジェクト"),
    )
    research_group = models.ForeignKey(
        "ResearchGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="fundings",
        verbose_name=_("研究会"),
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("財源の活用")
        verbose_name_plural = _("財源の活用")
        ordering = [F("start_fiscal_year").asc(nulls_last=True), "pk"]
        constraints = [
            fiscal_year_range_constraint("funding_period_in_order"),
            models.CheckConstraint(
                condition=Q(project__isnull=False, research_group__isnull=True)
                | Q(project__isnull=True, research_group__isnull=False),
                name="funding_for_project_or_group",
            ),
        ]

    def __str__(self) -> str:
        return str(self.source)


class MilestoneQuerySet(PublishableQuerySet):
    def public(self) -> MilestoneQuerySet:
        """The published milestones of public projects."""
        return super().public().filter(public_relation_q("project"))


class Milestone(Publishable):
    """A step in a project's history (a test, a construction, an award), dated as precisely
    as it is known: a day, or only a fiscal year, or not yet at all."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("プロジェクト")
    )
    title = models.CharField(_("内容"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    occurred_on = models.DateField(_("日付"), null=True, blank=True)
    fiscal_year = FiscalYearField(
        _("年度"), null=True, blank=True, help_text=_("日付が分からない場合")
    )
    is_planned = models.BooleanField(_("予定"), default=False)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("マイルストーン")
        verbose_name_plural = _("マイルストーン")
        ordering = [
            F("fiscal_year").asc(nulls_last=True),
            F("occurred_on").asc(nulls_last=True),
            "pk",
        ]

    def __str__(self) -> str:
        return self.title


class ProjectImage(CaptionedImage):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="images", verbose_name=_("プロジェクト")
    )
    image = ValidatedImageField(_("画像"), upload_to="projects/%Y/")

    class Meta(CaptionedImage.Meta):
        verbose_name = _("画像")
        verbose_name_plural = _("画像")


class Video(models.Model):
    """A video on an external service. Pages show its thumbnail and a link; no third-party
    player is embedded, so nothing loads from the service until the visitor follows the link."""

    title = models.CharField(_("タイトル"), max_length=200)
    url = models.URLField(_("動画のURL"), blank=True, help_text=_("空欄の場合はリンクなしで表示"))
    channel = models.CharField(_("チャンネル"), max_length=200, blank=True)
    thumbnail = ValidatedImageField(_("サムネイル"), upload_to="videos/", blank=True)
    thumbnail_alt = models.CharField(_("サムネイルの代替テキスト"), max_length=300, blank=True)
    projects = models.ManyToManyField(
        Project, blank=True, related_name="videos", verbose_name=_("プロジェクト")
    )
    research_group = models.ForeignKey(
        "ResearchGroup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="videos",
        verbose_name=_("研究会"),
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("動画")
        verbose_name_plural = _("動画")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(thumbnail="") | ~Q(thumbnail_alt=""),
                name="video_thumbnail_alt_required",
            ),
        ]

    def __str__(self) -> str:
        return self.title
