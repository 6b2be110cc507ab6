"""Reading the staff dashboard on the admin index as staff see it: its panels and their tables,
and staff members holding only the permissions a test gives them (as a role would)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

PANEL = re.compile(
    r'<section class="module dashboard-panel dashboard-panel--(?P<key>[\w-]+)".*?</section>', re.S
)


def staff_member(username: str, *permissions: str):
    """An active staff member with exactly ``permissions`` (``"donations.view_donation"``)."""
    user = get_user_model().objects.create_user(username=username, password=None, is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def dashboard_panels(client) -> dict[str, str]:
    """The admin index's panels the client's user sees, by key, with their HTML."""
    response = client.get("/admin/")
    assert response.status_code == 200
    return {match["key"]: match[0] for match in PANEL.finditer(response.content.decode())}


class _Rows(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in {"th", "td"}:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in {"th", "td"} and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str) -> list[list[str]]:
    """Every table row in ``html`` as its cells' texts (header rows included)."""
    parser = _Rows()
    parser.feed(html)
    return parser.rows


def text(html: str) -> str:
    """The text of ``html``, its whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())
