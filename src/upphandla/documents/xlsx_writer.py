"""``kravspecifikation.xlsx``: the requirement specification as a workbook, and a response form.

One row per requirement on the first sheet, with the columns an e-procurement system's requirement
module asks for (docs/spreadsheet.md), then three answer columns that are the only unlocked cells
of the protected sheet; the evaluation model and the procurement's facts (with the supplier's own
fields) on their own sheets; the form contract on a hidden sheet (``xlsx_contract``).

Every text is written as a string cell, never as a formula: a value that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is also marked quote-prefixed, so that neither Excel nor
LibreOffice turns it into a formula when a person edits the cell, and the answer cells are
formatted as text, so that what a supplier types there stays text.

openpyxl is imported here only, and this module only when xlsx is asked for.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from upphandla import __version__
from upphandla.documents import form
from upphandla.documents.xlsx_contract import (
    CONTRACT_FORMAT,
    CONTRACT_FORMAT_PROPERTY,
    CONTRACT_SHEET,
    FIELD_HEADER,
    WORKBOOK_NAME,
    text_digest,
)
from upphandla.library.model import Kind, Verification
from upphandla.records import record
from upphandla.selection.select import Included, Selection
from upphandla.text import Language, Text

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

LIST_ITEM = re.compile(r"^(?:[-*•]|\d+[.)])\s")
"""A line that starts a list item in a library text."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet (or a paste into one) take text for a formula."""

FONT = "Calibri"
"""The workbook's font (openpyxl's default); bold cells name it too, or LibreOffice shows a serif."""

VALUE_FORMAT = "#,##0.##"
"""Points, kronor and percent: thousands grouped, at most two decimals."""

CELL_LIMIT = 32_767
"""The most characters an Excel cell holds."""


class AnswerType:
    """The answer an e-procurement requirement module asks for, as the column ``Svarstyp`` says."""

    YES_NO = Text("Ja/Nej", "Yes/No")
    TEXT = Text("Text", "Text")
    ATTACHMENT = Text("Bilaga", "Attachment")
    NUMBER = Text("Tal", "Number")
    PRICE = Text("Pris", "Price")


ATTACHMENT_VERIFICATIONS = frozenset(
    {Verification.DOCUMENT, Verification.CERTIFICATE, Verification.AUDIT}
)


def answer_type(item: Included) -> Text:
    """The answer type of a requirement in a requirement module.

    A contract condition is accepted or not (yes/no). A requirement shown by a document, a
    certificate or an audit report asks for an attachment; one shown by a description asks for
    text; one shown by a self-declaration, a demonstration or a test asks for yes/no (the
    demonstration or test comes later). Number and price are the supplier's fields (the price on
    the procurement sheet), not those of the bundled library's requirements.
    """
    verification = set(item.requirement.verification)
    if item.kind is Kind.CONTRACT:
        return AnswerType.YES_NO
    if verification & ATTACHMENT_VERIFICATIONS:
        return AnswerType.ATTACHMENT
    if Verification.DESCRIPTION in verification:
        return AnswerType.TEXT
    return AnswerType.YES_NO


@record
class Column:
    """A column of the requirement sheet: its header in both languages and its width."""

    key: str
    header: Text
    width: float


REQUIREMENT_COLUMNS: tuple[Column, ...] = (
    Column("id", Text("Id", "Id"), 13),
    Column("area", Text("Område", "Area"), 20),
    Column("title", Text("Rubrik", "Title"), 30),
    Column("text", Text("Kravtext", "Requirement text"), 70),
    Column("kind", Text("Kravtyp (LOU)", "Requirement type (LOU)"), 22),
    Column("level", Text("SKA/BÖR", "SKA/BÖR"), 10),
    Column("answer_type", Text("Svarstyp", "Answer type"), 11),
    Column("verification", Text("Verifiering", "Verification"), 20),
    Column("evidence", Text("Underlag", "Evidence"), 35),
    Column("phase", Text("Fas", "Phase"), 16),
    Column("evaluation", Text("Utvärdering", "Evaluation"), 13),
    Column("unit", Text("Enhet", "Unit"), 9),
    Column("references", Text("Lagrum", "Legal references"), 28),
    Column("guidance", Text("Vägledning", "Guidance"), 22),
)
"""The requirement columns, A to N: what a buyer copies into a requirement module."""

