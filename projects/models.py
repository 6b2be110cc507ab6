"""R&D projects, the organisations behind them, the 平塚海洋エネルギー研究会 and its outcomes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.images import CaptionedImage, ValidatedImageField
from core.publishing import Publishable, PublishableQuerySet
from core.validators import validate_corporate_number


def fiscal_year_range_constraint(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(end_fiscal_year__isnull=True)
        | Q(start_fiscal_year__isnull=True)
        | Q(end_fiscal_year__gte=F("start_fiscal_year")),
        name=name,
    )


class FiscalYearRange(models.Model):
    """A period in fiscal years (April–March), either end open or unknown."""

    start_fiscal_year = models.PositiveSmallIntegerField(_("開始年度"), null=True, blank=True)
    end_fiscal_year = models.PositiveSmallIntegerField(_("終了年度"), null=True, blank=True)

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


# --- Organisations and themes ------------------------------------------------------------------


class Organization(models.Model):
    """A city, university lab, company, association or national body taking part."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("自治体")
        UNIVERSITY = "university", _("大学・研究機関")
        COMPANY = "company", _("企業")
        ASSOCIATION = "association", _("団体")
        NATIONAL = "national", _("国・公的機関")

    slug = models.SlugField(_("スラッグ"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("所属する組織"),
        help_text=_("研究室の場合は大学・研究所など"),
    )
    in_hiratsuka = models.BooleanField(
        _("市内"), default=False, help_text=_("平塚市内に事業所・拠点がある")
    )
    corporate_number = models.CharField(
        _("法人番号"),
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
    )
    website = models.URLField(_("ウェブサイト"), blank=True)

    class Meta:
        verbose_name = _("組織")
        verbose_name_plural = _("組織")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["corporate_number"],
                condition=~Q(corporate_number=""),
                name="organization_unique_corporate_number",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Theme(models.Model):
    """A research theme used to group and filter projects (波力発電, 海中観測工学, ...)."""

    slug = models.SlugField(_("スラッグ"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("説明"), blank=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("研究テーマ")
        verbose_name_plural = _("研究テーマ")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class FundingSource(models.Model):
    """Where money comes from: a national grant, a ministry's commission, donations, ..."""

    class Kind(models.TextChoices):
        NATIONAL_GRANT = "national_grant", _("国の交付金・補助金")
        COMMISSION = "commission", _("国の委託事業")
        RESEARCH_AGENCY = "research_agency", _("研究開発法人の公募")
        CORPORATE_DONATION = "corporate_donation", _("企業版ふるさと納税")
        JOINT_RESEARCH = "joint_research", _("企業共同研究費")
        CITY = "city", _("市の予算")

    slug = models.SlugField(_("スラッグ"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種別"), max_length=30, choices=Kind)
    provider = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_sources",
        verbose_name=_("提供元"),
    )

    class Meta:
        verbose_name = _("財源")
        verbose_name_plural = _("財源")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


# --- Projects ----------------------------------------------------------------------------------


class ProjectQuerySet(PublishableQuerySet):
    def for_list(self) -> ProjectQuerySet:
        """Everything the project list renders, in a fixed number of queries."""
        return self.prefetch_related(
            "themes",
            models.Prefetch(
                "participations",
                queryset=Participation.objects.filter(role=Participation.Role.LEAD)
                .select_related("organization")
                .order_by("position", "pk"),
                to_attr="lead_participations",
            ),
        )

    def for_detail(self) -> ProjectQuerySet:
        return self.prefetch_related(
            "themes",
            models.Prefetch(
                "participations",
                queryset=Participation.objects.select_related("organization").order_by(
                    "position", "pk"
                ),
            ),
            models.Prefetch(
                "fundings",
                queryset=Funding.objects.select_related("source__provider").order_by(
                    F("start_fiscal_year").asc(nulls_last=True), "pk"
                ),
            ),
            "milestones",
            models.Prefetch("outcomes", queryset=Outcome.objects.prefetch_related("organizations")),
            "images",
            "videos",
        )

    def featured(self) -> ProjectQuerySet:
        return self.public().filter(is_featured=True)

    def for_open_data(self) -> ProjectQuerySet:
        """The public projects with everything projects.json holds, in the list's order."""
        return self.public().for_detail().order_by("position", "pk")


class Project(Publishable, FiscalYearRange):
    """An R&D or demonstration project the city supports."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("構想・候補")
        ACTIVE = "active", _("実施中")
        COMPLETED = "completed", _("終了")

    slug = models.SlugField(_("スラッグ"), max_length=80, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    summary = models.TextField(_("概要"), help_text=_("一覧に表示する短い説明"))
    description = models.TextField(
        _("詳しい説明"), blank=True, help_text=_("空行で段落、「- 」で始まる行は箇条書き")
    )
    status = models.CharField(_("状況"), max_length=20, choices=Status, default=Status.ACTIVE)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="projects", verbose_name=_("研究テーマ")
    )
    is_featured = models.BooleanField(_("トップページに掲載"), default=False)
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
        return self.filter(project__in=Project.objects.public())


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


class MilestoneQuerySet(models.QuerySet):
    def public(self) -> MilestoneQuerySet:
        """The milestones of public projects."""
        return self.filter(project__in=Project.objects.public())


class Milestone(models.Model):
    """A step in a project's history (a test, a construction, an award), dated as precisely
    as it is known: a day, or only a fiscal year, or not yet at all."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("プロジェクト")
    )
    title = models.CharField(_("内容"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    occurred_on = models.DateField(_("日付"), null=True, blank=True)
    fiscal_year = models.PositiveSmallIntegerField(
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


# --- The research group ------------------------------------------------------------------------


class ResearchGroupQuerySet(PublishableQuerySet):
    def for_page(self) -> ResearchGroupQuerySet:
        return self.prefetch_related(
            models.Prefetch(
                "memberships",
                queryset=Membership.objects.select_related("organization").order_by(
                    "position", "pk"
                ),
            ),
            "activity_records",
            models.Prefetch(
                "fundings",
                queryset=Funding.objects.select_related("source").order_by(
                    F("start_fiscal_year").asc(nulls_last=True), "pk"
                ),
            ),
            models.Prefetch(
                "outcomes",
                queryset=Outcome.objects.prefetch_related("organizations", "projects"),
            ),
            "videos",
        )


class ResearchGroup(Publishable):
    """平塚海洋エネルギー研究会: companies, associations, universities and the city meeting
    around ocean energy since June 2016."""

    slug = models.SlugField(_("スラッグ"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    founded_on = models.DateField(_("発足"), help_text=_("月までしか分からない場合は1日"))
    purpose = models.TextField(_("目的"), blank=True)
    activities = models.TextField(_("活動内容"), blank=True)
    members_note = models.CharField(_("会員についての注記"), max_length=300, blank=True)

    objects = ResearchGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("研究会")
        verbose_name_plural = _("研究会")
        ordering = ["founded_on"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("projects:research-group")


class MembershipQuerySet(models.QuerySet):
    def public(self) -> MembershipQuerySet:
        """The members of a public research group."""
        return self.filter(research_group__in=ResearchGroup.objects.public())


class Membership(models.Model):
    class Category(models.TextChoices):
        GOVERNMENT = "government", _("行政")
        UNIVERSITY = "university", _("大学")
        LOCAL_COMPANY = "local_company", _("市内企業")
        LOCAL_ASSOCIATION = "local_association", _("市内団体")
        OUTSIDE_COMPANY = "outside_company", _("市外企業")

    research_group = models.ForeignKey(
        ResearchGroup,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("研究会"),
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("組織")
    )
    category = models.CharField(_("区分"), max_length=20, choices=Category)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("会員")
        verbose_name_plural = _("会員")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["research_group", "organization"], name="membership_unique_member"
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)


class MeetingQuerySet(models.QuerySet):
    def public(self) -> MeetingQuerySet:
        """The meetings of a public research group."""
        return self.filter(research_group__in=ResearchGroup.objects.public())

    def upcoming(self, now) -> MeetingQuerySet:
        return self.filter(starts_at__gte=now).order_by("starts_at")

    def past(self, now) -> MeetingQuerySet:
        return self.filter(starts_at__lt=now).order_by("-starts_at")

    def yearly_totals(self):
        """Meetings and participants per fiscal year (April–March, Tokyo time), in SQL."""
        return (
            self.annotate(
                start_year=ExtractYear("starts_at"), start_month=ExtractMonth("starts_at")
            )
            .annotate(
                fiscal_year=Case(
                    When(start_month__lt=4, then=F("start_year") - 1), default=F("start_year")
                )
            )
            .values("fiscal_year")
            .annotate(
                meetings=Count("pk"),
                with_participants=Count("participants"),
                participants=Sum("participants"),
            )
            .order_by("fiscal_year")
        )


class Meeting(models.Model):
    """One gathering of the research group: a general meeting, a study session, a visit, an
    experiment."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("総会")
        STUDY = "study", pgettext_lazy("meeting kind", "研究会")
        SUBCOMMITTEE = "subcommittee", _("部会")
        VISIT = "visit", _("視察")
        EXPERIMENT = "experiment", _("実験")

    research_group = models.ForeignKey(
        ResearchGroup, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("研究会")
    )
    kind = models.CharField(_("種類"), max_length=20, choices=Kind)
    title = models.CharField(_("名称"), max_length=200)
    starts_at = models.DateTimeField(_("開始日時"))
    ends_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    place = models.CharField(_("場所"), max_length=200)
    participants = models.PositiveIntegerField(_("参加者数"), null=True, blank=True)
    notes = models.TextField(_("内容・備考"), blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会議・活動")
        verbose_name_plural = _("会議・活動")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="meeting_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        super().clean()
        if self.ends_at and self.starts_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("終了日時は開始日時より後にしてください。")}, code="period_reversed"
            )


class ActivityRecord(models.Model):
    """A fiscal year's activity as the city recorded it (the slide deck gives only totals).

    Where a year has no such record, its figures are derived from the meetings entered for it
    (see ``projects.activity``)."""

    research_group = models.ForeignKey(
        ResearchGroup,
        on_delete=models.CASCADE,
        related_name="activity_records",
        verbose_name=_("研究会"),
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    meetings_count = models.PositiveSmallIntegerField(_("開催回数"), null=True, blank=True)
    meetings_note = models.CharField(_("開催回数の注記"), max_length=200, blank=True)
    participants_count = models.PositiveIntegerField(
        _("参加者数（のべ）"),
        null=True,
        blank=True,
        help_text=_("数で表せない場合は空欄にして表記欄へ"),
    )
    participants_text = models.CharField(
        _("参加者数の表記"), max_length=100, blank=True, help_text=_("例：26+α＋48+56")
    )
    participants_note = models.CharField(_("参加者数の注記"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("年度別の活動実績")
        verbose_name_plural = _("年度別の活動実績")
        ordering = ["fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["research_group", "fiscal_year"], name="activityrecord_unique_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.research_group} {self.fiscal_year}"


class OutcomeQuerySet(models.QuerySet):
    def public(self) -> OutcomeQuerySet:
        """Outcomes a public page shows: those of a public research group or project."""
        return self.filter(
            Q(research_group__in=ResearchGroup.objects.public())
            | Exists(Project.objects.public().filter(outcomes=OuterRef("pk")))
        )


class Outcome(models.Model):
    """Something that came out of the work: an experiment, a proposal, a business, a patent."""

    class Kind(models.TextChoices):
        EXPERIMENT = "experiment", _("派生実験")
        PROPOSAL = "proposal", _("派生提案")
        BUSINESS = "business", _("派生ビジネス")
        PATENT = "patent", _("特許申請")
        NEW_TRADE = "new_trade", _("新規取引")
        ADOPTION = "adoption", _("採択")

    kind = models.CharField(_("種類"), max_length=20, choices=Kind)
    title = models.CharField(_("内容"), max_length=300)
    description = models.TextField(_("説明"), blank=True)
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    research_group = models.ForeignKey(
        ResearchGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("研究会"),
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="outcomes", verbose_name=_("プロジェクト")
    )
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="outcomes", verbose_name=_("関わった組織")
    )
    organizations_text = models.CharField(
        _("関わった組織の表記"),
        max_length=200,
        blank=True,
        help_text=_("個別の組織名を公表しない場合の表記（例：市内企業／東京大学）"),
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        verbose_name = _("成果")
        verbose_name_plural = _("成果")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


# --- Facilities --------------------------------------------------------------------------------


class Facility(Publishable):
    """A place where the research happens: the offshore tower, the port, the land site."""

    class Kind(models.TextChoices):
        TOWER = "tower", _("観測タワー")
        PORT = "port", _("港")
        LAND = "land", _("陸上施設")
        PLANT = "plant", _("発電所")

    slug = models.SlugField(_("スラッグ"), max_length=80, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind)
    description = models.TextField(_("説明"), blank=True)
    managed_by = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilities",
        verbose_name=_("管理者"),
    )
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="facilities", verbose_name=_("研究テーマ")
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("研究施設")
        verbose_name_plural = _("研究施設")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name
