"""The site's own panels on the staff dashboard, built on the kit alone (no app named): the
latest changes across the audit trail and the publications scheduled to come.

The apps add their panels in their own ``dashboard.py`` (donations: figures and inquiries)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core import dashboard
from core.publishing import publishable_models
from core.publishing import upcoming_publications as upcoming
from core.recent_changes import historical_models, recent_changes

UPCOMING_LISTED = 10


def latest_changes(request) -> dict:
    return {"changes": recent_changes(request.user)}


def _views_any_history(user) -> bool:
    return any(dashboard.can_view(user, model.instance_type) for model in historical_models())


def _viewable_publishable_models(user) -> list:
    return [model for model in publishable_models() if dashboard.can_view(user, model)]


def upcoming_publications(request) -> dict:
    """The records scheduled to be published, soonest first, of the models the user may view."""
    models = _viewable_publishable_models(request.user)
    entries = [
        {
            "kind": kind,
            "object": obj,
            "published_at": published_at,
            "url": dashboard.admin_record_url(type(obj), obj.pk),
        }
        for kind, obj, published_at in upcoming(UPCOMING_LISTED, models)
    ]
    return {"entries": entries}


dashboard.register(
    dashboard.Panel(
        key="latest-changes",
        title=_("最近の変更"),
        template="admin/dashboard/latest_changes.html",
        is_visible_to=_views_any_history,
        context=latest_changes,
        region="sidebar",
        position=10,
    )
)

dashboard.register(
    dashboard.Panel(
        key="upcoming-publications",
        title=_("公開予定"),
        template="admin/dashboard/upcoming_publications.html",
        is_visible_to=lambda user: bool(_viewable_publishable_models(user)),
        context=upcoming_publications,
        position=40,
    )
)
