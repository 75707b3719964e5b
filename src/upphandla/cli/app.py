"""The command line: parse arguments, call the library, print, map errors to exit codes.

Only this module imports Typer or prints. Heavy modules (YAML, Jinja2, python-docx) are imported
inside the commands that need them, so that ``upphandla --help`` stays fast.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from upphandla import __version__
from upphandla.text import Language, parse_language

if TYPE_CHECKING:
    from upphandla.documents.generating import GenerateOptions
    from upphandla.errors import Problem
    from upphandla.interview.flow import Prompter
    from upphandla.interview.profile import Profile as OrganisationProfile
    from upphandla.selection.select import Selection

app = typer.Typer(
    name="upphandla",
    help=(
        "Krav på transparens och etik när offentliga organisationer köper AI-system: "
        "intervju, kravurval och Word-dokument för upphandlingen."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: Rich's formatting imports Markdown and traceback support, which would more
    # than double the time of `upphandla --help`.
    rich_markup_mode=None,
)
library_app = typer.Typer(
    help="Kravbibliotek: kontrollera, lista, visa och skapa bibliotek.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(library_app, name="library")

LANGUAGE_VARIABLE = "UPPHANDLA_LANG"
DEBUG_VARIABLE = "UPPHANDLA_DEBUG"


def _language_option(value: str | None) -> str:
    chosen = value or os.environ.get(LANGUAGE_VARIABLE) or "sv"
    try:
        return parse_language(chosen)
    except ValueError:
        raise typer.BadParameter(f"'{chosen}': välj sv eller en / choose sv or en") from None


LanguageOption = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Språk för frågor, meddelanden och dokument: sv eller en.",
        callback=_language_option,
        show_default="sv",
    ),
]
LibraryPathOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--library",
        help=(
            "Mapp med ett bibliotek, eller med flera bibliotek, att söka i. Kan anges flera gånger. "
            "Även miljövariabeln UPPHANDLA_LIBRARY_PATH används."
        ),
        show_default=False,
    ),
]


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"upphandla {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Visa versionen och avsluta.",
            callback=_version_callback,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Krav på transparens och etik när offentliga organisationer köper AI-system."""


# --------------------------------------------------------------------------- library commands


@library_app.command("check")
def library_check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Biblioteksmappar att kontrollera. Utan mapp: alla kända bibliotek.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Låt även varningar ge fel.")] = False,
    library: LibraryPathOption = None,
    lang: LanguageOption = "sv",
) -> None:
    """Kontrollera bibliotek och visa varje problem med fil, rad och kolumn."""
    from upphandla.library.loading import discover_libraries, library_search_path, load_library

    language = _lang(lang)
    with _errors_reported(language):
        search_path = library_search_path(library or [])
        targets: list[str | Path] = (
            list(paths) if paths else [entry.path for entry in discover_libraries(search_path)]
        )
        failed = False
        for target in targets:
            result = load_library(target, search_path)
            _print_problems(result.problems, language)
            errors = sum(1 for problem in result.problems if problem.is_error)
            warnings = len(result.problems) - errors
            name = result.library.id if result.library else str(target)
            failed |= errors > 0 or (strict and warnings > 0)
            summary = _say(
                language,
                f"{name}: {errors} fel, {warnings} varningar",
                f"{name}: {errors} errors, {warnings} warnings",
            )
            if result.library is not None:
                summary += _say(
                    language,
                    f" ({len(result.library.questions)} frågor, {len(result.library.requirements)} krav)",
                    f" ({len(result.library.questions)} questions, {len(result.library.requirements)} requirements)",
                )
            typer.echo(summary)
        if failed:
            raise typer.Exit(1)


@library_app.command("list")
def library_list(library: LibraryPathOption = None, lang: LanguageOption = "sv") -> None:
    """Lista biblioteken som upphandla hittar."""
    from upphandla.library.loading import discover_libraries, library_search_path

    language = _lang(lang)
    with _errors_reported(language):
        entries = discover_libraries(library_search_path(library or []))
        if not entries:
            typer.echo(_say(language, "Inga bibliotek hittades.", "No libraries found."))
            return
        for entry in entries:
            origin = _say(language, "medföljer", "bundled") if entry.bundled else str(entry.path)
            typer.echo(
                f"{entry.id:<20} {entry.version:<10} {entry.name.in_language(language)}  [{origin}]"
            )


