"""The Python API without Typer: one request in, one result out, nothing written until asked."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from conftest import REPO
from upphandla import (
    AnswerSources,
    DeclareRequest,
    ExplainRequest,
    GenerateRequest,
    InterviewInterrupted,
    InterviewRequest,
    ProblemsError,
    RequestError,
    ScriptedPrompter,
    explain,
    generate_declaration,
    generate_documents,
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
