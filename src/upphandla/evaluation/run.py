"""``upphandla evaluate`` as one call: read the forms, evaluate them and build the report files."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from upphandla.documents.generating import GenerateOptions, render_outputs, template_set
from upphandla.errors import Location, Problem, ProblemsError, ProhibitedPracticeError
from upphandla.evaluation import messages
from upphandla.evaluation.scoring import Evaluation
from upphandla.library import known
from upphandla.selection.prohibited import refusal_message
from upphandla.selection.select import Selection


def plan_evaluation(
    selection: Selection,
    options: GenerateOptions,
    forms: Sequence[Path],
    prices: dict[str, float],
) -> tuple[Evaluation, dict[Path, bytes]]:
    """Read the filled-in response forms, evaluate them, and build ``utvardering.docx`` (and
    ``.md``) and ``utvardering.json`` in memory; raise on any problem with any form."""
    from upphandla.documents.context import build_context
    from upphandla.documents.form import form_id
    from upphandla.documents.tender import EVALUATION_REPORT, render_kinds
    from upphandla.evaluation.report import evaluation_context, evaluation_to_json
    from upphandla.evaluation.responses import read_responses
    from upphandla.evaluation.scoring import evaluate

    if selection.risk_class == known.PROHIBITED:
        raise ProhibitedPracticeError(refusal_message(selection.answers))
    files, problems = _read_files(forms)
    try:
        responses = read_responses(files, selection, form_id(selection))
    except ProblemsError as error:
        problems.extend(error.problems)
    if problems:
        order: dict[Path | None, int] = {path: index for index, path in enumerate(forms)}
        raise ProblemsError(
            sorted(problems, key=lambda problem: order.get(problem.location.file, len(order)))
        )
    evaluation = evaluate(selection, responses, prices)
    context = build_context(selection, options.language, options.today or datetime.date.today())
    context.update(evaluation_context(evaluation, options.language))
    documents = render_kinds((EVALUATION_REPORT,), context, options.language, template_set(options))
    outputs = render_outputs(documents, options)
    if "json" in options.formats:
        outputs[options.out / "utvardering.json"] = evaluation_to_json(
            evaluation, options.language
        ).encode("utf-8")
    return evaluation, outputs


def _read_files(paths: Sequence[Path]) -> tuple[list[tuple[Path, bytes]], list[Problem]]:
    """Each readable file's bytes, and one located problem for every file that cannot be read."""
    files: list[tuple[Path, bytes]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            files.append((path, path.read_bytes()))
        except OSError as error:
            problems.append(Problem(messages.file_unreadable(error.strerror), Location(path)))
    return files, problems
