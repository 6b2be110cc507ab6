"""What the donations app adds to the site search (donations/search.py): the donors the public
record names — and never one whose name is not to be published."""

from __future__ import annotations

import pytest

from donations.models import Donor
from tests.core.search_tools import (
    assert_leads_to_its_section,
    group,
    plain,
    result_links,
    result_titles,
    search,
)

from .factories import DonationFactory, DonorFactory

# Every test here runs on the seed, loaded once for the module (tests/conftest.py: module_seed).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("module_seed")]


def test_published_donor_is_found_by_name(client, seeded):
    donors = group(search(client, "ヤフー"), "donors")
    assert '<a href="/donations/2022/#record-heading"><mark>ヤフー</mark>株式会社</a>' in donors
    assert "寄附の年度：" in donors


def test_a_donor_leads_to_the_record_of_its_latest_year(client, seeded):
    found = result_links(group(search(client, "ヤフー"), "donors"))
    # The page of its latest year, where the table names it (/donations/ shows recent years).
    assert found == {"ヤフー株式会社": "/donations/2022/#record-heading"}
    assert_leads_to_its_section(client, found["ヤフー株式会社"])


def test_a_donor_renders_in_english(client, seeded):
    assert group(search(client, "Yahoo", prefix="/en"), "donors")


def test_donor_whose_name_is_not_published_is_never_found(client, seeded):
    hidden = DonationFactory(
        publish_name=False,
        donor__name_ja="非公表テスト商事株式会社",
        donor__name_en="Unpublished Test Trading Co.",
    ).donor
    anonymous = Donor.objects.create(
        kind=Donor.Kind.COMPANY,
        is_anonymous=True,
        name_ja="匿名希望テスト工業株式会社",
        name_en="Anonymous Test Industries",
    )
    DonationFactory(donor=anonymous, publish_name=True)
    visible = DonationFactory(donor__name_ja="掲載テスト商事株式会社").donor

    page = plain(search(client, "テスト"))
    assert "掲載テスト商事株式会社" in page  # the search does look at donors
    for donor in (hidden, anonymous):
        assert donor.name_ja not in page
        for part in (donor.name_ja[:5], donor.name_ja, donor.name_en.split()[0]):
            for prefix in ("", "/en"):
                assert not group(search(client, part, prefix=prefix), "donors"), part
    assert result_titles(group(search(client, "掲載テスト"), "donors")) == [visible.name_ja]


def test_donor_with_one_published_donation_is_found(client, seeded):
    donor = DonorFactory(name_ja="一部公表テスト株式会社")
    DonationFactory(donor=donor, publish_name=False, fiscal_year=2023)
    DonationFactory(donor=donor, publish_name=True, fiscal_year=2024)
    donors = group(search(client, "一部公表"), "donors")
    assert result_titles(donors) == ["一部公表テスト株式会社"]  # once, not once per donation
    assert "令和6年度（2024年度）" in donors and "2023" not in donors
    # It leads to the year whose table names it, not to one where its name is 非公表.
    assert result_links(donors) == {"一部公表テスト株式会社": "/donations/2024/#record-heading"}


@pytest.mark.parametrize(
    "query", ["LINEヤフー", "LINEヤフー株式会社", "ＬＩＮＥヤフー", "lineヤフー", "LINEﾔﾌｰ"]
)
def test_a_donors_present_name_finds_it_under_the_name_the_record_gives(client, seeded, query):
    # ヤフー株式会社 donated in FY2021 and FY2022; the company is now LINEヤフー株式会社.
    donors = group(search(client, query), "donors")
    assert result_links(donors) == {"ヤフー株式会社": "/donations/2022/#record-heading"}
    # The snippet gives the years of its donations and the name that matched, highlighted.
    assert "寄附の年度：" in donors
    assert "ほかの名称：<mark>LINEヤフー" in donors


@pytest.mark.parametrize("query", ["LY Corporation", "LINEヤフー"])
def test_a_donors_other_names_find_it_in_english(client, seeded, query):
    # Names are names in any script: the English page finds them too.
    donors = group(search(client, query, prefix="/en"), "donors")
    assert result_titles(donors) == ["Yahoo Japan Corporation"]
    assert "Other names: " in plain(donors)
    assert query in plain(donors) and "<mark>" in donors


def test_an_anonymous_donors_other_names_are_never_searched(client, seeded):
    anonymous = Donor.objects.create(
        kind=Donor.Kind.COMPANY,
        is_anonymous=True,
        name_ja="匿名別名テスト株式会社",
        aliases="旧社名別名テスト",
    )
    DonationFactory(donor=anonymous, publish_name=True)
    assert not group(search(client, "旧社名別名テスト"), "donors")


def test_staff_enter_other_names_on_the_donor_form(staff_client, seeded):
    donor = Donor.objects.get(name_ja="ヤフー株式会社")
    html = staff_client.get(f"/admin/donations/donor/{donor.pk}/change/").content.decode()
    assert 'name="aliases"' in html
    assert "LINEヤフー株式会社\nLY Corporation</textarea>" in html
    assert "1行に1つ" in html  # the help text says how to enter them
