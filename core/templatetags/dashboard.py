"""``{% dashboard_panels "main" as panels %}``: the dashboard's panels the user may see."""

from __future__ import annotations

from django import template

from core.dashboard import ShownPanel, panels_for

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_panels(context, region: str | None = None) -> list[ShownPanel]:
    request = context.get("request")
    return [] if request is None else panels_for(request, region)
