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
from upphandla.cli.output import (
    errors_reported,
    language_of,
    print_problems,
    read_standard_input,
    report_written,
)

if TYPE_CHECKING:
    from upphandla.interview.flow import Prompter
    from upphandla.interview.session import InterviewRequest, InterviewResult, InterviewSession
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
    web: Annotated[
        bool,
        typer.Option(
            "--web",
            help="Intervjun i webbläsaren: en lokal sida på den här datorn i stället för frågor i terminalen.",
        ),
    ] = False,
    no_browser: Annotated[
        bool,
        typer.Option(
            "--no-browser", help="Med --web: öppna ingen webbläsare, skriv bara adressen."
        ),
    ] = False,
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
        if web:
            interview_in_browser(request, open_browser=not no_browser)
        else:
            interview_in_terminal(request, plain=plain)


def interview_in_browser(request: InterviewRequest, *, open_browser: bool = True) -> None:
    """The interview as a local web page (``upphandla.web``); the documents at the end."""
    import webbrowser

    from upphandla.documents.package import GenerateRequest, generate_documents
    from upphandla.interview.sources import AnswerSources
    from upphandla.web.server import serve_interview

    language, output = request.language, request.output

    def generate(force: bool) -> list[Path]:
        answers = AnswerSources(answers_path=output, library_paths=request.library_paths)
        documents = generate_documents(
            GenerateRequest(answers=answers, default_language=language, force=force)
        )
        return documents.write()

    def announce(url: str) -> None:
        typer.echo(messages.web_address(url).in_language(language))

    outcome = serve_interview(
        request,
        generate=generate,
        announce=announce,
        open_browser=webbrowser.open if open_browser else None,
        on_open=lambda session: show_notes(session, language),
    )
    report_written(outcome.written, language)
    if outcome.error is not None:
        raise outcome.error
    if outcome.interrupted:
        typer.echo(messages.interrupted_answers_saved(output).in_language(language), err=True)
        raise typer.Exit(130)
    typer.echo(messages.answers_saved(output).in_language(language))
    if not outcome.written:
        typer.echo(messages.next_step_explain(output).in_language(language))


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
    show_notes(session, language)
    if prompter is not None:
        if session.resumes and session.is_complete:
            # Nothing to ask: say how to change the answers instead of asking nothing silently.
            typer.echo(messages.already_complete(output).in_language(language))
            prompter = None
        elif session.resumes:
            typer.echo(messages.continuing_with_answers(output).in_language(language))
    if prompter is not None:
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


def show_notes(session: InterviewSession, language: Language) -> None:
    """The session's warnings, and the earlier answers that are asked again."""
    print_problems(session.notes, language)
    for problem in session.stale:
        typer.echo(
            problem.render(language).replace(f": {problem.severity.word(language)}:", ":"),
            err=True,
        )
