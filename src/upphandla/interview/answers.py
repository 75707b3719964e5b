"""Answers: converting values to their question's type, answers files and ``--set`` options."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from upphandla import __version__
from upphandla.errors import Location, Problem, ProblemList, ProblemsError
from upphandla.library.bounds import budgeted
from upphandla.library.derivation import derive_values, evaluate
from upphandla.library.fields import suggestion_hint
from upphandla.library.model import Library, Question
from upphandla.library.values import coerce_value, fallback_value
from upphandla.library.yamlsource import load_yaml_bytes, load_yaml_file
from upphandla.limits import DEFAULT_LIMITS, Limits
from upphandla.records import record
from upphandla.text import Text

# --------------------------------------------------------------------------- answers files

ANSWERS_FORMAT_VERSION = 1


@record
class GivenAnswer:
    """A value given for a question, with where it was given."""

    value: Any
    location: Location
    key_location: Location | None = None


@record
class AnswersFile:
    """What an answers file holds: the answers and the library they were given for."""

    path: Path
    answers: dict[str, GivenAnswer]
    library_id: str | None = None
    library_version: str | None = None
    library_sha256: str | None = None
    complete: bool = True
    defaulted: frozenset[str] = frozenset()


@record
class ResolvedAnswers:
    """Answers checked against a library: the values of the questions that apply."""

    values: dict[str, Any]
    context: dict[str, Any]
    applicable: tuple[str, ...]
    missing: tuple[str, ...]
    defaulted: frozenset[str] = frozenset()


def read_answers_file(
    path: Path, raw: bytes | None = None, limits: Limits = DEFAULT_LIMITS
) -> AnswersFile:
    """Read an answers file (YAML or JSON); ``raw`` holds standard input for ``-``."""
    document = (
        load_yaml_bytes(raw, path, limits) if raw is not None else load_yaml_file(path, limits)
    )
    data = document.data
    if not isinstance(data, dict):
        raise ProblemsError(
            [
                Problem(
                    Text(
                        "Svarsfilen ska innehålla frågornas id och svar, till exempel 'ambition: bas'.",
                        "The answers file must contain question ids and answers, for example 'ambition: bas'.",
                    ),
                    document.location(()),
                )
            ]
        )
    root: tuple[str, ...] = ("answers",) if isinstance(data.get("answers"), dict) else ()
    mapping = data["answers"] if root else data
    found_library = data.get("library")
    library: dict[str, Any] = found_library if root and isinstance(found_library, dict) else {}
    answers = {
        str(key): GivenAnswer(
            value, document.location((*root, key)), document.location((*root, key), key=True)
        )
        for key, value in mapping.items()
    }
    return AnswersFile(
        path=path,
        answers=answers,
        library_id=_text_or_none(library.get("id")),
        library_version=_text_or_none(library.get("version")),
        library_sha256=_text_or_none(library.get("sha256")),
        complete=data.get("complete", True) is not False if root else True,
        defaulted=_defaulted_ids(data.get("defaulted") if root else None),
    )


def _defaulted_ids(value: Any) -> frozenset[str]:
    """The ids listed under ``defaulted:``: answers that were taken from the questions' defaults."""
    if not isinstance(value, list):
        return frozenset()
    return frozenset(str(item) for item in value if isinstance(item, str))


def parse_set_options(options: Sequence[str]) -> tuple[dict[str, GivenAnswer], list[Problem]]:
    """Turn ``--set ID=VALUE`` options into answers; a list is written ``a,b``."""
    answers: dict[str, GivenAnswer] = {}
    problems: list[Problem] = []
    for index, option in enumerate(options, start=1):
        location = Location(Path(f"--set #{index}"))
        key, separator, value = option.partition("=")
        if not separator or not key.strip():
            problems.append(
                Problem(
                    Text(
                        f"'{option}' ska skrivas ID=VÄRDE.", f"'{option}' must be written ID=VALUE."
                    ),
                    location,
                    hint=Text(
                        "Till exempel: --set ambition=avancerad",
                        "For example: --set ambition=avancerad",
                    ),
                )
            )
            continue
        answers[key.strip()] = GivenAnswer(value.strip(), location)
    return answers, problems


