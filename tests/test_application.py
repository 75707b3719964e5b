"""The Python API without Typer: one request in, one result out, nothing written until asked."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import pytest

from conftest import REPO, WriteLibrary
from fill_form import fill_form
from upphandla import (
    AnswerSources,
    DeclareRequest,
    EvaluateRequest,
    ExplainRequest,
    GenerateRequest,
    InterviewInterrupted,
    InterviewRequest,
    ProblemsError,
    RequestError,
    ScriptedPrompter,
    check_libraries,
    evaluate_bids,
    explain,
    generate_declaration,
    generate_documents,
    parse_price_options,
    run_interview_session,
)
from upphandla.interview.answers import read_answers_file

INCOME_SUPPORT = REPO / "examples" / "ekonomiskt-bistand.yaml"
FROM_EXAMPLE = AnswerSources(answers_path=INCOME_SUPPORT)
DATE = datetime.date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No upphandla.toml from the working folder; relative paths land in tmp_path."""
    monkeypatch.chdir(tmp_path)


def test_generate_plans_every_file_and_writes_nothing_until_asked(tmp_path: Path) -> None:
    out = tmp_path / "ut"
    documents = generate_documents(GenerateRequest(answers=FROM_EXAMPLE, out=out, date=DATE))
    assert sorted(path.name for path in documents.files) == [
        "beslutsunderlag.docx",
        "kravbilaga.docx",
        "svar.yaml",
        "svarsbilaga.docx",
        "urval.json",
    ]
    assert all(path.parent == out for path in documents.files)
    assert documents.options.language == "sv"
    assert documents.selection.answers["organisation"] == "Malmö stad"
    assert not out.exists()
    assert sorted(documents.write()) == sorted(documents.files)
    assert sorted(path.name for path in out.iterdir()) == sorted(
        path.name for path in documents.files
    )


def test_generate_names_the_folder_after_the_procurement_and_takes_formats() -> None:
    documents = generate_documents(
        GenerateRequest(answers=FROM_EXAMPLE, formats=("md",), language="en", date=DATE)
    )
    folder = Path("ai-stod-for-handlaggning-av-ekonomiskt-bistand")
    assert set(documents.files) == {
        folder / "kravbilaga.md",
        folder / "svarsbilaga.md",
        folder / "beslutsunderlag.md",
        folder / "svar.yaml",
    }
    assert "Requirement appendix" in documents.files[folder / "kravbilaga.md"].decode()
    assert not folder.exists()


def test_a_bad_format_or_date_is_a_request_error() -> None:
    with pytest.raises(RequestError) as bad_format:
        generate_documents(GenerateRequest(answers=FROM_EXAMPLE, formats="pdf"))
    assert bad_format.value.field == "formats"
    with pytest.raises(RequestError) as bad_date:
        generate_documents(GenerateRequest(answers=FROM_EXAMPLE, date="27/11/2026"))
    assert bad_date.value.field == "date"


def test_declaration_and_explanation_from_the_same_answers(tmp_path: Path) -> None:
    declaration = generate_declaration(DeclareRequest(answers=FROM_EXAMPLE, out=tmp_path / "d"))
    assert sorted(path.name for path in declaration.files) == [
        "transparensdeklaration.docx",
        "transparensdeklaration.md",
    ]
    explanation = explain(ExplainRequest(FROM_EXAMPLE, "json"))
    assert explanation.selection.risk_class == declaration.selection.risk_class
    assert explanation.text.lstrip().startswith("{")


def without(line: str, folder: Path) -> Path:
    """A copy of the example without one answer line."""
    copy = folder / "start.yaml"
    text = INCOME_SUPPORT.read_text(encoding="utf-8")
    assert line in text
    copy.write_text(text.replace(line, ""), encoding="utf-8")
    return copy


def test_interview_session_asks_only_what_is_missing_and_saves_each_answer(
    tmp_path: Path,
) -> None:
    start = without("  reference_number: SOF 2026/118\n", tmp_path)
    saved: list[str] = []
    # The example leaves the optional go-live date open, so it is asked too: "" keeps it open.
    prompter = ScriptedPrompter(["SOF 2027/1", "", ""])
    request = InterviewRequest(output=tmp_path / "svar.yaml", answers=start)
    result = run_interview_session(request, prompter, saved.append)
    assert prompter.asked[0] == "reference_number"
    assert "organisation" not in prompter.asked
    assert result.answers["reference_number"] == "SOF 2027/1"
    assert result.output == tmp_path / "svar.yaml"
    assert len(saved) == len(prompter.asked) + 1  # after each answer, and once complete
    assert not (tmp_path / "svar.yaml").exists()  # the caller's save decides where it goes


def test_interview_session_keeps_the_answers_on_ctrl_c(tmp_path: Path) -> None:
    start = without("  reference_number: SOF 2026/118\n", tmp_path)
    output = tmp_path / "svar.yaml"
    with pytest.raises(InterviewInterrupted) as stop:
        run_interview_session(
            InterviewRequest(output=output, answers=start), ScriptedPrompter([KeyboardInterrupt()])
        )
    assert stop.value.answers["organisation"] == "Malmö stad"
    partial = read_answers_file(output)
    assert partial.complete is False
    assert partial.answers["procurement_title"].value.startswith("AI-stöd")


