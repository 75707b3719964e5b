"""The interview: order, skipping, going back, help, interruption and resuming.

The tests inject a prompter into the library API (``run_interview``, ``open_interview``,
``run_interview_session``) or into the terminal front end (``run_terminal_interview``); none
patches the CLI. They ask the questions of a small inline library, so that a change to the
bundled library's questions cannot break them; only ``upphandla interview`` without a terminal
runs through the Typer app, once with the bundled library.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from conftest import WriteLibrary
from upphandla.cli.app import app
from upphandla.cli.interview_command import run_terminal_interview
from upphandla.errors import ProblemsError
from upphandla.interview.answers import read_answers_file
from upphandla.interview.flow import BACK, QuestionRequest, run_interview
from upphandla.interview.prompters import PlainPrompter, QuestionaryPrompter, ScriptedPrompter
from upphandla.interview.session import (
    InterviewInterrupted,
    InterviewRequest,
    open_interview,
    run_interview_session,
)
from upphandla.library.loading import require_library
from upphandla.library.model import Library

runner = CliRunner()

# The questions in library order. ``citizen_facing`` applies only to a chatbot and
# ``human_review`` only to decision support; the text questions have no default.
INTERVIEW_CONTENT = """\
areas:
  - id: general
    title: {sv: Allmänt, en: General}
questions:
  - id: organisation
    type: text
    prompt: {sv: Organisation?, en: Organisation?}
    help: {sv: Står i dokumenten., en: Shown in the documents.}
  - id: procurement_title
    type: text
    prompt: {sv: Upphandlingens namn?, en: Name of the procurement?}
    help: {sv: Står i dokumenten., en: Shown in the documents.}
  - id: reference_number
    type: text
    required: false
    prompt: {sv: Diarienummer?, en: Reference number?}
    help: {sv: Om ni har ett., en: If you have one.}
  - id: purpose
    type: text
    prompt: {sv: Syfte?, en: Purpose?}
    help: {sv: Vad systemet ska göra., en: What the system is for.}
  - id: buyer_type
    type: single
    prompt: {sv: Vilken sorts köpare?, en: What kind of buyer?}
    help: {sv: Offentliga organisationer har skyldigheter enligt artikel 27., en: Public bodies have duties under Article 27.}
    default: municipality
    choices:
      - {value: municipality, label: {sv: Kommun, en: Municipality}}
      - {value: agency, label: {sv: Statlig myndighet, en: Government agency}}
      - {value: region, label: {sv: Region, en: Region}}
  - id: functions
    type: multiple
    prompt: {sv: Vad gör systemet?, en: What does the system do?}
    help: {sv: För att välja krav., en: To choose requirements.}
    default: []
    choices:
      - {value: decision_support, label: {sv: Beslutsstöd, en: Decision support}}
      - {value: search, label: {sv: Sök, en: Search}}
      - {value: chatbot, label: {sv: Chattbot, en: Chatbot}}
  - id: citizen_facing
    type: bool
    when: "'chatbot' in functions"
    prompt: {sv: Talar den med invånare?, en: Does it talk to residents?}
    help: {sv: Artikel 50., en: Article 50.}
    default: false
  - id: human_review
    type: bool
    when: "'decision_support' in functions"
    prompt: {sv: Granskar en människa?, en: Does a person review?}
    help: {sv: Artikel 22., en: Article 22.}
    default: true
  - id: ambition
    type: single
    prompt: {sv: Ambitionsnivå?, en: Ambition?}
    help: {sv: Hur långt kraven går., en: How far the requirements go.}
    default: bas
    choices:
      - {value: bas, label: {sv: Bas, en: Basic}}
      - {value: avancerad, label: {sv: Avancerad, en: Advanced}}
requirements:
  - id: R-1
    area: general
    title: {sv: Första kravet, en: First requirement}
    text: {sv: Leverantören ska göra något., en: The supplier shall do something.}
    level: ska
    verification: [description]
    evidence: {sv: Beskrivning., en: Description.}
    phase: tender
    references: [{source: LOU, ref: "9 kap."}]
    rationale: {sv: Därför., en: Because.}
    kind: specification
