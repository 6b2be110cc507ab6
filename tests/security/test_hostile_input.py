"""Hostile input on every public URL (issue 14, point 6): whatever a client sends in a query
parameter, a path segment, a form field or a method, the site answers without a 5xx, never echoes
markup unescaped, and stores nothing it refused.

Reproducibility: every ``@given`` here runs ``derandomize=True`` (the examples follow from the
test's name, so CI and a developer see the same ones) with ``database=None`` (no example database
is written into the checkout). A few hundred examples in all.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from donations.forms import DonationInquiryForm
from donations.models import Donation, DonationInquiry, InquiryNotification
from projects.models import Project
from tests.admin_tools import admin_url
from tests.donations.inquiry_tools import CONFIRM, FORM, valid_data

from .hostile import (
    MARKUP_PAYLOADS,
    encoded_value,
    hostile_text,
    percent_encode,
    unescaped_echo,
)
from .public_urls import (
    FORM_URLS,
    PARAMETERS_EVERY_PAGE_READS,
    in_language,
    public_get_urls,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("module_seed"),
    pytest.mark.slow,
]


def hostile_settings(max_examples: int):
    return hypothesis_settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@pytest.fixture(autouse=True)
def _every_request_reaches_its_view(settings):
    # The page cache would answer repeated anonymous GETs itself; these tests are about the views.
    settings.PAGE_CACHE_ENABLED = False
    # The examples come from one client address: the inquiry's rate limit is not under test.
    settings.DONATION_INQUIRY_RATE_LIMIT = 10**6
    settings.DONATION_INQUIRY_ABUSE_LIMIT = 10**6


def assert_handled(response, what: str) -> None:
    """A client error at worst, and nothing of the payload's markup back unescaped."""
    assert response.status_code < 500, f"{what}: {response.status_code}"
    if not getattr(response, "streaming", False):
        signature = unescaped_echo(response.content)
        assert signature is None, f"{what}: {signature!r} echoed unescaped"


def stored() -> tuple[int, int, int, int]:
    """What a submission leaves behind: inquiries, their e-mails, queued tasks, mails sent."""
    return (
        DonationInquiry.objects.count(),
        InquiryNotification.objects.count(),
        DBTaskResult.objects.count(),
        len(mail.outbox),
    )


# --- Query parameters ----------------------------------------------------------------------------


def test_every_public_url_is_listed_with_the_parameters_its_view_reads(seeded):
    # The list the tests below draw from: a public URL missing from it is a URL nobody attacks.
    paths = {url for url, _parameters in public_get_urls()}
    for name in ("home", "search", "opendata-index", "feed", "donations:donation-list"):
        assert reverse(name) in paths
    assert dict(public_get_urls())["/search/"] == ("q", "page")


@hostile_settings(max_examples=200)
@given(data=st.data())
def test_hostile_query_parameters_never_break_a_page(client, seeded, data):
    url, parameters = data.draw(st.sampled_from(public_get_urls()), label="url")
    url = in_language(url, data.draw(st.sampled_from(["ja", "en"]), label="language"))
    names = data.draw(
        st.lists(
            st.one_of(
                st.sampled_from(parameters + PARAMETERS_EVERY_PAGE_READS),
                hostile_text.map(percent_encode),
            ),
            min_size=1,
            max_size=3,
        ),
        label="names",
    )
    query = "&".join(f"{name}={data.draw(encoded_value, label=name)}" for name in names)
    response = client.get(f"{url}?{query}")
    assert_handled(response, f"GET {url}?{query[:200]}")


@hostile_settings(max_examples=40)
@given(payload=st.sampled_from(MARKUP_PAYLOADS), language=st.sampled_from(["ja", "en"]))
def test_a_search_for_markup_shows_it_as_text(client, seeded, payload, language):
    response = client.get(in_language("/search/", language), {"q": payload})
    assert response.status_code == 200
    assert unescaped_echo(response.content) is None


# --- Path segments -------------------------------------------------------------------------------


@hostile_settings(max_examples=60)
@given(
    template=st.sampled_from(
        [
            "/donations/application/{}/",
            "/donations/application/{}/pdf/",
            "/projects/{}/",
            "/projects/{}/factsheet.pdf",
            "/agreements/{}/",
        ]
    ),
    segment=st.one_of(hostile_text.map(percent_encode), encoded_value),
    language=st.sampled_from(["ja", "en"]),
)
def test_a_hostile_token_or_slug_is_not_found(client, seeded, template, segment, language):
    url = in_language(template.format(segment), language)
    response = client.get(url)
    assert_handled(response, f"GET {url[:200]}")
    # A link the city did not sign, a record that does not exist: nothing else to say.
    assert response.status_code == 404, url[:200]


# --- The inquiry form ----------------------------------------------------------------------------

# Every field of the form, and the 「住所を自動入力」 button's name.
INQUIRY_FIELDS = [*DonationInquiryForm.base_fields, "fill_address"]


def form_body(fields: dict[str, str]) -> str:
    """An application/x-www-form-urlencoded body; values given raw, sent as a client would
    (lone surrogates as invalid UTF-8)."""
    return "&".join(f"{percent_encode(name)}={percent_encode(v)}" for name, v in fields.items())


def post_form(client, url: str, fields: dict[str, str]):
    return client.post(url, form_body(fields), content_type="application/x-www-form-urlencoded")


