"""A visitor of the app servers over real HTTP, as a browser behind the city's TLS proxy would be.

The servers run under production settings behind a TLS proxy (``DJANGO_BEHIND_TLS_PROXY``): the
visitor plays that proxy too, saying ``X-Forwarded-Proto: https`` on every request, so Django
sees what it sees in production (https, secure cookies, CSRF's origin check) and nothing in
the settings is loosened for the test. Like the proxy, it names the site's public host
(``PUBLIC_HOST``) whichever server it reaches: the servers see one site, as in production, and
build the same pages (and page cache keys) for it. It sends its cookies, Secure ones included,
over the plain loopback connection that stands in for the proxy's.

Forms are filled as a browser fills them: what the page holds (hidden fields, CSRF token, every
value already there), with the visitor's changes on top.
"""

from __future__ import annotations

import re
import time
from base64 import b32decode
from html import unescape
from html.parser import HTMLParser

import requests
from django_otp.oath import TOTP

TIMEOUT = 60
# Inputs that a browser does not send as name=value with the form's other fields.
NOT_SENT = {"submit", "button", "image", "reset", "file"}
# The name visitors know the site by, in front of every app server.
PUBLIC_HOST = "127.0.0.1"


class Visitor:
    """One browser: its own cookies, requests to whichever server it is told."""

    def __init__(self):
        self.http = requests.Session()
        self.http.headers["X-Forwarded-Proto"] = "https"
        self.http.headers["Host"] = PUBLIC_HOST

    def _cookie_header(self) -> dict[str, str]:
        # The cookies are Secure (production settings), which requests keeps for https URLs;
        # here the https ends at the visitor, so it names them itself. One host: no domains.
        cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.http.cookies)
        return {"Cookie": cookies} if cookies else {}

    def get(self, base: str, path: str) -> requests.Response:
        return self.http.get(
            base + path, headers=self._cookie_header(), allow_redirects=False, timeout=TIMEOUT
        )

    def post(self, base: str, path: str, data, files=None) -> requests.Response:
        # What a browser sends with a form from the same page: the origin and the page.
        origin = "https://" + PUBLIC_HOST
        headers = {"Origin": origin, "Referer": origin + path, **self._cookie_header()}
        return self.http.post(
            base + path,
            data=data,
            files=files,
            headers=headers,
            allow_redirects=False,
            timeout=TIMEOUT,
        )

    def cookie(self, name: str) -> str | None:
        return self.http.cookies.get(name)

    def sign_in(self, base: str, username: str, password: str) -> requests.Response:
        """The admin's sign-in form, filled and sent, then the second factor as staff give it
        (superusers must): the code of their authenticator app (``PHONES``), or, the first
        time, the enrolment with the secret the page shows. The redirect to the admin on
        success; the form again (or the lockout page) otherwise."""
        page = self.get(base, "/admin/login/")
        form = Form.of(page.text, form_id="login-form")
        signed_in = self.post(
            base,
            "/admin/login/?next=/admin/",
            form.with_values(username=username, password=password, next="/admin/").fields,
        )
        if signed_in.status_code != 302:
            return signed_in
        step = self.get(base, "/admin/")
        path = step.headers.get("Location", "").split("?")[0]
        if path == "/admin/two-factor/enrol/":
            return self._enrol(base, username, step.headers["Location"])
        if path == "/admin/two-factor/verify/":
            return self._second_step(base, username, step.headers["Location"])
        return signed_in

    def _second_step(self, base: str, username: str, url: str) -> requests.Response:
        form = Form.of(self.get(base, url).text, form_id="two-factor-form")
        return self.post(base, url, form.with_values(code=PHONES[username].code()).fields)

    def _enrol(self, base: str, username: str, url: str) -> requests.Response:
        page = self.get(base, url).text
        secret = re.search(r'class="two-factor-secret"><code>([A-Z2-7 ]+)</code>', page)
        assert secret, page[:2000]
        PHONES[username] = Authenticator(unescape(secret.group(1)).replace(" ", ""))
        form = Form.of(page, form_id="two-factor-form")
        confirmed = self.post(base, url, form.with_values(code=PHONES[username].code()).fields)
        assert confirmed.status_code == 302, confirmed.text[:2000]
        # The recovery codes, shown once; then on to the admin, as the page's button does.
        assert self.get(base, confirmed.headers["Location"]).status_code == 200
        return confirmed


