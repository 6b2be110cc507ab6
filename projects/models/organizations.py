"""Organisations taking part, the research themes and the sources of funding."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.url_names import url_name_field
from core.validators import validate_corporate_number


class Organization(models.Model):
    """A city, university lab, company, association or national body taking part."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("自治体")
        UNIVERSITY = "university", _("大学・研究機関")
        COMPANY = "company", _("企業")
        ASSOCIATION = "association", _("団体")
        NATIONAL = "national", _("国・公的機関")

    slug = url_name_field()
    name = models.CharField(_("名称"), max_length=200)
    aliases = models.TextField(
        _("ほかの名称"),
        blank=True,
        help_text=_(
            "旧称・現在の名称・略称など、名称のほかに使われる名称を1行に1つ入力します"
            "（英語の名称も同じ欄に）。サイト内検索では日本語・英語のページとも、名称と同じように検索されます。"
        ),
    )
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

    slug = url_name_field()
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

    slug = url_name_field()
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