@library_app.command("show")
def library_show(
    library_id: Annotated[str, typer.Argument(metavar="ID", help="Bibliotekets id eller mapp.")],
    library: LibraryPathOption = None,
    lang: LanguageOption = "sv",
) -> None:
    """Visa ett biblioteks krav i en tabell med nivå, område och hänvisningar."""
    from upphandla.library.loading import library_search_path, require_library
    from upphandla.library.overview import render_overview

    language = _lang(lang)
    with _errors_reported(language):
        loaded, warnings = require_library(library_id, library_search_path(library or []))
        _print_problems(warnings, language)
        typer.echo(render_overview(loaded, language), nl=False)


@library_app.command("init")
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

    language = _lang(lang)
    with _errors_reported(language):
        written = create_starter_library(
            folder, extends=extends or None, library_id=library_id, force=force
        )
        for path in written:
            typer.echo(_say(language, f"skapade {path}", f"created {path}"))
        typer.echo(
            _say(
                language,
                f"Kontrollera biblioteket med: upphandla library check {folder}",
                f"Check the library with: upphandla library check {folder}",
            )
        )


# --------------------------------------------------------------------------- interview and explain

AnswersOption = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="Svarsfil (YAML eller JSON) från en tidigare intervju; - läser från standard in.",
        show_default=False,
        allow_dash=True,
    ),
]
SetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="ID=VÄRDE",
        help="Ange ett svar direkt, till exempel --set ambition=avancerad. Listor skrivs a,b. Kan upprepas.",
        show_default=False,
    ),
]
DefaultsOption = Annotated[
    bool,
    typer.Option("--defaults", help="Använd frågans standardsvar för allt som inte är besvarat."),
]


def make_prompter(plain: bool) -> Prompter:
    """The terminal prompter; tests replace this function with one returning a scripted prompter."""
    from upphandla.interview.prompters import PlainPrompter, QuestionaryPrompter

    if plain:
        return PlainPrompter(read=input, write=typer.echo)
    return QuestionaryPrompter(write=typer.echo)


