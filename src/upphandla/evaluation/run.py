"""``upphandla evaluate`` as one call: read the forms, evaluate them and build the report files.

``evaluate_bids(EvaluateRequest(...))`` returns an ``EvaluationSet``: the ``Evaluation`` and every
report file planned in memory, all or nothing, and nothing on disk until ``EvaluationSet.write()``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import field, replace
from pathlib import Path

from upphandla.documents.generating import (
    GenerateOptions,
    render_outputs,
    template_set,
    write_outputs,
)
from upphandla.documents.package import DocumentRequest, prepare_documents
from upphandla.errors import Location, Problem, ProhibitedPracticeError
from upphandla.evaluation import messages
from upphandla.evaluation.responses import ExpectedTexts
from upphandla.evaluation.scoring import Evaluation
from upphandla.library import known
from upphandla.records import record
from upphandla.selection.explain import NoteSink
from upphandla.selection.prohibited import refusal_message
from upphandla.selection.select import Selection

EXIT_TO_REVIEW = 4
"""``evaluate``'s exit status when the report is written but a form could not be read or a
tender is ``to_review``: something must be assessed before the decision."""


@record(kw_only=True)
class EvaluateRequest(DocumentRequest):
    """``evaluate``: compare the suppliers' filled-in response forms and write the evaluation.

    Attributes:
        forms: The filled-in response forms (``svarsbilaga.docx``) or response workbooks
            (``kravspecifikation.xlsx``, ``workbook_reader``), one per supplier, in any mix.
        prices: Tender prices in kronor by supplier (the name in the form, or the file's name
            without ``.docx`` or ``.xlsx``); they take precedence over the price in the form. Parse ``--price``
            values with ``parse_price_options``.
        out: The folder to write to (default: the working folder).
    """

    forms: Sequence[Path]
    prices: Mapping[str, float] = field(default_factory=dict)
    out: Path | None = Path()


@record
class EvaluationSet:
    """The evaluation and its report files, built in memory; nothing is on disk until ``write``.

    Attributes:
        evaluation: Every supplier qualified or not, scored and ranked, with the notes on the
            forms (``evaluation.notes``).
        selection: The procurement's selection the forms were read against.
        options: The output options (folder, language, formats, force).
        files: ``utvardering.docx`` (and ``.md``) and ``utvardering.json``, by path.
        notes: The notes on the answers (warnings from the selection).
    """

    evaluation: Evaluation
    selection: Selection
    options: GenerateOptions
    files: dict[Path, bytes]
    notes: tuple[Problem, ...] = ()

    def write(self) -> list[Path]:
        """Write every file atomically, after checking that none would be overwritten."""
        return write_outputs(self.files, self.options.force)


def evaluate_bids(request: EvaluateRequest, *, on_notes: NoteSink | None = None) -> EvaluationSet:
    """Read the forms, evaluate the tenders and plan the report in memory; raise on any problem
    in the answers or in any form (``ProblemsError``, ``ProhibitedPracticeError``)."""
    run = prepare_documents(request, on_notes=on_notes)
    evaluation, files = plan_evaluation(
        run.selection, run.options, request.forms, dict(request.prices)
    )
    return EvaluationSet(evaluation, run.selection, run.options, files, run.notes)


def plan_evaluation(
    selection: Selection,
    options: GenerateOptions,
    forms: Sequence[Path],
    prices: dict[str, float],
) -> tuple[Evaluation, dict[Path, bytes]]:
    """Read the filled-in response forms, evaluate them, and build ``utvardering.docx`` (and
    ``.md``) and ``utvardering.json`` in memory.

    A form that cannot be read does not stop the run: it is in ``Evaluation.unread``, to be
    assessed by hand. Raise only on problems that make the evaluation itself wrong (two forms
    from one supplier, a ``--price`` for nobody, an unknown model)."""
    from upphandla.documents.context import build_context
    from upphandla.documents.form import form_id
    from upphandla.documents.tender import EVALUATION_REPORT, render_kinds
    from upphandla.evaluation.report import evaluation_context, evaluation_to_json
    from upphandla.evaluation.responses import read_responses
    from upphandla.evaluation.scoring import evaluate

    if selection.risk_class == known.PROHIBITED:
        raise ProhibitedPracticeError(refusal_message(selection.answers))
    files, problems = _read_files(forms)
    today = options.today or datetime.date.today()
    responses, unread = read_responses(
        files,
        selection,
        form_id(selection),
        _expected_texts(selection, options, today),
        _expected_cells(selection, today),
    )
    problems.extend(unread)
    order: dict[Path | None, int] = {path: index for index, path in enumerate(forms)}
    problems.sort(key=lambda problem: order.get(problem.location.file, len(order)))
    evaluation = replace(evaluate(selection, responses, prices), unread=tuple(problems))
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


def _expected_texts(
    selection: Selection, options: GenerateOptions, today: datetime.date
) -> ExpectedTexts:
    """The fixed text of each requirement table in the response form as it was sent, per
    language: the form is rendered again (markup only, no Word file) with the same templates."""
    from upphandla.documents import form
    from upphandla.documents.context import build_context
    from upphandla.documents.tender import DOCUMENT_KINDS, render_kinds
    from upphandla.text import Language

    kind = next(kind for kind in DOCUMENT_KINDS if kind.name == form.RESPONSE_FORM)
    cache: dict[Language, dict[str, tuple[str, ...]]] = {}
    ids = [item.requirement.id for item in selection.included]

    def texts(language: Language) -> dict[str, tuple[str, ...]]:
        if language not in cache:
            context = build_context(selection, language, today)
            templates = template_set(replace(options, language=language))
            documents = render_kinds((kind,), context, language, templates)
            blocks = documents[form.RESPONSE_FORM].blocks
            cache[language] = {
                requirement_id: form.table_texts(table)
                for requirement_id, table in form.requirement_tables(blocks, ids).items()
            }
        return cache[language]

    return texts


def _expected_cells(selection: Selection, today: datetime.date) -> ExpectedTexts:
    """The locked cells of each requirement row in the response workbook as it was sent, per
    language: the workbook is written again in memory and read back the way a filled-in one is."""
    from upphandla.documents.context import build_context
    from upphandla.documents.xlsx_writer import render_xlsx
    from upphandla.evaluation.workbook_reader import read_workbook
    from upphandla.text import Language

    cache: dict[Language, dict[str, tuple[str, ...]]] = {}

    def cells(language: Language) -> dict[str, tuple[str, ...]]:
        if language not in cache:
            context = build_context(selection, language, today)
            cache[language] = read_workbook(
                render_xlsx(selection, context, language)
            ).content.tables
        return cache[language]

    return cells
