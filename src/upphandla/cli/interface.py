"""Click's own words in the interface language: usage, help, metavars, defaults and usage errors.

Typer 0.29's vendored Click writes plain English literals ("Usage:", "Show this message and
exit.", "No such option: …") with no gettext, so translating them is done through Typer's hooks:
the command and group classes (``cls=`` in ``app.py``, via ``params.LeanCommand`` and
``LeanGroup``) format usage, help text, options and commands themselves, give the help option a
help text of their own, and the group's ``main`` catches Click's usage errors and prints them in
the interface language at the one CLI edge (exit code unchanged: 2).

The interface language is Swedish unless ``--lang en`` is on the command line or
``UPPHANDLA_LANG=en`` is set; it is read from the arguments before Click parses them, because
``--help`` and usage errors come before any option callback runs. Help texts are written in
Swedish in the commands; ``ENGLISH`` gives each its English text (a test checks that every one
has one). ``tests/test_interface_language.py`` pins the Typer versions this works with.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from upphandla.text import Language

if TYPE_CHECKING:
    from typer._click import Context, HelpFormatter
    from typer._click.exceptions import ClickException

LANGUAGE_VARIABLE = "UPPHANDLA_LANG"

_language: Language = "sv"


def detect_language(args: Sequence[str]) -> Language:
    """The interface language of a command line: ``--lang en``, else UPPHANDLA_LANG, else sv."""
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            return "en" if args[index + 1].strip().lower() == "en" else "sv"
        if arg.startswith("--lang="):
            return "en" if arg.partition("=")[2].strip().lower() == "en" else "sv"
    return "en" if os.environ.get(LANGUAGE_VARIABLE, "").strip().lower() == "en" else "sv"


def interface_language() -> Language:
    """The language of the command line being run (Swedish outside a run)."""
    return _language


def set_interface_language(language: Language) -> None:
    """Set by the group's ``main`` for the run it starts."""
    global _language  # one run at a time; the value is read while formatting help
    _language = language


# ---------------------------------------------------------------------------------------------
# Words


_CLICK_SV = {
    "Usage: ": "Användning: ",
    "Options": "Flaggor",
    "Arguments": "Argument",
    "Commands": "Kommandon",
    "Show this message and exit.": "Visa den här hjälpen och avsluta.",
    "[OPTIONS]": "[FLAGGOR]",
    "COMMAND [ARGS]...": "KOMMANDO [ARGUMENT]...",
    "Error: ": "Fel: ",
    "Try '{command}' for help.": "Skriv '{command}' för hjälp.",
    "Aborted!": "Avbrutet.",
}

