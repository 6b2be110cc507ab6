"""平塚海洋エネルギー研究会: its members, meetings, yearly activity and the outcomes of the work."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, When
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fiscal_years import FiscalYearField
from core.japanese import fiscal_year
from core.publishing import Publishable, PublishableQuerySet, public_relation_q
from core.url_names import url_name_field

from .organizations import Organization
from .projects import Funding, Project


class ResearchGroupQuerySet(PublishableQuerySet):
    def for_page(self) -> ResearchGroupQuerySet:
        # The members and the outcomes are read by the page itself, the first few of each
        # category or kind (projects.grouped_lists).
        return self.prefetch_related(
            "activity_records",
            models.Prefetch(
                "fundings",
                queryset=Funding.objects.select_related("source"),
            ),
            "videos",
        )


class ResearchGroup(Publishable):
    """平塚海洋エネルギー研究会: companies, associations, universities and the city meeting
    around ocean energy since June 2016."""

    slug = url_name_field()
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
        return self.filter(public_relation_q("research_group"))


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
        # The group's page ranks each category's members by position (grouped_lists).
        indexes = [
            models.Index(
                fields=["research_group", "category", "position"],
                name="membership_category_order",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)

    def get_absolute_url(self) -> str:
        """The member on the page of its category (the group's page lists only the first)."""
        page = reverse("projects:members", kwargs={"category": self.category})
        return f"{page}#member-{self.pk}"


class MeetingQuerySet(PublishableQuerySet):
    def public(self) -> MeetingQuerySet:
        """The published meetings of a public research group."""
        return super().public().filter(public_relation_q("research_group"))

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


class Meeting(Publishable):
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

    @property
    def held_in_fiscal_year(self) -> int:
        """The fiscal year of the meeting's start in Tokyo, as the public pages group it."""
        return fiscal_year(timezone.localtime(self.starts_at).date())

    def year_page_url(self) -> str:
        """The page of the meetings of its fiscal year (the group's page shows only the latest)."""
        return reverse("projects:meeting-year", kwargs={"fiscal_year": self.held_in_fiscal_year})

    def get_absolute_url(self) -> str:
        return f"{self.year_page_url()}#meeting-{self.pk}"

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
    fiscal_year = FiscalYearField(_("年度"))
    meetings_count = models.PositiveSmallIntegerField(_("開催回数"), null=True, blank=True)
    meetings_note = models.CharField(_("開催回数の注記"), max_length=200, blank=True)
    participants_count = models.PositiveIntegerField(
        _("参加者数（のべ）"),
        null=True,
        blank=True,
        help_text=_("数で表せない場合は空欄にして表記欄へ"),
    )
    participants_text = models.CharField(
        _("参加者数の表記"), max_length=100, blank=True, help_text=_("例：26人+α＋48人+56人")
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
    fiscal_year = FiscalYearField(_("年度"), null=True, blank=True)
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
        # The group's page ranks each kind's outcomes by position (grouped_lists).
        indexes = [
            models.Index(fields=["research_group", "kind", "position"], name="outcome_kind_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def group_page_url(self) -> str:
        """The outcome on the research group's page of its kind (the group's own page lists
        only the first few of each kind)."""
        page = reverse("projects:outcomes", kwargs={"kind": self.kind})
        return f"{page}#outcome-{self.pk}"
