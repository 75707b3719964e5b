"""``upphandla library``: check, list, show and create requirement libraries."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from upphandla.cli import messages
from upphandla.cli.options import LanguageOption, LibraryPathOption
from upphandla.cli.output import errors_reported, language_of, print_problems
from upphandla.cli.params import LeanCommand, LeanGroup

library_app = typer.Typer(
    help="Kravbibliotek: kontrollera, lista, visa och skapa bibliotek.",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=LeanGroup,
)


@library_app.command("check", cls=LeanCommand)
def library_check(
    targets: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="BIBLIOTEK",
            help=(
                "Bibliotek att kontrollera: id (som i upphandla library list) eller mapp. "
                "Utan bibliotek: alla kända bibliotek."
            ),
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Låt även varningar ge fel.")] = False,
    library: LibraryPathOption = None,
    lang: LanguageOption = "sv",
) -> None:
    """Kontrollera bibliotek och visa varje problem med fil, rad och kolumn."""
    from upphandla.library.check_report import check_libraries

    language = language_of(lang)
    with errors_reported(language):
        check = check_libraries(targets or (), strict, library or ())
        for checked in check.libraries:
            print_problems(checked.problems, language)
            summary = messages.library_checked(checked.name, checked.errors, checked.warnings)
            text = summary.in_language(language)
            if checked.questions is not None and checked.requirements is not None:
                size = messages.library_size(checked.questions, checked.requirements)
                text += size.in_language(language)
            typer.echo(text)
        if check.failed:
            raise typer.Exit(1)


@library_app.command("list", cls=LeanCommand)
def library_list(library: LibraryPathOption = None, lang: LanguageOption = "sv") -> None:
    """Lista biblioteken som upphandla hittar."""
    from upphandla.library.loading import discover_libraries, library_search_path

    language = language_of(lang)
    with errors_reported(language, writes=False):
        entries = discover_libraries(library_search_path(library or []))
        if not entries:
            typer.echo(messages.NO_LIBRARIES_FOUND.in_language(language))
            return
        for entry in entries:
            origin = messages.BUNDLED.in_language(language) if entry.bundled else str(entry.path)
            typer.echo(
                f"{entry.id:<20} {entry.version:<10} {entry.name.in_language(language)}  [{origin}]"
            )


@library_app.command("show", cls=LeanCommand)
def library_show(
    library_id: Annotated[str, typer.Argument(metavar="ID", help="Bibliotekets id eller mapp.")],
    library: LibraryPathOption = None,
    lang: LanguageOption = "sv",
) -> None:
    """Visa ett biblioteks krav i en tabell med nivå, område och hänvisningar."""
    from upphandla.library.loading import library_search_path, require_library
    from upphandla.library.overview import render_overview

    language = language_of(lang)
    with errors_reported(language, writes=False):
        loaded, warnings = require_library(library_id, library_search_path(library or []))
        print_problems(warnings, language)
        typer.echo(render_overview(loaded, language), nl=False)


@library_app.command("init", cls=LeanCommand)
def library_init(
    folder: Annotated[
        Path, typer.Argument(metavar="DIR", help="Mappen där det nya biblioteket skapas.")
    ],
    extends: Annotated[
        str | None,
        typer.Option(
            "--extends",
            help="Bibliotek som det nya bygger på (id eller sökväg).",
            show_default=False,
        ),
    ] = "default",
    library_id: Annotated[
        str | None,
        typer.Option(
            "--id", help="Det nya bibliotekets id (standard: mappens namn).", show_default=False
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Skriv även om mappen inte är tom.")
    ] = False,
    lang: LanguageOption = "sv",
) -> None:
    """Skapa ett nytt bibliotek att börja från, med schema för redigeraren."""
    from upphandla.library.starter import create_starter_library

    language = language_of(lang)
    with errors_reported(language):
        written = create_starter_library(
            folder, extends=extends or None, library_id=library_id, force=force
        )
        for path in written:
            typer.echo(messages.created(path).in_language(language))
        typer.echo(messages.check_the_library_with(folder).in_language(language))
