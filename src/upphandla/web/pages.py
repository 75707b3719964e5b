"""The pages of the browser interview: plain HTML forms, rendered with Jinja2 (autoescaped).

Each question is one form that works without JavaScript: radio buttons, tick boxes or a text
field in a fieldset with its legend, "Varför frågar vi?" as a ``<details>`` element, and two
submit buttons, "Spara och fortsätt" first (so Enter saves) and "Gå tillbaka". The side panel
lists the requirements selected with the answers so far, with their reasons. The small script
(``static/interview.js``) only refreshes that panel while the officer ticks and types.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from upphandla.interview.answers import resolve_answers
from upphandla.interview.flow import QuestionRequest
from upphandla.library.model import Level, Library, QuestionType
from upphandla.records import record
from upphandla.selection.select import select_requirements
from upphandla.text import Language
from upphandla.web.texts import word


@record
class Option:
    """One radio button or tick box."""

    value: str
    label: str
    help: str
    checked: bool


@record
class PanelItem:
    """One requirement in the side panel."""

    id: str
    title: str
    level: str
    reasons: tuple[str, ...]


@record
class PanelArea:
    """The requirements of one area in the side panel."""

    title: str
    items: tuple[PanelItem, ...]


@record
class Panel:
    """The side panel: the risk class and the requirements selected so far."""

    risk: str | None
    count: int
    areas: tuple[PanelArea, ...]


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("upphandla.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, language: Language, base: str, **context: Any) -> str:
    """A page: ``template`` with the words of ``language`` and the URL prefix ``base``."""

    def say(key: str, **values: object) -> str:
        return word(key, language, **values)

    return str(
        _environment().get_template(template).render(lang=language, base=base, say=say, **context)
    )


def panel(library: Library, values: Mapping[str, Any], language: Language) -> Panel:
    """The requirements the answers so far select (the defaults standing in for the rest)."""
    resolved = resolve_answers(library, values, use_defaults=True)
    selection = select_requirements(library, resolved.values, resolved.context)
    areas: list[PanelArea] = []
    for area in library.areas:
        items = tuple(
            PanelItem(
                included.requirement.id,
                included.wording.title.in_language(language),
                word("level_ska" if included.level is Level.SKA else "level_bor", language),
                tuple(reason.in_language(language) for reason in included.reasons),
            )
            for included in selection.included
            if included.requirement.area == area.id
        )
        if items:
            areas.append(PanelArea(area.title.in_language(language), items))
    risk = selection.risk_class
    risk_label = _risk_label(library, risk, language) if risk else None
    return Panel(risk_label, len(selection.included), tuple(areas))


def _risk_label(library: Library, risk: str, language: Language) -> str:
    derived = library.derived_value("risk_class")
    return derived.value_label(risk).in_language(language) if derived else risk


def question_page(
    request: QuestionRequest,
    *,
    serial: int,
    base: str,
    side: Panel,
    entered: Any = None,
    message: str | None = None,
    confirm_empty: bool = False,
) -> str:
    """The page of one question; ``entered`` is what the officer gave when it was refused."""
    question, language = request.question, request.language
    shown = request.default if entered is None else entered
    options: list[Option] = []
    if question.type is QuestionType.BOOL:
        options = [
            Option("true", word("yes", language), "", shown is True or shown == "true"),
            Option("false", word("no", language), "", shown is False or shown == "false"),
        ]
    elif question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        chosen = shown if isinstance(shown, list) else [shown]
        options = [
            Option(
                choice.value,
                choice.label.in_language(language),
                choice.help.in_language(language),
                choice.value in chosen,
            )
            for choice in question.choices
        ]
    return render(
        "question.html",
        language,
        base,
        page_title=question.short_label.in_language(language),
        request=request,
        kind=question.type.value,
        prompt=question.prompt.in_language(language),
        help=question.help.in_language(language),
        options=options,
        text_value=_text_value(shown),
        serial=serial,
        panel=side,
        message=message,
        confirm_empty=confirm_empty,
        required=question.required,
        described_by=" ".join(
            name
            for name, present in (
                ("message", message is not None),
                ("hint", question.type in (QuestionType.DATE, QuestionType.NUMBER)),
                ("optional", not question.required),
            )
            if present
        ),
    )


def _text_value(value: Any) -> str:
    if value is None or isinstance(value, bool | list):
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def done_page(
    *,
    base: str,
    language: Language,
    output: Path,
    already: bool,
    side: Panel,
    written: Sequence[tuple[int, str]] = (),
    folder: Path | None = None,
    problems: Sequence[str] = (),
) -> str:
    """The end: where the answers are, the generate button, and then the files to download."""
    return render(
        "done.html",
        language,
        base,
        page_title=word("done_title", language),
        final=True,
        output=str(output),
        already=already,
        panel=side,
        written=written,
        folder=str(folder) if folder is not None else None,
        problems=problems,
    )


def message_page(*, base: str, language: Language, title: str, text: str) -> str:
    """A page with a heading and one paragraph (closed, interrupted, failed)."""
    return render("message.html", language, base, page_title=title, text=text)


def panel_fragment(*, base: str, language: Language, side: Panel) -> str:
    """Only the side panel's content, for the script that refreshes it."""
    return render("panel.html", language, base, panel=side)
