"""Gathering a command's inputs: which library, and the answers from file, ``--set`` and defaults."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field
from pathlib import Path
from typing import Any

from upphandla.errors import Location, Problem, ProblemsError, Severity
from upphandla.interview.answers import (
    AnswersFile,
    GivenAnswer,
    ResolvedAnswers,
    check_given_answers,
    parse_set_options,
    read_answers_file,
    resolve_answers,
)
from upphandla.library.loading import LIBRARY_FILE, library_search_path, require_library
from upphandla.library.model import Library
from upphandla.records import record
from upphandla.text import Text


@record
class AnswerSources:
    """Where answers come from, as given on the command line."""

    answers_path: Path | None = None
    answers_raw: bytes | None = None
    set_options: tuple[str, ...] = ()
    use_defaults: bool = False
    library_paths: tuple[Path, ...] = ()
    library_id: str | None = None
    base_answers: tuple[tuple[str, str], ...] = ()


@record
class Gathered:
    """The library and the answers checked against it."""

    library: Library
    given: dict[str, Any]
    resolved: ResolvedAnswers
    notes: tuple[Problem, ...] = ()
    stale: tuple[Problem, ...] = field(default_factory=tuple)


def choose_library(
    sources: AnswerSources, answers_file: AnswersFile | None
) -> tuple[Library, list[Problem]]:
    """The first ``--library`` that is a library folder, else the answers file's library, else default."""
    search_path = library_search_path(sources.library_paths)
    direct = next((path for path in sources.library_paths if (path / LIBRARY_FILE).is_file()), None)
    reference: str | Path = direct or (
        answers_file.library_id if answers_file and answers_file.library_id else "default"
    )
    library, warnings = require_library(reference, search_path)
    notes = list(warnings)
    if (
        answers_file is not None
        and answers_file.library_sha256
        and answers_file.library_sha256 != library.sha256
    ):
        notes.append(
            Problem(
                Text(
                    f"Svaren gavs för {answers_file.library_id} {answers_file.library_version}; nu används "
                    f"{library.id} {library.version} med annat innehåll. Kontrollera resultatet.",
                    f"The answers were given for {answers_file.library_id} {answers_file.library_version}; now "
                    f"{library.id} {library.version} with other content is used. Check the result.",
                ),
                Location(answers_file.path),
                Severity.WARNING,
            )
        )
    return library, notes


def gather_answers(sources: AnswerSources, *, allow_stale: bool = False) -> Gathered:
    """Load the library and check every given answer; raise ``ProblemsError`` on bad input.

    With ``allow_stale`` (the interview), answers that no longer fit the library are returned as
    ``stale`` problems to show before asking again; otherwise they are errors.
    """
    answers_file = None
    if sources.answers_path is not None:
        answers_file = read_answers_file(sources.answers_path, sources.answers_raw)
    library, notes = choose_library(sources, answers_file)
    given: dict[str, GivenAnswer] = {
        key: GivenAnswer(value, Location(Path("upphandla.toml")))
        for key, value in sources.base_answers
    }
    given.update(answers_file.answers if answers_file else {})
    from_set, set_problems = parse_set_options(sources.set_options)
    if set_problems:
        raise ProblemsError(set_problems)
    given.update(from_set)
    values, problems = check_given_answers(library, given)
    if problems and not allow_stale:
        raise ProblemsError(problems)
    resolved = resolve_answers(library, values, use_defaults=sources.use_defaults)
    if answers_file is not None and answers_file.defaulted:
        from dataclasses import replace

        from_file = {key for key in answers_file.defaulted if key in resolved.values}
        resolved = replace(resolved, defaulted=resolved.defaulted | from_file)
    return Gathered(library, values, resolved, tuple(notes), tuple(problems))


def missing_answers_problem(library: Library, missing: Sequence[str]) -> ProblemsError:
    """One problem per missing answer, with the question's text, for a run without a terminal."""
    problems = []
    for question_id in missing:
        question = library.question(question_id)
        prompt = question.prompt if question else Text(question_id, question_id)
        problems.append(
            Problem(
                Text(
                    f"Svar saknas på '{question_id}': {prompt.sv}",
                    f"No answer to '{question_id}': {prompt.en}",
                ),
                Location(Path("svar")),
                hint=Text(
                    f"Ange svaret i svarsfilen, med --set {question_id}=..., använd --defaults, "
                    "eller kör upphandla interview i en terminal.",
                    f"Give the answer in the answers file, with --set {question_id}=..., use --defaults, "
                    "or run upphandla interview in a terminal.",
                ),
            )
        )
    return ProblemsError(problems)