"""

QUESTION_ORDER = [
    "organisation",
    "procurement_title",
    "reference_number",
    "purpose",
    "buyer_type",
    "functions",
    "citizen_facing",
    "human_review",
    "ambition",
]

# Replies in interview order for a citizen chatbot; the rest take their defaults.
CHATBOT_REPLIES: list[Any] = [
    "Sundsvalls kommun",
    "Chattbot för medborgarfrågor",
    "",
    "Svarar på frågor om kommunens tjänster",
    "municipality",
    ["chatbot"],
    True,
]


@pytest.fixture
def library_folder(write_library: WriteLibrary) -> Path:
    return write_library(
        "interview", {"content.yaml": INTERVIEW_CONTENT}, with_minimal_content=False
    )


@pytest.fixture
def library(library_folder: Path) -> Library:
    loaded, warnings = require_library(library_folder)
    assert not warnings
    assert [question.id for question in loaded.questions] == QUESTION_ORDER
    return loaded


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in ``tmp_path``, so that answers files are named as a user names them."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


class DefaultingPrompter:
    """Scripted replies first (an exception is raised), then each question's default."""

    def __init__(self, replies: list[Any]) -> None:
        self.replies = list(replies)
        self.asked: list[str] = []

    def ask(self, request: QuestionRequest) -> Any:
        self.asked.append(request.question.id)
        assert len(self.asked) < 50, f"the interview goes round in circles: {self.asked}"
        if not self.replies:
            return request.default
        reply = self.replies.pop(0)
        if isinstance(reply, BaseException):
            raise reply
        return reply


# ---------------------------------------------------------------------------------------------
# The question flow: run_interview


def test_questions_come_in_order_and_skip_what_does_not_apply(library: Library) -> None:
    prompter = DefaultingPrompter(CHATBOT_REPLIES)
    values = run_interview(library, {}, prompter)
    assert prompter.asked == [q for q in QUESTION_ORDER if q != "human_review"]
    assert values["citizen_facing"] is True
    assert values["functions"] == ["chatbot"]
    assert values["ambition"] == "bas"
    assert "human_review" not in values


def test_a_question_that_applies_is_asked_in_its_place(library: Library) -> None:
    prompter = DefaultingPrompter(["A", "B", "", "C", "region", ["decision_support"]])
    values = run_interview(library, {}, prompter)
    assert prompter.asked == [q for q in QUESTION_ORDER if q != "citizen_facing"]
    assert values["human_review"] is True
    assert values["buyer_type"] == "region"


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


def test_going_back_offers_the_earlier_answer_as_default(library: Library) -> None:
    defaults: list[Any] = []

    class Recording(DefaultingPrompter):
        def ask(self, request: QuestionRequest) -> Any:
            defaults.append((request.question.id, request.default, request.can_go_back))
            return super().ask(request)

    run_interview(library, {}, Recording(["Kommun A", BACK, "Kommun B", "Titel", "", "Syfte"]))
    assert defaults[:3] == [
        ("organisation", None, False),
        ("procurement_title", None, True),
        ("organisation", "Kommun A", False),
    ]


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


def test_review_asks_every_question_again_with_the_answers_as_defaults(library: Library) -> None:
    given = {
        "organisation": "A",
        "procurement_title": "B",
        "reference_number": "",
        "purpose": "C",
        "buyer_type": "agency",
        "functions": [],
        "ambition": "avancerad",
    }
    defaults: dict[str, Any] = {}

    class Recording(DefaultingPrompter):
        def ask(self, request: QuestionRequest) -> Any:
            defaults[request.question.id] = request.default
            return super().ask(request)

    prompter = Recording([])
    values = run_interview(library, dict(given), prompter, review=True)
    assert prompter.asked == [
        q for q in QUESTION_ORDER if q not in ("citizen_facing", "human_review")
    ]
    assert defaults == given
    assert values == given


# ---------------------------------------------------------------------------------------------
# The session: the answers file, Ctrl-C and resuming