def is_interactive() -> bool:
    """Whether a person is at a terminal to answer questions."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@app.command()
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
    from upphandla.files import write_text_atomic
    from upphandla.interview.answers import render_answers_file, resolve_answers
    from upphandla.interview.flow import run_interview
    from upphandla.interview.sources import AnswerSources, gather_answers, missing_answers_problem

    language = _lang(lang)
    with _errors_reported(language):
        start = answers if answers is not None else (output if output.is_file() else None)
        sources = AnswerSources(
            answers_path=start,
            answers_raw=sys.stdin.buffer.read() if start == Path("-") else None,
            set_options=tuple(set_answers or ()),
            use_defaults=defaults,
            library_paths=tuple(library or ()),
        )
        gathered = gather_answers(sources, allow_stale=True)
        _print_problems(gathered.notes, language)
        for problem in gathered.stale:
            typer.echo(problem.render(language).replace(": error:", ":"), err=True)
        values = dict(gathered.given)
        if defaults:
            values.update(
                {key: gathered.resolved.values[key] for key in gathered.resolved.defaulted}
            )
        lib = gathered.library
        from_defaults = {key: values.get(key) for key in gathered.resolved.defaulted}

        def save(current: dict[str, object], complete: bool = False) -> None:
            recorded = resolve_answers(lib, current, use_defaults=False).values
            still = frozenset(k for k, v in from_defaults.items() if recorded.get(k, v) == v)
            write_text_atomic(
                output, render_answers_file(lib, recorded, complete=complete, defaulted=still)
            )

        if is_interactive():
            if start is not None and start == output and not review:
                typer.echo(
                    _say(
                        language,
                        f"Fortsätter med svaren i {output}.",
                        f"Continuing with the answers in {output}.",
                    )
                )
            try:
                run_interview(
                    lib, values, make_prompter(plain), language=language, review=review, save=save
                )
            except KeyboardInterrupt:
                save(values)
                typer.echo(
                    _say(
                        language,
                        f"\nAvbrutet. Dina svar är sparade i {output}. Kör samma kommando igen för att fortsätta.",
                        f"\nInterrupted. Your answers are saved in {output}. Run the same command again to continue.",
                    ),
                    err=True,
                )
                raise typer.Exit(130) from None
        resolved = resolve_answers(lib, values, use_defaults=False)
        if resolved.missing:
            raise missing_answers_problem(lib, resolved.missing)
        save(values, complete=True)
        typer.echo(
            _say(language, f"Svaren är sparade i {output}.", f"The answers are saved in {output}.")
        )
        typer.echo(
            _say(
                language,
                f"Nästa steg: upphandla explain --answers {output}",
                f"Next step: upphandla explain --answers {output} --lang en",
            )
        )


@app.command()
def explain(
    answers: AnswersOption = None,
    set_answers: SetOption = None,
    defaults: DefaultsOption = False,
    output_format: Annotated[
        str, typer.Option("--format", help="text (läsbar sammanställning) eller json (data).")
    ] = "text",
    library: LibraryPathOption = None,
    lang: LanguageOption = "sv",
) -> None:
    """Visa klassificeringen enligt AI-förordningen och vilka krav som ingår, och varför."""
    from upphandla.selection.explanation import render_explanation
    from upphandla.selection.export import selection_to_json

    language = _lang(lang)
    if output_format not in ("text", "json"):
        raise typer.BadParameter(
            _say(language, "välj text eller json", "choose text or json"), param_hint="--format"
        )
    with _errors_reported(language):
        selection = _selection(answers, set_answers, defaults, library, language)
        if output_format == "json":
            typer.echo(selection_to_json(selection, language), nl=False)
        else:
            typer.echo(render_explanation(selection, language), nl=False)


def _selection(
    answers: Path | None,
    set_answers: list[str] | None,
    defaults: bool,
    library: list[Path] | None,
    language: Language,
    *,
    library_id: str | None = None,
    base_answers: tuple[tuple[str, str], ...] = (),
) -> Selection:
    from upphandla.interview.sources import AnswerSources, gather_answers, missing_answers_problem
    from upphandla.selection.select import select_requirements

    sources = AnswerSources(
        answers_path=answers,
        answers_raw=sys.stdin.buffer.read() if answers == Path("-") else None,
        set_options=tuple(set_answers or ()),
        use_defaults=defaults,
        library_paths=tuple(library or ()),
        library_id=library_id,
        base_answers=base_answers,
    )
    gathered = gather_answers(sources)
    _print_problems(gathered.notes, language)
    if gathered.resolved.missing:
        raise missing_answers_problem(gathered.library, gathered.resolved.missing)
    return select_requirements(
        gathered.library,
        gathered.resolved.values,
        gathered.resolved.context,
        defaulted=gathered.resolved.defaulted,
    )


@app.command()
def generate(
    answers: AnswersOption = None,
    set_answers: SetOption = None,
    defaults: DefaultsOption = False,
    library: LibraryPathOption = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Språk för dokumenten: sv eller en (standard: profilen, annars sv).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Mapp att skriva till (standard: en ny mapp med upphandlingens namn).",
            show_default=False,
        ),
    ] = None,
    formats: Annotated[
        str, typer.Option("--format", help="Vad som skrivs, kommaseparerat: docx, md, json.")
    ] = "docx,json",
    reference_doc: Annotated[
        Path | None,
        typer.Option(
            "--reference-doc",
            help="Word-dokument med organisationens formatmallar, sidhuvud och logga.",
            show_default=False,
        ),
    ] = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            help="Mapp med egna dokumentmallar (undermapparna sv och en).",
            show_default=False,
        ),
    ] = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profile",
            help="Organisationsprofil (standard: upphandla.toml i arbetsmappen).",
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Skriv över filer som redan finns.")
    ] = False,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="ÅÅÅÅ-MM-DD",
            help="Datum i dokumenten (standard: i dag).",
            show_default=False,
        ),
    ] = None,
    protect: Annotated[
        bool,
        typer.Option(
            "--protect",
            help=(
                "Skrivskydda svarsbilagan utom svarsfälten (fungerar i Word; LibreOffice "
                "öppnar den skrivskyddad, se docs/response-form-protection.md)."
            ),
        ),
    ] = False,
) -> None:
    """Ta fram upphandlingsdokumenten: kravbilaga, svarsbilaga och beslutsunderlag i Word."""
    from upphandla.documents.generating import plan_outputs, write_outputs

    language = _document_language(lang)
    with _errors_reported(language):
        selection, options = _document_run(
            answers,
            set_answers,
            defaults,
            library,
            language,
            lang,
            out,
            formats,
            reference_doc,
            templates,
            profile,
            force,
            date,
        )
        if protect:
            options = dataclasses.replace(options, protect=True)
        _report_written(write_outputs(plan_outputs(selection, options), force), options.language)


OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Mapp att skriva till (standard: en mapp med upphandlingens namn).",
        show_default=False,
    ),
]
ReferenceDocOption = Annotated[
    Path | None,
    typer.Option(
        "--reference-doc",
        help="Word-dokument med organisationens formatmallar, sidhuvud och logga.",
        show_default=False,
    ),
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        help="Mapp med egna dokumentmallar (undermapparna sv och en).",
        show_default=False,
    ),
]
ProfileOption = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        help="Organisationsprofil (standard: upphandla.toml i arbetsmappen).",
        show_default=False,
    ),
]
ForceOption = Annotated[bool, typer.Option("--force", help="Skriv över filer som redan finns.")]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="ÅÅÅÅ-MM-DD",
        help="Datum i dokumenten (standard: i dag).",
        show_default=False,
    ),
]
DocumentLanguageOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        help="Språk för dokumenten: sv eller en (standard: profilen, annars sv).",
        show_default=False,
    ),
]


@app.command("follow-up")
def follow_up(
    answers: AnswersOption = None,
    set_answers: SetOption = None,
    defaults: DefaultsOption = False,
    evaluation: Annotated[
        Path | None,
        typer.Option(
            "--evaluation",
            help="utvardering.json från upphandla evaluate: lovade bör-krav följs också upp.",
            show_default=False,
        ),
    ] = None,
    library: LibraryPathOption = None,
    lang: DocumentLanguageOption = None,
    out: OutOption = None,
    formats: Annotated[
        str, typer.Option("--format", help="docx och/eller md, kommaseparerat.")
    ] = "docx",
    reference_doc: ReferenceDocOption = None,
    templates: TemplatesOption = None,
    profile: ProfileOption = None,
    force: ForceOption = False,
    date: DateOption = None,
) -> None:
    """Skriv uppföljningsplanen: vad ni kontrollerar under avtalet, när, med vilket underlag och vem."""
    from upphandla.documents.generating import plan_follow_up, read_evaluation, write_outputs

    language = _document_language(lang)
    with _errors_reported(language):
        selection, options = _document_run(
            answers,
            set_answers,
            defaults,
            library,
            language,
            lang,
            out,
            formats,
            reference_doc,
            templates,
            profile,
            force,
            date,
        )
        outputs = plan_follow_up(
            selection, options, read_evaluation(evaluation) if evaluation else None
        )
        _report_written(write_outputs(outputs, force), options.language)


@app.command()
def declare(
    answers: AnswersOption = None,
    set_answers: SetOption = None,
    defaults: DefaultsOption = False,
    library: LibraryPathOption = None,
    lang: DocumentLanguageOption = None,
    out: OutOption = None,
    reference_doc: ReferenceDocOption = None,
    templates: TemplatesOption = None,
    profile: ProfileOption = None,
    force: ForceOption = False,
    date: DateOption = None,
) -> None:
    """Skriv ett utkast till transparensdeklaration för allmänheten, med luckor att fylla i."""
    from upphandla.documents.generating import plan_declaration, write_outputs

    language = _document_language(lang)
    with _errors_reported(language):
        selection, options = _document_run(
            answers,
            set_answers,
            defaults,
            library,
            language,
            lang,
            out,
            "docx,md",
            reference_doc,
            templates,
            profile,
            force,
            date,
        )
        _report_written(
            write_outputs(plan_declaration(selection, options), force), options.language
        )


@app.command("evaluate")
def evaluate_command(
    forms: Annotated[
        list[Path],
        typer.Argument(
            metavar="SVARSBILAGA.docx",
            help="Leverantörernas ifyllda svarsbilagor, en fil per leverantör.",
            show_default=False,
        ),
    ],
    answers: Annotated[
        Path,
        typer.Option(
            "--answers",
            help="Svarsfilen som svarsbilagan togs fram med (till exempel svar.yaml).",
            show_default=False,
            allow_dash=True,
        ),
    ],
    set_answers: SetOption = None,
    library: LibraryPathOption = None,
    prices: Annotated[
        list[str] | None,
        typer.Option(
            "--price",
            metavar="LEVERANTÖR=BELOPP",
            help=(
                "Anbudspris i kronor för en leverantör (namnet i svarsbilagan eller filens namn). "
                "Går före priset i svarsbilagan. Kan upprepas."
            ),
            show_default=False,
        ),
    ] = None,
    lang: DocumentLanguageOption = None,
    out: Annotated[
        Path,
        typer.Option("--out", help="Mapp att skriva utvärderingen till (standard: aktuell mapp)."),
    ] = Path(),
    formats: Annotated[
        str, typer.Option("--format", help="Vad som skrivs, kommaseparerat: docx, md, json.")
    ] = "docx,json",
    reference_doc: ReferenceDocOption = None,
    templates: TemplatesOption = None,
    profile: ProfileOption = None,
    force: ForceOption = False,
    date: DateOption = None,
) -> None:
    """Utvärdera anbuden: läs in svarsbilagorna, jämför leverantörerna och skriv utvärderingen."""
    from upphandla.documents.generating import plan_evaluation, write_outputs
    from upphandla.evaluation.scoring import format_comparison, parse_price_option

    language = _document_language(lang)
    chosen_prices: dict[str, float] = {}
    for option in prices or []:
        try:
            name, amount = parse_price_option(option)
        except ValueError:
            raise typer.BadParameter(
                _say(
                    language,
                    f"'{option}': skriv LEVERANTÖR=BELOPP, till exempel 'Alfa AB=1250000'",
                    f"'{option}': write SUPPLIER=AMOUNT, for example 'Alfa AB=1250000'",
                ),
                param_hint="--price",
            ) from None
        chosen_prices[name] = amount
    with _errors_reported(language):
        selection, options = _document_run(
            answers,
            set_answers,
            False,
            library,
            language,
            lang,
            out,
            formats,
            reference_doc,
            templates,
            profile,
            force,
            date,
        )
        evaluation, outputs = plan_evaluation(selection, options, forms, chosen_prices)
        written = write_outputs(outputs, force)
        _print_problems(evaluation.notes, options.language)
        typer.echo(format_comparison(evaluation, options.language))
        _report_written(written, options.language)


def _document_language(lang: str | None) -> Language:
    return _lang(_language_option(lang) if lang else os.environ.get(LANGUAGE_VARIABLE, "sv"))


def _document_run(
    answers: Path | None,
    set_answers: list[str] | None,
    defaults: bool,
    library: list[Path] | None,
    language: Language,
    lang: str | None,
    out: Path | None,
    formats: str,
    reference_doc: Path | None,
    templates: Path | None,
    profile: Path | None,
    force: bool,
    date: str | None = None,
) -> tuple[Selection, GenerateOptions]:
    """The selection and output options shared by generate, follow-up and declare."""
    from upphandla.documents.generating import GenerateOptions, default_out_folder, parse_formats
    from upphandla.interview.profile import find_profile

    settings = find_profile(profile, Path.cwd())
    if lang is None and settings.language:
        language = _lang(_language_option(settings.language))
    try:
        chosen_formats = parse_formats(formats)
    except ValueError as error:
        raise typer.BadParameter(
            _say(
                language,
                f"okänt format: {error}; välj docx, md, json",
                f"unknown format: {error}; choose docx, md, json",
            ),
            param_hint="--format",
        ) from None
    today = _parse_date(date, language)
    if answers is None and is_interactive():
        answers = _interview_first(settings, library, set_answers, defaults, language)
    selection = _selection(
        answers,
        set_answers,
        defaults,
        [*(library or []), *settings.libraries],
        language,
        library_id=settings.library,
        base_answers=(("organisation", settings.organisation),) if settings.organisation else (),
    )
    options = GenerateOptions(
        out=out or default_out_folder(selection),
        language=language,
        formats=chosen_formats,
        reference_doc=reference_doc or settings.reference_doc,
        templates=templates or settings.templates,
        force=force,
        today=today,
    )
    return selection, options


def _parse_date(value: str | None, language: Language) -> datetime.date | None:
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(
            _say(
                language,
                f"'{value}' är inget datum; skriv ÅÅÅÅ-MM-DD",
                f"'{value}' is not a date; write YYYY-MM-DD",
            ),
            param_hint="--date",
        ) from None


def _report_written(paths: Sequence[Path], language: Language) -> None:
    for path in paths:
        typer.echo(_say(language, f"skrev {path}", f"wrote {path}"))


def _interview_first(
    settings: OrganisationProfile,
    library: list[Path] | None,
    set_answers: list[str] | None,
    defaults: bool,
    language: Language,
) -> Path:
    """Run the interview into svar.yaml before generating, when a person is at the terminal."""
    target = Path("svar.yaml")
    arguments = ["interview", "-o", str(target), "--lang", language]
    for path in [*(library or []), *settings.libraries]:
        arguments += ["--library", str(path)]
    for option in set_answers or []:
        arguments += ["--set", option]
    if settings.organisation:
        arguments += ["--set", f"organisation={settings.organisation}"]
    if defaults:
        arguments.append("--defaults")
    try:
        app(arguments, standalone_mode=False)
    except SystemExit as stop:
        if stop.code not in (0, None):
            raise typer.Exit(int(stop.code) if isinstance(stop.code, int) else 1) from None
    return target


# --------------------------------------------------------------------------- helpers


def _lang(value: str) -> Language:
    return "en" if value == "en" else "sv"


def _say(language: Language, swedish: str, english: str) -> str:
    return swedish if language == "sv" else english


def _print_problems(problems: Sequence[Problem], language: Language) -> None:
    for problem in problems:
        typer.echo(problem.render(language), err=True)


@contextmanager
def _errors_reported(language: Language) -> Iterator[None]:
    """Turn the library's errors into messages and exit codes, never a traceback."""
    from upphandla.errors import ProblemsError, ProhibitedPracticeError, UpphandlaError

    try:
        yield
    except ProblemsError as error:
        _print_problems(error.problems, language)
        count = sum(1 for problem in error.problems if problem.is_error)
        typer.echo(
            _say(
                language,
                f"Avbröt: {count} fel. Inget skrevs.",
                f"Stopped: {count} errors. Nothing was written.",
            ),
            err=True,
        )
        raise typer.Exit(error.exit_code) from None
    except ProhibitedPracticeError as error:
        typer.echo(error.message.in_language(language), err=True)
        raise typer.Exit(error.exit_code) from None
    except UpphandlaError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(error.exit_code) from None


def main() -> None:
    """Entry point of the ``upphandla`` command."""
    debug = os.environ.get(DEBUG_VARIABLE) == "1"
    # A run is short and builds large, acyclic structures (parsed YAML, blocks, XML text): the
    # cyclic garbage collector only slows it down (by about half for a 10,000-requirement
    # library) without freeing anything that reference counting does not already free.
    gc.disable()
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("\nAvbrutet. / Interrupted.", err=True)
        sys.exit(130)
    except Exception:
        if debug:
            raise
        typer.echo(
            "Ett oväntat fel inträffade i upphandla. Kör igen med UPPHANDLA_DEBUG=1 och rapportera "
            "felet. / An unexpected error occurred; run again with UPPHANDLA_DEBUG=1 and report it.",
            err=True,
        )
        sys.exit(70)