ENGLISH = {
    # Commands
    "Krav på transparens och etik när offentliga organisationer köper AI-system: intervju, kravurval och Word-dokument för upphandlingen.": "Transparency and ethics requirements for public bodies buying AI systems: an interview, a selection of requirements and the Word documents of the procurement.",
    "Intervjun: frågor om det planerade AI-köpet, en i taget. Svaren sparas efter varje fråga.": "The interview: questions about the planned AI purchase, one at a time. The answers are saved after every question.",
    "Visa klassificeringen enligt AI-förordningen och vilka krav som ingår, och varför.": "Show the classification under the AI Act and which requirements are included, and why.",
    "Ta fram upphandlingsdokumenten: kravbilaga, svarsbilaga och beslutsunderlag i Word.": "Write the procurement documents: requirements annex, response form and decision memo in Word.",
    "Skriv uppföljningsplanen: vad ni kontrollerar under avtalet, när, med vilket underlag och vem.\n\nMed --record läses ifyllda planer in och uppföljningsrapporten skrivs. Slutkod 0: allt\nlästes in och inget är oklart eller försenat. Slutkod 4: rapporten är skriven, men en plan\nkunde inte läsas in, eller en kontroll är oklar eller försenad.": "Write the follow-up plan: what you check during the contract, when, with which evidence and who.\n\nWith --record, filled-in plans are read and the follow-up report is written. Exit code 0: everything was read and nothing is unclear or overdue. Exit code 4: the report is written, but a plan could not be read, or a check is unclear or overdue.",
    "En ifylld uppföljningsplan att läsa in (till exempel en per år). Skriver uppföljningsrapporten i stället för planen. Kan upprepas.": "A filled-in follow-up plan to read (for example one per year). Writes the follow-up report instead of the plan. Can be repeated.",
    "docx och/eller md, kommaseparerat (med --record också json; standard docx,json).": "docx and/or md, comma-separated (with --record also json; default docx,json).",
    "IFYLLD.docx": "FILLED.docx",
    "Skriv uppföljningsplanen: vad ni kontrollerar under avtalet, när, med vilket underlag och vem.": "Write the follow-up plan: what you check during the contract, when, with which evidence and who.",
    "Skriv ett utkast till transparensdeklaration för allmänheten, med luckor att fylla i.": "Write a draft transparency statement for the public, with gaps to fill in.",
    "Utvärdera anbuden: läs in svarsbilagorna, jämför leverantörerna och skriv utvärderingen.": "Evaluate the tenders: read the response forms, compare the suppliers and write the evaluation.",
    'Utvärdera anbuden: läs in svarsbilagorna, jämför leverantörerna och skriv utvärderingen.\n\nSlutkod 0: alla svarsbilagor lästes in och inget anbud behöver bedömas. Slutkod 4:\nutvärderingen är skriven, men en fil kunde inte läsas in eller ett anbud har oklara svar,\nförbehåll eller oklart pris och måste bedömas före beslut (se "Att bedöma före beslut").': 'Evaluate the tenders: read the response forms, compare the suppliers and write the evaluation.\n\nExit code 0: every response form was read and no tender needs assessing. Exit code 4: the evaluation is written, but a file could not be read or a tender has unclear answers, reservations or an unclear price and must be assessed before the decision (see "Att bedöma före beslut").',
    "Kravbibliotek: kontrollera, lista, visa och skapa bibliotek.": "Requirement libraries: check, list, show and create libraries.",
    "Kontrollera bibliotek och visa varje problem med fil, rad och kolumn.": "Check libraries and show every problem with file, line and column.",
    "Lista biblioteken som upphandla hittar.": "List the libraries upphandla finds.",
    "Visa ett biblioteks krav i en tabell med nivå, område och hänvisningar.": "Show a library's requirements in a table with level, area and references.",
    "Skapa ett nytt bibliotek att börja från, med schema för redigeraren.": "Create a new library to start from, with a schema for the editor.",
    # Options and arguments
    "Visa versionen och avsluta.": "Show the version and exit.",
    "Svarsfilen som skrivs; finns den fortsätter intervjun där den slutade.": "The answers file to write; when it exists the interview continues where it ended.",
    "Svarsfil (YAML eller JSON) från en tidigare intervju; - läser från standard in.": "Answers file (YAML or JSON) from an earlier interview; - reads standard input.",
    "Ange ett svar direkt, till exempel --set ambition=avancerad. Listor skrivs a,b. Kan upprepas.": "Give an answer directly, for example --set ambition=avancerad. Lists are written a,b. May be repeated.",
    "Använd frågans standardsvar för allt som inte är besvarat.": "Use each question's default for everything not answered.",
    "Gå igenom alla frågor igen, med tidigare svar förifyllda.": "Go through every question again, with the earlier answers filled in.",
    "Enkla numrerade frågor utan piltangenter (till exempel för skärmläsare).": "Plain numbered questions without arrow keys (for example for screen readers).",
    "Mapp med ett bibliotek, eller med flera bibliotek, att söka i. Kan anges flera gånger. Även miljövariabeln UPPHANDLA_LIBRARY_PATH används.": "A folder with a library, or with several libraries, to search. May be given more than once. The environment variable UPPHANDLA_LIBRARY_PATH is used too.",
    "Språk för frågor, meddelanden och dokument: sv eller en.": "Language of questions, messages and documents: sv or en.",
    "text (läsbar sammanställning) eller json (data).": "text (a readable summary) or json (data).",
    "Språk för dokumenten: sv eller en (standard: profilen, annars sv).": "Language of the documents: sv or en (default: the profile, else sv).",
    "Mapp att skriva till (standard: en ny mapp med upphandlingens namn).": "Folder to write to (default: a new folder named after the procurement).",
    "Mapp att skriva till (standard: en mapp med upphandlingens namn).": "Folder to write to (default: a folder named after the procurement).",
    "Vad som skrivs, kommaseparerat: docx, md, json.": "What to write, comma-separated: docx, md, json.",
    "Word-dokument med organisationens formatmallar, sidhuvud och logga.": "A Word document with the organisation's styles, header and logo.",
    "Mapp med egna dokumentmallar (undermapparna sv och en).": "A folder with your own document templates (subfolders sv and en).",
    "Organisationsprofil (standard: upphandla.toml i arbetsmappen).": "Organisation profile (default: upphandla.toml in the working folder).",
    "Skriv över filer som redan finns.": "Overwrite files that exist.",
    "Datum i dokumenten (standard: i dag).": "Date in the documents (default: today).",
    "Skrivskydda svarsbilagan utom svarsfälten (fungerar i Word; LibreOffice öppnar den skrivskyddad, se docs/response-form-protection.md).": "Protect the response form except its answer fields (works in Word; LibreOffice opens it read-only, see docs/response-form-protection.md).",
    "utvardering.json från upphandla evaluate: lovade bör-krav följs också upp.": "utvardering.json from upphandla evaluate: the promised award criteria are followed up too.",
    "docx och/eller md, kommaseparerat.": "docx and/or md, comma-separated.",
    "uppfoljningsrapport.json från upphandla follow-up --record: deklarationen säger när systemet senast kontrollerades och vad som visade sig.": "uppfoljningsrapport.json from upphandla follow-up --record: the declaration says when the system was last checked and what was found.",
    "docx, md och/eller register (algoritmeregister.json enligt Algoritmeregistrets publiceringsstandard 1.0), kommaseparerat.": "docx, md and/or register (algoritmeregister.json under the Algoritmeregister publication standard 1.0), comma-separated.",
    "Leverantörernas ifyllda svarsbilagor (.docx) eller kravspecifikationer (.xlsx), en fil per leverantör.": "The suppliers' filled-in response forms (.docx) or requirement workbooks (.xlsx), one file per supplier.",
    "Svarsfilen som svarsbilagan togs fram med (till exempel svar.yaml).": "The answers file the response form was made from (for example svar.yaml).",
    "Anbudspris i kronor för en leverantör (namnet i svarsbilagan eller filens namn). Går före priset i svarsbilagan. Kan upprepas.": "A supplier's tender price in kronor (the name in the response form or the file's name). Takes precedence over the price in the response form. May be repeated.",
    "Mapp att skriva utvärderingen till (standard: aktuell mapp).": "Folder to write the evaluation to (default: the current folder).",
    "Bibliotek att kontrollera: id (som i upphandla library list) eller mapp. Utan bibliotek: alla kända bibliotek.": "Libraries to check: an id (as in upphandla library list) or a folder. Without one: every library known.",
    "Låt även varningar ge fel.": "Let warnings fail too.",
    "Bibliotekets id eller mapp.": "The library's id or folder.",
    "Mappen där det nya biblioteket skapas.": "The folder where the new library is created.",
    "Bibliotek som det nya bygger på (id eller sökväg).": "The library the new one builds on (id or path).",
    "Det nya bibliotekets id (standard: mappens namn).": "The new library's id (default: the folder's name).",
    "Skriv även om mappen inte är tom.": "Write even when the folder is not empty.",
    "Intervjun i webbläsaren: en lokal sida på den här datorn i stället för frågor i terminalen.": "The interview in the browser: a local page on this computer instead of questions in the terminal.",
    "Med --web: öppna ingen webbläsare, skriv bara adressen.": "With --web: open no browser, only print the address.",
    # Metavars given in the commands
    "ID=VÄRDE": "ID=VALUE",
    "ÅÅÅÅ-MM-DD": "YYYY-MM-DD",
    "SVARSBILAGA.docx": "RESPONSE_FORM.docx",
    "LEVERANTÖR=BELOPP": "SUPPLIER=AMOUNT",
    "DIR": "FOLDER",
    "MAPP": "FOLDER",
}

