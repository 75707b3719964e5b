"""The interview: order, skipping, going back, help, interruption and resuming."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import DEFAULT_LIBRARY
from upphandla.cli import app as cli
from upphandla.interview.answers import read_answers_file
from upphandla.interview.flow import BACK, QuestionRequest, run_interview
from upphandla.interview.prompters import PlainPrompter, QuestionaryPrompter, ScriptedPrompter
from upphandla.library.loading import require_library
from upphandla.library.model import Library

runner = CliRunner()

# Answers in interview order for a citizen chatbot with no Annex III area.
CHATBOT_REPLIES: list[Any] = [
    "Sundsvalls kommun",
    "Chattbot för medborgarfrågor",
    "",
    "Svarar på frågor om kommunens tjänster",
    "municipality",
    ["chatbot"],
    ["saas"],
    [],
    "none",
    "none",
    False,
    True,
]


@pytest.fixture(scope="module")
def library() -> Library:
    return require_library(DEFAULT_LIBRARY)[0]


class DefaultingPrompter:
    """Scripted replies first (an exception is raised), then each question's default."""

    def __init__(self, replies: list[Any]) -> None:
        self.replies = list(replies)
        self.asked: list[str] = []

    def ask(self, request: QuestionRequest) -> Any:
        self.asked.append(request.question.id)
        if not self.replies:
            return request.default
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return reply


def test_questions_come_in_order_and_skip_what_does_not_apply(library: Library) -> None:
    prompter = DefaultingPrompter(CHATBOT_REPLIES)
    values = run_interview(library, {}, prompter)
    assert prompter.asked[:5] == [
        "organisation",
        "procurement_title",
        "reference_number",
        "purpose",
        "buyer_type",
    ]
    for skipped in ("art6_3_exception", "profiling", "human_review", "publishes_generated_content"):
        assert skipped not in prompter.asked
    assert values["citizen_facing"] is True
    assert values["functions"] == ["chatbot"]


def test_going_back_reasks_the_previous_question(library: Library) -> None:
    prompter = DefaultingPrompter(["Kommun A", BACK, "Kommun B", "Titel", "", "Syfte"])
    values = run_interview(library, {}, prompter)
    assert prompter.asked[:4] == [
        "organisation",
        "procurement_title",
        "organisation",
        "procurement_title",
    ]
    assert values["organisation"] == "Kommun B"


def test_interruption_keeps_every_answer_given(library: Library) -> None:
    saved: list[dict[str, Any]] = []
    prompter = ScriptedPrompter(["Kommun A", "Titel", KeyboardInterrupt()])
    with pytest.raises(KeyboardInterrupt):
        run_interview(library, {}, prompter, save=lambda values: saved.append(dict(values)))
    assert saved[-1] == {"organisation": "Kommun A", "procurement_title": "Titel"}


def test_resume_asks_only_what_is_missing(library: Library) -> None:
    prompter = DefaultingPrompter([])
    values = run_interview(
        library, {"organisation": "A", "procurement_title": "B", "reference_number": ""}, prompter
    )
    assert prompter.asked[0] == "purpose"
    assert values["organisation"] == "A"


def test_ctrl_c_then_resume_through_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli, "is_interactive", lambda: True)
    monkeypatch.setattr(
        cli,
        "make_prompter",
        lambda plain: ScriptedPrompter(["Region Norr", "Taligenkänning", KeyboardInterrupt()]),
    )
    first = runner.invoke(cli.app, ["interview"])
    assert first.exit_code == 130
    assert "Dina svar är sparade i svar.yaml" in first.stderr
    partial = read_answers_file(tmp_path / "svar.yaml")
    assert partial.complete is False
    assert {key: answer.value for key, answer in partial.answers.items()} == {
        "organisation": "Region Norr",
        "procurement_title": "Taligenkänning",
    }
    second_prompter = DefaultingPrompter(["", "Journalanteckningar från tal", "region"])
    monkeypatch.setattr(cli, "make_prompter", lambda plain: second_prompter)
    second = runner.invoke(cli.app, ["interview"])
    assert second.exit_code == 0, second.output
    assert second_prompter.asked[0] == "reference_number"
    final = read_answers_file(tmp_path / "svar.yaml")
    assert final.complete is True
    assert final.answers["organisation"].value == "Region Norr"
    assert final.answers["buyer_type"].value == "region"
    assert "Nästa steg: upphandla explain --answers svar.yaml" in second.output