def test_ctrl_c_saves_the_answers_and_the_next_session_resumes(
    library_folder: Path, tmp_path: Path
) -> None:
    output = tmp_path / "svar.yaml"
    request = InterviewRequest(output=output, library_paths=(library_folder,))
    first = ScriptedPrompter(["Region Norr", "Taligenkänning", KeyboardInterrupt()])
    with pytest.raises(InterviewInterrupted) as interrupted:
        run_interview_session(request, first)
    assert interrupted.value.output == output
    assert interrupted.value.answers == {
        "organisation": "Region Norr",
        "procurement_title": "Taligenkänning",
    }
    partial = read_answers_file(output)
    assert partial.complete is False
    assert partial.library_id == "interview"
    assert {key: answer.value for key, answer in partial.answers.items()} == {
        "organisation": "Region Norr",
        "procurement_title": "Taligenkänning",
    }

    session = open_interview(request)
    assert session.resumes is True
    second = DefaultingPrompter(["", "Journalanteckningar från tal", "region"])
    session.ask(second)
    result = session.finish()
    assert second.asked[0] == "reference_number"
    assert "organisation" not in second.asked
    assert result.answers["buyer_type"] == "region"
    final = read_answers_file(output)
    assert final.complete is True
    assert final.answers["organisation"].value == "Region Norr"
    assert final.answers["buyer_type"].value == "region"


def test_every_answer_is_saved_as_it_is_given(library_folder: Path, tmp_path: Path) -> None:
    texts: list[str] = []
    request = InterviewRequest(output=tmp_path / "svar.yaml", library_paths=(library_folder,))
    prompter = DefaultingPrompter(CHATBOT_REPLIES)
    run_interview_session(request, prompter, save=texts.append)
    assert len(texts) == len(prompter.asked) + 1  # one per answer, then the complete file
    assert "Sundsvalls kommun" in texts[0]
    assert not (tmp_path / "svar.yaml").exists()


def test_without_a_prompter_the_given_answers_must_be_complete(
    library_folder: Path, tmp_path: Path
) -> None:
    request = InterviewRequest(
        output=tmp_path / "a.yaml",
        set_answers=("organisation=X",),
        use_defaults=True,
        library_paths=(library_folder,),
    )
    with pytest.raises(ProblemsError) as missing:
        run_interview_session(request, None)
    rendered = [problem.render("sv") for problem in missing.value.problems]
    assert any("Svar saknas på 'procurement_title'" in line for line in rendered)
    assert any("Svar saknas på 'purpose'" in line for line in rendered)
    assert not (tmp_path / "a.yaml").exists()

    complete = InterviewRequest(
        output=tmp_path / "a.yaml",
        set_answers=("organisation=X", "procurement_title=Y", "purpose=Z"),
        use_defaults=True,
        library_paths=(library_folder,),
    )
    result = run_interview_session(complete, None)
    assert result.answers["ambition"] == "bas"
    assert read_answers_file(tmp_path / "a.yaml").answers["buyer_type"].value == "municipality"


# ---------------------------------------------------------------------------------------------
# The terminal front end: what the interview command prints around the session


