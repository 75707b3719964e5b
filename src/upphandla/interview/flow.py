"""The interview engine: which question comes next, given the answers so far. No terminal code."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from upphandla.interview.answers import resolve_answers
from upphandla.library.model import Library, Question
from upphandla.library.values import coerce_value
from upphandla.records import record
from upphandla.text import Language


class _Back:
    """The reply that asks to go back one question."""

    def __repr__(self) -> str:
        return "BACK"


BACK = _Back()


@record
class QuestionRequest:
    """What a prompter needs to ask one question."""

    question: Question
    language: Language
    position: int
    total: int
    default: Any
    can_go_back: bool


class Prompter(Protocol):
    """Asks one question and returns a value of the question's type, or ``BACK``."""

    def ask(self, request: QuestionRequest) -> Any:
        """Ask; raise ``KeyboardInterrupt`` when the user stops."""
        ...


@record
class Progress:
    """Where the interview stands."""

    next_question: Question | None
    position: int
    total: int


def progress(
    library: Library, values: Mapping[str, Any], asked: set[str] | None = None
) -> Progress:
    """The next question to ask (unanswered, or not yet reviewed) and its position."""
    resolved = resolve_answers(library, values, use_defaults=False)
    applicable = resolved.applicable
    for index, question_id in enumerate(applicable):
        pending = question_id not in values if asked is None else question_id not in asked
        if pending:
            question = library.question(question_id)
            return Progress(question, index + 1, len(applicable))
    return Progress(None, len(applicable), len(applicable))


def run_interview(
    library: Library,
    values: dict[str, Any],
    prompter: Prompter,
    *,
    language: Language = "sv",
    review: bool = False,
    save: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Ask every applicable question that has no answer yet (all of them with ``review``).

    ``values`` is updated in place and passed to ``save`` after every answer, so that an
    interruption loses nothing. Going back re-asks the previous applicable question with its
    earlier answer as the default.
    """
    asked: set[str] | None = set() if review else None
    earlier: dict[str, Any] = {}
    while True:
        state = progress(library, values, asked)
        question = state.next_question
        if question is None:
            return values
        applicable = resolve_answers(library, values, use_defaults=False).applicable
        index = applicable.index(question.id)
        default = values.get(question.id, earlier.get(question.id, question.default))
        request = QuestionRequest(
            question, language, state.position, state.total, default, index > 0
        )
        reply = prompter.ask(request)
        if reply is BACK:
            if index > 0:
                previous = applicable[index - 1]
                if previous in values:
                    earlier[previous] = values.pop(previous)
                if asked is not None:
                    asked.discard(previous)
            continue
        value, message = coerce_value(question, reply)
        if message is not None:
            continue
        values[question.id] = value
        if asked is not None:
            asked.add(question.id)
        if save is not None:
            save(values)
