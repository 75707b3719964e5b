"""``upphandla evaluate``: read the suppliers' response forms, compare them, write the evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from upphandla.cli.options import (
    DateOption,
    DocumentLanguageOption,
    ForceOption,
    FormatsOption,
    LibraryPathOption,
    ProfileOption,
    ReferenceDocOption,
    SetOption,
    TemplatesOption,
    document_language,
    explicit_language,
)
from upphandla.cli.output import answer_sources, errors_reported, print_problems, report_written


def evaluate_command(
    forms: Annotated[
        list[Path],
        typer.Argument(
            metavar="SVARSBILAGA.docx",
            help="Leverantörernas ifyllda svarsbilagor (.docx) eller kravspecifikationer (.xlsx), en fil per leverantör.",
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
    formats: FormatsOption = "docx,json",
    reference_doc: ReferenceDocOption = None,
    templates: TemplatesOption = None,
    profile: ProfileOption = None,
    force: ForceOption = False,
    date: DateOption = None,
) -> None:
    """Utvärdera anbuden: läs in svarsbilagorna, jämför leverantörerna och skriv utvärderingen.

    Slutkod 0: alla svarsbilagor lästes in och inget anbud behöver bedömas. Slutkod 4:
    utvärderingen är skriven, men en fil kunde inte läsas in eller ett anbud har oklara svar,
    förbehåll eller oklart pris och måste bedömas före beslut (se "Att bedöma före beslut").
    """
    from upphandla.documents.package import RequestError
    from upphandla.evaluation.messages import exit_to_review
    from upphandla.evaluation.report import format_comparison
    from upphandla.evaluation.responses import parse_price_options
    from upphandla.evaluation.run import EXIT_TO_REVIEW, EvaluateRequest, evaluate_bids

    language = document_language(lang)
    try:
        chosen_prices = parse_price_options(prices or [], language)
    except RequestError as error:
        raise typer.BadParameter(str(error), param_hint="--price") from None
    with errors_reported(language):
        result = evaluate_bids(
            EvaluateRequest(
                answers=answer_sources(answers, set_answers, False, library),
                forms=tuple(forms),
                prices=chosen_prices,
                language=explicit_language(lang),
                default_language=language,
                out=out,
                formats=formats,
                reference_doc=reference_doc,
                templates=templates,
                profile=profile,
                force=force,
                date=date,
            ),
            on_notes=print_problems,
        )
        written = result.write()
        shown = result.options.language  # the profile may choose it when --lang is not given
        print_problems(result.evaluation.unread, shown)
        print_problems(result.evaluation.notes, shown)
        typer.echo(format_comparison(result.evaluation, shown))
        report_written(written, shown)
    if not result.evaluation.decided:
        typer.echo(exit_to_review().in_language(shown), err=True)
        raise typer.Exit(EXIT_TO_REVIEW)
