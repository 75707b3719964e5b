"""``upphandla interview``, and the interview that generate, follow-up and declare run first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

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
    say,
)

if TYPE_CHECKING:
    from upphandla.interview.session import InterviewRequest, InterviewResult


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
    """Run the interview session at the terminal; without one, only complete the given answers."""
    from upphandla.cli import app
    from upphandla.interview.session import open_interview

    language, output = request.language, request.output
    session = open_interview(request)
    print_problems(session.notes, language)
    for problem in session.stale:
        typer.echo(problem.render(language).replace(": error:", ":"), err=True)
    if app.is_interactive():
        if session.resumes:
            typer.echo(
                say(
                    language,
                    f"Fortsätter med svaren i {output}.",
                    f"Continuing with the answers in {output}.",
                )
            )
        try:
            session.ask(app.make_prompter(plain))
        except KeyboardInterrupt:
            typer.echo(
                say(
                    language,
                    f"\nAvbrutet. Dina svar är sparade i {output}. Kör samma kommando igen för att fortsätta.",
                    f"\nInterrupted. Your answers are saved in {output}. Run the same command again to continue.",
                ),
                err=True,
            )
            raise typer.Exit(130) from None
    result = session.finish()
    typer.echo(
        say(language, f"Svaren är sparade i {output}.", f"The answers are saved in {output}.")
    )
    typer.echo(
        say(
            language,
            f"Nästa steg: upphandla explain --answers {output}",
            f"Next step: upphandla explain --answers {output} --lang en",
        )
    )
    return result