# Typer's own metavars (``<path>``, ``<str>`` …) by option: what an officer gives there.
_FILE, _FOLDER, _TEXT = ("FIL", "FILE"), ("MAPP", "FOLDER"), ("TEXT", "TEXT")
_METAVAR_OF_OPTION = {
    "--output": _FILE,
    "--answers": _FILE,
    "--reference-doc": _FILE,
    "--profile": _FILE,
    "--evaluation": _FILE,
    "--library": _FOLDER,
    "--out": _FOLDER,
    "--templates": _FOLDER,
    "--lang": ("SPRÅK", "LANGUAGE"),
    "--format": ("FORMAT", "FORMAT"),
    "--extends": ("BIBLIOTEK", "LIBRARY"),
    "--id": ("ID", "ID"),
}
_TYPER_METAVAR = r"<[^<>\s]+>"
_PARENTHESISED_DEFAULT = r"(default: )\(([^()]*)\)"


def click_word(english: str, language: Language | None = None) -> str:
    """One of Click's words in the interface language."""
    chosen = language or _language
    return english if chosen == "en" else _CLICK_SV.get(english, english)


def translated(text: str | None, language: Language | None = None) -> str:
    """A help text (written in Swedish) in the interface language."""
    if not text:
        return text or ""
    chosen = language or _language
    return ENGLISH.get(text, text) if chosen == "en" else text


