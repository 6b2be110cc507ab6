"""The 寄附申出書 (様式第1号 of the municipal bylaws) the city prepares for a pledged inquiry:
pre-filled from what the company told the city, issued as a frozen PDF, sent to the company and
downloadable by it from a private link."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.storage import PrivateStorage

from .inquiries import DonationInquiry


class DonationApplicationQuerySet(models.QuerySet):
    def latest_first(self) -> DonationApplicationQuerySet:
        return self.order_by("-issued_at", "-pk")


class DonationApplication(models.Model):
    """A 寄附申出書 as the city issued it: the PDF exactly as printed, its SHA-256 and the facts
    on it (``snapshot``).

    Issued documents are frozen, like receipts: an application is never changed
    (``application_issue`` only ever adds one; the admin offers no change, and no delete but
    to superusers). After a correction staff issue a new one; the latest is the one that
    counts, the older ones stay listed. When the inquiry's personal data is erased (retention),
    the file and the personal part of the snapshot go with it (``erased_at``)."""

    inquiry = models.ForeignKey(
        DonationInquiry,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("お問い合わせ"),
    )
    issued_at = models.DateTimeField(_("発行日時"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("発行者"),
    )
    # It names the company's representative and head office: outside the public media folder,
    # served only to staff with the personal-data permission and through the signed link.
    file = models.FileField(
        _("PDFファイル"),
        upload_to="applications/%Y/",
        max_length=255,
        storage=PrivateStorage(),
        blank=True,
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    snapshot = models.JSONField(_("記載内容"), help_text=_("寄附申出書に印字した内容"))
    erased_at = models.DateTimeField(
        _("個人情報の消去日時"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("お問い合わせの保存期間が過ぎ、PDFと記載内容の個人情報を消去した日時"),
    )

    objects = DonationApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("寄附申出書")
        verbose_name_plural = _("寄附申出書")
        ordering = ["issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.snapshot.get('reference', '')} {self.snapshot.get('company_name', '')}"

    def save(self, *args, **kwargs):
        # The one guard against rewriting an issued document from code; the service and the
        # admin never try (retention erases with a queryset update, on purpose).
        if not self._state.adding:
            raise ValueError("An issued application is never changed; issue a new one instead.")
        super().save(*args, **kwargs)

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None
