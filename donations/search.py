"""What the donations app adds to the site search: the donors the public record names."""

from __future__ import annotations

from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core import search
from core.search import Source, fiscal_year_text, joined, listed, other_names

from .models import Donation, Donor
from .records import year_page_url


def _donors() -> models.QuerySet[Donor]:
    # Each donor with the years of its donations that name it, for the snippet.
    return Donor.objects.publicly_named().prefetch_related(
        Prefetch(
            "donations",
            queryset=Donation.objects.naming_the_donor().order_by("fiscal_year", "pk"),
            to_attr="public_donations",
        )
    )


def _donor_years(donor: Donor) -> str:
    years = sorted({donation.fiscal_year for donation in donor.public_donations})
    return _("寄附の年度：%(years)s") % {"years": listed([fiscal_year_text(y) for y in years])}


def _donor_url(donor: Donor) -> str:
    # The page of the latest year that names the donor: /donations/ shows only recent years.
    latest = max(donation.fiscal_year for donation in donor.public_donations)
    return year_page_url(latest)


search.register(
    Source(
        key="donors",
        label=pgettext_lazy("search result kind", "寄附者"),
        # A company's other names (its former or present name) find it too: LINEヤフー finds
        # ヤフー株式会社, the name the public record gives.
        fields=("name",),
        shared_fields=("aliases",),
        queryset=_donors,
        title=lambda donor: donor.name,
        url=_donor_url,
        context=lambda donor: [joined(_donor_years(donor), other_names(donor.aliases))],
        meta=lambda donor: donor.get_kind_display(),
    ),
)