def test_stale_answer_is_reported_and_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "svar.yaml").write_text(
        "answers:\n  organisation: X\n  ambition: guld\n", encoding="utf-8"
    )
    monkeypatch.setattr(cli, "is_interactive", lambda: True)
    prompter = DefaultingPrompter([])
    monkeypatch.setattr(cli, "make_prompter", lambda plain: prompter)
    result = runner.invoke(cli.app, ["interview"])
    assert result.exit_code == 0, result.output
    assert "svar.yaml:3:13: Svaret på 'ambition' går inte att använda" in result.stderr
    assert "ambition" in prompter.asked
    assert "organisation" not in prompter.asked


def test_without_a_terminal_missing_answers_are_listed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.app, ["interview", "--defaults", "--set", "organisation=X"])
    assert result.exit_code == 1
    assert "Svar saknas på 'procurement_title'" in result.stderr
    assert "Svar saknas på 'purpose'" in result.stderr
    assert not (tmp_path / "svar.yaml").exists()


def test_without_a_terminal_defaults_and_set_complete_the_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        cli.app,
        [
            "interview",
            "--defaults",
            "-o",
            "a.yaml",
            "--set",
            "organisation=X",
            "--set",
            "procurement_title=Y",
            "--set",
            "purpose=Z",
        ],
    )
    assert result.exit_code == 0, result.output
    assert read_answers_file(tmp_path / "a.yaml").answers["ambition"].value == "bas"


def plain_session(lines: list[str], request: QuestionRequest) -> tuple[Any, list[str]]:
    written: list[str] = []
    replies = iter(lines)
    prompter = PlainPrompter(read=lambda prompt: next(replies), write=written.append)
    return prompter.ask(request), written


def test_plain_prompter_numbers_choices_and_shows_help(library: Library) -> None:
    question = library.question("buyer_type")
    assert question is not None
    request = QuestionRequest(question, "sv", 5, 24, "municipality", True)
    value, written = plain_session(["?", "9", "3"], request)
    assert value == "region"
    assert "  3) Region" in written
    assert any("artikel 27" in line for line in written)
    assert any("går inte att använda" in line for line in written)


def test_plain_prompter_multiple_and_back(library: Library) -> None:
    question = library.question("functions")
    assert question is not None
    request = QuestionRequest(question, "en", 6, 24, [], True)
    assert plain_session(["1,3"], request)[0] == ["decision_support", "chatbot"]
    assert plain_session(["0"], request)[0] == []
    assert plain_session(["<"], request)[0] is BACK


def run_questionary(keys: str, request: QuestionRequest) -> Any:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        prompter = QuestionaryPrompter(write=lambda text: None, input=pipe, output=DummyOutput())
        return prompter.ask(request)


def test_real_prompt_library_select_with_arrow_keys(library: Library) -> None:
    question = library.question("ambition")
    assert question is not None
    down, enter = "\x1b[B", "\r"
    assert (
        run_questionary(down + enter, QuestionRequest(question, "sv", 1, 2, "bas", False))
        == "avancerad"
    )


def test_real_prompt_library_checkbox(library: Library) -> None:
    question = library.question("functions")
    assert question is not None
    down, space, enter = "\x1b[B", " ", "\r"
    keys = space + down + down + space + enter
    assert run_questionary(keys, QuestionRequest(question, "sv", 1, 2, [], False)) == [
        "decision_support",
        "chatbot",
    ]


def test_real_prompt_library_text_and_back(library: Library) -> None:
    question = library.question("organisation")
    assert question is not None
    assert (
        run_questionary("Region Gotland\r", QuestionRequest(question, "sv", 1, 2, None, False))
        == "Region Gotland"
    )
    assert run_questionary("<\r", QuestionRequest(question, "sv", 2, 2, None, True)) is BACK
