"""Open data: the portal's public records as files anyone may reuse (DESIGN.md §5, /opendata/).

Each builder is a pure function from records to bytes: it reads what it is given (the querysets
below say what to fetch, in a fixed number of queries) and never the clock, so the same data
gives the same bytes, byte for byte. That is what lets the views cache a file per data version and
answer revalidations with 304 (``core.caching``).

The files follow the publishing rules of the public pages: only published projects, agreements
and research groups; a donor's name (and 法人番号) only when the donor agreed to its publication
and is not anonymous; an amount only when its publication was agreed.

* ``donations.csv`` follows the Digital Agency's 推奨データセット (自治体標準オープンデータセット)
  conventions: a Japanese header row, the municipality code and name on every row, UTF-8 with a
  BOM (so that Excel opens it right), CRLF line ends, plain integers, empty cells for unknowns
  and ``;`` between the values of a cell that holds several.
* The JSON files carry their metadata (title, licence, publisher, how to credit) beside the
  items; translated fields come as ``{"ja": ..., "en": ...}`` whatever the language of the URL.
* ``meetings.ics`` is an iCalendar (RFC 5545) calendar of the research group's meetings.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementEvent,
    Article,
    FocusArea,
)
from core.japanese import fiscal_year_wareki
from donations.models import Donation, Donor, Scheme
from projects.models import (
    Funding,
    FundingSource,
    Meeting,
    Milestone,
    Organization,
    Outcome,
    Participation,
    Project,
    ResearchGroup,
    Theme,
)

MUNICIPALITY_CODE = "142034"  # 全国地方公共団体コード of 平塚市 (with its check digit)
MUNICIPALITY_NAME = "平塚市"
TOKYO = ZoneInfo("Asia/Tokyo")
LANGUAGES = ("ja", "en")

LICENCE_NAME = _("公共データ利用規約（第1.0版）")
LICENCE_SHORT_NAME = "PDL1.0"
LICENCE_URL = "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
LICENCE_URL_EN = "https://www.digital.go.jp/en/resources/open_data/public_data_license_v1.0"
CC_BY_NAME = "CC BY 4.0"
CC_BY_URL = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = _("平塚市")
SOURCE_NAME = _("平塚市 知的対流推進事業ポータル")

PRODID = "-//Hiratsuka City//Intellectual Convection Portal Open Data//EN"
# The 推奨データセット's file names begin with the municipality code.
CSV_FILENAME = f"{MUNICIPALITY_CODE}_donations.csv"
MULTIPLE_VALUES_SEPARATOR = ";"

DONATIONS_CSV_HEADER = (
    "全国地方公共団体コード",
    "ID",
    "地方公共団体名",
    "年度（西暦）",
    "年度（和暦）",
    "寄附者名",
    "法人番号",
    "寄附金額（円）",
    "活用先の取組み",
    "制度",
)


# --- The catalogue: what each file holds (the index page and the views read it) ----------------


@dataclass(frozen=True)
class Field:
    """A column of a CSV file, a key of a JSON item or a property of a calendar event."""

    name: str
    description: Promise
    # The CSV header is Japanese in every language; the index page marks it lang="ja".
    japanese_name: bool = False


@dataclass(frozen=True)
class Dataset:
    filename: str
    url_name: str
    title: Promise
    description: Promise
    format: str
    media_type: str
    encoding: Promise
    fields: tuple[Field, ...]
    # The records the file is built from: its version, and so its ETag, follows theirs.
    models: tuple[type[models.Model], ...]
    download_filename: str
    as_attachment: bool
    fields_caption: Promise


_TRANSLATED = _('日本語と英語（{"ja": …, "en": …}）')
_CHOICE = _('コードと日本語・英語の表示名（{"code": …, "label": {…}}）')

DONATIONS_CSV = Dataset(
    filename="donations.csv",
    url_name="opendata-donations-csv",
    title=_("寄附実績（CSV）"),
    description=_(
        "平塚市が受け入れた企業版ふるさと納税等の寄附の一覧です。1行が1件の寄附です。"
        "デジタル庁の推奨データセットの形式にならっています。"
    ),
    format="CSV",
    media_type="text/csv; charset=utf-8; header=present",
    encoding=_("UTF-8（BOM付き）、改行はCRLF、1行目は項目名"),
    fields=(
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
            _("寄附を活用した取組みの名称。複数ある場合は半角セミコロン（;）で区切ります"),
            True,
        ),
        Field("制度", _("企業版ふるさと納税 または その他の寄附"), True),
    ),
    models=(Donation, Donor, Project),
    download_filename=CSV_FILENAME,
    as_attachment=True,
    fields_caption=_("donations.csv の項目"),
)

DONATIONS_JSON = Dataset(
    filename="donations.json",
    url_name="opendata-donations-json",
    title=_("寄附実績（JSON）"),
    description=_(
        "寄附実績のCSVと同じ寄附を、年度ごとの公表額の合計、活用先の取組みのURLとともに"
        "収めたJSONです。"
    ),
    format="JSON",
    media_type="application/json",
    encoding=_("UTF-8（BOMなし）"),
    fields=(
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
        Field("scheme", _CHOICE),
        Field("projects", _("活用先の取組み：id、slug、title、url")),
        Field("fiscal_years", _("年度ごとの件数と公表額の合計（非公表の金額は含みません）")),
    ),
    models=(Donation, Donor, Project),
    download_filename=f"{MUNICIPALITY_CODE}_donations.json",
    as_attachment=False,
    fields_caption=_("donations.json の項目"),
)

PROJECTS_JSON = Dataset(
    filename="projects.json",
    url_name="opendata-projects-json",
    title=_("研究開発プロジェクト（JSON）"),
    description=_(
        "公開中の研究開発プロジェクトの一覧です。状況、期間、研究テーマ、参加組織と役割、"
        "財源、マイルストーン、成果を収めています。"
    ),
    format="JSON",
    media_type="application/json",
    encoding=_("UTF-8（BOMなし）"),
    fields=(
        Field("id / slug / url", _("プロジェクトの番号、URLに使う名前、このサイトのページ")),
        Field("title / summary / description", _TRANSLATED),
        Field("status", _CHOICE),
        Field("period", _("開始年度と終了年度（西暦と和暦）。未定の場合はnull")),
        Field("themes", _("研究テーマ")),
        Field("organizations", _("参加組織：名称、種別、法人番号、市内か、役割")),
        Field("funding", _("財源：名称、種別、提供元、期間、備考")),
        Field("milestones", _("マイルストーン：内容、日付または年度、予定かどうか")),
        Field("outcomes", _("成果：種類、内容、年度、関わった組織")),
    ),
    models=(
        Project,
        Theme,
        Organization,
        Participation,
        Funding,
        FundingSource,
        Milestone,
        Outcome,
    ),
    download_filename=f"{MUNICIPALITY_CODE}_projects.json",
    as_attachment=False,
    fields_caption=_("projects.json の項目"),
)

AGREEMENTS_JSON = Dataset(
    filename="agreements.json",
    url_name="opendata-agreements-json",
    title=_("東京大学生産技術研究所との協定（JSON）"),
    description=_(
        "平塚市と東京大学生産技術研究所の連携協力協定です。締結者、締結日と期間、状況、"
        "目的、協定の内容（各条）、経緯を収めています。"
    ),
    format="JSON",
    media_type="application/json",
    encoding=_("UTF-8（BOMなし）"),
    fields=(
        Field("id / slug / url", _("協定の番号、URLに使う名前、このサイトのページ")),
        Field("title / purpose / background / future_scope / plan_context", _TRANSLATED),
        Field("status", _("状況（発効前・締結中・終了）。日付から求めた、取得した日の状況")),
        Field("signed_on / in_force_from / in_force_until", _("締結日、効力の発生日、終了日")),
        Field("parties", _("締結者")),
        Field("focus_areas", _("協定の目指す姿")),
        Field("articles", _("協定の内容：番号、条文、想定する事業等、関連するプロジェクト")),
        Field("supersedes / superseded_by", _("引き継いだ協定と、引き継がれた協定（id、slug）")),
        Field("events", _("経緯：日付、種類、内容、資料")),
        Field("documents", _("協定の資料：資料名、PDFファイルのURL（ファイルがない場合はnull）")),
        Field("history_events", _("特定の協定に属さない経緯")),
    ),
    models=(
        Agreement,
        Article,
        AgreementEvent,
        AgreementDocument,
        FocusArea,
        Organization,
        Project,
    ),
    download_filename=f"{MUNICIPALITY_CODE}_agreements.json",
    as_attachment=False,
    fields_caption=_("agreements.json の項目"),
)

MEETINGS_ICS = Dataset(
    filename="meetings.ics",
    url_name="opendata-meetings-ics",
    title=_("研究会の会議・活動（iCalendar）"),
    description=_(
        "平塚海洋エネルギー研究会の総会・研究会・視察・実験の日時と場所です。"
        "カレンダーアプリに登録（購読）できます。"
    ),
    format="iCalendar (RFC 5545)",
    media_type="text/calendar; charset=utf-8",
    encoding=_("UTF-8、日時は日本時間（Asia/Tokyo）"),
    fields=(
        Field("UID", _("会議を識別する番号（変わりません）")),
        Field("SUMMARY", _("名称")),
        Field("DTSTART / DTEND", _("開始日時と終了日時（終了日時が分からない場合はDTENDなし）")),
        Field("LOCATION", _("場所")),
        Field("CATEGORIES", _("種類（総会、研究会、部会、視察、実験）")),
        Field("DESCRIPTION", _("研究会の名称、参加者数、内容")),
        Field("URL", _("このサイトの研究会のページ")),
    ),
    models=(Meeting, ResearchGroup),
    download_filename=f"{MUNICIPALITY_CODE}_meetings.ics",
    as_attachment=True,
    fields_caption=_("meetings.ics の項目"),
)

# What every JSON file holds before its items.
JSON_METADATA_FIELDS: tuple[Field, ...] = (
    Field("title / description", _TRANSLATED),
    Field(
        "publisher / municipality_code / municipality_name",
        _("公開者（平塚市）と全国地方公共団体コード"),
    ),
    Field("license", _("利用条件：名称、URL、互換性のあるライセンス（CC BY 4.0）")),
    Field("attribution", _("出典の記載例")),
    Field(
        "url / documentation / source_page",
        _("このファイル、このページ、元の情報を掲載したページのURL"),
    ),
    Field("last_modified", _("データの最終更新日時（ISO 8601、UTC）。記録がない場合はnull")),
    Field("count / items", _("件数と、1件ずつの内容")),
)

DATASETS: tuple[Dataset, ...] = (
    DONATIONS_CSV,
    DONATIONS_JSON,
    PROJECTS_JSON,
    AGREEMENTS_JSON,
    MEETINGS_ICS,
)


@dataclass(frozen=True)
class Publication:
    """Where and as of when a file is published: what a builder needs beyond the records."""

    # Turns a site path into an absolute URL (``request.build_absolute_uri``).
    absolute: Callable[[str], str]
    host: str
    # The data's last recorded change (the audit trail), if known: never "now", so that the
    # same data gives the same bytes.
    last_modified: datetime.datetime | None


def credit_line(index_url: str, language: str | None = None) -> str:
    """How to credit the files (PDL1.0 1.1): the source, its URL and the licence."""
    language = language or translation.get_language()
    with translation.override(language):
        return gettext("出典：%(source)s（%(url)s）、%(licence)s（%(licence_url)s）") % {
            "source": SOURCE_NAME,
            "url": index_url,
            "licence": LICENCE_SHORT_NAME,
            "licence_url": LICENCE_URL_EN if language == "en" else LICENCE_URL,
        }


def edited_credit_line(index_url: str, language: str | None = None) -> str:
    """How to credit an edited or processed copy (PDL1.0 1.1): saying that it was edited."""
    with translation.override(language or translation.get_language()):
        return gettext("%(source)s（%(url)s）のデータを加工して作成") % {
            "source": SOURCE_NAME,
            "url": index_url,
        }


# --- What to fetch -----------------------------------------------------------------------------


def donations_for_open_data() -> models.QuerySet[Donation]:
    """Every recorded donation, exactly as the public table reads them."""
    return Donation.objects.for_public_table()


def projects_for_open_data() -> models.QuerySet[Project]:
    # The same rows the project pages show, in the order the list shows them.
    return Project.objects.published().for_detail().order_by("position", "pk")


def agreements_for_open_data() -> models.QuerySet[Agreement]:
    return (
        Agreement.objects.published()
        .select_related("supersedes")
        .prefetch_related(
            "parties",
            "focus_areas",
            "superseded_by",
            "documents",
            models.Prefetch(
                "articles",
                queryset=Article.objects.prefetch_related(
                    models.Prefetch(
                        "projects",
                        queryset=Project.objects.published().order_by("position", "pk"),
                        to_attr="published_projects",
                    )
                ),
            ),
            models.Prefetch(
                "events",
                queryset=AgreementEvent.objects.prefetch_related("documents").order_by(
                    "occurred_on", "pk"
                ),
            ),
        )
        .order_by("signed_on", "pk")
    )


def history_events_for_open_data() -> models.QuerySet[AgreementEvent]:
    """The events of the history that belong to no agreement."""
    return (
        AgreementEvent.objects.filter(agreement__isnull=True)
        .prefetch_related("documents")
        .order_by("occurred_on", "pk")
    )


def meetings_for_open_data() -> models.QuerySet[Meeting]:
    return (
        Meeting.objects.filter(research_group__is_published=True)
        .select_related("research_group")
        .order_by("starts_at", "pk")
    )


# --- Shared pieces -----------------------------------------------------------------------------


def in_both_languages(text: Promise | Callable[[], str]) -> dict[str, str]:
    """A UI string (a lazy translation, or a function reading the active language) in both."""
    result = {}
    for language in LANGUAGES:
        with translation.override(language):
            result[language] = text() if callable(text) else str(text)
    return result


def translated(obj: models.Model, field: str) -> dict[str, str | None]:
    """A translated model field as stored: Japanese always, English when it was entered."""
    return {
        "ja": getattr(obj, f"{field}_ja") or "",
        "en": getattr(obj, f"{field}_en") or None,
    }


def choice(choices: type[models.TextChoices], value: str) -> dict[str, Any]:
    return {"code": value, "label": in_both_languages(choices(value).label)}


def url_in_both_languages(url_name: str, publication: Publication, **kwargs) -> dict[str, str]:
    return in_both_languages(lambda: publication.absolute(reverse(url_name, kwargs=kwargs or None)))


def fiscal_year_period(start: int | None, end: int | None) -> dict[str, Any]:
    return {
        "start_fiscal_year": start,
        "start_fiscal_year_wareki": fiscal_year_wareki(start) if start else None,
        "end_fiscal_year": end,
        "end_fiscal_year_wareki": fiscal_year_wareki(end) if end else None,
    }


def iso_date(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def project_reference(project: Project, publication: Publication) -> dict[str, Any]:
    return {
        "id": project.pk,
        "slug": project.slug,
        "title": translated(project, "title"),
        "url": url_in_both_languages("projects:project-detail", publication, slug=project.slug),
    }


def organization_entry(organization: Organization) -> dict[str, Any]:
    return {
        "name": translated(organization, "name"),
        "kind": choice(Organization.Kind, organization.kind),
        "corporate_number": organization.corporate_number or None,
        "in_hiratsuka": organization.in_hiratsuka,
        "website": organization.website or None,
    }


def document_entry(document: AgreementDocument, publication: Publication) -> dict[str, Any]:
    return {
        "title": translated(document, "title"),
        "url": publication.absolute(document.file.url) if document.file else None,
    }


def envelope(
    dataset: Dataset, publication: Publication, items_key: str, items: list, **extra
) -> dict[str, Any]:
    """The metadata every JSON file starts with, then its items."""
    documentation = url_in_both_languages("opendata-index", publication)
    return {
        "title": in_both_languages(dataset.title),
        "description": in_both_languages(dataset.description),
        "publisher": in_both_languages(PUBLISHER),
        "municipality_code": MUNICIPALITY_CODE,
        "municipality_name": in_both_languages(PUBLISHER),
        "license": {
            "name": in_both_languages(LICENCE_NAME),
            "short_name": LICENCE_SHORT_NAME,
            "url": {"ja": LICENCE_URL, "en": LICENCE_URL_EN},
            "compatible_with": {"name": CC_BY_NAME, "url": CC_BY_URL},
        },
        "attribution": {
            language: credit_line(documentation[language], language) for language in LANGUAGES
        },
        "url": url_in_both_languages(dataset.url_name, publication),
        "documentation": documentation,
        "last_modified": (
            publication.last_modified.astimezone(datetime.UTC).isoformat(timespec="seconds")
            if publication.last_modified
            else None
        ),
        "count": len(items),
        **extra,
        items_key: items,
    }


def json_bytes(data: dict[str, Any]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# --- donations.csv / donations.json ------------------------------------------------------------


def build_donations_csv(donations: Iterable[Donation]) -> bytes:
    """donations.csv: the 推奨データセット layout, UTF-8 with a BOM and CRLF line ends."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)  # the csv module ends lines with CRLF (RFC 4180)
    writer.writerow(DONATIONS_CSV_HEADER)
    for donation in donations:
        named = donation.shows_donor_name
        writer.writerow(
            (
                MUNICIPALITY_CODE,
                donation.pk,
                MUNICIPALITY_NAME,
                donation.fiscal_year,
                fiscal_year_wareki(donation.fiscal_year),
                donation.donor.name_ja if named else "",
                donation.donor.corporate_number if named else "",
                donation.amount if donation.publish_amount else "",
                MULTIPLE_VALUES_SEPARATOR.join(
                    project.title_ja for project in donation.published_projects
                ),
                _scheme_ja(donation),
            )
        )
    return out.getvalue().encode("utf-8-sig")


