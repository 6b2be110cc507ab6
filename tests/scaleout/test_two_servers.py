"""Two app servers, one site: what one server does, the other knows at once.

Two gunicorn servers (A and B) under production settings share one PostgreSQL database, one
Redis database and one S3-compatible server (tests/scaleout/stack.py), and are driven over real
HTTP as visitors and staff drive them: the page cache, sessions, the inquiry form's rate limit,
the sign-in lockout and uploaded files must hold across both (README, "Several app servers").
"""

from __future__ import annotations

import re
import secrets
import time
from html import unescape
from urllib.parse import urlsplit

import pytest
import requests

from tests.donations.inquiry_tools import valid_data

from .stack import (
    INQUIRY_RATE_LIMIT,
    MEDIA_BUCKET,
    PRIVATE_BUCKET,
    SIGN_IN_FAILURE_LIMIT,
    STAFF_PASSWORD,
    running_stack,
)
from .visitor import Form, Visitor

pytestmark = pytest.mark.scaleout

STAFF = "staff"
# A second account, for the lockout: locking it leaves STAFF free to work.
LOCKED = "kifu-tanto"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("scaleout"), users=[STAFF, LOCKED]) as running:
        yield running


@pytest.fixture(scope="module")
def staff(stack) -> Visitor:
    """A member of staff signed in through server A."""
    visitor = Visitor()
    response = visitor.sign_in(stack.a.base, STAFF, STAFF_PASSWORD)
    assert response.status_code == 302, response.text[:2000]
    return visitor


def admin_save(visitor: Visitor, base: str, path: str, form: Form, files=None) -> None:
    """Send an admin change form; a form sent back with errors fails the test with them."""
    response = visitor.post(base, path, form.fields, files=files)
    if response.status_code != 302:
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.S)
        pytest.fail(f"the admin did not save {path} ({response.status_code}): {errors}")


def test_a_staff_change_through_a_is_on_b_next_response(stack, staff):
    project_id, slug, title = stack.sql(
        "SELECT id, slug, title_ja FROM projects_project ORDER BY id LIMIT 1"
    )[0]
    page = f"/projects/{slug}/"
    visitor = Visitor()

    first = visitor.get(stack.b.base, page)
    assert first.status_code == 200
    assert title in unescape(first.text)
    assert "Set-Cookie" not in first.headers, "a page that sets a cookie is never cached"

    # Behind the site's back (no save signal, no new version): a server that renders the page
    # again would show this; one answering from the shared cache does not.
    stack.sql("UPDATE projects_project SET title_ja = %s WHERE id = %s", "直接の書換え", project_id)
    for server in (stack.b, stack.a):
        cached = visitor.get(server.base, page)
        assert cached.status_code == 200
        assert "直接の書換え" not in unescape(cached.text), "B's page, cached, is what A serves too"
        assert cached.headers["ETag"] == first.headers["ETag"]

    change = f"/admin/projects/project/{project_id}/change/"
    form = Form.of(staff.get(stack.a.base, change).text, form_id="project_form")
    new_title = f"{title}（第2期）"
    admin_save(staff, stack.a.base, change, form.with_values(title_ja=new_title))

    after = visitor.get(stack.b.base, page)
    assert after.status_code == 200
    assert new_title in unescape(after.text)
    assert after.headers["ETag"] != first.headers["ETag"]


