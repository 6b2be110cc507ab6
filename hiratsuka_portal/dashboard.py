"""The site's own panels on the staff dashboard, built on the kit alone (no app named): the
latest changes across the audit trail and the publications scheduled to come.

The apps add their panels in their own ``dashboard.py`` (donations: figures and inquiries)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from core import dashboard
from core.recent_changes import historical_models, recent_changes

UPCOMING_LISTED = 10


def latest_changes(request) -> dict:
    return {"changes": recent_changes(request.user)}


def _views_any_history(user) -> bool:
    return any(dashboard.can_view(user, model.instance_type) for model in historical_models())


def upcoming_publications(request) -> dict:
    """The records scheduled to be published, soonest first, of the models the user may view.

    The publishing workflow provides ``core.publishing.upcoming_publications(limit)`` (a list
    of ``(verbose_name, object, published_at)``); it is imported here, when the panel is
    shown, so that this module loads before that function exists."""
    from core.publishing import upcoming_publications as upcoming

    user = request.user
    entries = [
        {"kind": kind, "object": obj, "published_at": published_at, "url": _change_url(obj)}
        for kind, obj, published_at in upcoming(UPCOMING_LISTED)
        if dashboard.can_view(user, type(obj))
    ]
    return {"entries": entries}


def _change_url(obj) -> str:
    opts = obj._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


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

# TODO(lead, after merging the publishing workflow): register the scheduled publications,
# shown to whoever may view a model with a publish schedule (編集者, 寄附担当, 閲覧者):
#
# dashboard.register(
#     dashboard.Panel(
#         key="upcoming-publications",
#         title=_("公開予定"),
#         template="admin/dashboard/upcoming_publications.html",
#         is_visible_to=lambda user: user.is_staff,
#         context=upcoming_publications,
#         position=40,
#     )
# )
