"""Reading the public record of donations (/donations/) as a visitor does: its table, row by
row."""

from __future__ import annotations

from html.parser import HTMLParser


class TableRows(HTMLParser):
    """The donation table as rows of cell texts, each row tagged with its fiscal-year group."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self.in_table = False
        self.cell: list[str] | None = None
        # Text hidden from assistive technology (the labels a phone's card layout repeats in
        # each cell) is not what a screen reader reads out.
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if self.hidden_depth or dict(attrs).get("aria-hidden") == "true":
            self.hidden_depth += 1
            return
        if tag == "table" and "donation-table" in (dict(attrs).get("class") or ""):
            self.in_table = True
        elif self.in_table and tag == "tr":
            self.rows.append([])
        elif self.in_table and tag in {"th", "td"}:
            self.cell = []

    def handle_endtag(self, tag):
        if self.hidden_depth:
            self.hidden_depth -= 1
            return
        if tag == "table":
            self.in_table = False
        elif self.in_table and tag in {"th", "td"} and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None and not self.hidden_depth:
            self.cell.append(data)


def table_rows(page: str) -> list[list[str]]:
    parser = TableRows()
    parser.feed(page)
    return parser.rows