def test_b_session_made_on_a_is_valid_on_b(stack, staff):
    # Production settings: the __Host- cookie, which browsers keep for this host alone.
    assert stack.session_cookie == "__Host-sessionid"
    session_id = staff.cookie(stack.session_cookie)
    assert session_id

    on_b = Visitor()
    on_b.http.cookies.set(stack.session_cookie, session_id)
    dashboard = on_b.get(stack.b.base, "/admin/")
    assert dashboard.status_code == 200
    assert STAFF in dashboard.text

    stranger = Visitor().get(stack.b.base, "/admin/")
    assert stranger.status_code == 302
    assert "/admin/login/" in stranger.headers["Location"]

    # Signing out on B ends the session on A too.
    signed_out = Visitor()
    assert signed_out.sign_in(stack.b.base, STAFF, STAFF_PASSWORD).status_code == 302
    assert signed_out.get(stack.a.base, "/admin/").status_code == 200
    logout = Form.of(signed_out.get(stack.b.base, "/admin/").text, form_id="logout-form")
    assert signed_out.post(stack.b.base, "/admin/logout/", logout.fields).status_code == 200
    again = Visitor()
    again.http.cookies.set(stack.session_cookie, signed_out.cookie(stack.session_cookie) or "")
    assert again.get(stack.a.base, "/admin/").status_code == 302


def test_c_inquiry_rate_limit_counts_across_both_servers(stack):
    form_page = "/donations/inquiry/"
    # One company's contact, each inquiry from a fresh copy of the form, alternating servers.
    servers = [stack.a, stack.b, stack.a]
    assert len(servers) == INQUIRY_RATE_LIMIT + 1
    copies = []
    for server in servers:
        visitor = Visitor()
        page = visitor.get(server.base, form_page)
        assert page.status_code == 200
        copies.append((visitor, Form.of(page.text, action=form_page)))
    # A person takes longer than the form's time trap (3 s) to fill it in.
    time.sleep(3.5)

    answers = []
    for number, ((visitor, form), server) in enumerate(zip(copies, servers, strict=True)):
        # Sent to the other server than the one that showed the form: the draft lives in the
        # shared session.
        other = stack.b if server is stack.a else stack.a
        data = valid_data(
            form_token=form.value("form_token"),
            email=f"contact{number}@shonan-techno.example.jp",
            csrfmiddlewaretoken=form.value("csrfmiddlewaretoken"),
        )
        sent = visitor.post(other.base, form_page, data)
        if sent.status_code == 302:
            confirm_page = visitor.get(server.base, sent.headers["Location"])
            confirm = Form.of(confirm_page.text, action=sent.headers["Location"])
            sent = visitor.post(
                server.base, sent.headers["Location"], confirm.with_values(send="1").fields
            )
        answers.append(sent)

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert all("/thanks/" in answer.headers["Location"] for answer in answers[:2])
    assert int(answers[2].headers["Retry-After"]) > 0
    assert stack.sql("SELECT count(*) FROM donations_donationinquiry")[0][0] == INQUIRY_RATE_LIMIT


def test_d_sign_in_lockout_counts_across_both_servers(stack):
    servers = [stack.a, stack.b, stack.a][:SIGN_IN_FAILURE_LIMIT]
    answers = [
        Visitor().sign_in(server.base, LOCKED, "wrong-password-" + secrets.token_hex(4))
        for server in servers
    ]
    assert [answer.status_code for answer in answers[:-1]] == [200] * (len(servers) - 1)
    assert answers[-1].status_code == 429, "the last failure, wherever it lands, locks"

    # The right password, on the other server: still locked, and no session.
    visitor = Visitor()
    refused = visitor.sign_in(stack.b.base, LOCKED, STAFF_PASSWORD)
    assert refused.status_code == 429
    assert visitor.get(stack.b.base, "/admin/").status_code == 302
    # Another account from the same address is not affected.
    assert Visitor().sign_in(stack.b.base, STAFF, STAFF_PASSWORD).status_code == 302


def _small_pdf(text: str) -> bytes:
    """A complete one-page PDF (what the upload's check asks: a header and a trailer)."""
    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    )
    return body + f"% {text}\n".encode() + b"trailer<</Root 1 0 R>>\n%%EOF\n"


