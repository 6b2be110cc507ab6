"""Staff choose fiscal years from a list written 令和5年度（2023年度）, in every admin form with
a fiscal year, while the database keeps the whole number (core/fiscal_years.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import models

from core.fiscal_years import FiscalYearField, FiscalYearFormField, offered_fiscal_years
from donations.models import Donation
from projects.models import Project
from tests.admin_tools import admin_url, open_page, save_change_form
from tests.donations.factories import DonationFactory
from tests.projects.factories import ProjectFactory


def options(html: str, name: str) -> list[str]:
    """The option labels of the select called ``name``."""
    import re

    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select)]


@time_machine.travel(dt.datetime(2026, 3, 31, 12, tzinfo=dt.UTC), tick=False)
def test_the_list_runs_from_fy2016_to_five_years_after_the_current_one_newest_first():
    years = offered_fiscal_years()
    assert years[0] == 2025 + 5 and years[-1] == 2016  # 2026-03-31 is in FY2025
    assert years == sorted(years, reverse=True)


def test_the_select_writes_wareki_and_seireki_and_keeps_a_year_outside_the_list():
    field = FiscalYearFormField(required=False)
    html = field.widget.render("fiscal_year", 2012)
    assert "令和5年度（2023年度）" in html
    assert "令和元年度（2019年度）" in html
    assert '<option value="2012" selected>平成24年度（2012年度）</option>' in html
    assert "選択してください" in field.widget.render("fiscal_year", None)
    assert field.clean("2023") == 2023


def test_the_model_field_is_stored_and_migrated_as_a_plain_integer():
    field = FiscalYearField("年度", null=True)
    _name, path, _args, _kwargs = field.deconstruct()
    assert path == "django.db.models.PositiveSmallIntegerField"
    assert isinstance(field, models.PositiveSmallIntegerField)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "names"),
    [(Donation, ["fiscal_year"]), (Project, ["start_fiscal_year", "end_fiscal_year"])],
)
def test_admin_forms_offer_fiscal_years_in_wareki(staff_client, model, names):
    page = open_page(staff_client, admin_url(model, "add")).content.decode()
    for name in names:
        assert "令和5年度（2023年度）" in options(page, name)


@pytest.mark.django_db
def test_inline_forms_offer_them_too(staff_client):
    project = ProjectFactory()
    page = open_page(staff_client, admin_url(Project, "change", project.pk)).content.decode()
    # The funding inline's empty form (the template of a new row) has the list as well.
    assert "令和5年度（2023年度）" in options(page, "fundings-__prefix__-start_fiscal_year")


@pytest.mark.django_db
def test_a_fiscal_year_chosen_in_the_admin_is_saved(staff_client):
    donation = DonationFactory(fiscal_year=2023, receipt_number="")
    page = open_page(staff_client, admin_url(Donation, "change", donation.pk)).content.decode()
    assert '<option value="2023" selected>令和5年度（2023年度）</option>' in page
    # The date received moves with it: it must fall in the year (or its closing months).
    save_change_form(staff_client, donation, fiscal_year="2019", received_on="2019-10-01")
    donation.refresh_from_db()
    assert donation.fiscal_year == 2019
