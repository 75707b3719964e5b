"""The command-line options, each declared once as an ``Annotated`` alias."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from upphandla.cli.messages import CHOOSE_SV_OR_EN, in_both_languages
from upphandla.text import Language, parse_language

LANGUAGE_VARIABLE = "UPPHANDLA_LANG"


def language_option(ctx: typer.Context, value: str | None) -> str:
    """Check ``--lang`` (or UPPHANDLA_LANG); a usage error names the two choices.

    The default ``sv`` gives way to UPPHANDLA_LANG: only a ``--lang`` on the command line wins.
    """
    from typer._click.core import ParameterSource

    given = ctx.get_parameter_source("lang") not in (None, ParameterSource.DEFAULT)
    return checked_language(
        (value if given else None) or os.environ.get(LANGUAGE_VARIABLE) or value or "sv"
    )


def checked_language(chosen: str) -> str:
    """``sv`` or ``en``; anything else is a usage error naming the two choices."""
    try:
        return parse_language(chosen)
    except ValueError:
        raise typer.BadParameter(f"'{chosen}': {in_both_languages(CHOOSE_SV_OR_EN)}") from None


LanguageOption = Annotated[
    str,
    typer.Option(
        "--lang",
        help="Språk för frågor, meddelanden och dokument: sv eller en.",
        callback=language_option,
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


NewOutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="Mapp att skriva till (standard: en ny mapp med upphandlingens namn).",
        show_default=False,
    ),
]
FormatsOption = Annotated[
    str,
    typer.Option(
        "--format",
        help="Vad som skrivs, kommaseparerat: docx, md, json, xlsx (kravspecifikation.xlsx).",
    ),
]


def document_language(lang: str | None) -> Language:
    """The language of a document command's messages: ``--lang``, else UPPHANDLA_LANG, else sv."""
    chosen = checked_language(lang) if lang else os.environ.get(LANGUAGE_VARIABLE, "sv")
    return "en" if chosen == "en" else "sv"


def explicit_language(lang: str | None) -> Language | None:
    """``--lang`` of a document command, checked; None when it is not given."""
    return document_language(lang) if lang else None