def test_ctrl_c_then_resume_at_the_terminal(
    library_folder: Path, in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = InterviewRequest(library_paths=(library_folder,))
    first = ScriptedPrompter(["Region Norr", "Taligenkänning", KeyboardInterrupt()])
    with pytest.raises(typer.Exit) as stopped:
        run_terminal_interview(request, first)
    assert stopped.value.exit_code == 130
    printed = capsys.readouterr()
    assert (
        "Avbrutet. Dina svar är sparade i svar.yaml. Kör samma kommando igen för att fortsätta."
        in printed.err
    )
    assert read_answers_file(in_tmp / "svar.yaml").complete is False

    second = DefaultingPrompter(["", "Journalanteckningar från tal", "region"])
    result = run_terminal_interview(request, second)
    printed = capsys.readouterr()
    assert second.asked[0] == "reference_number"
    assert result.answers["organisation"] == "Region Norr"
    assert "Fortsätter med svaren i svar.yaml." in printed.out
    assert "Svaren är sparade i svar.yaml." in printed.out
    assert "Nästa steg: upphandla explain --answers svar.yaml" in printed.out
    assert read_answers_file(in_tmp / "svar.yaml").complete is True


def test_terminal_messages_in_english(
    library_folder: Path, in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    request = InterviewRequest(library_paths=(library_folder,), language="en")
    with pytest.raises(typer.Exit):
        run_terminal_interview(request, ScriptedPrompter(["Region Norr", KeyboardInterrupt()]))
    assert "Interrupted. Your answers are saved in svar.yaml." in capsys.readouterr().err
    run_terminal_interview(request, DefaultingPrompter(["T", "", "P"]))
    printed = capsys.readouterr().out
    assert "Continuing with the answers in svar.yaml." in printed
    assert "Next step: upphandla explain --answers svar.yaml --lang en" in printed


def test_stale_answer_is_reported_and_asked_again(
    library_folder: Path, in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (in_tmp / "svar.yaml").write_text(
        "answers:\n  organisation: X\n  ambition: guld\n", encoding="utf-8"
    )
    request = InterviewRequest(library_paths=(library_folder,))
    assert [problem.render("sv") for problem in open_interview(request).stale] != []
    prompter = DefaultingPrompter(["Titel", "", "Syfte"])
    run_terminal_interview(request, prompter)
    printed = capsys.readouterr()
    assert "svar.yaml:3:13: Svaret på 'ambition' går inte att använda" in printed.err
    assert "ambition" in prompter.asked
    assert "organisation" not in prompter.asked
    assert read_answers_file(in_tmp / "svar.yaml").answers["ambition"].value == "bas"


# ---------------------------------------------------------------------------------------------
# upphandla interview without a terminal (CliRunner has none): nothing is asked


def test_without_a_terminal_missing_answers_are_listed(library_folder: Path, in_tmp: Path) -> None:
    result = runner.invoke(
        app,
        ["interview", "--library", str(library_folder), "--defaults", "--set", "organisation=X"],
    )
    assert result.exit_code == 1
    assert "Svar saknas på 'procurement_title'" in result.stderr
    assert "Svar saknas på 'purpose'" in result.stderr
    assert not (in_tmp / "svar.yaml").exists()


def test_without_a_terminal_defaults_and_set_complete_the_answers(in_tmp: Path) -> None:
    # The bundled library: its only questions without a default are these three.
    result = runner.invoke(
        app,
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
    assert "Svaren är sparade i a.yaml." in result.stdout
    assert "Nästa steg: upphandla explain --answers a.yaml" in result.stdout
    saved = read_answers_file(in_tmp / "a.yaml")
    assert saved.complete is True
    assert saved.library_id == "default"
    assert saved.answers["organisation"].value == "X"
    assert saved.answers["ambition"].value == "bas"


# ---------------------------------------------------------------------------------------------
# The prompters


def plain_session(lines: list[str], request: QuestionRequest) -> tuple[Any, list[str]]:
    written: list[str] = []
    replies = iter(lines)
    prompter = PlainPrompter(read=lambda prompt: next(replies), write=written.append)
    return prompter.ask(request), written


def question_of(library: Library, question_id: str) -> Any:
    question = library.question(question_id)
    assert question is not None
    return question


def test_plain_prompter_numbers_choices_and_shows_help(library: Library) -> None:
    request = QuestionRequest(question_of(library, "buyer_type"), "sv", 5, 24, "municipality", True)
    value, written = plain_session(["?", "9", "3"], request)
    assert value == "region"
    assert "  3) Region" in written
    assert any("artikel 27" in line for line in written)
    assert any("går inte att använda" in line for line in written)


def test_plain_prompter_multiple_and_back(library: Library) -> None:
    request = QuestionRequest(question_of(library, "functions"), "en", 6, 24, [], True)
    assert plain_session(["1,3"], request)[0] == ["decision_support", "chatbot"]
    assert plain_session(["0", "y"], request)[0] == []
    assert plain_session(["<"], request)[0] is BACK


def run_questionary(keys: str, request: QuestionRequest) -> Any:
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        prompter = QuestionaryPrompter(write=lambda text: None, input=pipe, output=DummyOutput())
        return prompter.ask(request)


def test_real_prompt_library_select_with_arrow_keys(library: Library) -> None:
    down, enter = "\x1b[B", "\r"
    request = QuestionRequest(question_of(library, "ambition"), "sv", 1, 2, "bas", False)
    assert run_questionary(down + enter, request) == "avancerad"


def test_real_prompt_library_checkbox(library: Library) -> None:
    down, space, enter = "\x1b[B", " ", "\r"
    keys = space + down + down + space + enter
    request = QuestionRequest(question_of(library, "functions"), "sv", 1, 2, [], False)
    assert run_questionary(keys, request) == ["decision_support", "chatbot"]


def test_real_prompt_library_text_and_back(library: Library) -> None:
    question = question_of(library, "organisation")
    assert (
        run_questionary("Region Gotland\r", QuestionRequest(question, "sv", 1, 2, None, False))
        == "Region Gotland"
    )
    assert run_questionary("<\r", QuestionRequest(question, "sv", 2, 2, None, True)) is BACK