def test_interview_without_a_prompter_needs_complete_answers(tmp_path: Path) -> None:
    start = without(
        "  procurement_title: AI-stöd för handläggning av ekonomiskt bistånd\n", tmp_path
    )
    with pytest.raises(ProblemsError, match="procurement_title"):
        run_interview_session(
            InterviewRequest(output=tmp_path / "svar.yaml", answers=start), None, lambda text: None
        )


def filled_forms(folder: Path) -> list[Path]:
    """The example's response form filled in by three suppliers (see tests/test_evaluate.py):
    Alfa meets everything, Beta answers one SKA requirement Nej, Cirkel writes with tracked
    changes and meets no BÖR requirement."""
    blank = generate_documents(GenerateRequest(answers=FROM_EXAMPLE, out=folder, date=DATE))
    blank.write()
    requirements = json.loads((folder / "urval.json").read_text(encoding="utf-8"))["requirements"]
    ska = [r["id"] for r in requirements if r["level"] == "ska"]
    forms = []
    for name, price, no, tracked in (
        ("Alfa Analys AB", "1 250 000 kr", (), False),
        ("Beta Data AB", "1 100 000", (ska[0],), False),
        ("Cirkel IT AB", "1400000 SEK", (), True),
    ):
        answers = {"supplier.name": name, "supplier.price": price}
        for requirement in requirements:
            identifier = requirement["id"]
            meets = identifier not in no and (requirement["level"] == "ska" or name[0] == "A")
            answers[f"{identifier}.fulfilled"] = "Ja" if meets else "Nej"
            answers[f"{identifier}.description"] = f"{name} om {identifier}."
        target = folder / f"{name.split()[0].lower()}.docx"
        forms.append(fill_form(folder / "svarsbilaga.docx", target, answers, tracked=tracked))
    return forms


def test_evaluate_bids_plans_the_report_and_writes_nothing_until_asked(tmp_path: Path) -> None:
    forms = filled_forms(tmp_path / "anbud")
    out = tmp_path / "utvardering"
    prices = parse_price_options(["Cirkel IT AB=900 000", "cirkel IT AB=1"])
    assert prices == {"Cirkel IT AB": 900_000, "cirkel IT AB": 1}
    result = evaluate_bids(
        EvaluateRequest(
            answers=FROM_EXAMPLE, forms=forms, prices={"Cirkel IT AB": 900_000}, out=out, date=DATE
        )
    )
    ranked = [(s.response.name, s.rank, s.status) for s in result.evaluation.suppliers]
    # Cirkel answered one SKA "Ja, från 2028": to be assessed, never ranked nor excluded.
    assert ranked == [
        ("Alfa Analys AB", 1, "qualified"),
        ("Beta Data AB", None, "not_qualified"),
        ("Cirkel IT AB", None, "to_review"),
    ]
    assert not result.evaluation.decided
    cirkel = next(s for s in result.evaluation.suppliers if s.response.name == "Cirkel IT AB")
    assert (cirkel.price, cirkel.price_from_option) == (900_000, True)
    assert sorted(path.name for path in result.files) == ["utvardering.docx", "utvardering.json"]
    assert result.selection.answers["organisation"] == "Malmö stad"
    assert not out.exists()
    assert sorted(result.write()) == sorted(result.files)
    data = json.loads((out / "utvardering.json").read_text(encoding="utf-8"))
    assert [s["name"] for s in data["suppliers"]] == [name for name, _, _ in ranked]


def test_evaluate_bids_refuses_a_bad_price_and_lists_an_unreadable_form(tmp_path: Path) -> None:
    with pytest.raises(RequestError) as bad_price:
        parse_price_options(["Alfa AB=1250000", "nonsense"], "en")
    assert bad_price.value.field == "prices"
    assert (
        str(bad_price.value) == "'nonsense': write SUPPLIER=AMOUNT, for example 'Alfa AB=1250000'"
    )
    # A form that cannot be read does not stop the run: it is listed, to assess by hand.
    missing = tmp_path / "saknas.docx"
    result = evaluate_bids(EvaluateRequest(answers=FROM_EXAMPLE, forms=[missing], out=tmp_path))
    assert [problem.location.file for problem in result.evaluation.unread] == [missing]
    assert not result.evaluation.decided
    assert result.evaluation.suppliers == ()


def test_check_libraries_counts_the_problems_of_each_library(
    write_library: WriteLibrary,
) -> None:
    bundled = check_libraries(strict=True)
    assert [checked.name for checked in bundled.libraries] == ["default"]
    assert (bundled.errors, bundled.warnings, bundled.failed) == (0, 0, False)
    default = bundled.libraries[0]
    assert default.library is not None
    assert (default.questions, default.requirements) == (
        len(default.library.questions),
        len(default.library.requirements),
    )
    broken = write_library(files={"bad.yaml": "requirements:\n  - id: R-2\n    levle: ska\n"})
    check = check_libraries([broken, default.library.chain[0].path])
    bad, good = check.libraries
    assert (bad.name, bad.library, bad.questions) == (str(broken), None, None)
    assert bad.errors == len(bad.problems) > 0
    located = f"{broken / 'bad.yaml'}:3:5: error: Unknown field 'levle'"
    assert any(problem.render("en").startswith(located) for problem in bad.problems)
    assert (good.name, good.errors, good.failed()) == ("default", 0, False)
    assert (check.errors, check.failed) == (bad.errors, True)
