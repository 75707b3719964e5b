"""The Typer app: the commands in their order, ``--version``, and ``main`` with its exit codes.

Each command lives in its own module (``library_commands``, ``interview_command``,
``explain_command``, ``document_commands``, ``evaluate_command``): it parses the options,
builds one request, calls the library and prints. Only ``cli`` imports Typer or prints. Heavy
modules (YAML, Jinja2, lxml) are imported inside the commands that need them, so that
``upphandla --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from upphandla import __version__, parallel
from upphandla.cli import (
    document_commands,
    evaluate_command,
    explain_command,
    interview_command,
    library_commands,
)
from upphandla.cli.interface import ENGLISH
from upphandla.cli.messages import INTERRUPTED, UNEXPECTED_ERROR, in_both_languages
from upphandla.cli.output import report_error
from upphandla.cli.params import LeanCommand, LeanGroup
from upphandla.errors import UpphandlaError

if TYPE_CHECKING:
    from upphandla.interview.flow import Prompter
    from upphandla.text import Language

DEBUG_VARIABLE = "UPPHANDLA_DEBUG"

# The exit codes, one line each, shown by ``upphandla --help`` (README "Slutkoder" says the same).
EXIT_CODES = (
    ("0", "klart", "done"),
    ("1", "fel i indata (bibliotek, svar, mall, profil, svarsbilaga) eller en fil som inte kunde skrivas", "error in the input (library, answers, template, profile, response form) or a file that could not be written"),
    ("2", "fel i kommandot (okänd flagga, saknat värde)", "error in the command (unknown option, missing value)"),
    ("3", "avböjt: svaren beskriver en användning som är förbjuden enligt AI-förordningen", "refused: the answers describe a use the AI Act prohibits"),
    ("4", "evaluate: utvärderingen är skriven, men något anbud ska bedömas för hand före beslut", "evaluate: the evaluation is written, but some tender must be assessed by hand before the decision"),
    ("70", "ett fel i upphandla själv (kör igen med UPPHANDLA_DEBUG=1 och rapportera det)", "a bug in upphandla itself (run again with UPPHANDLA_DEBUG=1 and report it)"),
    ("130", "avbrutet med Ctrl-C (intervjuns svar är sparade)", "interrupted with Ctrl-C (the interview's answers are saved)"),
)  # fmt: skip


def _exit_code_help(language: str = "sv") -> str:
    """The exit codes as a block click prints as it is (``\\b`` stops re-wrapping)."""
    heading = "Slutkoder" if language == "sv" else "Exit codes"
    lines = [f"  {code:>3}  {sv if language == 'sv' else en}" for code, sv, en in EXIT_CODES]
    return f"\b\n{heading}:\n" + "\n".join(lines)


ENGLISH[_exit_code_help("sv")] = _exit_code_help("en")


_AddCommand = Callable[[typer.Typer], object]


def _command(function: Callable[..., None], name: str | None = None) -> _AddCommand:
    return lambda target: target.command(name, cls=LeanCommand)(function)


# The commands in the order ``upphandla --help`` lists them, each with how it is added.
COMMANDS: dict[str, _AddCommand] = {
    "library": lambda target: target.add_typer(library_commands.library_app, name="library"),
    "interview": _command(interview_command.interview),
    "explain": _command(explain_command.explain),
    "generate": _command(document_commands.generate),
    "follow-up": _command(document_commands.follow_up, "follow-up"),
    "declare": _command(document_commands.declare),
    "evaluate": _command(evaluate_command.evaluate_command, "evaluate"),
}


def make_app(names: Iterable[str] | None = None) -> typer.Typer:
    """The Typer app with the commands named (every command when ``names`` is None)."""
    made = typer.Typer(
        name="upphandla",
        help=(
            "Krav på transparens och etik när offentliga organisationer köper AI-system: "
            "intervju, kravurval och Word-dokument för upphandlingen."
        ),
        epilog=_exit_code_help(),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        # Plain help: Rich's formatting imports Markdown and traceback support, which would
        # more than double the time of `upphandla --help`.
        rich_markup_mode=None,
        # With LeanCommand: str and Path options coerced without Typer's pydantic adapters.
        cls=LeanGroup,
    )
    made.callback()(main_callback)
    for name, add in COMMANDS.items():
        if names is None or name in names:
            add(made)
    return made


def app_for(arguments: Sequence[str]) -> typer.Typer:
    """An app with only the command that ``arguments`` name, when they name one.

    Typer reads the signature of every command it is given (evaluating each annotation)
    before it runs any, about 2 ms a command; a run needs one. Without a known command name
    (``--help``, a misspelt command) it is the app with every command.
    """
    name = next((argument for argument in arguments if not argument.startswith("-")), None)
    return make_app({name}) if name in COMMANDS else app


def make_prompter(plain: bool) -> Prompter:
    """The terminal prompter: numbered lines with ``--plain``, arrow keys otherwise."""
    from upphandla.interview.prompters import PlainPrompter, QuestionaryPrompter

    if plain:
        return PlainPrompter(read=input, write=typer.echo)
    return QuestionaryPrompter(write=typer.echo)


def is_interactive() -> bool:
    """Whether a person is at a terminal to answer questions."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"upphandla {__version__}")
        raise typer.Exit()


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


