"""Read the answers back from a filled-in response workbook (``kravspecifikation.xlsx``) into the
same ``FormContent`` the Word reader (``form_reader.read_form``) gives, so that everything after
reading (outcomes, doubts, reservations, prices, the report) is shared.

The workbook carries its form contract on the hidden sheet ``upphandla``
(``documents.xlsx_contract``): each answer's tag, its sheet and cell, and the cells of the
requirement's id, title and text. What a person sees in Excel or LibreOffice is what counts, and
every way the workbook differs from the form that was sent is a *doubt* or a reservation, never
a silent choice:

- a formula in an answer cell is never evaluated: the formula is read as written (``=1+1``) and
  doubted (``formula``); a cached result is not looked at;
- an answer in a hidden (or nearly zero-height) row, a hidden column or a hidden sheet, or one
  whose format hides it (number format ``;;;``, white text, a font under 2 points) is doubted
  (``hidden_cell``); a comment (note) on an answer cell is doubted (``comment``, with its text);
- an answer cell inside merged cells is doubted (``merged``), and the text shown (the merged
  range's first cell) is read;
- a requirement whose id is no longer in its row (rows sorted or moved) is looked up by its id in
  column A, read from the row it is in now and doubted (``row_moved``); a requirement whose id is
  nowhere (a deleted row) has no fields (``not_found``) and its table is missing;
- the requirement's locked cells as found (``tables``) are compared by ``responses`` with those of
  the workbook as sent: a changed title, text, type or level is a reservation, quoted;
- a sheet whose protection was removed is reported (``protection_removed``).

The package is checked with ``safe_zip`` (entry count, declared sizes, ratio, inflation), and
the XML elements of all parts (``Limits.max_form_elements``) and the cells and rows of all sheets
(``Limits.max_workbook_cells``) are counted before openpyxl parses anything, so a zip bomb or a million rows is refused like an oversized Word form.
openpyxl loads the workbook in full mode, not ``read_only``: only full mode exposes merged cells,
hidden rows and columns and the protection the reader must check, and the element count already
bounds what it builds.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Mapping
from dataclasses import field
from typing import Any

from upphandla.documents import form
from upphandla.documents.xlsx_contract import (
    CONTRACT_SHEET,
    ContractField,
    NotAWorkbookForm,
    read_contract,
    text_digest,
)
from upphandla.evaluation.form_reader import (
    Doubt,
    FieldValue,
    FormContent,
    NotADocxError,
    Segment,
    UnreadableKind,
)
from upphandla.limits import DEFAULT_LIMITS, Limits
from upphandla.records import record
from upphandla.safe_zip import UnsafePackageError, open_checked_zip, xml_elements

WORKBOOK_PART = "xl/workbook.xml"
TABLE_COLUMNS = ("C", "D", "E", "F", "K", "L")
"""The locked cells of a requirement row compared with the workbook as sent (title, text,
requirement type, SKA/BÖR, evaluation value and unit): a change in any is a reservation."""

_MIN_ROW_HEIGHT = 3.0  # points; a lower row cannot be read on screen


@record
class WorkbookContent:
    """``FormContent`` and what only a workbook has.

    Attributes:
        content: Properties, fields by tag and each requirement's locked cells as found.
        unprotected: The visible sheets whose protection was removed, by title.
        digests: The SHA-256 of each requirement's title and text as the contract records them.
        outside: Text of the supplier's own below or to the right of the form's cells on a
            sheet with answers (``Krav!A80`` and the text), at most ``_MAX_OUTSIDE``: a row
            added after the last requirement is not an answer, but may be a reservation.
    """

    content: FormContent
    unprotected: tuple[str, ...] = ()
    digests: dict[str, tuple[str, str]] = field(default_factory=dict)
    outside: tuple[tuple[str, str], ...] = ()

    def as_sent(
        self, expected: Mapping[str, tuple[str, ...]]
    ) -> tuple[dict[str, tuple[str, ...]], bool]:
        """The locked cells as sent, for comparing with those found, and whether this version
        writes some title or text differently from the version that wrote the workbook.

        ``expected`` is the workbook written again now. Where its title or text does not have
        the digest the contract records (another version of upphandla wrote the workbook), the
        found title and text count as sent when they still have the recorded digests, as the
        Word form's recorded digests do (``responses``); otherwise the text written now does."""
        sent: dict[str, tuple[str, ...]] = {}
        other_version = False
        for requirement_id, cells in expected.items():
            recorded = self.digests.get(requirement_id)
            found = self.content.tables.get(requirement_id)
            if recorded is None or found is None or len(cells) < 2 or len(found) < 2:
                sent[requirement_id] = cells
                continue
            same = (text_digest(cells[0]), text_digest(cells[1])) == recorded
            if not same:
                other_version = True
                if (text_digest(found[0]), text_digest(found[1])) == recorded:
                    cells = (found[0], found[1], *cells[2:])
            sent[requirement_id] = cells
        return sent, other_version


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def is_opendocument_spreadsheet(data: bytes) -> bool:
    """True for an OpenDocument spreadsheet (.ods): a workbook saved in another format."""
    if data[:2] != b"PK":
        return False
    try:
        with open_checked_zip(data) as archive:
            if archive.names()[:1] != ["mimetype"]:
                return False
            return (archive.read("mimetype") or b"").strip() == ODS_MIMETYPE
    except UnsafePackageError:
        return False


