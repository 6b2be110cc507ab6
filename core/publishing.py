"""Draft or published: the one switch every public record has.

Staff can prepare a record (a project, a facility) and publish it when it is ready. What the
public may see of a model is one QuerySet method, ``public()``: pages, PDFs, search, open data,
news and sitemaps all read through it, and the records that belong to a publishable one (a
project's milestones, a group's meetings) define their own ``public()`` on top of their parent's.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishableQuerySet(models.QuerySet):
    def public(self):
        """What the public may see: the published records."""
        return self.filter(is_published=True)


class Publishable(models.Model):
    # New records start as drafts: nothing reaches the public pages until staff publish it.
    is_published = models.BooleanField(
        _("公開する"), default=False, help_text=_("チェックすると公開ページに表示されます。")
    )

    class Meta:
        abstract = True
