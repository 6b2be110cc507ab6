"""The staff dashboard on the admin index: panels the apps contribute, shown per role.

Each app declares its panels in its own ``dashboard.py`` (discovered at start-up, like
``search.py``): a title, a template, who may see it (a test on the user, usually a model's view
permission) and a function that reads what the panel shows. The admin index shows the panels the
signed-in user may see; the kit never names an app, and a user never sees a panel about records
the admin would not show them.

A panel's reads must be a fixed number of queries (aggregates, limited lists): the index is
every staff member's first page and must not slow down as the records grow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString

__all__ = ["Panel", "ShownPanel", "admin_record_url", "can_view", "panels_for", "register"]

Region = Literal["main", "sidebar"]


@dataclass(frozen=True)
class Panel:
    """One block of the dashboard.

    ``key`` names it (its HTML ids derive from it); ``template`` receives the ``context``
    function's dict and ``panel``; ``region`` is the index's main column or its sidebar (where
    Django shows 「最近行った操作」); panels are shown by ``position``, then in the order they
    were registered."""

    key: str
    title: str | Promise
    template: str
    is_visible_to: Callable[[Any], bool]
    context: Callable[[HttpRequest], dict[str, Any]]
    region: Region = "main"
    position: int = 100


@dataclass(frozen=True)
class ShownPanel:
    panel: Panel
    html: SafeString

    @property
    def key(self) -> str:
        return self.panel.key


_panels: list[Panel] = []


def register(panel: Panel) -> Panel:
    """Add a panel to the dashboard (from an app's ``dashboard.py``)."""
    if any(known.key == panel.key for known in _panels):
        raise ImproperlyConfigured(f"A dashboard panel {panel.key!r} is already registered.")
    _panels.append(panel)
    return panel


def registered() -> list[Panel]:
    return sorted(_panels, key=lambda panel: panel.position)


def can_view(user, model: type[models.Model]) -> bool:
    """Whether the admin lets ``user`` see ``model``'s records: as ``ModelAdmin`` decides,
    a change permission implies viewing."""
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.view_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def admin_record_url(model: type[models.Model], object_id, view: str = "change") -> str:
    """A record's page in the admin (``view``: "change", "history"); empty for a model without
    an admin of its own."""
    opts = model._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[object_id])
    except NoReverseMatch:
        return ""


def panels_for(request: HttpRequest, region: Region | None = None) -> list[ShownPanel]:
    """The panels ``request.user`` may see, rendered (once per request)."""
    shown = getattr(request, "_dashboard_panels", None)
    if shown is None:
        user = request.user
        shown = [
            ShownPanel(panel=panel, html=_render(panel, request))
            for panel in registered()
            if user.is_active and user.is_staff and panel.is_visible_to(user)
        ]
        request._dashboard_panels = shown
    return [item for item in shown if region is None or item.panel.region == region]


def _render(panel: Panel, request: HttpRequest) -> SafeString:
    context = {**panel.context(request), "panel": panel}
    return render_to_string(panel.template, context, request=request)
