"""``generate --format xlsx``: kravspecifikation.xlsx as a requirement list and a response form.

Written, then reopened with openpyxl (an independent reader of the file): the columns, the
protection, the drop-down, the hidden contract with the Word form's tags and form id, and text that
looks like a formula kept as text. The slow tier also has LibreOffice open and convert it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import uuid
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from conftest import REPO
from upphandla.cli.app import app
from upphandla.documents import form
from upphandla.documents.package import GenerateRequest, generate_documents
from upphandla.documents.xlsx_contract import (
    CONTRACT_SHEET,
    NotAWorkbookForm,
    read_contract,
    text_digest,
)
from upphandla.documents.xlsx_writer import FORMULA_STARTS, REQUIREMENT_COLUMNS, reflow
from upphandla.evaluation.form_reader import read_answer_fields
from upphandla.interview.sources import AnswerSources

runner = CliRunner()
INCOME_SUPPORT = REPO / "examples" / "ekonomiskt-bistand.yaml"
DATE = ["--date", "2026-11-27"]
ANSWER_HEADERS = ["Uppfylls kravet? (Ja/Nej)", "Beskrivning", "Hänvisning"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("xlsx")
    result = runner.invoke(
        app,
        [
            "generate",
            "--answers",
            str(INCOME_SUPPORT),
            "--out",
            str(out),
            *DATE,
            "--format",
            "docx,json,xlsx",
        ],
    )
    assert result.exit_code == 0, result.output
    return out


def test_one_row_per_requirement_with_the_documented_columns(generated: Path) -> None:
    selection = json.loads((generated / "urval.json").read_text(encoding="utf-8"))
    book = load_workbook(generated / "kravspecifikation.xlsx")
    assert book.sheetnames == ["Krav", "Utvärderingsmodell", "Upphandling", CONTRACT_SHEET]
    sheet = book["Krav"]
    headers = [cell.value for cell in sheet[1]]
    assert headers == [c.header.sv for c in REQUIREMENT_COLUMNS] + ANSWER_HEADERS
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    by_id = {item["id"]: item for item in selection["requirements"]}
    assert sorted(row[0] for row in rows) == sorted(by_id)
    for row in rows:
        item = by_id[row[0]]
        assert row[2] == item["title"]
        assert row[3] == reflow(item["text"])
        assert " ".join(row[3].split()) == " ".join(item["text"].split())
        assert row[5] == ("SKA" if item["level"] == "ska" else "BÖR")
        assert row[6] in {"Ja/Nej", "Text", "Bilaga"}
        if item["level"] == "bor" and item["evaluation"]:
            assert isinstance(row[10], int | float)
            assert row[10] > 0
            assert row[11]
        else:
            assert row[10] is None


def test_texts_wrapped_by_hand_are_reflowed_for_a_cell() -> None:
    text = (
        "Leverantören ska\nlämna detta:\n\n- punkt ett\n  fortsätter,\n- punkt två.\n\nSlut\nhär."
    )
    assert reflow(text) == (
        "Leverantören ska lämna detta:\n\n- punkt ett fortsätter,\n- punkt två.\n\nSlut här."
    )


def test_only_the_answer_cells_are_unlocked_and_the_sheets_are_protected(generated: Path) -> None:
    book = load_workbook(generated / "kravspecifikation.xlsx")
    assert book.security is not None
    assert book.security.lockStructure
    contract = read_contract(book)
    answer_cells = {(entry.sheet, entry.cell) for entry in contract.fields.values()}
    for sheet in book.worksheets:
        assert sheet.protection.sheet, sheet.title
        assert sheet.protection.formatRows, sheet.title  # rows cannot be hidden
        assert sheet.protection.autoFilter, sheet.title
        assert sheet.protection.deleteRows, sheet.title
        assert sheet.protection.insertRows, sheet.title
        assert sheet.protection.sort, sheet.title
        assert not sheet.protection.formatColumns, sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                unlocked = not cell.protection.locked
                assert unlocked == ((sheet.title, cell.coordinate) in answer_cells), (
                    sheet.title,
                    cell.coordinate,
                )
    assert book[CONTRACT_SHEET].sheet_state == "hidden"


def test_the_fulfilled_column_has_a_yes_no_drop_down(generated: Path) -> None:
    book = load_workbook(generated / "kravspecifikation.xlsx")
    sheet = book["Krav"]
    validations = sheet.data_validations.dataValidation
    assert len(validations) == 1
    validation = validations[0]
    assert validation.type == "list"
    assert validation.formula1 == '"Ja,Nej"'
    assert validation.showErrorMessage
    contract = read_contract(book)
    fulfilled = {
        entry.cell
        for entry in contract.fields.values()
        if entry.field == form.RequirementField.FULFILLED
    }
    covered = {str(cell) for ranges in validation.sqref.ranges for cell in _cells(ranges.coord)}
    assert fulfilled == covered


def test_the_contract_uses_the_word_forms_tags_and_form_id(generated: Path) -> None:
    workbook = generated / "kravspecifikation.xlsx"
    contract = read_contract(workbook)
    word_tags = set(read_answer_fields((generated / "svarsbilaga.docx").read_bytes()))
    assert set(contract.fields) == word_tags
    with zipfile.ZipFile(generated / "svarsbilaga.docx") as package:
        core = package.read("docProps/custom.xml").decode()
    assert contract.form_id
    assert f">{contract.form_id}<" in core
    book = load_workbook(workbook)
    custom = {prop.name: prop.value for prop in book.custom_doc_props.props}
    assert custom[form.FORM_ID_PROPERTY] == contract.form_id
    for name in form.PROPERTIES:
        assert name in contract.properties
    sheet = book["Krav"]
    for tag, entry in contract.fields.items():
        if entry.requirement_id:
            assert sheet[entry.id_cell].value == entry.requirement_id, tag
            assert text_digest(sheet[entry.text_cell].value) == entry.text_sha256
            assert text_digest(sheet[entry.title_cell].value) == entry.title_sha256
        else:
            assert book[entry.sheet][entry.cell].protection.locked is False
    cells = contract.cells()
    first = next(entry for entry in contract.fields.values() if entry.requirement_id)
    assert cells[form.field_tag(first.requirement_id, form.RequirementField.FULFILLED)] == "Krav!O2"
    assert cells[form.supplier_tag(form.SupplierField.NAME)].startswith("Upphandling!B")


def test_a_workbook_without_a_contract_is_not_a_form(tmp_path: Path) -> None:
    path = tmp_path / "other.xlsx"
    Workbook().save(path)
    with pytest.raises(NotAWorkbookForm):
        read_contract(path)


PAYLOADS = [
    '=HYPERLINK("http://example.invalid","x")',
    "+1+1",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
]


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path: Path) -> None:
    """From the answers (title, organisation, purpose) and from the library (edited texts)."""
    request = GenerateRequest(
        answers=AnswerSources(
            answers_path=INCOME_SUPPORT,
            set_options=(
                f"procurement_title={PAYLOADS[0]}",
                f"organisation={PAYLOADS[3]}",
                f"purpose={PAYLOADS[1]}",
            ),
        ),
        out=tmp_path / "ut",
        formats="xlsx",
        date="2026-11-27",
    )
    documents = generate_documents(request)
    data = documents.files[tmp_path / "ut" / "kravspecifikation.xlsx"]
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as package:
        sheets = [name for name in package.namelist() if name.startswith("xl/worksheets/")]
        assert all(b"<f>" not in package.read(name) for name in sheets)
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    book = load_workbook(path)
    facts = {row[0]: row[1] for row in book["Upphandling"].iter_rows(values_only=True) if row[0]}
    assert facts["Upphandling"] == PAYLOADS[0]
    assert facts["Organisation"] == PAYLOADS[3]
    assert facts["Syfte"] == PAYLOADS[1]
    cell = next(c for c in book["Upphandling"]["B"] if c.value == PAYLOADS[0])
    assert cell.data_type == "s"
    assert cell.quotePrefix


def test_library_text_that_looks_like_a_formula_is_text(tmp_path: Path) -> None:
    from upphandla.documents.context import build_context
    from upphandla.documents.package import prepare_documents
    from upphandla.documents.xlsx_writer import render_xlsx

    run = prepare_documents(GenerateRequest(answers=AnswerSources(answers_path=INCOME_SUPPORT)))
    import datetime

    context = build_context(run.selection, "sv", datetime.date(2026, 11, 27))
    for index, requirement in enumerate(context["requirements"]):
        payload = PAYLOADS[index % len(PAYLOADS)]
        requirement["title"] = payload
        requirement["text"] = payload + " och mer"
        requirement["evidence"] = payload
    path = tmp_path / "book.xlsx"
    path.write_bytes(render_xlsx(run.selection, context, "sv"))
    with zipfile.ZipFile(path) as package:
        assert b"<f>" not in package.read("xl/worksheets/sheet1.xml")
    book = load_workbook(path)
    sheet = book["Krav"]
    for row in sheet.iter_rows(min_row=2):
        for cell in row[:14]:
            if isinstance(cell.value, str):
                assert cell.data_type == "s"
                assert cell.quotePrefix == cell.value.startswith(FORMULA_STARTS)
    contract = read_contract(book)
    for entry in contract.fields.values():
        if entry.requirement_id:
            assert text_digest(sheet[entry.text_cell].value) == entry.text_sha256
    # What a supplier types into an answer cell stays text: the cells are formatted as text.
    for entry in contract.fields.values():
        assert book[entry.sheet][entry.cell].number_format == "@"


def test_xlsx_is_opt_in_and_unknown_formats_are_named(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["generate", "--answers", str(INCOME_SUPPORT), "--out", str(tmp_path / "a"), *DATE]
    )
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "a" / "kravspecifikation.xlsx").exists()
    result = runner.invoke(
        app,
        [
            "generate",
            "--answers",
            str(INCOME_SUPPORT),
            "--out",
            str(tmp_path / "b"),
            "--format",
            "xlsx,xls",
        ],
    )
    assert result.exit_code == 2
    assert "okänt format: xls; välj docx, md, json, xlsx" in result.output
    assert not (tmp_path / "b").exists()


def test_english_workbook(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "generate",
            "--answers",
            str(INCOME_SUPPORT),
            "--out",
            str(tmp_path),
            *DATE,
            "--lang",
            "en",
            "--format",
            "xlsx",
        ],
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "kravspecifikation.xlsx")
    assert book.sheetnames[:3] == ["Requirements", "Evaluation model", "Procurement"]
    assert book["Requirements"].data_validations.dataValidation[0].formula1 == '"Yes,No"'


@pytest.mark.slow
def test_libreoffice_opens_the_workbook_and_keeps_it(generated: Path, tmp_path: Path) -> None:
    """LibreOffice converts it to .ods and back to .xlsx; texts, contract and protection survive."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = generated / "kravspecifikation.xlsx"
    ods = _soffice(source, "ods", tmp_path / "ods")
    back = _soffice(ods, "xlsx", tmp_path / "xlsx")
    original = load_workbook(source)
    resaved = load_workbook(back)
    assert resaved.sheetnames == original.sheetnames
    for row_a, row_b in zip(
        original["Krav"].iter_rows(values_only=True),
        resaved["Krav"].iter_rows(values_only=True),
        strict=False,
    ):
        assert row_a[:4] == row_b[:4]
    contract = read_contract(back)
    assert contract.cells() == read_contract(source).cells()
    sheet = resaved["Krav"]
    for entry in contract.fields.values():
        if entry.requirement_id:
            assert text_digest(sheet[entry.text_cell].value) == entry.text_sha256
    assert resaved["Krav"].protection.sheet
    validations = resaved["Krav"].data_validations.dataValidation
    assert [v.type for v in validations] == ["list"]
    assert validations[0].formula1 == '"Ja,Nej"'
    assert resaved["Krav"]["O2"].protection.locked is False
    assert resaved["Krav"]["N2"].protection.locked is True
    assert resaved[CONTRACT_SHEET].sheet_state == "hidden"
    pdf = _soffice(source, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 10_000


def _cells(coord: str) -> list[str]:
    from openpyxl.utils import get_column_letter
    from openpyxl.utils.cell import range_boundaries

    low_col, low_row, high_col, high_row = range_boundaries(coord)
    assert low_col is not None
    assert low_row is not None
    assert high_col is not None
    assert high_row is not None
    return [
        f"{get_column_letter(col)}{row}"
        for col in range(low_col, high_col + 1)
        for row in range(low_row, high_row + 1)
    ]


def _soffice(source: Path, target_format: str, outdir: Path) -> Path:
    profile = Path("/tmp") / f"lo-profile-{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--norestore",
                f"-env:UserInstallation=file://{profile}",
                "--convert-to",
                target_format,
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    result = outdir / f"{source.stem}.{target_format}"
    assert result.is_file(), f"LibreOffice wrote no {target_format}"
    return result


def test_a_text_too_long_for_a_cell_is_located(tmp_path: Path) -> None:
    import datetime

    from upphandla.documents.context import build_context
    from upphandla.documents.package import prepare_documents
    from upphandla.documents.xlsx_writer import CELL_LIMIT, CellTextError, render_xlsx

    run = prepare_documents(GenerateRequest(answers=AnswerSources(answers_path=INCOME_SUPPORT)))
    context = build_context(run.selection, "sv", datetime.date(2026, 11, 27))
    context["requirements"][1]["text"] = "x" * (CELL_LIMIT + 1)
    with pytest.raises(CellTextError) as raised:
        render_xlsx(run.selection, context, "sv")
    assert raised.value.where == "Krav!D3"


def test_same_answers_give_the_same_workbook(generated: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "generate",
            "--answers",
            str(INCOME_SUPPORT),
            "--out",
            str(tmp_path),
            *DATE,
            "--format",
            "xlsx",
        ],
    )
    assert result.exit_code == 0, result.output
    again = (tmp_path / "kravspecifikation.xlsx").read_bytes()
    assert again == (generated / "kravspecifikation.xlsx").read_bytes()
    with zipfile.ZipFile(tmp_path / "kravspecifikation.xlsx") as package:
        assert b"2026-11-27T00:00:00Z" in package.read("docProps/core.xml")