def is_workbook(data: bytes) -> bool:
    """True for a zip package with a workbook part (``xl/workbook.xml``) within the zip limits;
    anything else (a package past the limits included) is left to the Word reader, which names
    what it is."""
    if data[:2] != b"PK":
        return False
    try:
        with open_checked_zip(data) as archive:
            return WORKBOOK_PART in archive.names()
    except UnsafePackageError:
        return False


def read_workbook(
    data: bytes, *, expected: Collection[str] = (), limits: Limits = DEFAULT_LIMITS
) -> WorkbookContent:
    """Every answer field of a filled-in workbook as a person sees it; see the module.

    Args:
        data: The workbook's bytes.
        expected: The tags of this procurement's form (``form.form_tags``); only these are read.
        limits: The bounds on the package and its parts.

    Raises:
        NotADocxError: The package is past the limits (``too_large``) or damaged (``damaged``).
    """
    _check_package(data, limits)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=False, data_only=False, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a package that is no workbook
        raise NotADocxError("damaged", f"not an Excel workbook ({type(error).__name__})") from None
    try:
        contract = read_contract(book)
    except NotAWorkbookForm:
        return WorkbookContent(FormContent(_custom_properties(book), {}))
    reader = _Reader(book)
    fields: dict[str, FieldValue] = {}
    tables: dict[str, tuple[str, ...]] = {}
    digests: dict[str, tuple[str, str]] = {}
    wanted = set(expected) if expected else set(contract.fields)
    for tag, entry in contract.fields.items():
        if tag not in wanted or entry.sheet not in book.sheetnames:
            continue
        located = reader.locate(entry)
        if located is None:
            continue
        row, row_doubts = located
        value = reader.field(entry, row, row_doubts)
        fields[tag] = value
        if entry.requirement_id and entry.requirement_id not in tables:
            tables[entry.requirement_id] = reader.table(entry.sheet, row)
            digests[entry.requirement_id] = (entry.title_sha256, entry.text_sha256)
    unprotected = tuple(
        sheet.title
        for sheet in book.worksheets
        if sheet.title != CONTRACT_SHEET and not sheet.protection.sheet
    )
    return WorkbookContent(
        FormContent(dict(contract.properties), fields, tables),
        unprotected,
        digests,
        _outside(book, contract.fields.values()),
    )


_MAX_OUTSIDE = 20


def _outside(book: Any, entries: Collection[ContractField]) -> tuple[tuple[str, str], ...]:
    """Non-empty cells below the last or right of the last cell the contract names, on each
    sheet with answers (over the cells stored, which the package check bounds)."""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    bounds: dict[str, tuple[int, int]] = {}
    for entry in entries:
        if entry.sheet not in book.sheetnames:
            continue
        letter, row = coordinate_from_string(entry.cell)
        low, high = bounds.get(entry.sheet, (0, 0))
        bounds[entry.sheet] = (max(low, row), max(high, column_index_from_string(letter)))
    found: list[tuple[str, str]] = []
    for title, (last_row, last_column) in bounds.items():
        cells = book[title]._cells
        for row, column in sorted(cells):
            if row <= last_row and column <= last_column:
                continue
            text = _text(cells[row, column].value).strip()
            if text:
                found.append((f"{title}!{cells[row, column].coordinate}", text[:200]))
                if len(found) >= _MAX_OUTSIDE:
                    return tuple(found)
    return tuple(found)


