"""``upphandla explain`` as a library call, and the step every document command starts with:
from the given answers to a selection of requirements."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field
from typing import Literal

from upphandla.errors import Problem
from upphandla.interview.sources import AnswerSources, gather_answers, missing_answers_problem
from upphandla.records import record
from upphandla.selection.select import Selection, select_requirements
from upphandla.text import Language

NoteSink = Callable[[Sequence[Problem], Language], None]
"""Receives warnings (and the run's language) as soon as they are known, before a later error."""


@record
class Selected:
    """A selection and the warnings found on the way."""

    selection: Selection
    notes: tuple[Problem, ...] = ()


@record
class ExplainRequest:
    """What ``explain`` shows: the classification and the requirements, and why.

    Attributes:
        answers: Where the answers come from.
        output_format: ``text`` (for reading) or ``json`` (data, as in ``urval.json``).
        language: The language of the explanation.
    """

    answers: AnswerSources = field(default_factory=AnswerSources)
    output_format: Literal["text", "json"] = "text"
    language: Language = "sv"


@record
class Explanation:
    """The selection, and the explanation rendered in the requested format."""

    selection: Selection
    text: str
    notes: tuple[Problem, ...] = ()


def select_from_answers(
    sources: AnswerSources, language: Language, *, on_notes: NoteSink | None = None
) -> Selected:
    """Load the library, check the answers and select; raise ``ProblemsError`` when answers are
    missing or wrong."""
    gathered = gather_answers(sources)
    if on_notes is not None:
        on_notes(gathered.notes, language)
    if gathered.resolved.missing:
        raise missing_answers_problem(gathered.library, gathered.resolved.missing)
    selection = select_requirements(
        gathered.library,
        gathered.resolved.values,
        gathered.resolved.context,
        defaulted=gathered.resolved.defaulted,
    )
    return Selected(selection, gathered.notes)


def explain(request: ExplainRequest, *, on_notes: NoteSink | None = None) -> Explanation:
    """The classification under the AI Act and the selected requirements, with reasons."""
    from upphandla.selection.explanation import render_explanation
    from upphandla.selection.export import selection_to_json

    selected = select_from_answers(request.answers, request.language, on_notes=on_notes)
    if request.output_format == "json":
        text = selection_to_json(selected.selection, request.language)
    else:
        text = render_explanation(selected.selection, request.language)
    return Explanation(selected.selection, text, selected.notes)