def test_answers_filled_in_by_the_contract_cells_read_back_by_tag(
    generated: Path, tmp_path: Path
) -> None:
    """What a reader will do: find each answer by its tag through the contract."""
    book = load_workbook(generated / "kravspecifikation.xlsx")
    contract = read_contract(book)
    answers = {}
    for tag, entry in contract.fields.items():
        value = {"fulfilled": "Ja", "description": f"Svar på {tag}", "reference": "Bilaga 3"}.get(
            entry.field, f"=leverantör {tag}"
        )
        book[entry.sheet][entry.cell].value = value
        answers[tag] = value
    filled = tmp_path / "ifylld.xlsx"
    book.save(filled)
    reopened = load_workbook(filled)
    contract = read_contract(filled)
    for tag, where in contract.cells().items():
        sheet, cell = where.split("!")
        assert reopened[sheet][cell].value == answers[tag]
        # A formula written into an answer cell (here by openpyxl, as a careless tool might) is
        # visible to a reader as a formula, never as its result.
        assert (reopened[sheet][cell].data_type == "f") == answers[tag].startswith("=")


def test_contract_of_a_file_that_is_no_workbook(generated: Path, tmp_path: Path) -> None:
    from upphandla.safe_zip import UnsafePackageError

    with pytest.raises(NotAWorkbookForm):
        read_contract(generated / "svarsbilaga.docx")
    text = tmp_path / "text.xlsx"
    text.write_text("inte en arbetsbok", encoding="utf-8")
    with pytest.raises(UnsafePackageError):
        read_contract(text)
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/worksheets/sheet1.xml", b"\0" * (65 * 1024 * 1024))
    with pytest.raises(UnsafePackageError):
        read_contract(bomb)