def _metavar(option: str, language: Language) -> str:
    pair = _METAVAR_OF_OPTION.get(option, _TEXT)
    return pair[1] if language == "en" else pair[0]


def _help_extra(extra: str, language: Language) -> str:
    """Typer's ``[default: x; required]`` after a help text, in the interface language."""
    extra = re.sub(_PARENTHESISED_DEFAULT, r"\1\2", extra)
    if language == "en":
        return extra
    extra = extra.replace("[default: ", "[standard: ").replace("; default: ", "; standard: ")
    extra = extra.replace("; required]", "; krävs]").replace("[required]", "[krävs]")
    return extra.replace("env var: ", "miljövariabel: ")


def help_record(param: Any, ctx: Context) -> tuple[str, str] | None:
    """A parameter's help line (names, metavar; help, default) in the interface language."""
    record = param.get_help_record(ctx)
    if record is None:
        return None
    names, help_text = record
    language = _language
    option = next((name for name in getattr(param, "opts", ()) if name.startswith("--")), "")
    names = re.sub(_TYPER_METAVAR, lambda _: _metavar(option, language), names)
    if param.param_type_name == "argument":  # "MAPP... TEXT": the type name says nothing more
        names = names.split(" ")[0]
    if param.metavar and language == "en":
        names = names.replace(param.metavar, ENGLISH.get(param.metavar, param.metavar))
    own = getattr(param, "help", None) or ""
    if own and help_text.startswith(own):
        help_text = translated(own, language) + _help_extra(help_text[len(own) :], language)
    else:
        help_text = _help_extra(help_text, language)
    return names, help_text


# ---------------------------------------------------------------------------------------------
# Usage errors


