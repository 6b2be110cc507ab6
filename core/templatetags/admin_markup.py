"""Filters that finish the markup of Django's stock admin templates, for the overrides in
``templates/admin/`` and ``templates/registration/`` that wrap a stock block in them.

Django's admin leaves some forms without an ``action`` (valid only by omission: the form goes to
wherever the page happens to be) and the first cell of each change-list row a ``th`` without
``scope``. Wrapping the stock block keeps every later Django fix to it, which copying the block
would not.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_FORM_WITHOUT_ACTION = re.compile(r"<form\b(?![^>]*\baction=)", re.IGNORECASE)
# The first cell of a change-list row, as django.contrib.admin.templatetags.admin_list writes it.
_ROW_HEADER = re.compile(r'<th class="field-')


@register.filter
def form_actions(html: str, url: str) -> SafeString:
    """``html`` with ``action="url"`` on every ``<form>`` that has none: the address the form
    was going to be sent to anyway (the page's own), now said."""
    html = conditional_escape(html)
    # Safe: the markup was escaped unless already safe, and the URL added is escaped.
    return mark_safe(_FORM_WITHOUT_ACTION.sub(f'<form action="{escape(url)}"', html))  # noqa: S308


@register.filter
def row_header_scope(html: str) -> SafeString:
    """``html`` with ``scope="row"`` on each change-list row's header cell, so the record's name
    is read with every value of its row."""
    # Safe: the markup was escaped unless already safe; only a constant attribute is added.
    html = conditional_escape(html)
    return mark_safe(_ROW_HEADER.sub('<th scope="row" class="field-', html))  # noqa: S308
