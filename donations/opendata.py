"""The donations app's open data: the donation record as donations.csv and donations.json.

Both read the record exactly as the public table does: a donor's name (and 法人番号) only when the
donor agreed to its publication and is not anonymous, an amount only when its publication was
agreed, and only unpublished-free totals."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core import opendata
from core.japanese import fiscal_year_wareki
from core.opendata import CHOICE, Field, Publication, choice, in_both_languages, translated
from projects.models import Funding, FundingSource, Project
from projects.opendata import project_reference

from .models import Donation, Donor, Scheme

# The same sentence as the donations page: a statement about the record as a whole.
SUPPORTED_PROJECTS_STATEMENT = _(
    "これまで、複数年にわたり多くの寄附をいただき、次の取組みが行われています。"
)


class DonationsCsv(opendata.CsvDataset):
    filename = "donations.csv"
    position = 10
    title = _("寄附実績（CSV）")
    description = _(
        "平塚市が受け入れた企業版ふるさと納税等の寄附の一覧です。1行が1件の寄附です。"
        "デジタル庁の推奨データセットの形式にならっています。"
    )
    fields = (
        Field("全国地方公共団体コード", _("平塚市の全国地方公共団体コード（142034）"), True),
        Field("ID", _("寄附を識別する番号（変わりません）")),
        Field("地方公共団体名", _("平塚市"), True),
        Field("年度（西暦）", _("寄附を受け入れた年度（4月〜翌年3月）の西暦（例：2021）"), True),
        Field("年度（和暦）", _("同じ年度の和暦（例：令和3年度）"), True),
        Field(
            "寄附者名",
            _("寄附者の名称。公表に同意いただいていない場合と匿名の場合は空欄"),
            True,
        ),
        Field(
            "法人番号",
            _("寄附者の法人番号（13桁）。分からない場合と寄附者名が空欄の場合は空欄"),
            True,
        ),
        Field(
            "寄附金額（円）", _("寄附金額（円、整数）。公表に同意いただいていない場合は空欄"), True
        ),
        Field(
            "活用先の取組み",
            _(
                "この寄附の活用先として市が記録した取組みの名称。複数ある場合は半角セミコロン（;）で"
                "区切ります。寄附ごとの活用先を記録していない寄附は空欄です（寄附全体で支えた"
                "取組みは寄附実績のページとdonations.jsonのsupported_projectsにあります）"
            ),
            True,
        ),
        Field("制度", _("企業版ふるさと納税 または その他の寄附"), True),
    )
    models = (Donation, Donor, Project)
    # Nothing in the file names this site: one copy serves every host.
    absolute_urls = False

    def render(self, publication: Publication) -> bytes:
        rows = (
            (
                opendata.MUNICIPALITY_CODE,
                donation.pk,
                opendata.MUNICIPALITY_NAME,
                donation.fiscal_year,
                fiscal_year_wareki(donation.fiscal_year),
                donation.donor.name_ja if donation.shows_donor_name else "",
                donation.donor.corporate_number if donation.shows_donor_name else "",
                donation.amount if donation.publish_amount else "",
                opendata.MULTIPLE_VALUES_SEPARATOR.join(
                    project.title_ja for project in donation.published_projects
                ),
                opendata.japanese_label(Scheme, donation.scheme),
            )
            for donation in Donation.objects.for_public_table()
        )
        return opendata.csv_bytes([field.name for field in self.fields], rows)


def donor_entry(donation: Donation) -> dict[str, Any]:
    donor = donation.donor
    if donation.shows_donor_name:
        disclosure, label = "published", pgettext_lazy("donor disclosure", "公表")
    elif donor.is_anonymous:
        disclosure, label = "anonymous", pgettext_lazy("donor disclosure", "匿名")
    else:
        disclosure, label = "withheld", pgettext_lazy("donor disclosure", "非公表")
    named = disclosure == "published"
    return {
        "disclosure": {"code": disclosure, "label": in_both_languages(label)},
        "name": translated(donor, "name") if named else None,
        # The page tells an anonymous donor's kind (匿名（個人）), never a withheld one's.
        "kind": choice(Donor.Kind, donor.kind) if disclosure != "withheld" else None,
        "corporate_number": (donor.corporate_number or None) if named else None,
    }


class DonationsJson(opendata.JsonDataset):
    filename = "donations.json"
    position = 20
    title = _("寄附実績（JSON）")
    description = _(
        "寄附実績のCSVと同じ寄附を、年度ごとの公表額の合計、活用先の取組みのURLとともに"
        "収めたJSONです。"
    )
    fields = (
        Field("id", _("寄附を識別する番号（CSVのIDと同じ）")),
        Field("fiscal_year / fiscal_year_wareki", _("年度の西暦と和暦")),
        Field(
            "donor",
            _(
                "寄附者：disclosure（published＝公表、anonymous＝匿名、withheld＝非公表）、"
                "name、kind、corporate_number。公表されない項目はnull"
            ),
        ),
        Field(
            "amount / amount_published", _("寄附金額（円）と、その公表の有無。非公表の金額はnull")
        ),
        Field("scheme", CHOICE),
        Field(
            "projects",
            _(
                "この寄附の活用先として市が記録した取組み：id、slug、title、url。"
                "寄附ごとの活用先を記録していない寄附は空の配列です"
            ),
        ),
        Field(
            "supported_projects",
            _(
                "寄附全体で支えた取組み：statement（市の説明）とprojects（id、slug、title、url）。"
                "個々の寄附の活用先を示すものではありません"
            ),
        ),
        Field("fiscal_years", _("年度ごとの件数と公表額の合計（非公表の金額は含みません）")),
    )
    models = (Donation, Donor, Project, Funding, FundingSource)
    source_page = "donations:donation-list"

    def items(self, publication: Publication) -> list[dict[str, Any]]:
        return [
            {
                "id": donation.pk,
                "fiscal_year": donation.fiscal_year,
                "fiscal_year_wareki": fiscal_year_wareki(donation.fiscal_year),
                "donor": donor_entry(donation),
                "amount": donation.amount if donation.publish_amount else None,
                "amount_published": donation.publish_amount,
                "scheme": choice(Scheme, donation.scheme),
                "projects": [
                    project_reference(project, publication)
                    for project in donation.published_projects
                ],
            }
            for donation in Donation.objects.for_public_table()
        ]

    def extra(self, items: list[dict[str, Any]], publication: Publication) -> dict[str, Any]:
        years: dict[int, dict[str, Any]] = {}
        for item in items:
            year = years.setdefault(
                item["fiscal_year"],
                {
                    "fiscal_year": item["fiscal_year"],
                    "fiscal_year_wareki": item["fiscal_year_wareki"],
                    "donations": 0,
                    "published_total": 0,
                    "has_unpublished_amounts": False,
                },
            )
            year["donations"] += 1
            # Unpublished amounts stay out of every total: anyone could subtract the others.
            if item["amount_published"]:
                year["published_total"] += item["amount"]
            else:
                year["has_unpublished_amounts"] = True
        fiscal_years = [years[key] for key in sorted(years)]
        return {
            "published_total": sum(year["published_total"] for year in fiscal_years),
            "fiscal_years": fiscal_years,
            "supported_projects": {
                "statement": in_both_languages(SUPPORTED_PROJECTS_STATEMENT),
                "projects": [
                    project_reference(project, publication)
                    for project in Project.objects.supported_by_donations()
                ],
            },
        }


opendata.register(DonationsCsv())
opendata.register(DonationsJson())
