"""Driving the Django admin as staff do: its URLs and pages, a change form sent back as the
browser would send it, the messages it shows, and a picture to upload."""

from __future__ import annotations

from io import BytesIO

from django.db import connection
from django.db.models.fields.files import FieldFile
from django.forms import MultiWidget
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image


def admin_url(model, view: str, *args) -> str:
    """The admin's ``view`` (``changelist``, ``add``, ``change``, ``history``, …) of ``model``."""
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def open_page(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, url
    return response


def open_its_pages(client, obj, *, add: int = 200) -> tuple[str, str]:
    """Opens the changelist, add, change and history pages of ``obj``'s model, which must open
    (the add page answering ``add``); returns the changelist's and the change page's HTML."""
    model = type(obj)
    changelist = open_page(client, admin_url(model, "changelist")).content.decode()
    open_page(client, admin_url(model, "add"), add)
    change = open_page(client, admin_url(model, "change", obj.pk)).content.decode()
    open_page(client, admin_url(model, "history", obj.pk))
    return changelist, change


def search(client, model, term: str) -> list:
    """What ``model``'s changelist lists when searched for ``term``."""
    url = admin_url(model, "changelist")
    return list(open_page(client, f"{url}?q={term}").context["cl"].result_list)


def changelist_queries(client, model) -> int:
    """How many SQL queries ``model``'s changelist takes."""
    with CaptureQueriesContext(connection) as context:
        open_page(client, admin_url(model, "changelist"))
    return len(context.captured_queries)


def open_every_filter_choice(client, model) -> tuple[int, int]:
    """Opens ``model``'s changelist with each choice of each of its filters, and each must open
    (an unknown filter would redirect to ?e=1 instead). Returns how many filters and how many
    choices there are."""
    url = admin_url(model, "changelist")
    cl = open_page(client, url).context["cl"]
    choices = [choice["query_string"] for spec in cl.filter_specs for choice in spec.choices(cl)]
    for query_string in choices:
        open_page(client, url + query_string)
    return len(cl.filter_specs), len(choices)


def page_messages(response) -> list[tuple[str, str]]:
    """The messages the page shows, as ``(level, text)``."""
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def png(width: int = 120, height: int = 90, mode: str = "RGB") -> bytes:
    buffer = BytesIO()
    Image.new(mode, (width, height)).save(buffer, "PNG")
    return buffer.getvalue()


def resubmitted(response) -> dict:
    """The change form's data as a browser would send it back unchanged, inlines included
    (prefixes and management forms taken from the page, not guessed). Stored files are not
    sent again: the browser sends a file only when one is chosen."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            widget = field.field.widget
            if isinstance(value, FieldFile) or value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(widget, MultiWidget):
                for suffix, part in zip(
                    widget.widgets_names, widget.decompress(value), strict=True
                ):
                    data[field.html_name + suffix] = part.isoformat() if part else ""
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            elif hasattr(value, "isoformat"):
                data[field.html_name] = value.isoformat()
            else:
                data[field.html_name] = str(value)
    return data


def post_change_form(client, obj, **changes):
    """Sends ``obj``'s change form back as the browser would (``resubmitted``), with ``changes``."""
    url = admin_url(type(obj), "change", obj.pk)
    return client.post(url, resubmitted(open_page(client, url)) | changes)


def save_change_form(client, obj, **changes):
    """``post_change_form``, which must save: a redirect, ``obj`` changed rather than copied, and
    the change recorded in its history once."""
    model = type(obj)
    count, records = model.objects.count(), obj.history.count()
    response = post_change_form(client, obj, **changes)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert model.objects.count() == count
    assert obj.history.count() == records + 1
    return response


def with_new_row(response, model, row: dict) -> dict:
    """The change form's data (``resubmitted``) with one more row in ``model``'s inline
    (``row`` keyed by field name)."""
    data = resubmitted(response)
    prefix = next(
        inline.formset.prefix
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.model is model
    )
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
    return data