ANSWER_COLUMNS: tuple[tuple[form.RequirementField, Column], ...] = (
    (
        form.RequirementField.FULFILLED,
        Column("fulfilled", Text("Uppfylls kravet? (Ja/Nej)", "Is it met? (Yes/No)"), 14),
    ),
    (
        form.RequirementField.DESCRIPTION,
        Column("description", Text("Beskrivning", "Description"), 45),
    ),
    (
        form.RequirementField.REFERENCE,
        Column("reference", Text("Hänvisning", "Reference"), 25),
    ),
)
"""The supplier's columns, O to Q: the only cells of the requirement sheet that are unlocked."""

SHEET_NAMES: dict[str, Text] = {
    "requirements": Text("Krav", "Requirements"),
    "evaluation": Text("Utvärderingsmodell", "Evaluation model"),
    "procurement": Text("Upphandling", "Procurement"),
}

SUPPLIER_LABELS: dict[form.SupplierField, Text] = {
    form.SupplierField.NAME: Text("Leverantörens namn", "Supplier's name"),
    form.SupplierField.ORG_NUMBER: Text("Organisationsnummer", "Company registration number"),
    form.SupplierField.CONTACT: Text("Kontaktperson", "Contact person"),
    form.SupplierField.CONTACT_DETAILS: Text("E-post och telefon", "Email and telephone"),
    form.SupplierField.PRICE: Text(
        "Anbudspris i kronor, utan moms", "Tender price in SEK, excluding VAT"
    ),
}

UNITS: dict[str, Text] = {
    "points": Text("poäng", "points"),
    "SEK": Text("kr", "SEK"),
    "percent": Text("%", "%"),
}


def reflow(text: str) -> str:
    """A library text as one cell shows it: the lines of a paragraph joined, a list item per
    line, a blank line between paragraphs (the texts are wrapped by hand in the YAML)."""
    paragraphs: list[list[str]] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            if current:
                paragraphs.append(current)
                current = []
            continue
        if current and not LIST_ITEM.match(line) and not LIST_ITEM.match(current[-1]):
            current[-1] = f"{current[-1]} {line}"
        elif current and not LIST_ITEM.match(line) and raw[:1].isspace():
            current[-1] = f"{current[-1]} {line}"  # a list item continued on the next line
        else:
            current.append(line)
    if current:
        paragraphs.append(current)
    return "\n\n".join("\n".join(lines) for lines in paragraphs)


class CellTextError(ValueError):
    """A text that a spreadsheet cell cannot hold; ``where`` names sheet and cell."""

    def __init__(self, where: str, reason: str) -> None:
        self.where = where
        super().__init__(f"{where}: {reason}")


def render_xlsx(selection: Selection, context: dict[str, Any], language: Language) -> bytes:
    """The workbook's bytes, from the selection and the documents' context (``build_context``)."""
    from openpyxl import Workbook
    from openpyxl.packaging.custom import StringProperty
    from openpyxl.workbook.protection import WorkbookProtection

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAMES["requirements"].in_language(language)
    evaluation_sheet = book.create_sheet(SHEET_NAMES["evaluation"].in_language(language))
    facts_sheet = book.create_sheet(SHEET_NAMES["procurement"].in_language(language))
    contract_sheet = book.create_sheet(CONTRACT_SHEET)

    fields = _requirement_sheet(sheet, selection, context, language)
    _evaluation_sheet(evaluation_sheet, context, language)
    fields += _procurement_sheet(facts_sheet, context, language)
    properties = _properties(context, language)
    _contract_sheet(contract_sheet, properties, fields)
    contract_sheet.sheet_state = "hidden"

    for name, value in properties:
        # custom_doc_props is openpyxl 3.1's; the stubs do not have it yet
        book.custom_doc_props.append(StringProperty(name=name, value=value))  # type: ignore[attr-defined]
    book.properties.title = _clean(str(context["procurement"]["title"]))
    book.properties.creator = "upphandla"
    book.properties.lastModifiedBy = "upphandla"
    # The structure is locked so that the contract sheet cannot be shown, renamed or moved
    # without removing the protection first (a reader notices that); no password, as the
    # protection is against mistakes, not an adversary.
    book.security = WorkbookProtection(lockStructure=True)
    output = io.BytesIO()
    book.save(output)
    return _repeatable(output.getvalue(), str(context["today_iso"]))


