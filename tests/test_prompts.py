"""The arrow-key prompts, driven through prompt_toolkit's pipe input with real keystrokes.

Help and back are actions, never answers: Enter (or Space) on them, or their keys ``?`` and
``<``, does what they say, and nothing is ticked or saved by it. A multiple-choice answer that is
empty is echoed in words and confirmed. The questions are the default library's own, among them
the prohibited-practices question where one wrong Enter used to record "none of these".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from upphandla.interview.flow import BACK, QuestionRequest
from upphandla.interview.prompters import QuestionaryPrompter
from upphandla.library.loading import require_library
from upphandla.library.model import Library, Question
from upphandla.resources import bundled_dir

DOWN, UP, SPACE, ENTER = "\x1b[B", "\x1b[A", " ", "\r"


@pytest.fixture(scope="module")
def library() -> Library:
    loaded, _ = require_library(bundled_dir("requirement_libraries") / "default")
    return loaded


def question(library: Library, question_id: str) -> Question:
    found = library.question(question_id)
    assert found is not None
    return found


def ask(
    keys: str, asked: Question, *, default: Any = None, can_go_back: bool = True
) -> tuple[Any, list[str]]:
    """The prompter's reply to ``keys``, and what it wrote besides the prompt itself."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    written: list[str] = []
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        prompter = QuestionaryPrompter(write=written.append, input=pipe, output=DummyOutput())
        reply = prompter.ask(QuestionRequest(asked, "sv", 3, 20, default, can_go_back))
    return reply, written


def shows_help(written: list[str], asked: Question) -> bool:
    first_words = " ".join(asked.help.sv.split()[:4])
    return any(first_words in " ".join(text.split()) for text in written)


# ---------------------------------------------------------------------------------------------
# Multiple choice: the defect of 0.1


def test_enter_on_help_in_a_checklist_shows_help_and_saves_nothing(library: Library) -> None:
    prohibited = question(library, "prohibited_practices")
    # Up from the first choice wraps to the last line (back), up once more is help.
    reply, written = ask(UP + UP + ENTER + SPACE + ENTER, prohibited, default=[])
    assert shows_help(written, prohibited)
    # After the help the same question again: Space ticks the first choice, Enter saves it.
    assert reply == ["manipulation"]


def test_enter_on_back_in_a_checklist_goes_back(library: Library) -> None:
    reply, _ = ask(UP + ENTER, question(library, "prohibited_practices"), default=[])
    assert reply is BACK


def test_space_on_help_never_ticks_it(library: Library) -> None:
    prohibited = question(library, "prohibited_practices")
    reply, written = ask(UP + UP + SPACE + DOWN + SPACE + ENTER, prohibited, default=[])
    assert shows_help(written, prohibited)
    assert reply == ["exploiting_vulnerabilities"]
    assert all(isinstance(value, str) and not value.startswith("__") for value in reply)


def test_the_keys_question_mark_and_less_than_work_anywhere(library: Library) -> None:
    prohibited = question(library, "prohibited_practices")
    reply, written = ask(DOWN + "?" + SPACE + ENTER, prohibited, default=[])
    assert shows_help(written, prohibited)
    assert reply == ["manipulation"]
    assert ask(DOWN + DOWN + "<", prohibited, default=[])[0] is BACK


def test_toggle_all_ticks_only_choices(library: Library) -> None:
    prohibited = question(library, "prohibited_practices")
    reply, _ = ask("a" + ENTER, prohibited, default=[])
    assert reply == [choice.value for choice in prohibited.choices]


def test_an_empty_checklist_is_echoed_and_must_be_confirmed(library: Library) -> None:
    prohibited = question(library, "prohibited_practices")
    # Enter with nothing ticked: the confirmation; Down + Enter is "No, let me change it";
    # then tick the first choice and save.
    reply, _ = ask(ENTER + DOWN + ENTER + SPACE + ENTER, prohibited, default=[])
    assert reply == ["manipulation"]
    # Enter, then Enter on "Yes, save the answer": nothing is the answer.
    assert ask(ENTER + ENTER, prohibited, default=[])[0] == []


def test_a_ticked_answer_is_not_confirmed(library: Library) -> None:
    personal = question(library, "personal_data")
    # One Enter after ticking: no confirmation step (it would consume the last keys).
    assert ask(SPACE + ENTER, personal, default=[])[0] == ["ordinary"]


def test_back_is_not_offered_at_the_first_question(library: Library) -> None:
    prohibited = question(library, "prohibited_practices")
    # Up wraps to help (the last line); '<' does nothing; Enter on help shows it.
    reply, written = ask(
        "<" + UP + ENTER + SPACE + ENTER, prohibited, default=[], can_go_back=False
    )
    assert shows_help(written, prohibited)
    assert reply == ["manipulation"]


# ---------------------------------------------------------------------------------------------
# Single choice, yes/no and text


def test_enter_on_help_in_a_single_choice_shows_help(library: Library) -> None:
    buyer = question(library, "buyer_type")
    # The pointer starts on the default, the first choice; up wraps to back, then help.
    reply, written = ask(UP + UP + ENTER + ENTER, buyer, default="state_agency")
    assert shows_help(written, buyer)
    assert reply == "state_agency"


def test_enter_on_back_in_a_single_choice_goes_back(library: Library) -> None:
    assert ask(UP + ENTER, question(library, "buyer_type"), default="state_agency")[0] is BACK


def test_keys_in_a_yes_no_question(library: Library) -> None:
    profiling = question(library, "profiling")
    reply, written = ask("?" + DOWN + ENTER, profiling, default=True)
    assert shows_help(written, profiling)
    assert reply is False
    assert ask("<", profiling, default=True)[0] is BACK


def test_text_question_help_and_back(library: Library) -> None:
    organisation = question(library, "organisation")
    reply, written = ask("?" + ENTER + "Region Gotland" + ENTER, organisation)
    assert shows_help(written, organisation)
    assert reply == "Region Gotland"
    assert ask("<" + ENTER, organisation)[0] is BACK


def test_prompts_speak_swedish_without_a_question_mark_before_the_question(
    library: Library,
) -> None:
    from upphandla.interview.prompters import word

    assert not word("why", "sv").startswith("?")
    assert "Enter" in word("checkbox", "sv")
    assert "done" not in word("nothing", "sv")


def test_the_checklist_module_is_imported_lazily() -> None:
    import subprocess
    import sys

    code = (
        "import sys, upphandla.interview.prompters;"
        "print('questionary' in sys.modules, 'upphandla.interview.checklist' in sys.modules)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path.cwd()
    ).stdout
    assert output.split() == ["False", "False"]


def test_a_finished_interview_points_to_review(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from upphandla.cli.interview_command import run_terminal_interview
    from upphandla.interview.prompters import ScriptedPrompter
    from upphandla.interview.session import InterviewRequest, run_interview_session

    answers = tmp_path / "svar.yaml"
    example = Path(__file__).parents[1] / "examples" / "ekonomiskt-bistand.yaml"
    run_interview_session(
        InterviewRequest(output=answers, answers=example, use_defaults=True), None
    )
    prompter = ScriptedPrompter([])
    run_terminal_interview(InterviewRequest(output=answers), prompter)
    assert prompter.asked == []
    assert "--review" in capsys.readouterr().out
