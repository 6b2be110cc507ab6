"""Setting the dates the pages read their 最終更新日 from (``core.updates``): the rows' own
``updated_at``, their audit trail and their publication (``published_at``)."""

from __future__ import annotations

import datetime

from django.apps import apps
from django.utils import timezone

from core import page_cache
from core.publishing import Publishable

OUR_APPS = ("core", "projects", "donations", "agreements", "hiratsuka_portal")


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def date_everything(day: datetime.date) -> None:
    """Every record of our apps last changed (and every published one published) on ``day``."""
    when = at_noon(day)
    for app in OUR_APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                model.objects.update(history_date=when)
                continue
            if any(field.name == "updated_at" for field in model._meta.concrete_fields):
                model._default_manager.update(updated_at=when)
            if issubclass(model, Publishable):
                model._default_manager.filter(published_at__isnull=False).update(published_at=when)
    # QuerySet.update() sends no signal: tell the page cache, as after a change made in SQL.
    page_cache.bump()


def change_on(record, day: datetime.date) -> None:
    """``record`` was last edited on ``day`` (its own date, or its audit trail's latest entry)."""
    when = at_noon(day)
    model = type(record)
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        model._default_manager.filter(pk=record.pk).update(updated_at=when)
    else:
        model.history.create(
            **{
                field.attname: getattr(record, field.attname)
                for field in model._meta.concrete_fields
            },
            history_date=when,
            history_type="~",
        )
    page_cache.bump()