def _scheme_ja(donation: Donation) -> str:
    with translation.override("ja"):
        return str(Scheme(donation.scheme).label)


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


def build_donations_json(donations: Iterable[Donation], publication: Publication) -> bytes:
    items = []
    years: dict[int, dict[str, Any]] = {}
    for donation in donations:
        items.append(
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
        )
        year = years.setdefault(
            donation.fiscal_year,
            {
                "fiscal_year": donation.fiscal_year,
                "fiscal_year_wareki": fiscal_year_wareki(donation.fiscal_year),
                "donations": 0,
                "published_total": 0,
                "has_unpublished_amounts": False,
            },
        )
        year["donations"] += 1
        # Unpublished amounts stay out of every total: anyone could subtract the others.
        if donation.publish_amount:
            year["published_total"] += donation.amount
        else:
            year["has_unpublished_amounts"] = True
    fiscal_years = [years[key] for key in sorted(years)]
    data = envelope(
        DONATIONS_JSON,
        publication,
        "items",
        items,
        source_page=url_in_both_languages("donations:donation-list", publication),
        published_total=sum(year["published_total"] for year in fiscal_years),
        fiscal_years=fiscal_years,
    )
    return json_bytes(data)


# --- projects.json -----------------------------------------------------------------------------


def project_entry(project: Project, publication: Publication) -> dict[str, Any]:
    return {
        **project_reference(project, publication),
        "summary": translated(project, "summary"),
        "description": translated(project, "description"),
        "status": choice(Project.Status, project.status),
        "period": fiscal_year_period(project.start_fiscal_year, project.end_fiscal_year),
        "themes": [
            {"slug": theme.slug, "name": translated(theme, "name")}
            for theme in project.themes.all()
        ],
        "organizations": [
            {
                **organization_entry(participation.organization),
                "role": choice(Participation.Role, participation.role),
                "role_note": translated(participation, "role_note"),
            }
            for participation in project.participations.all()
        ],
        "funding": [
            {
                "source": {
                    "slug": funding.source.slug,
                    "name": translated(funding.source, "name"),
                    "kind": choice(FundingSource.Kind, funding.source.kind),
                    "provider": (
                        translated(funding.source.provider, "name")
                        if funding.source.provider
                        else None
                    ),
                },
                "period": fiscal_year_period(funding.start_fiscal_year, funding.end_fiscal_year),
                "note": translated(funding, "note"),
            }
            for funding in project.fundings.all()
        ],
        "milestones": [
            {
                "title": translated(milestone, "title"),
                "description": translated(milestone, "description"),
                "date": iso_date(milestone.occurred_on),
                "fiscal_year": milestone.fiscal_year,
                "planned": milestone.is_planned,
            }
            for milestone in project.milestones.all()
        ],
        "outcomes": [
            {
                "id": outcome.pk,
                "kind": choice(Outcome.Kind, outcome.kind),
                "title": translated(outcome, "title"),
                "description": translated(outcome, "description"),
                "fiscal_year": outcome.fiscal_year,
                "organizations": [
                    translated(organization, "name") for organization in outcome.organizations.all()
                ],
                "organizations_text": translated(outcome, "organizations_text"),
            }
            for outcome in project.outcomes.all()
        ],
    }


