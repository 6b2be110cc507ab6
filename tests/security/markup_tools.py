"""Reading a page's forms and tables as assistive technology and browsers do, to check the
rules of ``test_markup`` (a form says where it goes; a data cell says which headers it has)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

ROW_SCOPES = {"row", "rowgroup"}
COLUMN_SCOPES = {"col", "colgroup"}


@dataclass
class Cell:
    tag: str  # "th" or "td"
    attrs: dict[str, str]
    row: int
    column: int  # the first grid column it covers
    colspan: int
    group: int  # which row group (thead, tbody, tfoot or implicit) of the table
    text: str = ""

    @property
    def scope(self) -> str:
        return (self.attrs.get("scope") or "").strip().lower()

    @property
    def headers(self) -> list[str]:
        return (self.attrs.get("headers") or "").split()

    def covers(self, column: int) -> bool:
        return self.column <= column < self.column + self.colspan

    def label(self) -> str:
        return f"<{self.tag}> {self.text.strip()[:40]!r} (row {self.row + 1})"


@dataclass
class Table:
    caption: str = ""
    cells: list[Cell] = field(default_factory=list)
    rows: int = 0
    groups: int = 0
    # Grid columns taken in later rows by cells with rowspan: {row: {column, ...}}
    _taken: dict[int, set[int]] = field(default_factory=dict)
    _column: int = 0

    def start_row(self) -> None:
        self._column = 0

    def end_row(self) -> None:
        self.rows += 1

    def add(self, tag: str, attrs: dict[str, str]) -> Cell:
        taken = self._taken.get(self.rows, set())
        while self._column in taken:
            self._column += 1
        colspan = _span(attrs.get("colspan"))
        rowspan = _span(attrs.get("rowspan"))
        cell = Cell(tag, attrs, self.rows, self._column, colspan, self.groups)
        for later in range(self.rows + 1, self.rows + rowspan):
            self._taken.setdefault(later, set()).update(range(cell.column, cell.column + colspan))
        self._column += colspan
        self.cells.append(cell)
        return cell

    @property
    def headers(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.tag == "th"]

    @property
    def data_cells(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.tag == "td"]


def _span(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


class PageMarkup(HTMLParser):
    """The forms (their attributes) and the tables (their cells on a grid) of one page."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str | None]] = []
        self.tables: list[Table] = []
        self._open: list[Table] = []
        self._cell: Cell | None = None
        self._in_caption = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value for name, value in attrs}
        if tag == "form":
            self.forms.append(attributes)
        elif tag == "table":
            self._open.append(Table())
            self.tables.append(self._open[-1])
        elif not self._open:
            return
        elif tag in ("thead", "tbody", "tfoot"):
            self._open[-1].groups += 1
        elif tag == "tr":
            self._open[-1].start_row()
        elif tag in ("th", "td"):
            self._cell = self._open[-1].add(tag, {k: v or "" for k, v in attributes.items()})
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if not self._open:
            return
        if tag == "table":
            self._open.pop()
        elif tag == "tr":
            self._open[-1].end_row()
        elif tag in ("th", "td"):
            self._cell = None
        elif tag == "caption":
            self._in_caption = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.text += data
        elif self._in_caption and self._open:
            self._open[-1].caption += data


def table_problems(table: Table) -> list[str]:
    """What keeps a screen reader from reading each data cell with its headers.

    The rules:

    1. Every ``th`` says what it heads: ``scope`` is col, colgroup, row or rowgroup.
    2. ``headers`` names only ids of ``th`` elements of the same table.
    3. A table with column headers (``scope="col"``/``"colgroup"``) gives every ``td`` one: a
       column header in a row above covering the cell's column, or one named in its ``headers``.
    4. A table with row headers (``scope="row"``/``"rowgroup"``) gives every ``td`` one: a
       ``scope="row"`` header left of it in its own row, or one named in its ``headers``.
    5. A table with more than one level of headers (any ``rowgroup``/``colgroup`` header, or a
       header spanning several columns above other headers) is read through ``headers``/``id``,
       because screen readers announce ``rowgroup``/``colgroup`` scope unreliably: every ``td``
       names its column header, its row header and the ``rowgroup`` header of its row group.

    A ``td`` with no text (an empty total cell, the change list's selection box, which carries
    its own label) has nothing to be read with headers: rules 3 to 5 pass it by.
    """
    problems = []
    where = f"table {table.caption.strip()[:40]!r}"
    by_id = {cell.attrs["id"]: cell for cell in table.cells if cell.attrs.get("id")}
    for th in table.headers:
        if th.scope not in ROW_SCOPES | COLUMN_SCOPES:
            problems.append(f"{where}: {th.label()} has no scope")
    column_headers = [th for th in table.headers if th.scope in COLUMN_SCOPES]
    row_headers = [th for th in table.headers if th.scope in ROW_SCOPES]
    group_headers = [th for th in table.headers if th.scope == "rowgroup"]
    multi_level = bool(group_headers) or any(
        th.scope == "colgroup" or (th.scope == "col" and th.colspan > 1) for th in table.headers
    )
    for td in table.data_cells:
        if not td.text.strip():
            continue
        named = []
        for header_id in td.headers:
            header = by_id.get(header_id)
            if header is None or header.tag != "th":
                problems.append(f"{where}: {td.label()} names {header_id!r}, no th of this table")
            else:
                named.append(header)
        if multi_level:
            needed = {
                "column header": [h for h in named if h.scope in COLUMN_SCOPES],
                "row header": [h for h in named if h.scope == "row"] if row_headers else [None],
                "row group header": [h for h in named if h.scope == "rowgroup"]
                if any(h.group == td.group for h in group_headers)
                else [None],
            }
            problems += [
                f"{where}: {td.label()}: headers names no {what}"
                for what, found in needed.items()
                if not found
            ]
            continue
        if column_headers and not (
            any(h.scope in COLUMN_SCOPES for h in named)
            or any(h.row < td.row and h.covers(td.column) for h in column_headers)
        ):
            problems.append(f"{where}: {td.label()} has no column header")
        if row_headers and not (
            any(h.scope in ROW_SCOPES for h in named)
            or any(
                h.row == td.row and h.column < td.column and h.scope == "row" for h in row_headers
            )
        ):
            problems.append(f"{where}: {td.label()} has no row header")
    return problems


def form_problems(form: dict[str, str | None]) -> list[str]:
    """A form says where it is sent: an ``action`` that is an absolute path or an http(s) URL
    (a missing or empty action is not valid HTML and sends the form wherever the page is)."""
    action = form.get("action")
    name = form.get("id") or form.get("class") or form.get("aria-label") or "form"
    if action is None:
        return [f"{name}: no action"]
    if not action.strip():
        return [f"{name}: empty action"]
    if action != action.strip() or any(ch.isspace() or ord(ch) < 32 for ch in action):
        return [f"{name}: action {action!r} has white space or control characters"]
    if not action.startswith(("/", "https://", "http://")) or action.startswith("//"):
        return [f"{name}: action {action!r} is neither a path nor an http(s) URL"]
    return []