app = make_app()


def _language_of_arguments(arguments: list[str]) -> Language:
    """``en`` when the command line asks for it (``--lang en``, ``--lang=en``) or UPPHANDLA_LANG
    does; the language a message is printed in before a command has parsed its options."""
    value = os.environ.get("UPPHANDLA_LANG", "sv")
    for index, argument in enumerate(arguments):
        if argument == "--lang" and index + 1 < len(arguments):
            value = arguments[index + 1]
        elif argument.startswith("--lang="):
            value = argument.removeprefix("--lang=")
    return "en" if value.strip().lower() in ("en", "english", "engelska") else "sv"


def main() -> None:
    """Entry point of the ``upphandla`` command."""
    debug = os.environ.get(DEBUG_VARIABLE) == "1"
    # A run is short and builds large, acyclic structures (parsed YAML, blocks, XML text): the
    # cyclic garbage collector only slows it down (by about half for a 10,000-requirement
    # library) without freeing anything that reference counting does not already free.
    gc.disable()
    try:
        app_for(sys.argv[1:])()
    except KeyboardInterrupt:
        typer.echo(f"\n{in_both_languages(INTERRUPTED)}", err=True)
        sys.exit(130)
    except UpphandlaError as error:
        # The one edge for the error family: a command reports its own errors in its language
        # (``errors_reported``); one raised outside that (while Typer converts an option, for
        # example) is still the user's input, never exit 70.
        sys.exit(report_error(error, _language_of_arguments(sys.argv[1:])))
    except Exception:
        if debug:
            raise
        typer.echo(in_both_languages(UNEXPECTED_ERROR), err=True)
        sys.exit(70)


def run() -> None:
    """Entry point of the ``upphandla`` command and of ``python -m upphandla``: ``main``, then
    an exit that leaves out the interpreter's teardown.

    Tearing down frees every object one by one and runs a last garbage collection over all
    that the run built (the collector is off during the run): about 50 ms after a generate
    with the bundled library and 0.3 s with 10,000 requirements, for memory the operating
    system takes back at once anyway. Every file a command writes is closed (and renamed into
    place) before it returns, so only the standard streams are left to flush. ``main`` itself
    exits as usual, for callers in Python.
    """
    try:
        main()
        status = 0
    except SystemExit as done:
        status = _exit_status(done.code)
    # A large library's cache entry may still be being written by a copy of this process
    # (``parallel``): no copy outlives the command.
    try:
        parallel.finish_all()
    except KeyboardInterrupt:
        status = 130
    for stream in (sys.stdout, sys.stderr):
        # A closed pipe (upphandla explain | head) or stream has nothing left to flush to.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(status)


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` gives: 0 for None, the number, else 1 after printing it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1