# Click's messages and their Swedish form; compiled on first use (only a usage error needs them).
_PATTERNS_SV = [
    (
        r"^No such command '(?P<name>.*)'\. Did you mean (?P<close>.+)\?$",
        "Det finns inget kommando '{name}'. Menade du {close}?",
    ),
    (r"^No such command '(?P<name>.*)'\.$", "Det finns inget kommando '{name}'."),
    (
        r"^Option '(?P<name>.*)' requires an argument\.$",
        "Flaggan '{name}' behöver ett värde.",
    ),
    (
        r"^Option '(?P<name>.*)' requires (?P<count>\d+) arguments\.$",
        "Flaggan '{name}' behöver {count} värden.",
    ),
    (
        r"^Option '(?P<name>.*)' does not take a value\.$",
        "Flaggan '{name}' tar inget värde.",
    ),
    (
        r"^Got unexpected extra arguments? \((?P<extra>.*)\)$",
        "Oväntat extra argument: {extra}",
    ),
    (
        r"^Argument '(?P<name>.*)' takes (?P<count>\d+) values\.$",
        "Argumentet '{name}' tar {count} värden.",
    ),
    (
        r"^(?P<label>File|Directory|Path) '(?P<path>.*)' does not exist\.$",
        "{label_sv} '{path}' finns inte.",
    ),
    (
        r"^(?P<label>File|Directory|Path) '(?P<path>.*)' is a file\.$",
        "{label_sv} '{path}' är en fil, inte en mapp.",
    ),
    (
        r"^(?P<label>File|Directory|Path) '(?P<path>.*)' is a directory\.$",
        "{label_sv} '{path}' är en mapp, inte en fil.",
    ),
    (
        r"^(?P<label>File|Directory|Path) '(?P<path>.*)' is not readable\.$",
        "{label_sv} '{path}' går inte att läsa.",
    ),
    (
        r"^(?P<label>File|Directory|Path) '(?P<path>.*)' is not writable\.$",
        "{label_sv} '{path}' går inte att skriva till.",
    ),
]
_LABEL_SV = {"File": "Filen", "Directory": "Mappen", "Path": "Sökvägen"}


def _message_sv(message: str) -> str:
    for pattern, swedish in _PATTERNS_SV:
        match = re.match(pattern, message)
        if match:
            values = match.groupdict()
            values["label_sv"] = _LABEL_SV.get(values.get("label") or "", "")
            return swedish.format(**values)
    return message


def usage_error_message(error: ClickException, language: Language) -> str:
    """The one-line message of a Click error, in ``language``."""
    from typer._click.exceptions import BadParameter, MissingParameter, NoSuchOption

    if language == "en":
        return error.format_message()
    if isinstance(error, NoSuchOption):
        message = f"Det finns ingen flagga {error.option_name}."
        possible = sorted(error.possibilities or ())
        if len(possible) == 1:
            return f"{message} Menade du {possible[0]}?"
        if possible:
            return f"{message} (Möjliga flaggor: {', '.join(possible)})"
        return message
    if isinstance(error, MissingParameter):
        hint = _param_hint(error)
        kind = "argumentet" if (error.param_type or _param_type(error)) == "argument" else "flaggan"
        return f"Det saknas ett värde för {kind} {hint}.".replace("  ", " ").replace(" .", ".")
    if isinstance(error, BadParameter):
        hint = _param_hint(error)
        body = _message_sv(error.message)
        return f"Ogiltigt värde för {hint}: {body}" if hint else f"Ogiltigt värde: {body}"
    return _message_sv(error.format_message())


def _param_type(error: Any) -> str:
    return str(getattr(error.param, "param_type_name", "") or "")


def _param_hint(error: Any) -> str:
    from typer._click.exceptions import _join_param_hints

    hint = error.param_hint
    if hint is None and error.param is not None:
        hint = error.param.get_error_hint()
    return str(_join_param_hints(hint) or "")


def show_usage_error(error: ClickException, language: Language) -> None:
    """What Click's ``UsageError.show`` prints, in ``language``, on standard error."""
    import typer
    from typer._click.exceptions import NoArgsIsHelpError, UsageError

    if isinstance(error, NoArgsIsHelpError):
        error.show()
        return
    ctx = error.ctx if isinstance(error, UsageError) else None
    if ctx is not None:
        lines = [ctx.get_usage()]
        if ctx.command.get_help_option(ctx) is not None:
            command = f"{ctx.command_path} {ctx.help_option_names[0]}"
            lines.append(click_word("Try '{command}' for help.", language).format(command=command))
        typer.echo("\n".join(lines) + "\n", err=True)
    typer.echo(click_word("Error: ", language) + usage_error_message(error, language), err=True)


