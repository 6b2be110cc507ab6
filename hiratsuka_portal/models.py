"""The texts of the site's own pages (the introduction, the policies), kept by staff."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.publishing import Publishable, PublishableQuerySet


class SitePageQuerySet(PublishableQuerySet):
    def with_sections(self) -> SitePageQuerySet:
        """With the page's published sections (all of them in a staff preview)."""
        return self.prefetch_related(
            models.Prefetch("sections", queryset=SitePageSection.objects.public())
        )


class SitePage(Publishable):
    """One of the site's own pages whose text staff keep up to date (introduction, policies).

    The page and each of its sections are published on their own: a new section (a revised
    paragraph of the privacy policy, say) can be prepared as a draft or scheduled for the day
    it takes effect while the page stays online."""

    class Kind(models.TextChoices):
        INTRODUCTION = "introduction", _("事業紹介（トップページ）")
        ACCESSIBILITY = "accessibility", _("ウェブアクセシビリティ方針")
        PRIVACY = "privacy", _("個人情報の取扱い")

    kind = models.CharField(_("種類"), max_length=20, choices=Kind, unique=True)
    title = models.CharField(_("タイトル"), max_length=200)
    lead = models.TextField(_("リード文"), blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = SitePageQuerySet.as_manager()

    class Meta:
        verbose_name = _("サイトページ")
        verbose_name_plural = _("サイトページ")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.kind == self.Kind.INTRODUCTION:
            return reverse("home")
        return reverse(self.kind)


class SitePageSectionQuerySet(PublishableQuerySet):
    def public(self) -> SitePageSectionQuerySet:
        """The published sections of published pages."""
        return super().public().filter(page__in=SitePage.objects.public())


class SitePageSection(Publishable):
    """A headed section of a site page. Blank lines separate paragraphs; lines starting with
    "- " form a bulleted list (see the ``text_blocks`` template filter)."""

    page = models.ForeignKey(
        SitePage, on_delete=models.CASCADE, related_name="sections", verbose_name=_("ページ")
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    heading = models.CharField(_("見出し"), max_length=200)
    body = models.TextField(_("本文"))
    link_url = models.URLField(
        _("関連ページのURL"),
        blank=True,
        help_text=_(
            "このセクションが紹介する外部のページ（例：国の資料）。入力すると外部リンクとして表示します"
        ),
    )
    link_text = models.CharField(
        _("関連ページの名称"), max_length=200, blank=True, help_text=_("リンクの文字列")
    )

    objects = SitePageSectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("セクション")
        verbose_name_plural = _("セクション")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "position"], name="sitepagesection_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.heading


class AccessibilityCriterion(models.Model):
    """One row of the accessibility statement's 試験結果表: a WCAG 2.0 (JIS X 8341-3:2016)
    success criterion of level A or AA and the result of the portal's test against it."""

    class Level(models.TextChoices):
        A = "A", "A"
        AA = "AA", "AA"

    class Result(models.TextChoices):
        CONFORMS = "conforms", _("適合")
        NOT_APPLICABLE = "not_applicable", _("該当なし")
        DOES_NOT_CONFORM = "does_not_conform", _("不適合")

    number = models.CharField(
        _("達成基準の番号"), max_length=10, unique=True, help_text=_("例：1.1.1")
    )
    name = models.CharField(_("達成基準"), max_length=100)
    level = models.CharField(_("適合レベル"), max_length=2, choices=Level)
    result = models.CharField(_("結果"), max_length=20, choices=Result)
    note = models.TextField(_("注記"), blank=True, help_text=_("確認の方法、該当なしの理由など"))
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("試験結果（達成基準）")
        verbose_name_plural = _("試験結果表（達成基準）")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class DemoDataMarker(models.Model):
    """Marks a database that ``manage.py generate_demo_data`` built: synthetic records only.

    The command writes only into an empty database or one holding this row, so real records
    are never mixed with synthetic ones. A row without ``completed_at`` is a build that did not
    finish (the next run rebuilds it)."""

    scale = models.PositiveIntegerField(_("規模（シードの倍数）"))
    seed = models.BigIntegerField(_("乱数の種"))
    started_at = models.DateTimeField(_("生成開始日時"))
    completed_at = models.DateTimeField(_("生成完了日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("デモデータの印")
        verbose_name_plural = _("デモデータの印")

    def __str__(self) -> str:
        return f"demo data ×{self.scale} (seed {self.seed})"