def _check_package(data: bytes, limits: Limits) -> None:
    """Refuse a package past the zip limits, or with a part of more XML elements than a form may
    have, before openpyxl parses anything."""
    cells = elements = 0
    try:
        with open_checked_zip(data, limits) as archive:
            for name in archive.names():
                if not name.endswith((".xml", ".rels")):
                    continue
                blob = archive.read(name, xml=True) or b""
                elements += xml_elements(blob)
                if elements > limits.max_form_elements:
                    raise NotADocxError(
                        "too_large",
                        f"the workbook has more than {limits.max_form_elements:,} XML elements;"
                        " it is not read",
                    )
                if name.startswith("xl/worksheets/"):
                    cells += len(_CELL_OR_ROW.findall(blob)) + _merged_area(blob)
                if cells > limits.max_workbook_cells:
                    raise NotADocxError(
                        "too_large",
                        f"the workbook has more than {limits.max_workbook_cells:,} cells and rows;"
                        " it is not read",
                    )
    except UnsafePackageError as error:
        text = str(error)
        kind: UnreadableKind = (
            "damaged" if "not a zip" in text or "damaged" in text else "too_large"
        )
        raise NotADocxError(kind, text) from None


_CELL_OR_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:c|row)[\s>/]")
_MERGE_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:mergeCell|hyperlink)\b[^>]*?\bref=[\"']([^\"']*)"
)
_RANGE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")


def _merged_area(blob: bytes) -> int:
    """The cells the merged ranges and hyperlinks of a sheet cover: openpyxl makes an object
    for each cell of them, so a single ``A1:XFD1048576`` would otherwise build seventeen
    billion."""
    from openpyxl.utils.cell import column_index_from_string

    area = 0
    for ref in _MERGE_CELL.findall(blob):
        match = _RANGE.match(ref.decode("ascii", "replace").strip())
        if match is None:
            area += 1
            continue
        first, low, last, high = match.groups()
        last, high = last or first, high or low
        try:
            width = abs(
                column_index_from_string(last.upper()) - column_index_from_string(first.upper())
            )
        except ValueError:
            width = 0
        area += (width + 1) * (abs(int(high) - int(low)) + 1)
    return area


def _custom_properties(book: Any) -> dict[str, str]:
    properties: dict[str, str] = {}
    for prop in getattr(book, "custom_doc_props", ()):
        name = str(getattr(prop, "name", ""))
        if name.startswith(form.PROPERTY_PREFIX):
            properties[name] = str(getattr(prop, "value", ""))
    return properties


