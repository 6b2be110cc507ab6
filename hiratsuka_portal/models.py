"""The site's own editable content: who runs the program and the texts of its own pages."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^[0-9０-９()（）+\- ]{6,20}$",
    _("電話番号は数字とハイフンで入力してください。"),
    code="invalid_phone",
)


class SiteProfileQuerySet(models.QuerySet):
    def current(self) -> SiteProfile | None:
        """The single profile row, or None on a database that has not been seeded yet."""
        return self.filter(pk=SiteProfile.SINGLETON_ID).first()


class SiteProfile(models.Model):
    """The program's contact, shown in every page's footer and on printed reports.

    There is exactly one row (enforced in the database); staff edit it in the admin, so a change
    of phone number or section never needs a developer.
    """

    SINGLETON_ID = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    organization = models.CharField(_("自治体名"), max_length=100)
    department = models.CharField(_("担当課"), max_length=100)
    section = models.CharField(_("担当"), max_length=100)
    phone = models.CharField(_("電話番号"), max_length=20, validators=[phone_validator])
    phone_note = models.CharField(
        _("電話番号の補足"), max_length=50, blank=True, help_text=_("例：直通")
    )
    email = models.EmailField(_("メールアドレス"))
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = SiteProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("サイト情報・問い合わせ先")
        verbose_name_plural = _("サイト情報・問い合わせ先")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="siteprofile_single_row"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.department} {self.section}"


class SitePageQuerySet(models.QuerySet):
    def with_sections(self) -> SitePageQuerySet:
        return self.prefetch_related("sections")


class SitePage(models.Model):
    """One of the site's own pages whose text staff keep up to date (introduction, policies)."""

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


class SitePageSection(models.Model):
    """A headed section of a site page. Blank lines separate paragraphs; lines starting with
    "- " form a bulleted list (see the ``text_blocks`` template filter)."""

    page = models.ForeignKey(
        SitePage, on_delete=models.CASCADE, related_name="sections", verbose_name=_("ページ")
    )
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    heading = models.CharField(_("見出し"), max_length=200)
    body = models.TextField(_("本文"))

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
