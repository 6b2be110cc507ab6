"""Open data: the catalogue of the files anyone may reuse (DESIGN.md §5, /opendata/), their
writers and the municipal envelope every JSON file carries.

It knows no app. Each app declares its files in its own ``opendata.py`` (discovered at start-up)
as ``Dataset`` subclasses — what the file holds (``fields``), the records it is built from
(``models``: its version, and so its ETag, follows theirs) and how it is rendered — and
registers them with ``register``. The site serves every registered file through one view
(``hiratsuka_portal.opendata_views``) at /opendata/<filename>, and lists them on the index page.

A dataset renders bytes from the records it reads (in a fixed number of queries) and from its
``Publication``, never from the clock: the same data gives the same bytes, byte for byte. That is
what lets the view cache a file per data version and answer revalidations with 304.

The files follow the publishing rules of the public pages (each model's ``public()``).

* CSV files follow the Digital Agency's 推奨データセット (自治体標準オープンデータセット)
  conventions: a Japanese header row, the municipality code and name on every row, UTF-8 with a
  BOM (so that Excel opens it right), CRLF line ends, plain integers, empty cells for unknowns
  and ``;`` between the values of a cell that holds several.
* JSON files carry their metadata (title, licence, publisher, how to credit) beside the items;
  translated fields come as ``{"ja": ..., "en": ...}`` whatever the language of the URL.
* iCalendar files (RFC 5545) are in the language of the URL, times in Japan's time zone.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

import icalendar
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from .japanese import fiscal_year_wareki

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
MULTIPLE_VALUES_SEPARATOR = ";"

# How the index page describes the values of a translated field and of a choice.
TRANSLATED = _('日本語と英語（{"ja": …, "en": …}）')
CHOICE = _('コードと日本語・英語の表示名（{"code": …, "label": {…}}）')


@dataclass(frozen=True)
class Field:
    """A column of a CSV file, a key of a JSON item or a property of a calendar event."""

    name: str
    description: Promise
    # The CSV header is Japanese in every language; the index page marks it lang="ja".
    japanese_name: bool = False


@dataclass(frozen=True)
class Publication:
    """Where and as of when a file is published: what a dataset needs beyond the records."""

    # Turns a site path into an absolute URL (``request.build_absolute_uri``).
    absolute: Callable[[str], str]
    host: str
    # The data's last recorded change (the audit trail), if known: never "now", so that the
    # same data gives the same bytes.
    last_modified: datetime.datetime | None
    # The day the file is published for (statuses that follow the calendar read it).
    today: datetime.date


# --- The catalogue -------------------------------------------------------------------------------


class Dataset:
    """One open-data file. Subclass one of the formats below and register an instance."""

    filename: ClassVar[str]
    title: ClassVar[Promise]
    description: ClassVar[Promise]
    fields: ClassVar[tuple[Field, ...]]
    models: ClassVar[tuple[type[models.Model], ...]]
    # Where the index page lists the file (ascending).
    position: ClassVar[int] = 100

    format: ClassVar[str]
    media_type: ClassVar[str]
    encoding: ClassVar[Promise]
    as_attachment: ClassVar[bool]
    # A file that names this site's own address is cached once per scheme and host.
    absolute_urls: ClassVar[bool] = True

    @property
    def url_name(self) -> str:
        return "opendata-" + self.filename.replace(".", "-")

    @property
    def download_filename(self) -> str:
        # The 推奨データセット's file names begin with the municipality code.
        return f"{MUNICIPALITY_CODE}_{self.filename}"

    @property
    def fields_caption(self) -> str:
        return gettext("%(filename)s の項目") % {"filename": self.filename}

    def version_key(self, today: datetime.date) -> str:
        """What the file depends on besides its records (it is part of the cache key)."""
        return ""

    def render(self, publication: Publication) -> bytes:
        raise NotImplementedError


class CsvDataset(Dataset):
    format = "CSV"
    media_type = "text/csv; charset=utf-8; header=present"
    encoding = _("UTF-8（BOM付き）、改行はCRLF、1行目は項目名")
    as_attachment = True

    @property
    def fields_caption(self) -> str:
        # A CSV file's fields are its columns (English says so).
        return pgettext("CSV file", "%(filename)s の項目") % {"filename": self.filename}


class JsonDataset(Dataset):
    format = "JSON"
    media_type = "application/json"
    encoding = _("UTF-8（BOMなし）")
    as_attachment = False
    # The page that shows the same records (a URL name), given in the metadata.
    source_page: ClassVar[str]

    def items(self, publication: Publication) -> list[dict[str, Any]]:
        raise NotImplementedError

    def extra(self, items: list[dict[str, Any]], publication: Publication) -> dict[str, Any]:
        """Metadata of this file's own, given after the envelope's and before the items."""
        return {}

    def render(self, publication: Publication) -> bytes:
        items = self.items(publication)
        data = envelope(
            self,
            publication,
            items,
            source_page=url_in_both_languages(self.source_page, publication),
            # The dataset's own extra() (more envelope fields), not QuerySet.extra().
            **self.extra(items, publication),  # noqa: S610
        )
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class CalendarDataset(Dataset):
    format = "iCalendar (RFC 5545)"
    media_type = "text/calendar; charset=utf-8"
    encoding = _("UTF-8、日時は日本時間（Asia/Tokyo）")
    as_attachment = True


_datasets: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.filename in _datasets:
        raise ImproperlyConfigured(f"An open-data file {dataset.filename!r} is already registered.")
    _datasets[dataset.filename] = dataset
    return dataset


def find_dataset(filename: str) -> Dataset | None:
    return _datasets.get(filename)


def datasets() -> list[Dataset]:
    """Every registered file, in the order the index page lists them."""
    return sorted(_datasets.values(), key=lambda dataset: dataset.position)


# What every JSON file holds before its items.
JSON_METADATA_FIELDS: tuple[Field, ...] = (
    Field("title / description", TRANSLATED),
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


# --- Writing values --------------------------------------------------------------------------


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


def japanese_label(choices: type[models.TextChoices], value: str) -> str:
    """A choice's Japanese label, as the CSV files write it whatever the language."""
    with translation.override("ja"):
        return str(choices(value).label)


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


def envelope(
    dataset: Dataset, publication: Publication, items: list, **extra: Any
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
        "items": items,
    }


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file as the 推奨データセット has it: UTF-8 with a BOM, CRLF line ends (the csv
    module's, RFC 4180), the header row first."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def calendar(name: str, url: str) -> icalendar.Calendar:
    """An empty calendar in Japan's time zone, named and linked to the page it comes from."""
    result = icalendar.Calendar()
    result.add("prodid", PRODID)
    result.add("version", "2.0")
    result.add("calscale", "GREGORIAN")
    result.add("x-wr-calname", name)
    result.add("name", name)
    result.add("x-wr-timezone", "Asia/Tokyo")
    result.add("url", url)
    return result


def calendar_bytes(result: icalendar.Calendar) -> bytes:
    result.add_missing_timezones()
    return result.to_ical()