class Authenticator:
    """A staff member's authenticator app: the secret it was given, and its codes. A code is
    accepted once (the server remembers the last time step used), so a second sign-in within
    the same 30 s takes the next step's code, which the server accepts too (one step of clock
    drift either way), and waits when even that is used."""

    def __init__(self, secret_base32: str):
        self.generator = TOTP(b32decode(secret_base32))
        self.last_step = -1

    def code(self) -> str:
        self.generator.time = time.time()
        step = max(self.generator.t(), self.last_step + 1)
        while step > self.generator.t() + 1:
            time.sleep(1)
            self.generator.time = time.time()
        self.generator.time = step * self.generator.step + self.generator.t0
        self.last_step = step
        return f"{self.generator.token():06d}"


# Each staff account's phone, once it enrolled (username → its authenticator app).
PHONES: dict[str, Authenticator] = {}


class Form:
    """The fields of one form of a page, in order, as a browser would send them."""

    def __init__(self, fields: list[tuple[str, str]], templates: list[tuple[str, str]]):
        self.fields = fields
        # The admin's "add another" rows: fields named ...-__prefix__-..., never sent as such.
        self.templates = templates

    @classmethod
    def of(cls, html: str, *, form_id: str = "", action: str = "") -> Form:
        """The form with this id, or the first one sent to this action."""
        parser = _FormParser(form_id, action)
        parser.feed(html)
        parser.close()
        if not parser.found:
            raise AssertionError(f"no form #{form_id} ({action}) on the page:\n{html[:2000]}")
        sent = [(name, value) for name, value in parser.fields if "__prefix__" not in name]
        templates = [(name, value) for name, value in parser.fields if "__prefix__" in name]
        return cls(sent, templates)

    def value(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)

    def with_values(self, **values: str) -> Form:
        """The form with these fields' values replaced (or added)."""
        fields = [(name, value) for name, value in self.fields if name not in values]
        return Form(fields + list(values.items()), self.templates)

    def with_inline_row(self, prefix: str, **values: str) -> Form:
        """The form with one more row in the inline formset ``prefix`` (what the admin's
        "add another" link does): the empty row's fields with ``values`` on top."""
        total_name = f"{prefix}-TOTAL_FORMS"
        index = int(self.value(total_name) or 0)
        marker = f"{prefix}-__prefix__-"
        row = {
            f"{prefix}-{index}-{name.removeprefix(marker)}": value
            for name, value in self.templates
            if name.startswith(marker)
        }
        row |= {f"{prefix}-{index}-{name}": value for name, value in values.items()}
        form = self.with_values(**{total_name: str(index + 1)})
        return Form(form.fields + list(row.items()), self.templates)


class _FormParser(HTMLParser):
    def __init__(self, form_id: str, action: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.action = action
        self.found = False
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and not self.found:
            if (self.form_id and attributes.get("id") == self.form_id) or (
                self.action and attributes.get("action") == self.action
            ):
                self.found = self.inside = True
            return
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = (attributes.get("type") or "text").lower()
            if kind in NOT_SENT:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attributes:
                    self.fields.append((name, attributes.get("value") or "on"))
                return
            self.fields.append((name, attributes.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._select_options = name, []
            self._multiple = "multiple" in attributes
        elif tag == "option" and self._select is not None:
            self._select_options.append((attributes.get("value") or "", "selected" in attributes))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._select_options if selected]
            if not chosen and not self._multiple and self._select_options:
                chosen = [self._select_options[0][0]]
            self.fields += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser drops no newline after <textarea>; browsers drop the first one.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None