def build_projects_json(projects: Iterable[Project], publication: Publication) -> bytes:
    items = [project_entry(project, publication) for project in projects]
    data = envelope(
        PROJECTS_JSON,
        publication,
        "items",
        items,
        source_page=url_in_both_languages("projects:project-list", publication),
    )
    return json_bytes(data)


# --- agreements.json ---------------------------------------------------------------------------


def agreement_statuses(agreements: Iterable[Agreement], today: datetime.date) -> str:
    """The derived statuses on a day, as a short key: part of the file's version, since the
    status changes with the calendar, not only with the data."""
    return ",".join(f"{agreement.pk}:{agreement.status_on(today)}" for agreement in agreements)


def _linked_agreement(agreement: Agreement, attribute: str) -> dict[str, Any] | None:
    try:
        other = getattr(agreement, attribute)
    except ObjectDoesNotExist:
        return None
    if other is None or not other.is_published:
        return None
    return {"id": other.pk, "slug": other.slug}


def event_entry(event: AgreementEvent, publication: Publication) -> dict[str, Any]:
    return {
        "id": event.pk,
        "date": iso_date(event.occurred_on),
        "kind": choice(AgreementEvent.Kind, event.kind),
        "title": translated(event, "title"),
        "description": translated(event, "description"),
        "documents": [document_entry(document, publication) for document in event.documents.all()],
    }


