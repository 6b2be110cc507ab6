"""Draft, scheduled, published: the publishing workflow every public record follows.

A publishable record has one date, ``published_at``: none is a draft (下書き), a time still to
come is scheduled (公開予約), a time now or past is published (公開中). What the public may see of
a model is one QuerySet method, ``public()``, comparing ``published_at`` with the clock when the
query is built: a scheduled record appears at its time without anyone acting and without a job
having to run. Pages, PDFs, search, open data, news and sitemaps all read through it, and the
records that belong to a publishable one (a project's milestones, a group's meetings) define
their own ``public()`` as their own date *and* their parent's ``public()``.

Staff preview what is not public yet: while ``previewing()`` is active (the preview middleware
turns it on for a staff request with ``?preview=1``), ``public()`` also includes drafts and
scheduled records. Nothing rendered then may be cached or indexed (``preview_active()``).
"""

from __future__ import annotations

import contextlib
import datetime
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import NamedTuple

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# ``?preview=1`` on a public URL asks for the staff preview (see core.middleware).
PREVIEW_PARAMETER = "preview"

_preview: ContextVar[bool] = ContextVar("publishing_preview", default=False)


def preview_active() -> bool:
    """Whether the current request is a staff preview (drafts and scheduled records shown)."""
    return _preview.get()


@contextlib.contextmanager
def previewing(active: bool = True) -> Iterator[None]:
    """Show drafts and scheduled records through ``public()`` inside the block."""
    token = _preview.set(active)
    try:
        yield
    finally:
        _preview.reset(token)


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SCHEDULED = "scheduled", _("公開予約")
    PUBLISHED = "published", _("公開中")


def published_now_q(prefix: str = "") -> Q:
    """The condition "published now" on ``published_at`` (through ``prefix``, e.g. "project__"),
    or no condition at all in a staff preview."""
    if preview_active():
        return Q()
    return Q(**{f"{prefix}published_at__lte": timezone.now()})


def public_relation_q(relation: str, *, optional: bool = False) -> Q:
    """The condition "``relation`` is public" on a foreign key to a publishable model whose
    ``public()`` is the plain rule above (with ``optional``, a record that has none passes
    too); no condition at all in a staff preview.

    The same rows as ``relation__in=Model.objects.public()``, asked as a condition on the
    joined row: a subquery is a noticeable share of the Python cost of building and compiling
    a page's queries, and the pages that list such records join the row anyway
    (``select_related``)."""
    condition = published_now_q(f"{relation}__")
    if optional and condition:
        condition |= Q(**{f"{relation}__isnull": True})
    return condition


class PublishableQuerySet(models.QuerySet):
    def public(self):
        """What the public may see: the records published now (everything in a preview)."""
        return self.filter(published_now_q())

    def scheduled(self):
        """The records waiting for their publication time, soonest first."""
        return self.filter(published_at__gt=timezone.now()).order_by("published_at", "pk")

    def drafts(self):
        return self.filter(published_at__isnull=True)

    def in_state(self, state: str):
        """The records in one ``PublicationState`` (the admin's list filter)."""
        now = timezone.now()
        match state:
            case PublicationState.DRAFT:
                return self.drafts()
            case PublicationState.SCHEDULED:
                return self.filter(published_at__gt=now)
            case PublicationState.PUBLISHED:
                return self.filter(published_at__lte=now)
        return self.none()


class Publishable(models.Model):
    # New records start as drafts: nothing reaches the public pages until staff publish it.
    published_at = models.DateTimeField(
        _("公開日時"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_(
            "空欄のままでは下書きで、公開されません。日時を入れるとその日時に公開されます"
            "（過去の日時なら今すぐ、未来の日時なら公開予約）。"
        ),
    )

    class Meta:
        abstract = True

    @property
    def publication_state(self) -> PublicationState:
        if self.published_at is None:
            return PublicationState.DRAFT
        if self.published_at > timezone.now():
            return PublicationState.SCHEDULED
        return PublicationState.PUBLISHED

    @property
    def is_public(self) -> bool:
        """What ``public()`` says of this record's own date: published now, or anything in a
        staff preview (a template linking to the record asks this)."""
        return preview_active() or self.publication_state == PublicationState.PUBLISHED


# --- Services ----------------------------------------------------------------------------------
# They save through the model (never QuerySet.update) so that the audit trail records who
# published or withdrew what, and when.


def _publication_save(obj: Publishable, published_at: datetime.datetime | None) -> Publishable:
    with transaction.atomic():
        obj.published_at = published_at
        obj.full_clean()
        obj.save()
    return obj


def publication_schedule(obj: Publishable, *, at: datetime.datetime) -> Publishable:
    """Publish ``obj`` at ``at`` (now or past: at once; future: scheduled)."""
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    return _publication_save(obj, at)


def publication_publish_now(obj: Publishable) -> Publishable:
    """Publish ``obj`` now. A record already public keeps its original publication time."""
    if obj.publication_state == PublicationState.PUBLISHED:
        return obj
    return _publication_save(obj, timezone.now())


def publication_unpublish(obj: Publishable) -> Publishable:
    """Take ``obj`` back to a draft: off every public page from the next request."""
    return _publication_save(obj, None)


# --- What is coming ----------------------------------------------------------------------------


class UpcomingPublication(NamedTuple):
    verbose_name: str
    object: Publishable
    published_at: datetime.datetime


def publishable_models() -> list[type[Publishable]]:
    """Every concrete model of the installed apps that follows the publishing workflow."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Publishable) and not model._meta.abstract
    ]


def upcoming_publications(
    limit: int = 10, among: Iterable[type[Publishable]] | None = None
) -> list[UpcomingPublication]:
    """The next scheduled publications of the whole site (or of the models ``among``), soonest
    first: one query per publishable model, whatever the number of records."""
    upcoming: list[UpcomingPublication] = []
    for model in publishable_models() if among is None else among:
        for obj in model._default_manager.filter(published_at__gt=timezone.now()).order_by(
            "published_at", "pk"
        )[:limit]:
            upcoming.append(
                UpcomingPublication(str(model._meta.verbose_name), obj, obj.published_at)
            )
    upcoming.sort(key=lambda item: (item.published_at, item.verbose_name, item.object.pk))
    return upcoming[:limit]
