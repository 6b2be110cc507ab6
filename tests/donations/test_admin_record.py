"""The Japanese admin for the public record of donations (donations/admin/record.py): every page
opens, and the donor, donation and award lists are searchable, filterable and totalled without
N+1 queries. The inquiries are in test_admin_inquiries.py and test_admin_inquiry_follow_up.py,
the receipts in test_receipts.py."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from donations.models import (
    Award,
    Donation,
    DonationApplication,
    DonationInquiry,
    DonationReceipt,
    Donor,
    DonorInterview,
    DonorLetter,
)
from tests.admin_tools import (
    admin_url,
    changelist_queries,
    open_every_filter_choice,
    open_its_pages,
    open_page,
    search,
)
from tests.projects.factories import ProjectFactory, VideoFactory

from .factories import AwardFactory, DonationFactory, DonorFactory

pytestmark = pytest.mark.django_db

RECORD = [Donor, Donation, Award]


@pytest.fixture
def objects() -> dict:
    """A donor with an interview, a donation to a project and an award for that project."""
    project = ProjectFactory(title_ja="第3世代波力発電", title_en="Third-generation wave power")
    donor = DonorFactory(name_ja="湘南海洋工業株式会社", name_en="Shonan Marine Industries")
    DonorInterview.objects.create(donor=donor, video=VideoFactory())
    return {
        Donor: donor,
        Donation: DonationFactory(donor=donor, receipt_number="R5-0001", projects=[project]),
        Award: AwardFactory(
            title_ja="地方創生担当大臣表彰", title_en="Minister's award", project=project
        ),
    }


# --- Registration and every page opening ---------------------------------------------------------


def test_every_donations_model_with_its_own_page_is_registered_with_history():
    registered = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "donations"
    }
    # Issued receipts and applications never change: each one records who issued it and when
    # (test_receipts.py, test_applications.py).
    frozen = {DonationReceipt, DonationApplication}
    assert set(registered) == {*RECORD, DonationInquiry, DonorLetter, *frozen}
    for model, model_admin in registered.items():
        if model in frozen:
            continue
        assert isinstance(model_admin, SimpleHistoryAdmin)
        # The tabbed variants load jQuery UI from a CDN; the site makes no external request.
        assert "Tabbed" not in "".join(cls.__name__ for cls in type(model_admin).__mro__)
        assert isinstance(model_admin, TranslationAdmin) == (model in (Donor, Award, DonorLetter))


@pytest.mark.parametrize("model", RECORD, ids=lambda m: m.__name__)
def test_changelist_add_change_and_history_pages_open(staff_client, objects, model):
    changelist, _change = open_its_pages(staff_client, objects[model])
    shown = {
        Donor: "湘南海洋工業株式会社",
        Donation: "R5-0001",
        Award: "地方創生担当大臣表彰",
    }
    assert shown[model] in changelist


def test_translated_models_are_edited_in_both_languages(staff_client, objects):
    for model in (Donor, Award):
        page = open_page(staff_client, admin_url(model, "change", objects[model].pk))
        assert "（日本語）" in page.content.decode() and "（英語）" in page.content.decode()


# --- Search and filters --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "terms"),
    [
        (Donor, ["湘南海洋工業", "Shonan Marine"]),
        (Donation, ["湘南海洋工業", "R5-0001"]),
        (Award, ["大臣表彰", "Minister"]),
    ],
    ids=["donor", "donation", "award"],
)
def test_search_finds_the_object(staff_client, objects, model, terms):
    obj = objects[model]
    for term in terms:
        assert search(staff_client, model, term) == [obj], term
    assert search(staff_client, model, "該当なし") == []


@pytest.mark.parametrize("model", RECORD, ids=lambda m: m.__name__)
def test_every_filter_choice_opens(staff_client, objects, model):
    filters, choices = open_every_filter_choice(staff_client, model)
    assert choices > filters


def test_fiscal_years_are_offered_and_labelled_in_wareki(staff_client):
    wanted = DonationFactory(fiscal_year=2019)
    DonationFactory(fiscal_year=2023)
    url = admin_url(Donation, "changelist")
    page = open_page(staff_client, url).content.decode()
    assert "令和元年度（2019年度）" in page and "令和5年度（2023年度）" in page
    assert list(open_page(staff_client, f"{url}?fiscal_year=2019").context["cl"].result_list) == [
        wanted
    ]
    assert open_page(staff_client, f"{url}?fiscal_year=abc").context["cl"].result_count == 0


def test_donors_and_projects_are_offered_by_autocomplete(staff_client, objects):
    for field_name, term, text in [
        ("donor", "湘南海洋", "湘南海洋工業株式会社"),
        ("projects", "第3世代", "第3世代波力発電"),
    ]:
        response = staff_client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "donations",
                "model_name": "donation",
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200
        assert [r["text"] for r in response.json()["results"]] == [text]


# --- What the lists show -------------------------------------------------------------------------


def test_donation_list_shows_wareki_yen_and_the_total_of_the_filtered_rows(staff_client):
    for amount in [50_000_000, 3_000_000, 1_500_000, 1_000_000, 1_000_000]:
        DonationFactory(fiscal_year=2023, amount=amount)
    DonationFactory(fiscal_year=2022, amount=2_400_000)
    url = admin_url(Donation, "changelist")

    page = open_page(staff_client, f"{url}?fiscal_year=2023").content.decode()
    assert "表示中の寄附：5件 合計 56,500,000円" in page
    assert "令和5年度（2023年度）" in page
    assert "50,000,000円" in page

    page = open_page(staff_client, url).content.decode()
    assert "表示中の寄附：6件 合計 58,900,000円" in page

    page = open_page(staff_client, f"{url}?q=該当なし").content.decode()
    assert "表示中の寄附：0件 合計 0円" in page


def test_donor_list_counts_and_totals_the_donations(staff_client):
    donor = DonorFactory()
    DonationFactory(donor=donor, amount=2_000_000)
    DonationFactory(donor=donor, amount=400_000, fiscal_year=2024)
    without = DonorFactory()
    anonymous = DonorFactory(name_ja="", name_en="", is_anonymous=True)
    DonationFactory(donor=anonymous)
    response = open_page(staff_client, admin_url(Donor, "changelist"))
    rows = {row.pk: row for row in response.context["cl"].result_list}
    assert (rows[donor.pk].donation_count, rows[donor.pk].donation_total) == (2, 2_400_000)
    assert (rows[without.pk].donation_count, rows[without.pk].donation_total) == (0, None)
    page = response.content.decode()
    assert "2,400,000円" in page and "0円" in page
    assert "匿名（法人）" in page


def test_list_queries_do_not_grow_with_rows_for_donors_and_donations(staff_client):
    def make():
        donor = DonorFactory()
        DonationFactory(donor=donor, projects=[ProjectFactory()])
        AwardFactory(project=ProjectFactory())

    make()
    before = {model: changelist_queries(staff_client, model) for model in (Donor, Donation, Award)}
    for _ in range(5):
        make()
    assert {
        model: changelist_queries(staff_client, model) for model in (Donor, Donation, Award)
    } == before