class _Reader:
    """Cells of one workbook as seen, with the per-sheet facts looked up once."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self._ids: dict[str, dict[str, int]] = {}
        self._merged: dict[str, list[Any]] = {}
        self._hidden_columns: dict[str, list[tuple[int, int]]] = {}

    def sheet(self, title: str) -> Any:
        return self.book[title]

    def ids(self, title: str) -> dict[str, int]:
        """The rows of the ids in column A, first occurrence each."""
        if title not in self._ids:
            found: dict[str, int] = {}
            # The cells stored, not iter_rows: a single cell in row 1,048,576 would make
            # iter_rows build a million empty ones.
            cells = self.sheet(title)._cells
            for row, column in sorted(key for key in cells if key[1] == 1):
                value = cells[row, column].value
                if value is not None:
                    found.setdefault(_text(value).strip(), row)
            self._ids[title] = found
        return self._ids[title]

    def locate(self, entry: ContractField) -> tuple[int, list[Doubt]] | None:
        """The row the field's requirement is in now and the doubt if it moved; None when its id
        is nowhere on the sheet (the row was deleted)."""
        from openpyxl.utils.cell import coordinate_from_string

        _, row = coordinate_from_string(entry.cell)
        if not entry.requirement_id or not entry.id_cell:
            return row, []
        sheet = self.sheet(entry.sheet)
        if _text(sheet[entry.id_cell].value).strip() == entry.requirement_id:
            return row, []
        moved = self.ids(entry.sheet).get(entry.requirement_id)
        if moved is None:
            return None
        return moved, [Doubt("row_moved", f"{row} → {moved}")]

    def field(self, entry: ContractField, row: int, doubts: list[Doubt]) -> FieldValue:
        from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

        sheet = self.sheet(entry.sheet)
        letter, _ = coordinate_from_string(entry.cell)
        column = column_index_from_string(letter)
        coordinate = f"{letter}{row}"
        doubts = list(doubts)
        if self._hidden(sheet, row, column):
            doubts.append(Doubt("hidden_cell", f"{entry.sheet}!{coordinate}"))
        merged = self._merged_range(sheet, row, column)
        cell = sheet.cell(row=row, column=column)
        if merged is not None:
            doubts.append(Doubt("merged", f"{entry.sheet}!{merged.coord}"))
            cell = sheet.cell(row=merged.min_row, column=merged.min_col)
        text = _text(cell.value)
        if cell.data_type == "f" or not isinstance(cell.value, str | int | float | type(None)):
            doubts.append(Doubt("formula", text))
        if text and _invisible(cell) and not any(d.reason == "hidden_cell" for d in doubts):
            doubts.append(Doubt("hidden_cell", f"{entry.sheet}!{coordinate}"))
        comment = getattr(cell, "comment", None)
        if comment is not None and str(comment.text or "").strip():
            doubts.append(Doubt("comment", str(comment.text).strip()[:_MAX_COMMENT_CHARS]))
        kind = form.field_kind(entry.tag) or "text"
        return FieldValue(
            entry.tag,
            kind if kind != "checkbox" else "text",
            text,
            text,
            segments=(Segment("text", text),) if text else (),
            doubts=tuple(doubts),
        )

    def table(self, title: str, row: int) -> tuple[str, ...]:
        sheet = self.sheet(title)
        return tuple(_text(sheet[f"{column}{row}"].value) for column in TABLE_COLUMNS)

    def _hidden(self, sheet: Any, row: int, column: int) -> bool:
        if sheet.sheet_state != "visible":
            return True
        dimension = sheet.row_dimensions.get(row) if row in sheet.row_dimensions else None
        if dimension is not None and (
            dimension.hidden
            or (dimension.height is not None and dimension.height < _MIN_ROW_HEIGHT)
        ):
            return True
        if sheet.title not in self._hidden_columns:
            self._hidden_columns[sheet.title] = [
                (int(dim.min or 0), int(dim.max or 0))
                for dim in sheet.column_dimensions.values()
                if dim.hidden or (dim.width is not None and 0 < dim.width < 0.5)
            ]
        return any(low <= column <= high for low, high in self._hidden_columns[sheet.title])

    def _merged_range(self, sheet: Any, row: int, column: int) -> Any:
        if sheet.title not in self._merged:
            self._merged[sheet.title] = list(sheet.merged_cells.ranges)
        for merged in self._merged[sheet.title]:
            if (
                merged.min_row <= row <= merged.max_row
                and merged.min_col <= column <= merged.max_col
            ):
                return merged
        return None


_MAX_COMMENT_CHARS = 2_000


def _invisible(cell: Any) -> bool:
    """True when the cell's format hides its value: a number format of empty sections
    (``;;;``), white text or a font under 2 points."""
    sections = str(cell.number_format or "").split(";")
    if len(sections) >= 3 and not any(part.strip() for part in sections):
        return True
    font = cell.font
    if font is not None and font.sz is not None and float(font.sz) < 2:
        return True
    color = getattr(getattr(font, "color", None), "rgb", None)
    return isinstance(color, str) and color.upper() in ("FFFFFFFF", "00FFFFFF")


def _text(value: Any) -> str:
    """A cell's value as written: text as it is, a formula as its formula text, a whole number
    without ``.0``; nothing is evaluated."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = getattr(value, "text", None)  # an ArrayFormula keeps its formula in .text
    return str(text) if isinstance(text, str) else str(value)
