"""The workbook form contract: what ``kravspecifikation.xlsx`` holds where, for its writer and a reader.

``kravspecifikation.xlsx`` (``generate --format xlsx``, written by ``xlsx_writer``) is both the
requirement specification a buyer pastes into an e-procurement system and a response form a
supplier fills in. Its answer cells use the **same tags and form id** as ``svarsbilaga.docx``
(``documents.form``): ``<ID>.fulfilled``, ``<ID>.description``, ``<ID>.reference`` and
``supplier.*``.

The contract is written twice:

- as **custom document properties** (``upphandla.form_id`` … the same names as the Word form's);
- on the hidden sheet ``upphandla`` (``CONTRACT_SHEET``): first the properties as name/value rows,
  then one row per answer field: its tag, requirement id, field, the sheet and cell of the answer,
  the cells of the requirement's id and text, and the SHA-256 of the requirement's title and text
  exactly as they were written (``text_digest``).

``read_contract`` lists that contract (tags → cells) from a workbook. It is the ground a reader
of filled-in workbooks builds on; it does not read or judge answers. docs/spreadsheet.md
describes the layout.
"""

from __future__ import annotations

import hashlib
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from upphandla.documents import form
from upphandla.records import record

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

WORKBOOK_NAME = "kravspecifikation"
"""The workbook's file name stem and its ``upphandla.document``."""

CONTRACT_SHEET = "upphandla"
"""The hidden sheet that carries the form contract; its name is the same in every language."""

CONTRACT_FORMAT = 1
"""The layout version of the contract sheet, written as ``upphandla.contract_format``."""

CONTRACT_FORMAT_PROPERTY = "upphandla.contract_format"

FIELD_HEADER = (
    "tag",
    "requirement_id",
    "field",
    "sheet",
    "cell",
    "id_cell",
    "title_cell",
    "text_cell",
    "title_sha256",
    "text_sha256",
    "kind",
    "level",
)
"""The columns of the contract sheet's field table, in order; the table starts below the row
whose first cell is ``tag``."""


def text_digest(text: str) -> str:
    """The SHA-256 (hex) of a text exactly as written into its cell, UTF-8 encoded."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@record
class ContractField:
    """One answer field of the workbook form and where it is."""

    tag: str
    requirement_id: str
    field: str
    sheet: str
    cell: str
    id_cell: str = ""
    title_cell: str = ""
    text_cell: str = ""
    title_sha256: str = ""
    text_sha256: str = ""
    kind: str = ""
    level: str = ""


@record
class WorkbookContract:
    """The contract a workbook says it was written with: properties and fields by tag."""

    properties: dict[str, str]
    fields: dict[str, ContractField] = field(default_factory=dict)

    @property
    def form_id(self) -> str:
        """The form id, the same as the Word form's for the same procurement."""
        return self.properties.get(form.FORM_ID_PROPERTY, "")

    def cells(self) -> dict[str, str]:
        """Each tag and its answer cell as ``Sheet!A1``."""
        return {tag: f"{entry.sheet}!{entry.cell}" for tag, entry in self.fields.items()}


class NotAWorkbookForm(ValueError):
    """The workbook has no contract sheet of a layout this version knows."""


def read_contract(source: Path | Workbook) -> WorkbookContract:
    """The contract of a workbook written by ``xlsx_writer``: properties and tag → cell.

    Reads only the hidden contract sheet (with openpyxl, values only, no formulas evaluated); a
    path is checked against the zip limits first (``safe_zip``).
    Raise ``NotAWorkbookForm`` when the file is no workbook, has no contract sheet or one of an
    unknown layout, and ``safe_zip.UnsafePackageError`` for a package past the zip limits. Whether the visible
    sheets still match it (digests, ids in their rows, formulas, hidden rows) is the reader's
    question, not this function's.
    """
    workbook = _open(source) if isinstance(source, Path) else source
    if CONTRACT_SHEET not in workbook.sheetnames:
        raise NotAWorkbookForm(f"no sheet named {CONTRACT_SHEET!r}")
    sheet = workbook[CONTRACT_SHEET]
    properties: dict[str, str] = {}
    fields: dict[str, ContractField] = {}
    in_fields = False
    for row in sheet.iter_rows(values_only=True):
        values = ["" if value is None else str(value) for value in row]
        if not any(values):
            continue
        if not in_fields:
            if tuple(values[: len(FIELD_HEADER)]) == FIELD_HEADER:
                in_fields = True
            elif values[0].startswith(form.PROPERTY_PREFIX):
                properties[values[0]] = values[1] if len(values) > 1 else ""
            continue
        padded = values + [""] * (len(FIELD_HEADER) - len(values))
        entry = ContractField(*padded[: len(FIELD_HEADER)])
        fields[entry.tag] = entry
    if properties.get(CONTRACT_FORMAT_PROPERTY) != str(CONTRACT_FORMAT) or not in_fields:
        raise NotAWorkbookForm(
            f"contract format {properties.get(CONTRACT_FORMAT_PROPERTY)!r} is not {CONTRACT_FORMAT}"
        )
    return WorkbookContract(properties, fields)


def _open(path: Path) -> Any:
    """The workbook at ``path``, after its package passed the zip limits of the Word form."""
    import io

    from openpyxl import load_workbook

    from upphandla.safe_zip import open_checked_zip

    data = path.read_bytes()
    open_checked_zip(data).close()  # UnsafePackageError for a zip bomb or a damaged package
    try:
        return load_workbook(io.BytesIO(data), read_only=False, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a package that is no workbook
        raise NotAWorkbookForm(f"not an Excel workbook ({type(error).__name__})") from None
