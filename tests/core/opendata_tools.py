"""Reading the open-data files (/opendata/) as a program that reuses them would."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlsplit

import icalendar

# Every file the site publishes, in the order the index page lists them.
FILES = [
    "/opendata/donations.csv",
    "/opendata/donations.json",
    "/opendata/projects.json",
    "/opendata/agreements.json",
    "/opendata/meetings.ics",
]
# The header row of donations.csv (the 推奨データセット's Japanese column names).
DONATIONS_CSV_HEADER = [
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
]
# A valid 法人番号 (its first digit is the check digit of the other twelve).
CORPORATE_NUMBER = "7123456789012"


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def json_of(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content.decode("utf-8"))


def calendar_of(response) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(response.content)


def path_of(url: str) -> str:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "testserver", url
    return parts.path
