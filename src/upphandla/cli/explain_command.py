"""``upphandla explain``: the classification and the selected requirements, and why."""

from __future__ import annotations

from typing import Annotated

import typer

from upphandla.cli import messages
from upphandla.cli.options import (
    AnswersOption,
    DefaultsOption,
    LanguageOption,
    LibraryPathOption,
    SetOption,
)
from upphandla.cli.output import answer_sources, errors_reported, language_of, print_problems


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
    from upphandla.selection.explain import ExplainRequest
    from upphandla.selection.explain import explain as explain_selection

    language = language_of(lang)
    if output_format not in ("text", "json"):
        raise typer.BadParameter(
            messages.CHOOSE_TEXT_OR_JSON.in_language(language), param_hint="--format"
        )
    with errors_reported(language, writes=False):
        request = ExplainRequest(
            answer_sources(answers, set_answers, defaults, library),
            "json" if output_format == "json" else "text",
            language,
        )
        typer.echo(explain_selection(request, on_notes=print_problems).text, nl=False)
