"""``upphandla evaluate`` reads filled-in response workbooks (``kravspecifikation.xlsx``) exactly
as Word forms: generate, fill with openpyxl, evaluate; the outcomes equal the Word form's filled
with the same answers, and every crafted bad workbook has its own outcome."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner, Result

from conftest import REPO
from fill_form import fill_form
from upphandla.cli.app import app
from upphandla.documents.xlsx_contract import read_contract

runner = CliRunner()
INCOME_SUPPORT = REPO / "examples" / "ekonomiskt-bistand.yaml"
GENERATED = ["--date", "2026-11-27"]
EVALUATED = ["--date", "2026-12-15"]
INJECTED = '=HYPERLINK("http://example.invalid","klicka")'


@pytest.fixture(scope="module")
def sent(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sent")
    result = runner.invoke(
        app,
        ["generate", "--answers", str(INCOME_SUPPORT), *GENERATED, "--format",
         "docx,json,xlsx", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return out


def requirement_ids(sent: Path) -> list[str]:
    contract = read_contract(sent / "kravspecifikation.xlsx")
    return list(
        dict.fromkeys(f.requirement_id for f in contract.fields.values() if f.requirement_id)
    )


def answers_for(sent: Path, name: str) -> dict[str, str]:
    """Ja to every requirement but the second (Nej) and the third (not plain); a description
    that looks like a formula; a price."""
    answers = {"supplier.name": name, "supplier.price": "1 250 000"}
    for index, identifier in enumerate(requirement_ids(sent)):
        answers[f"{identifier}.fulfilled"] = {1: "Nej", 2: "Ja, delvis"}.get(index, "Ja")
        answers[f"{identifier}.description"] = INJECTED if index == 0 else f"Så här: {identifier}"
        answers[f"{identifier}.reference"] = f"Bilaga 2, {identifier}"
    return answers


Mutation = Callable[[Any, Any], None]
"""Changes a filled workbook (openpyxl) with its contract before it is saved."""


def fill_workbook(
    sent: Path, target: Path, answers: dict[str, str], mutate: Mutation | None = None
) -> Path:
    contract = read_contract(sent / "kravspecifikation.xlsx")
    book = load_workbook(sent / "kravspecifikation.xlsx")
    for tag, text in answers.items():
        entry = contract.fields[tag]
        cell = book[entry.sheet][entry.cell]
        cell.value = text
        cell.data_type = "s"  # typed as text, as the answer cells' text format makes it
    if mutate is not None:
        mutate(book, contract)
    book.save(target)
    return target


def evaluate(forms: list[Path], out: Path) -> tuple[Result, dict[str, Any]]:
    result = runner.invoke(
        app,
        ["evaluate", *(str(p) for p in forms), "--answers", str(INCOME_SUPPORT), "--out",
         str(out), *EVALUATED],
    )  # fmt: skip
    path = out / "utvardering.json"
    data = json.loads(path.read_text("utf-8")) if path.exists() else {}
    return result, data


def outcomes(supplier: dict[str, Any]) -> list[tuple[str, str, list[str]]]:
    return [
        (a["id"], a["outcome"], [d["reason"] for d in a["doubts"]]) for a in supplier["answers"]
    ]


def supplier(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in data["suppliers"] if s["name"] == name)


def one_workbook(
    sent: Path, tmp_path: Path, mutate: Mutation, name: str = "Alfa AB"
) -> tuple[Result, dict[str, Any]]:
    path = fill_workbook(sent, tmp_path / "alfa.xlsx", answers_for(sent, name), mutate)
    return evaluate([path], tmp_path / "out")


def answer(data: dict[str, Any], identifier: str) -> dict[str, Any]:
    return next(a for a in data["suppliers"][0]["answers"] if a["id"] == identifier)


def unprotect(book: Any) -> None:
    for sheet in book.worksheets:
        sheet.protection.sheet = False


# ---------------------------------------------------------------------------------------------
# Round trip


def test_a_workbook_and_a_word_form_with_the_same_answers_have_the_same_outcomes(
    sent: Path, tmp_path: Path
) -> None:
    word = fill_form(
        sent / "svarsbilaga.docx", tmp_path / "word.docx", answers_for(sent, "Word AB")
    )
    excel = fill_workbook(sent, tmp_path / "excel.xlsx", answers_for(sent, "Excel AB"))
    result, data = evaluate([word, excel], tmp_path / "out")  # a mix in one run
    assert result.exit_code in (0, 4), result.output
    assert data["unread"] == []
    by_word, by_excel = supplier(data, "Word AB"), supplier(data, "Excel AB")
    assert outcomes(by_excel) == outcomes(by_word)
    for key in (
        "status",
        "qualified",
        "failed_ska",
        "unanswered",
        "score",
        "price",
        "reservations",
    ):
        assert by_excel[key] == by_word[key], key
    assert (by_word["form_kind"], by_excel["form_kind"]) == ("docx", "xlsx")
    ids = requirement_ids(sent)
    assert [a["outcome"] for a in by_excel["answers"][:3]] == ["yes", "no", "unclear"]
    assert by_excel["answers"][2]["doubts"][0]["detail"] == "Ja, delvis"
    # Formula injection: a supplier's text that looks like a formula stays that text.
    first = next(a for a in by_excel["answers"] if a["id"] == ids[0])
    assert first["description"] == INJECTED
    with zipfile.ZipFile(tmp_path / "out" / "utvardering.docx") as report:
        document = report.read("word/document.xml").decode("utf-8")
    # The report's own fields (page numbers) are there; the supplier's text is never one.
    assert "HYPERLINK" not in "".join(re.findall(r"<w:instrText[^>]*>[^<]*", document))
    assert "HYPERLINK" not in "".join(re.findall(r'w:instr="[^"]*"', document))
    assert '=HYPERLINK("http://example.invalid"' in document


# ---------------------------------------------------------------------------------------------
# Crafted bad workbooks, one outcome each


def test_a_formula_in_an_answer_is_read_as_written_and_doubted(sent: Path, tmp_path: Path) -> None:
    first = requirement_ids(sent)[0]

    def formula(book: Any, contract: Any) -> None:
        entry = contract.fields[f"{first}.fulfilled"]
        book[entry.sheet][entry.cell] = '=IF(1=1,"Ja","Nej")'  # openpyxl stores a formula

    _, data = one_workbook(sent, tmp_path, formula)
    found = answer(data, first)
    assert found["outcome"] == "unclear"
    assert [(d["reason"], d["detail"]) for d in found["doubts"]] == [
        ("not_plain", '=IF(1=1,"Ja","Nej")'),
        ("formula", '=IF(1=1,"Ja","Nej")'),
    ]
    assert found["fulfilled_text"] == '=IF(1=1,"Ja","Nej")'  # never calculated


def test_an_answer_in_a_hidden_row_or_column_is_doubted(sent: Path, tmp_path: Path) -> None:
    first, second = requirement_ids(sent)[:2]

    def hide(book: Any, contract: Any) -> None:
        entry = contract.fields[f"{first}.fulfilled"]
        sheet = book[entry.sheet]
        sheet.row_dimensions[int(entry.cell[1:])].hidden = True
        sheet.column_dimensions["Q"].hidden = True  # every reference

    result, data = one_workbook(sent, tmp_path, hide)
    hidden = answer(data, first)
    assert hidden["outcome"] == "unclear"
    assert [(d["reason"], d["detail"]) for d in hidden["doubts"]] == [("hidden_cell", "Krav!O2")]
    assert answer(data, second)["outcome"] == "no"  # its row is visible
    assert f"{second}.reference: Svaret står i en dold rad, kolumn eller flik (Krav!Q3)" in (
        result.output
    )


def test_merged_cells_over_an_answer_are_doubted(sent: Path, tmp_path: Path) -> None:
    first = requirement_ids(sent)[0]

    def merge(book: Any, contract: Any) -> None:
        entry = contract.fields[f"{first}.fulfilled"]
        row = int(entry.cell[1:])
        book[entry.sheet].merge_cells(f"O{row}:P{row}")

    result, data = one_workbook(sent, tmp_path, merge)
    found = answer(data, first)
    assert found["outcome"] == "unclear"
    assert [(d["reason"], d["detail"]) for d in found["doubts"]] == [("merged", "Krav!O2:P2")]
    assert found["fulfilled_text"] == "Ja"  # what the merged range shows: its first cell
    assert f"{first}.description: Svarscellen ingår i sammanfogade celler" in result.output


def test_rows_reordered_are_read_by_their_ids_and_doubted(sent: Path, tmp_path: Path) -> None:
    first, second, third = requirement_ids(sent)[:3]

    def swap(book: Any, contract: Any) -> None:
        unprotect(book)
        sheet = book[contract.fields[f"{first}.fulfilled"].sheet]
        for column in range(1, 18):
            a, b = sheet.cell(row=2, column=column), sheet.cell(row=3, column=column)
            a.value, b.value = b.value, a.value

    _, data = one_workbook(sent, tmp_path, swap)
    moved = answer(data, first)
    assert moved["outcome"] == "unclear"
    assert [d["reason"] for d in moved["doubts"]] == ["row_moved"]
    assert moved["fulfilled_text"] == "Ja"  # its own answer, read from the row it is in now
    assert answer(data, second)["fulfilled_text"] == "Nej"
    assert answer(data, third)["outcome"] == "unclear"
    assert data["suppliers"][0]["reservations"] == []  # the texts moved with their ids


def test_a_deleted_row_is_a_missing_requirement(sent: Path, tmp_path: Path) -> None:
    ids = requirement_ids(sent)
    last = ids[-1]

    def delete(book: Any, contract: Any) -> None:
        unprotect(book)
        entry = contract.fields[f"{last}.fulfilled"]
        book[entry.sheet].delete_rows(int(entry.cell[1:]))

    _, data = one_workbook(sent, tmp_path, delete)
    gone = answer(data, last)
    assert gone["outcome"] == "unclear"
    assert [d["reason"] for d in gone["doubts"]] == ["not_found"]
    kinds = [(r["requirement"], r["kind"]) for r in data["suppliers"][0]["reservations"]]
    assert (last, "table_missing") in kinds


def test_protection_removed_and_locked_cells_edited_is_a_reservation(
    sent: Path, tmp_path: Path
) -> None:
    first = requirement_ids(sent)[0]

    def edit(book: Any, contract: Any) -> None:
        unprotect(book)
        entry = contract.fields[f"{first}.fulfilled"]
        sheet = book[entry.sheet]
        sheet[entry.text_cell] = "Vi uppfyller kravet i den mån det är möjligt."
        sheet[f"F{int(entry.cell[1:])}"] = "BÖR"

    result, data = one_workbook(sent, tmp_path, edit)
    reservations = [r for r in data["suppliers"][0]["reservations"] if r["requirement"] == first]
    found = [r.get("found_text", "") for r in reservations]
    assert any("i den mån det är möjligt" in text for text in found), reservations
    assert any(text == "BÖR" for text in found), reservations
    assert "Skyddet av bladen är borttaget" in result.output


def test_a_workbook_from_another_procurement_is_not_read(sent: Path, tmp_path: Path) -> None:
    def other(book: Any, contract: Any) -> None:
        sheet = book["upphandla"]
        for row in sheet.iter_rows():
            if row[0].value == "upphandla.form_id":
                row[1].value = "0" * 16

    result, data = one_workbook(sent, tmp_path, other)
    assert result.exit_code == 4, result.output
    assert data["suppliers"] == []
    assert [u["file"] for u in data["unread"]] == [str(tmp_path / "alfa.xlsx")]
    assert "0000000000000000" in data["unread"][0]["message"]


def test_a_workbook_that_is_no_response_form_is_not_read(sent: Path, tmp_path: Path) -> None:
    book = Workbook()
    book.active["A1"] = "Ja"  # type: ignore[index]
    book.save(tmp_path / "egen.xlsx")
    result, data = evaluate([tmp_path / "egen.xlsx"], tmp_path / "out")
    assert result.exit_code == 4, result.output
    assert "har inga svarsfält" in data["unread"][0]["message"]


def test_a_zip_bomb_or_a_million_rows_is_refused(sent: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(sent / "kravspecifikation.xlsx") as source:
        parts = {name: source.read(name) for name in source.namelist()}
    original = dict(parts)
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(1, 1_000_001)
    )
    parts["xl/worksheets/sheet2.xml"] = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>' + rows + b"</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    (tmp_path / "stor.xlsx").write_bytes(buffer.getvalue())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, b" " * 300_000_000 if name.endswith("sheet1.xml") else data)
    (tmp_path / "bomb.xlsx").write_bytes(bomb.getvalue())
    # One merged range over a whole sheet: openpyxl would build an object for every cell.
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        b"</worksheet>",
        b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>',
    )
    merged = io.BytesIO()
    with zipfile.ZipFile(merged, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, original[name] if name.endswith("sheet2.xml") else data)
    (tmp_path / "sammanfogad.xlsx").write_bytes(merged.getvalue())
    files = [tmp_path / name for name in ("stor.xlsx", "bomb.xlsx", "sammanfogad.xlsx")]
    result, data = evaluate(files, tmp_path / "out")
    assert result.exit_code == 4, result.output
    assert len(data["unread"]) == 3
    assert all("för stor" in u["message"] for u in data["unread"]), data["unread"]


def test_an_english_workbook_is_read_with_yes_and_no(tmp_path: Path) -> None:
    sent = tmp_path / "sent"
    generated = runner.invoke(
        app,
        ["generate", "--answers", str(INCOME_SUPPORT), *GENERATED, "--format", "xlsx",
         "--lang", "en", "--out", str(sent)],
    )  # fmt: skip
    assert generated.exit_code == 0, generated.output
    answers = {
        tag: {1: "No", 2: "Ja"}.get(index, "Yes")
        for index, tag in enumerate(t for t in answers_for(sent, "") if t.endswith(".fulfilled"))
    }
    answers["supplier.name"] = "English Ltd"
    path = fill_workbook(sent, tmp_path / "english.xlsx", answers)
    result = runner.invoke(
        app,
        ["evaluate", str(path), "--answers", str(INCOME_SUPPORT), "--out", str(tmp_path / "out"),
         *EVALUATED, "--lang", "en"],
    )  # fmt: skip
    data = json.loads((tmp_path / "out" / "utvardering.json").read_text("utf-8"))
    found = data["suppliers"][0]
    assert [a["outcome"] for a in found["answers"][:4]] == ["yes", "no", "unclear", "yes"]
    assert (
        found["answers"][2]["doubts"][0]["message"] == "The answer ”Ja” is not a plain Yes or No."
    )
    assert found["reservations"] == []
    assert "Price deduction in SEK" in result.output


def test_protection_removed_alone_is_a_warning_not_a_reservation(
    sent: Path, tmp_path: Path
) -> None:
    result, data = one_workbook(sent, tmp_path, lambda book, _: unprotect(book))
    assert data["suppliers"][0]["reservations"] == []
    assert "Skyddet av bladen är borttaget (Krav, Utvärderingsmodell, Upphandling)" in (
        result.output
    )
    no_protection = outcomes(data["suppliers"][0])
    (tmp_path / "plain").mkdir()
    _, plain = one_workbook(sent, tmp_path / "plain", lambda book, _: None)
    assert no_protection == outcomes(plain["suppliers"][0])


def test_a_workbook_saved_as_ods_is_named_as_such(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        target.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        target.writestr("content.xml", "<office:document-content/>")
    (tmp_path / "alfa.ods").write_bytes(buffer.getvalue())
    result, data = evaluate([tmp_path / "alfa.ods"], tmp_path / "out")
    assert result.exit_code == 4, result.output
    assert data["unread"][0]["message"].startswith("Filen är ett OpenDocument-kalkylblad (.ods)")
    assert "Excel 2007-365 (.xlsx)" in data["unread"][0]["hint"]


def test_texts_written_by_another_version_are_compared_with_their_digests(
    sent: Path, tmp_path: Path
) -> None:
    from upphandla.documents.xlsx_contract import text_digest

    first, second = requirement_ids(sent)[:2]
    older = "Kravtexten så som en äldre version av upphandla skrev den."

    def older_version(book: Any, contract: Any) -> None:
        # The text and its recorded digest both differ from what this version writes: the
        # workbook was written by another version, and the supplier did not change the text.
        entry = contract.fields[f"{first}.fulfilled"]
        book[entry.sheet][entry.text_cell] = older
        for row in book["upphandla"].iter_rows():
            if row[1].value == first:
                row[9].value = text_digest(older)
        # A locked cell edited with a tool that ignores the protection: still a reservation.
        edited = contract.fields[f"{second}.fulfilled"]
        book[edited.sheet][edited.text_cell] = "Vi ändrade texten."

    result, data = one_workbook(sent, tmp_path, older_version)
    reservations = data["suppliers"][0]["reservations"]
    assert [(r["requirement"], r["found_text"]) for r in reservations] == [
        (second, "Vi ändrade texten.")
    ]
    assert "gjord med andra mallar" in result.output
    assert "Skyddet" not in result.output  # the protection is still on


def test_text_of_its_own_after_the_last_requirement_is_a_warning(
    sent: Path, tmp_path: Path
) -> None:
    def appended(book: Any, contract: Any) -> None:
        sheet = book[contract.fields[f"{requirement_ids(sent)[0]}.fulfilled"].sheet]
        sheet.cell(row=sheet.max_row + 2, column=2, value="Alla svar gäller med förbehåll.")
        sheet["R2"] = "=1+1"

    result, data = one_workbook(sent, tmp_path, appended)
    assert "Text utanför formulärets rader och kolumner i Krav!R2: ”=1+1”." in result.output
    assert "”Alla svar gäller med förbehåll.”" in result.output
    assert data["suppliers"][0]["reservations"] == []


def test_answers_on_a_hidden_sheet_are_doubted(sent: Path, tmp_path: Path) -> None:
    def hide_sheet(book: Any, contract: Any) -> None:
        book.security.lockStructure = False
        book.create_sheet("Tom")  # a visible sheet must remain
        book[contract.fields[f"{requirement_ids(sent)[0]}.fulfilled"].sheet].sheet_state = "hidden"

    _, data = one_workbook(sent, tmp_path, hide_sheet)
    answers = data["suppliers"][0]["answers"]
    assert {a["outcome"] for a in answers} == {"unclear"}
    assert all(a["doubts"][-1]["reason"] == "hidden_cell" for a in answers)


def test_a_comment_or_a_hiding_format_on_an_answer_is_doubted(sent: Path, tmp_path: Path) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    first, second, third = requirement_ids(sent)[:3]

    def decorate(book: Any, contract: Any) -> None:
        def cell(identifier: str) -> Any:
            entry = contract.fields[f"{identifier}.fulfilled"]
            return book[entry.sheet][entry.cell]

        cell(first).comment = Comment("Gäller bara från 2028.", "Alfa")
        cell(second).number_format = ";;;"
        cell(third).value = "Ja"
        cell(third).font = Font(color="FFFFFFFF")

    _, data = one_workbook(sent, tmp_path, decorate)
    assert [(d["reason"], d["detail"]) for d in answer(data, first)["doubts"]] == [
        ("comment", "Gäller bara från 2028.")
    ]
    assert answer(data, first)["outcome"] == "unclear"
    assert [d["reason"] for d in answer(data, second)["doubts"]] == ["hidden_cell"]
    assert [d["reason"] for d in answer(data, third)["doubts"]] == ["hidden_cell"]