# ---------------------------------------------------------------------------------------------
# The command and group behaviour (mixed into params.LeanCommand and LeanGroup)


class InterfaceLanguage:
    """Usage, help text, options and the help option in the interface language."""

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        pieces = [
            click_word(piece) if piece in _CLICK_SV else _usage_piece(piece)
            for piece in self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        ]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=click_word("Usage: "))

    def format_help_text(self, ctx: Context, formatter: HelpFormatter) -> None:  # noqa: ARG002
        from inspect import cleandoc

        text = cleandoc(translated(getattr(self, "help", None) or ""))
        if getattr(self, "deprecated", False):
            text += " (DEPRECATED)" if _language == "en" else " (UTFASAD)"
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = help_record(param, ctx)
            if record is not None:
                (arguments if param.param_type_name == "argument" else options).append(record)
        if arguments:
            with formatter.section(click_word("Arguments")):
                formatter.write_dl(arguments)
        if options:
            with formatter.section(click_word("Options")):
                formatter.write_dl(options)
        format_commands = getattr(self, "format_commands", None)
        if format_commands is not None:
            format_commands(ctx, formatter)

    def format_epilog(self, ctx: Context, formatter: HelpFormatter) -> None:  # noqa: ARG002
        epilog = getattr(self, "epilog", None)
        if epilog:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(translated(epilog))

    def get_short_help_str(self, limit: int = 45) -> str:
        from typer._click.utils import make_default_short_help

        text = translated(getattr(self, "short_help", None) or getattr(self, "help", None) or "")
        return make_default_short_help(text, limit) if text else ""


_METAVARS_EN = {
    "SVARSBILAGA.docx": "RESPONSE_FORM.docx",
    "MAPP": "FOLDER",
    "DIR": "FOLDER",
    "BIBLIOTEK": "LIBRARY",
}


def _usage_piece(piece: str) -> str:
    """An argument in the usage line (``[MAPP]...``, ``{SVARSBILAGA.docx}...``)."""
    if _language != "en":
        return piece
    for swedish, english in _METAVARS_EN.items():
        piece = re.sub(rf"(?<![\w.]){re.escape(swedish)}(?![\w])", english, piece)
    return piece


def help_option_text(option: Any) -> None:
    """Give Click's help option the help text in the interface language."""
    if option is not None:
        option.help = click_word("Show this message and exit.")


class InterfaceLanguageGroup(InterfaceLanguage):
    """A group's command list in the interface language, and usage errors caught in ``main``."""

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        rows = []
        commands = [
            (name, self.get_command(ctx, name))  # type: ignore[attr-defined]
            for name in self.list_commands(ctx)  # type: ignore[attr-defined]
        ]
        commands = [(name, command) for name, command in commands if command and not command.hidden]
        if commands:
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
            with formatter.section(click_word("Commands")):
                formatter.write_dl(rows)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        import typer
        from typer._click.exceptions import ClickException
        from typer.exceptions import Abort

        arguments = list(sys.argv[1:] if args is None else args)
        language = detect_language(arguments)
        set_interface_language(language)
        run = super().main  # type: ignore[misc]
        # ``args`` is passed on as given: None lets Typer read (and on Windows expand) sys.argv.
        if not standalone_mode:
            return run(args, prog_name, complete_var, False, windows_expand_args, **extra)
        try:
            result = run(args, prog_name, complete_var, False, windows_expand_args, **extra)
        except ClickException as error:
            show_usage_error(error, language)
            sys.exit(error.exit_code)
        except Abort:
            typer.echo(click_word("Aborted!", language), err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)
