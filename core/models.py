"""What every part of the site shares: the city's contact for the program."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

phone_validator = RegexValidator(
    r"^[0-9０-９()（）+\- ]{6,20}$",
    _("電話番号は数字とハイフンで入力してください。"),
    code="invalid_phone",
)


class SiteProfileQuerySet(models.QuerySet):
    def current(self) -> SiteProfile | None:
        """The single profile row, or None on a database that has not been seeded yet."""
        # A slice rather than first(), which would sort the one row by its key too: every
        # page's footer asks for it.
        return next(iter(self.filter(pk=SiteProfile.SINGLETON_ID)[:1]), None)

    def as_issuer(self) -> dict[str, str]:
        """The city as an issued document prints it (kept in the document's snapshot, so the
        document never changes when the contact does). Unseeded: the city's name alone."""
        profile = self.current()
        if profile is None:
            return {
                "organization": gettext("平塚市"),
                **dict.fromkeys(("department", "section", "phone", "email"), ""),
            }
        return {
            "organization": profile.organization,
            "department": profile.department,
            "section": profile.section,
            "phone": profile.phone,
            "email": profile.email,
        }


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
    website = models.URLField(
        _("自治体のウェブサイト"), blank=True, help_text=_("フッターからリンクします")
    )
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
