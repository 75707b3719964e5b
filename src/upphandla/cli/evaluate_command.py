"""``upphandla evaluate``: read the suppliers' response forms, compare them, write the evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from upphandla.cli import messages
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
    formats: FormatsOption = "docx,json",
    reference_doc: ReferenceDocOption = None,
    templates: TemplatesOption = None,
    profile: ProfileOption = None,
    force: ForceOption = False,
    date: DateOption = None,
) -> None:
    """Utvärdera anbuden: läs in svarsbilagorna, jämför leverantörerna och skriv utvärderingen."""
    from upphandla.documents.generating import write_outputs
    from upphandla.documents.package import DocumentRequest, prepare_documents
    from upphandla.evaluation.report import format_comparison
    from upphandla.evaluation.responses import parse_price_option
    from upphandla.evaluation.run import plan_evaluation

    language = document_language(lang)
    chosen_prices: dict[str, float] = {}
    for option in prices or []:
        try:
            name, amount = parse_price_option(option)
        except ValueError:
            raise typer.BadParameter(
                messages.price_option_malformed(option).in_language(language),
                param_hint="--price",
            ) from None
        chosen_prices[name] = amount
    with errors_reported(language):
        run = prepare_documents(
            DocumentRequest(
                answers=answer_sources(answers, set_answers, False, library),
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
        selection, options = run.selection, run.options
        evaluation, outputs = plan_evaluation(selection, options, forms, chosen_prices)
        written = write_outputs(outputs, force)
        print_problems(evaluation.notes, options.language)
        typer.echo(format_comparison(evaluation, options.language))
        report_written(written, options.language)