def agreement_entry(
    agreement: Agreement, publication: Publication, today: datetime.date
) -> dict[str, Any]:
    return {
        "id": agreement.pk,
        "slug": agreement.slug,
        "url": url_in_both_languages(
            "agreements:agreement-detail", publication, slug=agreement.slug
        ),
        "title": translated(agreement, "title"),
        "status": choice(Agreement.Status, agreement.status_on(today)),
        "signed_on": iso_date(agreement.signed_on),
        "in_force_from": iso_date(agreement.in_force_from),
        "in_force_until": iso_date(agreement.in_force_until),
        "parties": [organization_entry(party) for party in agreement.parties.all()],
        "purpose": translated(agreement, "purpose"),
        "background": translated(agreement, "background"),
        "future_scope": translated(agreement, "future_scope"),
        "plan_context": translated(agreement, "plan_context"),
        "supersedes": _linked_agreement(agreement, "supersedes"),
        "superseded_by": _linked_agreement(agreement, "superseded_by"),
        "focus_areas": [
            {"name": translated(area, "name"), "description": translated(area, "description")}
            for area in agreement.focus_areas.all()
        ],
        "articles": [
            {
                "number": article.number,
                "text": translated(article, "text"),
                "expected_projects": translated(article, "expected_projects"),
                "projects": [
                    project_reference(project, publication)
                    for project in article.published_projects
                ],
            }
            for article in agreement.articles.all()
        ],
        "events": [event_entry(event, publication) for event in agreement.events.all()],
        "documents": [
            document_entry(document, publication) for document in agreement.documents.all()
        ],
    }


