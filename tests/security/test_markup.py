"""Every form says where it is sent, and every data table tells a screen reader which headers each
cell has (issue 14, point 6): on every public page in both languages, on the PDF reports' HTML,
and on the admin pages staff use most. The rules are in ``markup_tools``."""

from __future__ import annotations

import pytest
from django.urls import reverse

from agreements.models import Agreement
from core import pdf
from donations.admin.pledges import record_donation_url
from donations.models import Donation, DonationInquiry, InquiryStatus
from projects.models import Project
from tests.admin_tools import admin_url
from tests.donations.factories import DonationInquiryFactory
from tests.donations.inquiry_tools import CONFIRM, FORM, valid_data

from .markup_tools import PageMarkup, form_problems, table_problems
from .public_urls import in_language, public_get_urls

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def problems_of(html: str, where: str) -> list[str]:
    markup = PageMarkup(html)
    found = [problem for form in markup.forms for problem in form_problems(form)]
    found += [problem for table in markup.tables for problem in table_problems(table)]
    return [f"{where}: {problem}" for problem in found]


def html_pages(client, urls) -> dict[str, str]:
    pages = {}
    for url in urls:
        response = client.get(url)
        if response.get("Content-Type", "").startswith("text/html"):
            pages[url] = response.content.decode()
    return pages


def test_the_rules_catch_what_a_screen_reader_would_miss():
    # Each rule, on the smallest table that breaks it, so a passing page means something.
    bad = PageMarkup(
        """
        <form method="get" action=""></form><form method="post"></form>
        <form action="/search/"></form>
        <table><caption>no scope</caption><tr><th>年度</th><td>1</td></tr></table>
        <table><caption>no row header</caption>
          <thead><tr><th scope="col">寄附者</th><th scope="col">金額</th></tr></thead>
          <tbody><tr><th scope="row">A社</th><td>100万円</td></tr>
                 <tr><td>B社</td><td>200万円</td></tr></tbody></table>
        <table><caption>two levels</caption>
          <thead><tr><th scope="col">寄附者</th><th scope="col">金額</th></tr></thead>
          <tbody><tr><th scope="rowgroup" colspan="2">令和5年度</th></tr>
                 <tr><th scope="row">A社</th><td>100万円</td></tr></tbody></table>
        """
    )
    assert [form_problems(form) for form in bad.forms] == [
        ["form: empty action"],
        ["form: no action"],
        [],
    ]
    problems = [table_problems(table) for table in bad.tables]
    assert problems[0] == ["table 'no scope': <th> '年度' (row 1) has no scope"]
    assert problems[1] == [
        "table 'no row header': <td> 'B社' (row 3) has no row header",
        "table 'no row header': <td> '200万円' (row 3) has no row header",
    ]
    assert len(problems[2]) == 3  # no column, row or year named in headers
    good = PageMarkup(
        """
        <table><caption>two levels</caption>
          <thead><tr><th id="d" scope="col">寄附者</th><th id="a" scope="col">金額</th></tr></thead>
          <tbody><tr><th id="y" scope="rowgroup" colspan="2">令和5年度</th></tr>
                 <tr><th id="r" scope="row">A社</th><td headers="a y r">100万円</td></tr></tbody>
        </table>"""
    )
    assert table_problems(good.tables[0]) == []


@pytest.mark.slow
def test_every_public_page_has_valid_forms_and_tables_in_both_languages(client, seeded):
    urls = [url for url, _parameters in public_get_urls()]
    urls += [
        # The worked example's table appears only once an amount is asked for.
        f"{reverse('donations:donation-list')}?amount=1000000",
        "/no-such-page/",
    ]
    pages = {}
    for language in ("ja", "en"):
        pages |= html_pages(client, [in_language(url, language) for url in urls])
        # The inquiry's 確認 and 完了 pages: only a company in the middle of one sees them.
        assert client.post(in_language(FORM, language), valid_data()).status_code == 302
        pages |= html_pages(client, [in_language(CONFIRM, language)])
        sent = client.post(in_language(CONFIRM, language), {"send": "1"})
        pages |= html_pages(client, [sent["Location"]])
    assert len(pages) > 30
    assert any("donation-table" in html for html in pages.values()), "the record is on a page"
    problems = [problem for url, html in pages.items() for problem in problems_of(html, url)]
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_the_reports_pdfs_are_made_from_html_whose_tables_have_headers(client, seeded, monkeypatch):
    # The PDF's tags come from its HTML: a table correct there is tagged with its headers.
    rendered = []
    real = pdf.html_to_pdf

    def keeping_the_html(html, **kwargs):
        rendered.append(html)
        return real(html, **kwargs)

    monkeypatch.setattr(pdf, "html_to_pdf", keeping_the_html)
    project = Project.objects.public().order_by("pk").first()
    for url in [
        reverse("donations:report"),
        reverse("agreements:report"),
        reverse("projects:factsheet", args=[project.slug]),
    ]:
        assert client.get(url).status_code == 200
    assert len(rendered) == 3
    assert "donation-table" in rendered[0]
    problems = [p for html in rendered for p in problems_of(html, "PDF")]
    assert not problems, "\n".join(problems)


def test_the_admin_pages_staff_use_have_valid_forms_and_tables(staff_client, seeded):
    donation = Donation.objects.order_by("pk").first()
    agreement = Agreement.objects.order_by("pk").first()
    inquiry = DonationInquiryFactory(status=InquiryStatus.PLEDGED)
    urls = [
        reverse("admin:index"),
        reverse("admin:password_change"),
        reverse("admin:auth_user_changelist"),
        admin_url(Donation, "changelist"),
        admin_url(Donation, "add"),
        admin_url(Donation, "change", donation.pk),
        admin_url(Donation, "history", donation.pk),
        admin_url(Donation, "delete", donation.pk),
        admin_url(DonationInquiry, "changelist"),
        admin_url(DonationInquiry, "change", inquiry.pk),
        record_donation_url(inquiry),
        admin_url(Project, "changelist"),
        admin_url(Agreement, "change", agreement.pk),
    ]
    pages = html_pages(staff_client, urls)
    assert len(pages) == len(urls)
    problems = [problem for url, html in pages.items() for problem in problems_of(html, url)]
    assert not problems, "\n".join(problems)
