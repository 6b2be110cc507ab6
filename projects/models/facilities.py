"""The places where the research happens."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.publishing import Publishable, PublishableQuerySet
from core.url_names import url_name_field

from .organizations import Organization, Theme


class Facility(Publishable):
    """A place where the research happens: the offshore tower, the port, the land site."""

    class Kind(models.TextChoices):
        TOWER = "tower", _("観測タワー")
        PORT = "port", _("港")
        LAND = "land", _("陸上施設")
        PLANT = "plant", _("発電所")

    slug = url_name_field()
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

    def get_absolute_url(self) -> str:
        """The facility on the page of its kind (the project list shows the first few)."""
        page = reverse("projects:facilities", kwargs={"kind": self.kind})
        return f"{page}#facility-{self.pk}"