@hostile_settings(max_examples=120)
@given(
    overrides=st.dictionaries(
        st.sampled_from(INQUIRY_FIELDS), hostile_text, min_size=1, max_size=4
    ),
    language=st.sampled_from(["ja", "en"]),
)
def test_hostile_inquiry_fields_are_refused_or_stored_once_as_valid(
    client, seeded, overrides, language
):
    before = stored()
    form_url, confirm_url = in_language(FORM, language), in_language(CONFIRM, language)
    response = post_form(client, form_url, valid_data() | overrides)
    assert_handled(response, f"POST {form_url} {overrides!r:.300}")
    if response.status_code != 302:
        # Refused: the form again (200), the honeypot's 400 — nothing kept anywhere.
        assert response.status_code in (200, 400)
        assert stored() == before
        event(f"refused with {response.status_code}")
        return
    assert response["Location"] == confirm_url
    confirmation = client.get(confirm_url)
    assert_handled(confirmation, f"GET {confirm_url} {overrides!r:.300}")
    assert stored() == before, "the 確認 step stores nothing"
    sent = client.post(confirm_url, {"send": "1"})
    assert_handled(sent, f"POST {confirm_url}")
    assert sent.status_code == 302
    inquiry = DonationInquiry.objects.order_by("-pk").first()
    assert DonationInquiry.objects.count() == before[0] + 1
    # What was stored is what the model accepts: no NUL, nothing too long, nothing malformed.
    inquiry.full_clean(exclude=["submission_token", "reference"])
    event("valid after all: stored once")
    thanks = client.get(sent["Location"])
    assert_handled(thanks, f"GET {sent['Location']}")
    # The next example starts a new inquiry, as another company would.
    client.session.flush()
    client.cookies.clear()


@hostile_settings(max_examples=40)
@given(
    body=st.dictionaries(
        st.sampled_from([*INQUIRY_FIELDS, "send"]), hostile_text, min_size=0, max_size=5
    ),
    with_draft=st.booleans(),
)
def test_the_confirm_step_stores_nothing_without_a_send_or_a_draft(
    client, seeded, body, with_draft
):
    client.cookies.clear()
    if with_draft:
        assert client.post(FORM, valid_data()).status_code == 302
    before = stored()
    response = post_form(client, CONFIRM, body)
    assert_handled(response, f"POST {CONFIRM} {body!r:.300}")
    if with_draft and "send" in body:
        # The draft was checked on the form; 「送信する」 sends it, whatever else came along.
        assert DonationInquiry.objects.count() == before[0] + 1
    else:
        assert response.status_code == 302
        assert response["Location"] == FORM
        assert stored() == before


@pytest.mark.parametrize("field", ["company_name", "department", "message", "representative"])
@pytest.mark.parametrize("payload", MARKUP_PAYLOADS[:4])
def test_markup_in_a_free_text_field_is_shown_as_text_at_every_step(client, seeded, field, payload):
    response = client.post(FORM, valid_data(**{field: f"株式会社{payload}"}))
    assert response.status_code == 302, response.content.decode()[:2000]
    confirmation = client.get(CONFIRM)
    assert confirmation.status_code == 200
    # Shown as the company typed it, as text.
    assert escape(f"株式会社{payload}") in confirmation.content.decode()
    assert unescaped_echo(confirmation.content) is None
    thanks = client.get(client.post(CONFIRM, {"send": "1"})["Location"])
    assert thanks.status_code == 200
    assert unescaped_echo(thanks.content) is None
    assert getattr(DonationInquiry.objects.get(), field) == f"株式会社{payload}"


# --- Methods -------------------------------------------------------------------------------------

WRONG_METHODS = ["POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PROPFIND"]


def test_a_wrong_method_on_any_public_url_is_405(client, seeded):
    wrong = []
    for url, _parameters in public_get_urls():
        for language in ("ja", "en"):
            for method in WRONG_METHODS:
                if method == "POST" and url in FORM_URLS:
                    continue
                response = client.generic(method, in_language(url, language))
                if response.status_code != 405:
                    wrong.append(f"{method} {in_language(url, language)}: {response.status_code}")
    assert not wrong, "\n".join(wrong)


# --- The admin's lists, as staff reach them ------------------------------------------------------


@hostile_settings(max_examples=40)
@given(
    model=st.sampled_from([Donation, DonationInquiry, Project]),
    name=st.sampled_from(["q", "p", "o", "status__exact", "fiscal_year", "e", "_to_field"]),
    value=encoded_value,
)
def test_hostile_parameters_on_an_admin_list_never_break_it(
    staff_client, seeded, model, name, value
):
    url = f"{admin_url(model, 'changelist')}?{name}={value}"
    response = staff_client.get(url)
    assert_handled(response, f"GET {url[:200]}")


@pytest.mark.parametrize("value", ["%00", "a%00b"])
def test_a_nul_in_an_admin_list_filter_is_a_bad_request(staff_client, seeded, value):
    # Found on PostgreSQL, which refuses NUL in text: the filter's value went into the list's
    # query and reading the list failed with a 500.
    for model in (DonationInquiry, Project):
        url = f"{admin_url(model, 'changelist')}?status__exact={value}"
        assert staff_client.get(url).status_code == 400, url
    # The same list without it still opens.
    assert staff_client.get(f"{admin_url(Project, 'changelist')}?status__exact=").status_code in (
        200,
        302,
    )