def check_given_answers(
    library: Library, given: Mapping[str, GivenAnswer]
) -> tuple[dict[str, Any], list[Problem]]:
    """Convert every given answer to its question's type; one located problem per bad answer."""
    values: dict[str, Any] = {}
    problems = ProblemList()
    question_ids = [question.id for question in library.questions]
    for key, answer in given.items():
        question = library.question(key)
        if question is None and problems.full():
            problems.omit()  # a "did you mean" hint for each of 200,000 keys would take minutes
            continue
        if question is None:
            problems.append(
                Problem(
                    Text(
                        f"Det finns ingen fråga med id '{key}'.",
                        f"There is no question with the id '{key}'.",
                    ),
                    answer.key_location or answer.location,
                    hint=suggestion_hint(key, question_ids),
                )
            )
            continue
        value, message = coerce_value(question, answer.value)
        if message is not None:
            problems.append(
                Problem(
                    Text(
                        f"Svaret på '{key}' går inte att använda: {message.sv}",
                        f"The answer to '{key}' cannot be used: {message.en}",
                    ),
                    answer.location,
                )
            )
            continue
        values[key] = value
    return values, list(problems.capped())


@budgeted
def resolve_answers(
    library: Library, values: Mapping[str, Any], *, use_defaults: bool
) -> ResolvedAnswers:
    """Walk the questions in order, keeping the answers of those that apply.

    A question that does not apply takes its default (or an empty value) in conditions, but is
    not recorded. A question that applies and has no answer takes its default with
    ``use_defaults``; otherwise it is missing if required.
    """
    context = {question.id: fallback_value(question) for question in library.questions}
    kept: dict[str, Any] = {}
    applicable: list[str] = []
    missing: list[str] = []
    defaulted: set[str] = set()
    for question in library.questions:
        if not question_applies(library, question, context):
            continue
        applicable.append(question.id)
        if question.id in values:
            kept[question.id] = values[question.id]
        elif use_defaults and question.default is not None:
            kept[question.id] = coerce_value(question, question.default)[0]
            defaulted.add(question.id)
        else:
            if question.required:
                missing.append(question.id)
            continue
        context[question.id] = kept[question.id]
    return ResolvedAnswers(kept, context, tuple(applicable), tuple(missing), frozenset(defaulted))


def question_applies(library: Library, question: Question, context: Mapping[str, Any]) -> bool:
    """Whether ``question``'s condition holds, given the answers known so far."""
    if question.when is None:
        return True
    full = dict(context)
    if question.when.names - full.keys():
        full.update(derive_values(library, full).values)
    return bool(evaluate(question.when, full))


def render_answers_file(
    library: Library,
    values: Mapping[str, Any],
    *,
    complete: bool,
    today: datetime.date | None = None,
    defaulted: frozenset[str] = frozenset(),
) -> str:
    """The answers file as YAML text: metadata first, then the answers in question order."""
    import yaml

    ordered = {
        question.id: values[question.id] for question in library.questions if question.id in values
    }
    header = {
        "format_version": ANSWERS_FORMAT_VERSION,
        "tool": {"name": "upphandla", "version": __version__},
        "date": (today or datetime.date.today()).isoformat(),
        "library": {"id": library.id, "version": library.version, "sha256": library.sha256},
        "complete": complete,
    }
    marked = [q.id for q in library.questions if q.id in defaulted and q.id in values]
    if marked:
        header["defaulted"] = marked
    body = yaml.safe_dump(
        {"answers": _plain(ordered)}, allow_unicode=True, sort_keys=False, width=100
    )
    head = yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=100)
    return (
        "# Svar från upphandla-intervjun. Du kan ändra svaren här och köra igen.\n"
        "# Answers from the upphandla interview. You may edit them and run again.\n" + head + body
    )


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in values.items()
    }


def _text_or_none(value: Any) -> str | None:
    return str(value) if value is not None else None