_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _repeatable(package: bytes, today: str) -> bytes:
    """The same answers give the same bytes: openpyxl stamps the time of saving into the core
    properties and the zip entries; both become the documents' date."""
    year, month, day = (int(part) for part in today.split("-"))
    stamp = f"{today}T00:00:00Z".encode()
    result = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(package)) as source,
        zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATES.sub(lambda m: m.group(1) + stamp + m.group(3), data)
            entry = zipfile.ZipInfo(info.filename, date_time=(year, month, day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return result.getvalue()


# ---------------------------------------------------------------------------------------------
# The sheets


def _requirement_sheet(
    sheet: Worksheet, selection: Selection, context: dict[str, Any], language: Language
) -> list[list[str]]:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    by_id = {item.requirement.id: item for item in selection.included}
    area_titles = {area["id"]: area["title"] for area in context["areas"]}
    unit = UNITS.get(context["evaluation"]["unit"])
    columns = [*REQUIREMENT_COLUMNS, *(column for _, column in ANSWER_COLUMNS)]
    header_font = Font(name=FONT, bold=True)
    header_fill = PatternFill("solid", fgColor="D9D9D9")
    answer_fill = PatternFill("solid", fgColor="FFF8DC")
    wrap = Alignment(wrap_text=True, vertical="top")
    for index, column in enumerate(columns, start=1):
        cell = _put(sheet, 1, index, column.header.in_language(language))
        cell.font = header_font
        cell.fill = header_fill
        cell.alignment = wrap
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 2 * LINE_HEIGHT + 4  # headers wrap in narrow columns
    first_answer = len(REQUIREMENT_COLUMNS) + 1
    yes, no = form.FULFILLED_CHOICES[language]
    choice = DataValidation(
        type="list",
        formula1=f'"{yes},{no}"',
        allow_blank=True,
        showDropDown=False,  # openpyxl's name for "hide the in-cell arrow"; False shows it
        showErrorMessage=True,
        errorTitle=Text("Välj Ja eller Nej", "Choose Yes or No").in_language(language),
        error=Text(
            f"Svara {yes} eller {no}. Beskriv hur kravet uppfylls i kolumnen Beskrivning.",
            f"Answer {yes} or {no}. Describe how the requirement is met in the Description column.",
        ).in_language(language),
        showInputMessage=True,
        promptTitle=Text("Svar", "Answer").in_language(language),
        prompt=f"{yes} / {no}",
    )
    sheet.add_data_validation(choice)
    fields: list[list[str]] = []
    row = 1
    for r in context["requirements"]:
        row += 1
        item = by_id[r["id"]]
        values: dict[str, Any] = {
            "id": r["id"],
            "area": area_titles.get(r["area"], r["area"]),
            "title": r["title"],
            "text": reflow(r["text"]),
            "kind": r["kind_label"],
            "level": r["level"],
            "answer_type": answer_type(item).in_language(language),
            "verification": r["verification"],
            "evidence": reflow(r["evidence"]),
            "phase": r["phase"],
            "evaluation": _evaluation_value(r, context["evaluation"]["model"]),  # a number
            "unit": "",
            "references": r["references"],
            "guidance": r["guidance_references"],
        }
        if values["evaluation"] is not None and unit is not None:
            values["unit"] = unit.in_language(language)
        cells: dict[str, str] = {}
        lines = 1
        for index, column in enumerate(REQUIREMENT_COLUMNS, start=1):
            cell = _put(sheet, row, index, values[column.key])
            cell.alignment = wrap
            cells[column.key] = cell.coordinate
            if column.key == "evaluation":
                cell.number_format = VALUE_FORMAT
            lines = max(lines, _line_count(cell.value, column.width))
        # Neither Excel nor LibreOffice fits the height of a row it did not lay out itself, so
        # the height is estimated from the longest wrapped cell.
        sheet.row_dimensions[row].height = min(ROW_HEIGHT_LIMIT, LINE_HEIGHT * lines + 4)
        title_digest = text_digest(values["title"])
        text_sha = text_digest(values["text"])
        for offset, (field, _) in enumerate(ANSWER_COLUMNS):
            cell = _cell(sheet, row, first_answer + offset)
            cell.protection = Protection(locked=False)
            cell.number_format = "@"
            cell.fill = answer_fill
            cell.alignment = wrap
            if field is form.RequirementField.FULFILLED:
                choice.add(cell.coordinate)
            fields.append(
                [
                    form.field_tag(r["id"], field),
                    r["id"],
                    field.value,
                    sheet.title,
                    cell.coordinate,
                    cells["id"],
                    cells["title"],
                    cells["text"],
                    title_digest,
                    text_sha,
                    item.kind.value,
                    item.level.value,
                ]
            )
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(row, 2)}"
    sheet.print_title_rows = "1:1"
    _landscape(sheet)
    _protect(sheet)
    return fields


LINE_HEIGHT = 13.0
"""Points per line of 11-point Calibri, the workbook's default font."""

ROW_HEIGHT_LIMIT = 409.0
"""The tallest row Excel allows, in points."""


def _line_count(value: Any, width: float) -> int:
    """How many lines ``value`` wraps into in a column ``width`` characters wide (an estimate)."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(1, int(width * 1.2))
    return sum(max(1, -(-len(line) // per_line)) for line in value.split("\n"))


def _landscape(sheet: Worksheet) -> None:
    """Print on A4 landscape, every column on the width of one page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _evaluation_value(r: dict[str, Any], model: str) -> float | None:
    """The criterion's points, SEK or percent under the chosen model; None for a SKA."""
    if r["is_ska"]:
        return None
    key = {
        "points": "points",
        "price_deduction_sek": "deduction_sek",
        "price_deduction_percent": "deduction_percent",
    }.get(model)
    value = r.get(key) if key else None
    return float(value) if isinstance(value, int | float) else None


def _evaluation_sheet(sheet: Worksheet, context: dict[str, Any], language: Language) -> None:
    from openpyxl.styles import Alignment, Font

    evaluation = context["evaluation"]
    unit = UNITS.get(evaluation["unit"])
    unit_text = unit.in_language(language) if unit else ""
    bold = Font(name=FONT, bold=True)
    _put(
        sheet, 1, 1, Text("Utvärderingsmodell", "Evaluation model").in_language(language)
    ).font = bold
    _put(sheet, 1, 2, evaluation["label"] or evaluation["model"])
    row = 2
    if evaluation["quality_weight"] is not None:
        _put(
            sheet,
            row,
            1,
            Text("Kvalitetens vikt (Q, %)", "Quality weight (Q, %)").in_language(language),
        )
        _put(sheet, row, 2, evaluation["quality_weight"])
        row += 1
    if evaluation["max_points"] is not None:
        _put(
            sheet,
            row,
            1,
            Text("Högsta poäng (Pmax)", "Maximum points (Pmax)").in_language(language),
        )
        _put(sheet, row, 2, evaluation["max_points"])
        row += 1
    row += 1
    headers = (
        Text("Id", "Id"),
        Text("Tilldelningskriterium", "Award criterion"),
        Text("Värde", "Value"),
        Text("Enhet", "Unit"),
    )
    for index, header in enumerate(headers, start=1):
        _put(sheet, row, index, header.in_language(language)).font = bold
    for criterion in evaluation["criteria"]:
        row += 1
        _put(sheet, row, 1, criterion["id"])
        _put(sheet, row, 2, criterion["title"]).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        _put(sheet, row, 3, criterion["value"]).number_format = VALUE_FORMAT
        sheet.row_dimensions[row].height = LINE_HEIGHT * _line_count(criterion["title"], 60) + 4
        _put(sheet, row, 4, unit_text)
    row += 1
    _put(sheet, row, 2, Text("Summa", "Total").in_language(language)).font = bold
    _put(sheet, row, 3, evaluation["total"]).number_format = VALUE_FORMAT
    _put(sheet, row, 4, unit_text)
    if not evaluation["criteria"]:
        _put(
            sheet,
            row + 2,
            1,
            Text(
                "Upphandlingen har inga tilldelningskriterier (BÖR-krav).",
                "The procurement has no award criteria (BÖR requirements).",
            ).in_language(language),
        )
    for letter, width in zip("ABCD", (28, 60, 12, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    _landscape(sheet)
    _protect(sheet)


def _procurement_sheet(
    sheet: Worksheet, context: dict[str, Any], language: Language
) -> list[list[str]]:
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    procurement = context["procurement"]
    library = context["library"]
    bold = Font(name=FONT, bold=True)
    facts: Sequence[tuple[Text, str]] = (
        (Text("Organisation", "Organisation"), procurement["organisation"]),
        (Text("Upphandling", "Procurement"), procurement["title"]),
        (Text("Diarienummer", "Reference number"), procurement["reference_number"]),
        (Text("Syfte", "Purpose"), procurement["purpose"]),
        (Text("Kravbibliotek", "Requirement library"), library["name"]),
        (Text("Bibliotekets id", "Library id"), library["id"]),
        (Text("Bibliotekets version", "Library version"), library["version"]),
        (
            Text("Bibliotekets kontrollsumma (SHA-256)", "Library checksum (SHA-256)"),
            library["sha256"],
        ),
        (Text("Formulär-id", "Form id"), context["form_id"]),
        (Text("Datum", "Date"), context["today_iso"]),
        (Text("Framtaget med", "Made with"), f"upphandla {__version__}"),
    )
    wrap = Alignment(wrap_text=True, vertical="top")
    row = 0
    for label, value in facts:
        row += 1
        _put(sheet, row, 1, label.in_language(language)).font = bold
        _put(sheet, row, 2, value).alignment = wrap
        sheet.row_dimensions[row].height = LINE_HEIGHT * _line_count(value, 70) + 4
    row += 2
    _put(
        sheet,
        row,
        1,
        Text(
            "Så svarar ni: fyll i de gula cellerna, här och på bladet Krav. Välj Ja eller Nej i "
            "kolumnen Uppfylls kravet?, beskriv hur kravet uppfylls och hänvisa till sida eller "
            "bilaga. Ändra inte kravtexterna och lägg inte till eller ta bort rader.",
            "How to answer: fill in the yellow cells, here and on the Requirements sheet. Choose "
            "Yes or No in the column Is it met?, describe how the requirement is met and refer to "
            "a page or an attachment. Do not change the requirement texts and do not add or "
            "delete rows.",
        ).in_language(language),
    ).alignment = wrap
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    sheet.row_dimensions[row].height = 60
    row += 2
    _put(
        sheet, row, 1, Text("Anbudsgivarens uppgifter", "The tenderer").in_language(language)
    ).font = bold
    fill = PatternFill("solid", fgColor="FFF8DC")
    fields: list[list[str]] = []
    for supplier_field, label in SUPPLIER_LABELS.items():
        row += 1
        _put(sheet, row, 1, label.in_language(language))
        cell = _cell(sheet, row, 2)
        cell.protection = Protection(locked=False)
        cell.number_format = "@"
        cell.fill = fill
        fields.append(
            [
                form.supplier_tag(supplier_field),
                "",
                supplier_field.value,
                sheet.title,
                cell.coordinate,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 70
    _landscape(sheet)
    _protect(sheet)
    return fields


def _properties(context: dict[str, Any], language: Language) -> list[tuple[str, str]]:
    """The same custom properties as the Word form's, and the contract's layout version."""
    procurement = context["procurement"]
    values = {
        form.DOCUMENT_PROPERTY: WORKBOOK_NAME,
        form.FORM_ID_PROPERTY: context["form_id"],
        form.PROCUREMENT_PROPERTY: _clean(str(procurement["title"])),
        form.LIBRARY_ID_PROPERTY: context["library"]["id"],
        form.LIBRARY_VERSION_PROPERTY: context["library"]["version"],
        form.LIBRARY_SHA256_PROPERTY: context["library"]["sha256"],
        form.LANGUAGE_PROPERTY: language,
        form.TOOL_VERSION_PROPERTY: __version__,
    }
    return [(name, values[name]) for name in form.PROPERTIES] + [
        (CONTRACT_FORMAT_PROPERTY, str(CONTRACT_FORMAT))
    ]


def _contract_sheet(
    sheet: Worksheet, properties: list[tuple[str, str]], fields: list[list[str]]
) -> None:
    row = 0
    for name, value in properties:
        row += 1
        _put(sheet, row, 1, name)
        _put(sheet, row, 2, value)
    row += 1
    for entry in (list(FIELD_HEADER), *fields):
        row += 1
        for index, value in enumerate(entry, start=1):
            if value:
                _put(sheet, row, index, value)
    _protect(sheet)


# ---------------------------------------------------------------------------------------------
# Cells


def _protect(sheet: Worksheet) -> None:
    """Protect the sheet, without a password: the unlocked cells stay editable and columns can
    be widened; rows cannot be hidden, filtered, inserted, deleted or sorted (a hidden row in a
    returned form is a doubt for the reader, so the form does not invite one)."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False  # False allows it: the flags name what is *locked*
    protection.formatRows = True
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False
    protection.autoFilter = True
    protection.sort = True


def _cell(sheet: Worksheet, row: int, column: int) -> Cell:
    from openpyxl.cell.cell import Cell

    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, Cell), "the writer never writes into a merged cell's shadow"
    return cell


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write ``value`` into a cell: text always as a string, never as a formula."""
    cell = _cell(sheet, row, column)
    if value is None or value == "":
        return cell
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = _clean(str(value))
        if len(text) > CELL_LIMIT:
            raise CellTextError(
                f"{sheet.title}!{cell.coordinate}",
                f"{len(text)} characters; a cell holds at most {CELL_LIMIT}",
            )
        try:
            cell.value = text
        except ValueError as error:  # openpyxl's IllegalCharacterError: a control character
            raise CellTextError(f"{sheet.title}!{cell.coordinate}", str(error)) from None
        # openpyxl takes a leading "=" for a formula and "#N/A" and its kind for an error
        # value; the type is set back to a string, and a risky start is quote-prefixed.
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
        return cell
    cell.value = value
    return cell


def _clean(text: str) -> str:
    """Line breaks as a spreadsheet keeps them (``\\n``)."""
    return text.replace("\r\n", "\n")
