"""The Typer app: the commands in their order, ``--version``, and ``main`` with its exit codes.

Each command lives in its own module (``library_commands``, ``interview_command``,
``explain_command``, ``document_commands``, ``evaluate_command``): it parses the options,
builds one request, calls the library and prints. Only ``cli`` imports Typer or prints. Heavy
modules (YAML, Jinja2, lxml) are imported inside the commands that need them, so that
``upphandla --help`` stays fast.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from upphandla import __version__
from upphandla.cli import (
    document_commands,
    evaluate_command,
    explain_command,
    interview_command,
    library_commands,
)
from upphandla.cli.messages import INTERRUPTED, UNEXPECTED_ERROR, in_both_languages
from upphandla.cli.params import LeanCommand, LeanGroup

if TYPE_CHECKING:
    from upphandla.interview.flow import Prompter

DEBUG_VARIABLE = "UPPHANDLA_DEBUG"

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
    # With LeanCommand: str and Path options coerced without Typer's pydantic adapters.
    cls=LeanGroup,
)
app.add_typer(library_commands.library_app, name="library")
app.command(cls=LeanCommand)(interview_command.interview)
app.command(cls=LeanCommand)(explain_command.explain)
app.command(cls=LeanCommand)(document_commands.generate)
app.command("follow-up", cls=LeanCommand)(document_commands.follow_up)
app.command(cls=LeanCommand)(document_commands.declare)
app.command("evaluate", cls=LeanCommand)(evaluate_command.evaluate_command)


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
        typer.echo(f"\n{in_both_languages(INTERRUPTED)}", err=True)
        sys.exit(130)
    except Exception:
        if debug:
            raise
        typer.echo(in_both_languages(UNEXPECTED_ERROR), err=True)
        sys.exit(70)
