"""What every command shares at the edge: printing, and the library's errors as exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from upphandla.cli import messages
from upphandla.text import Language

if TYPE_CHECKING:
    from upphandla.errors import Problem, UpphandlaError
    from upphandla.interview.sources import AnswerSources

# The command-line option for each field a RequestError can name.
OPTION_OF_FIELD = {"formats": "--format", "date": "--date"}


def language_of(value: str) -> Language:
    """The ``Language`` of an already checked ``--lang`` value."""
    return "en" if value == "en" else "sv"


def print_problems(problems: Sequence[Problem], language: Language) -> None:
    """Each problem on standard error, one line (and a hint line) each; past 200 errors or
    warnings, a count of the others."""
    from upphandla.errors import ProblemList

    shown = ProblemList()
    shown.extend(problems)
    for problem in shown.capped():
        typer.echo(problem.render(language), err=True)


def report_written(paths: Sequence[Path], language: Language) -> None:
    """One ``wrote PATH`` line per file."""
    for path in paths:
        typer.echo(messages.wrote(path).in_language(language))


def answer_sources(
    answers: Path | None,
    set_answers: list[str] | None,
    defaults: bool,
    library: list[Path] | None,
) -> AnswerSources:
    """The answer options as the library's ``AnswerSources``; ``-`` reads standard input."""
    from upphandla.interview.sources import AnswerSources

    return AnswerSources(
        answers_path=answers,
        answers_raw=read_standard_input(answers),
        set_options=tuple(set_answers or ()),
        use_defaults=defaults,
        library_paths=tuple(library or ()),
    )


def read_standard_input(answers: Path | None) -> bytes | None:
    """Standard input's bytes when the answers file is ``-``."""
    return sys.stdin.buffer.read() if answers == Path("-") else None


@contextmanager
def errors_reported(language: Language) -> Iterator[None]:
    """Turn the library's errors into messages and exit codes, never a traceback."""
    from upphandla.errors import UpphandlaError

    try:
        yield
    except UpphandlaError as error:
        from upphandla.documents.package import RequestError

        if isinstance(error, RequestError):
            hint = OPTION_OF_FIELD.get(error.field or "")
            raise typer.BadParameter(str(error), param_hint=hint) from None
        raise typer.Exit(report_error(error, language)) from None


def report_error(error: UpphandlaError, language: Language) -> int:
    """Print ``error`` (every problem it carries, then a summary) and return its exit code."""
    from upphandla.errors import ProblemsError, ProhibitedPracticeError

    if isinstance(error, ProblemsError):
        print_problems(error.problems, language)
        count = sum(problem.count for problem in error.problems if problem.is_error)
        typer.echo(messages.stopped_with_errors(count).in_language(language), err=True)
    elif isinstance(error, ProhibitedPracticeError):
        typer.echo(error.message.in_language(language), err=True)
    else:
        typer.echo(str(error), err=True)
    return error.exit_code
