"""``upphandla interview``, and the interview that generate, follow-up and declare run first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from upphandla.cli import messages
from upphandla.cli.options import (
    AnswersOption,
    DefaultsOption,
    LanguageOption,
    LibraryPathOption,
    SetOption,
)
from upphandla.cli.output import errors_reported, language_of, print_problems, read_standard_input

if TYPE_CHECKING:
    from upphandla.interview.flow import Prompter
    from upphandla.interview.session import InterviewRequest, InterviewResult
    from upphandla.text import Language


def interview(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Svarsfilen som skrivs; finns den fortsätter intervjun där den slutade.",
        ),
    ] = Path("svar.yaml"),
    answers: AnswersOption = None,
    set_answers: SetOption = None,
    defaults: DefaultsOption = False,
    review: Annotated[
        bool,
        typer.Option("--review", help="Gå igenom alla frågor igen, med tidigare svar förifyllda."),
    ] = False,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="Enkla numrerade frågor utan piltangenter (till exempel för skärmläsare).",
        ),
    ] = False,
    library: LibraryPathOption = None,
    lang: LanguageOption = "sv",
) -> None:
    """Intervjun: frågor om det planerade AI-köpet, en i taget. Svaren sparas efter varje fråga."""
    from upphandla.interview.session import InterviewRequest

    language = language_of(lang)
    with errors_reported(language):
        request = InterviewRequest(
            output=output,
            answers=answers,
            answers_raw=read_standard_input(answers),
            set_answers=tuple(set_answers or ()),
            use_defaults=defaults,
            review=review,
            library_paths=tuple(library or ()),
            language=language,
        )
        interview_in_terminal(request, plain=plain)


def interview_in_terminal(request: InterviewRequest, *, plain: bool = False) -> InterviewResult:
    """The interview at the terminal when a person is there; otherwise only complete the answers."""
    from upphandla.cli import app

    prompter = app.make_prompter(plain) if app.is_interactive() else None
    return run_terminal_interview(request, prompter)


def run_terminal_interview(request: InterviewRequest, prompter: Prompter | None) -> InterviewResult:
    """Open the session, show its notes, let ``prompter`` ask, finish, and say where the answers are.

    Without a prompter (no terminal) nothing is asked: the given answers must be complete. Ctrl-C
    while asking ends the command with exit code 130, the answers so far saved.
    """
    from upphandla.interview.session import open_interview

    language, output = request.language, request.output
    session = open_interview(
        request, confirm_overwrite=_confirm_overwrite(language) if prompter is not None else None
    )
    print_problems(session.notes, language)
    for problem in session.stale:
        typer.echo(problem.render(language).replace(": error:", ":"), err=True)
    if prompter is not None:
        if session.resumes:
            typer.echo(messages.continuing_with_answers(output).in_language(language))
        try:
            session.ask(prompter)
        except KeyboardInterrupt:
            typer.echo(messages.interrupted_answers_saved(output).in_language(language), err=True)
            raise typer.Exit(130) from None
    result = session.finish()
    typer.echo(messages.answers_saved(output).in_language(language))
    typer.echo(messages.next_step_explain(output).in_language(language))
    return result


def _confirm_overwrite(language: Language) -> Callable[[Path], bool]:
    """Ask before the interview overwrites an answers file that changed on disk."""

    def confirm(path: Path) -> bool:
        return typer.confirm(messages.answers_file_changed(path).in_language(language), err=True)

    return confirm