def build_agreements_json(
    agreements: Iterable[Agreement],
    history_events: Iterable[AgreementEvent],
    publication: Publication,
    today: datetime.date,
) -> bytes:
    """agreements.json. ``today`` fixes the day the derived statuses are given for."""
    items = [agreement_entry(agreement, publication, today) for agreement in agreements]
    data = envelope(
        AGREEMENTS_JSON,
        publication,
        "items",
        items,
        source_page=url_in_both_languages("agreements:agreement-list", publication),
        history_events=[event_entry(event, publication) for event in history_events],
    )
    return json_bytes(data)


# --- meetings.ics ------------------------------------------------------------------------------


def meeting_description(meeting: Meeting) -> str:
    lines = [
        meeting.research_group.name,
        gettext("種類：%(kind)s") % {"kind": meeting.get_kind_display()},
    ]
    if meeting.participants is not None:
        count = meeting.participants
        lines.append(
            ngettext("参加者：%(counter)s人", "参加者：%(counter)s人", count) % {"counter": count}
        )
    if meeting.notes:
        lines.append(meeting.notes)
    return "\n".join(lines)


def build_meetings_ics(meetings: Iterable[Meeting], publication: Publication) -> bytes:
    """meetings.ics in the active language (the summary, place and description, and the page
    the events link to)."""
    meetings = list(meetings)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    groups = {meeting.research_group.pk: meeting.research_group for meeting in meetings}
    name = (
        gettext("%(group)sの会議・活動") % {"group": next(iter(groups.values())).name}
        if len(groups) == 1
        else gettext("研究会の会議・活動")
    )
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    page = publication.absolute(reverse("projects:research-group"))
    calendar.add("url", page)
    for meeting in meetings:
        event = icalendar.Event()
        event.add("uid", f"meeting-{meeting.pk}@{publication.host}")
        # DTSTAMP is when the information was last revised in the store: the data's last
        # change; the meeting's own start where the audit trail has nothing (seeded records).
        stamp = publication.last_modified or meeting.starts_at
        event.add("dtstamp", stamp.astimezone(datetime.UTC))
        event.add("dtstart", meeting.starts_at.astimezone(TOKYO))
        if meeting.ends_at:
            event.add("dtend", meeting.ends_at.astimezone(TOKYO))
        event.add("summary", meeting.title)
        event.add("location", meeting.place)
        event.add("categories", [meeting.get_kind_display()])
        event.add("description", meeting_description(meeting))
        event.add("url", page)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