def test_e_file_uploaded_through_a_is_served_by_b(stack, staff):
    agreement_id, slug = stack.sql("SELECT id, slug FROM agreements_agreement ORDER BY id LIMIT 1")[
        0
    ]
    document = _small_pdf(f"scaleout {secrets.token_hex(8)}")
    change = f"/admin/agreements/agreement/{agreement_id}/change/"
    form = Form.of(staff.get(stack.a.base, change).text, form_id="agreement_form")
    prefix = "documents"
    form = form.with_inline_row(prefix, title_ja="協定書（写し）", position="9")
    index = int(form.value(f"{prefix}-TOTAL_FORMS")) - 1
    admin_save(
        staff,
        stack.a.base,
        change,
        form,
        files={f"{prefix}-{index}-file": ("kyotei.pdf", document, "application/pdf")},
    )

    page = Visitor().get(stack.b.base, f"/agreements/{slug}/")
    assert page.status_code == 200
    # Pictures on the media bucket are allowed to load by the page's own policy.
    img_src = re.search(r"img-src ([^;]*)", page.headers["Content-Security-Policy"])[1]
    assert stack.s3_endpoint in img_src.split()
    links = [
        unescape(href)
        for href in re.findall(r'href="([^"]+\.pdf)"', page.text)
        if href.startswith(stack.s3_endpoint)
    ]
    assert len(links) == 1, f"B's page links the document on S3: {links}"
    # Anyone may load it, without credentials, and it is the file that was uploaded.
    served = requests.get(links[0], timeout=30)
    assert served.status_code == 200
    assert served.content == document
    key = urlsplit(links[0]).path.removeprefix(f"/{MEDIA_BUCKET}/")
    assert stack.s3().get_object(Bucket=MEDIA_BUCKET, Key=key)["Body"].read() == document


def test_e_private_receipt_issued_on_a_is_for_staff_on_b_only(stack, staff):
    # A donation of a named donor, with its date received (what a receipt states).
    donation_id = stack.sql(
        "SELECT d.id FROM donations_donation d JOIN donations_donor o ON o.id = d.donor_id "
        "WHERE o.name_ja <> '' ORDER BY d.received_on NULLS LAST, d.id LIMIT 1"
    )[0][0]
    stack.sql(
        "UPDATE donations_donation "
        "SET received_on = COALESCE(received_on, make_date(fiscal_year, 6, 3)) WHERE id = %s",
        donation_id,
    )
    changelist = "/admin/donations/donation/"
    page = staff.get(stack.a.base, changelist)
    csrf = Form.of(page.text, form_id="changelist-form").value("csrfmiddlewaretoken")
    issued = staff.post(
        stack.a.base,
        changelist,
        {
            "csrfmiddlewaretoken": csrf,
            "action": "issue_receipts",
            "_selected_action": str(donation_id),
            "index": "0",
        },
    )
    assert issued.status_code == 302
    receipts = stack.sql(
        "SELECT id, file FROM donations_donationreceipt WHERE donation_id = %s "
        "ORDER BY id DESC LIMIT 1",
        donation_id,
    )
    if not receipts:
        told = staff.get(stack.a.base, changelist).text
        pytest.fail(f"no receipt issued: {re.findall(r'<li class=\"error\">(.*?)</li>', told)}")
    receipt_id, name = receipts[0]

    pdf_view = f"/admin/donations/donationreceipt/{receipt_id}/pdf/"
    on_b = Visitor()
    on_b.http.cookies.set(stack.session_cookie, staff.cookie(stack.session_cookie))
    downloaded = on_b.get(stack.b.base, pdf_view)
    assert downloaded.status_code == 200
    assert downloaded.headers["Content-Type"] == "application/pdf"
    stored = stack.s3().get_object(Bucket=PRIVATE_BUCKET, Key=name)["Body"].read()
    assert downloaded.content == stored
    assert stored.startswith(b"%PDF-")

    # Nobody else: not a visitor of the site, not anyone asking the S3 server directly.
    stranger = Visitor().get(stack.b.base, pdf_view)
    assert stranger.status_code == 302
    assert "/admin/login/" in stranger.headers["Location"]
    assert requests.get(f"{stack.s3_endpoint}/{PRIVATE_BUCKET}/{name}", timeout=30).status_code == (
        403
    )
