"""The public record of donations: how corporate hometown-tax donation works, the donations
the city received by fiscal year, the donors' interviews and the award."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from core.by_fiscal_year import is_plausible_fiscal_year
from core.japanese import fiscal_year_label
from core.models import SiteProfile
from core.pdf import pdf_filename, pdf_response
from core.updates import last_updated
from projects.models import Funding, FundingSource, Project

from .models import MINIMUM_CORPORATE_DONATION, Award, Donation, Donor, DonorInterview
from .records import DONORS_SHOWN_PER_YEAR, donation_record, record_totals
from .tax import RATES, TaxExampleForm, approximate, tax_relief_example

# The project the city raises donations for (the seed: 第3世代波力発電を平塚海域に設置するため).
RECRUITING_PROJECT_SLUG = "wave-power-3rd-generation"


@require_safe
def donation_list(request: HttpRequest) -> HttpResponse:
    form = TaxExampleForm(request.GET if "amount" in request.GET else None)
    example = (
        approximate(tax_relief_example(form.cleaned_data["amount"])) if form.is_valid() else None
    )
    totals = record_totals(Donation.objects.all())
    return render(
        request,
        "donations/donation_list.html",
        {
            # Every year's total for the chart; the first donors of the latest years only,
            # under each year's whole subtotal.
            "totals": totals,
            "record": donation_record(
                Donation.objects.for_public_table()
                .filter(fiscal_year__in=totals.latest_years())
                .first_of_each_fiscal_year(DONORS_SHOWN_PER_YEAR),
                Project.objects.supported_by_donations(),
                totals=totals,
            ),
            "interviews": DonorInterview.objects.public().select_related("video"),
            "awards": Award.objects.public().select_related("project"),
            "recruiting_project": Project.objects.public()
            .filter(slug=RECRUITING_PROJECT_SLUG)
            .first(),
            "form": form,
            "example": example,
            "rates": RATES,
            "minimum_amount": MINIMUM_CORPORATE_DONATION,
            "last_fiscal_year": settings.CORPORATE_HOMETOWN_TAX_LAST_FISCAL_YEAR,
            "breadcrumbs": [(_("企業版ふるさと納税・寄附"), None)],
            "last_updated": last_updated(Donation, Donor, DonorInterview, Award, Funding),
        },
    )


@require_safe
def donation_year(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    """The donors and amounts of one fiscal year, with the year's published total."""
    if not is_plausible_fiscal_year(fiscal_year):
        raise Http404(_("その年度の寄附実績はありません。"))
    record = donation_record(Donation.objects.for_public_table().for_fiscal_year(fiscal_year))
    if not record.years:
        raise Http404(_("その年度の寄附実績はありません。"))
    return render(
        request,
        "donations/donation_year.html",
        {
            "fiscal_year": fiscal_year,
            "record": record,
            "year": record.years[0],
            "other_years": [
                year.fiscal_year
                for year in reversed(record_totals(Donation.objects.all()).years)
                if year.fiscal_year != fiscal_year
            ],
            "breadcrumbs": [
                (_("企業版ふるさと納税・寄附"), reverse("donations:donation-list")),
                (fiscal_year_label(fiscal_year), None),
            ],
            "last_updated": last_updated(Donation, Donor, Funding),
        },
    )


@require_safe
def donation_report(request: HttpRequest) -> HttpResponse:
    """The donation record as a PDF: the same table as the page, the same publish rules."""
    return pdf_response(
        request,
        name="donation-report",
        models=[Donation, Donor, Project, Funding, FundingSource, SiteProfile],
        template_name="pdf/donation_report.html",
        context=lambda: {
            "record": donation_record(
                Donation.objects.for_public_table(), Project.objects.supported_by_donations()
            )
        },
        filename=pdf_filename(pgettext("PDF file name", "平塚市_寄附実績")),
        ascii_filename="hiratsuka-donation-record.pdf",
    )
