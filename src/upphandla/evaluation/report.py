"""The evaluation report: ``utvardering.json``, the context of the ``utvardering`` template and
the comparison table printed in the terminal."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from upphandla import __version__
from upphandla.errors import Problem
from upphandla.evaluation import messages
from upphandla.evaluation.characters import visible
from upphandla.evaluation.form_reader import Doubt
from upphandla.evaluation.messages import format_amount, format_number
from upphandla.evaluation.responses import Answer, Reservation, found_text
from upphandla.evaluation.scoring import Evaluation, SupplierResult, lots_message, ranking_notes
from upphandla.library import known
from upphandla.library.model import Level
from upphandla.selection.award_model import (
    DEDUCTION_PERCENT,
    DEDUCTION_SEK,
    POINTS,
    Weighting,
    credit,
    tie_break_rule,
)
from upphandla.text import Language, Text

EVALUATION_FORMAT_VERSION = 1

# ---------------------------------------------------------------------------------------------
# utvardering.json


def evaluation_to_data(evaluation: Evaluation, language: Language) -> dict[str, Any]:
    """The evaluation as plain data (``utvardering.json``); ``follow-up --evaluation`` reads
    ``suppliers[].rank`` and ``suppliers[].promised``."""
    from upphandla.documents.form import form_id
    from upphandla.documents.form import lot_names as form_lots

    selection = evaluation.selection
    library = selection.library
    files = file_labels(evaluation)
    titles = {
        item.requirement.id: item.wording.title.in_language(language) for item in selection.included
    }
    return {
        "format_version": EVALUATION_FORMAT_VERSION,
        "tool": {"name": "upphandla", "version": __version__},
        "language": language,
        "library": {"id": library.id, "version": library.version, "sha256": library.sha256},
        "procurement": {
            "organisation": str(selection.answers.get(known.ORGANISATION, "")),
            "title": str(selection.answers.get(known.PROCUREMENT_TITLE, "")),
            "reference_number": str(selection.answers.get(known.REFERENCE_NUMBER, "") or ""),
        },
        "form_id": form_id(selection),
        "evaluation_model": evaluation.model,
        "lots": list(form_lots(selection)),
        "deduction_unit": _unit(evaluation.model),
        **_weighting_data(evaluation.weighting),
        "tie_break": {
            "rule": tie_break_rule(evaluation.model).in_language(language),
            "ties": [
                {
                    "comparison_figure": group[0].comparison_figure,
                    "suppliers": [result.name for result in group],
                    **({"lot": group[0].lot} if group[0].lot is not None else {}),
                }
                for group in evaluation.ties
            ],
        },
        "lots_needed": [
            {
                "rank": group[0].rank,
                "suppliers": [result.name for result in group],
                "message": lots_message(evaluation.model, group).in_language(language),
            }
            for group in evaluation.lots
        ],
        "suppliers": [
            {
                "name": visible(result.name),
                **({"name_as_written": result.name} if visible(result.name) != result.name else {}),
                "file": files[result.response.file],
                "form_kind": result.response.form_kind,
                "name_from_file": result.response.name_from_file,
                "org_number": result.response.org_number,
                "lot": result.lot,
                "lot_doubts": [
                    _doubt_data(doubt, language) for doubt in result.response.lot_doubts
                ],
                "status": result.status,
                "qualified": result.qualified,
                "failed_ska": list(result.failed_ska),
                "unanswered": list(result.unanswered),
                "unlocated": list(result.unlocated),
                "promised": list(result.promised),
                "score": result.score,
                "deductions": result.deductions,
                "price": result.price,
                "price_text": result.response.price_text,
                "price_from_option": result.price_from_option,
                "comparison_figure": result.comparison_figure,
                "rank": result.rank,
                "lots": result.lots,
                **_points_data(evaluation, result),
                "unclear_ska": list(result.unclear_ska),
                "unclear_bor": list(result.unclear_bor),
                "price_doubts": [
                    _doubt_data(doubt, language) for doubt in result.response.price_doubts
                ],
                "reservations": [
                    {
                        "requirement": reservation.requirement_id,
                        "kind": reservation.kind,
                        "found_text": reservation.found_text,
                        "expected_text": reservation.expected_text,
                    }
                    for reservation in result.response.reservations
                ],
                "answers": [
                    {
                        "id": answer.requirement_id,
                        "title": titles.get(answer.requirement_id, ""),
                        "level": answer.level.value,
                        "outcome": answer.outcome,
                        "fulfilled": answer.fulfilled,
                        "fulfilled_text": answer.fulfilled_text,
                        "found_text": found_text(answer.found, language),
                        "doubts": [_doubt_data(doubt, language) for doubt in answer.doubts],
                        "description": answer.description,
                        "reference": answer.reference,
                    }
                    for answer in result.response.answers
                ],
                "notes": [note.message.in_language(language) for note in result.response.notes],
            }
            for result in evaluation.suppliers
        ],
        "decided": evaluation.decided,
        "unread": [_problem_data(problem, language) for problem in evaluation.unread],
    }


def _doubt_data(doubt: Doubt, language: Language) -> dict[str, str]:
    return {
        "reason": doubt.reason,
        "detail": doubt.detail,
        "message": messages.doubt_text(doubt.reason, visible(doubt.detail)).in_language(language),
    }


def _problem_data(problem: Problem, language: Language) -> dict[str, str]:
    return {
        "file": str(problem.location.file or ""),
        "message": problem.message.in_language(language),
        "hint": problem.hint.in_language(language) if problem.hint else "",
    }


def _weighting_data(weighting: Weighting | None) -> dict[str, float | None]:
    return {
        "quality_weight": weighting.quality_weight if weighting else None,
        "max_points": weighting.max_points if weighting else None,
    }


def _points_data(evaluation: Evaluation, result: SupplierResult) -> dict[str, float | None]:
    """``quality_points`` (P, the same as ``score``) and ``max_points`` (Pmax), points model."""
    weighting = evaluation.weighting
    return {
        "quality_points": result.score if weighting else None,
        "max_points": weighting.max_points if weighting else None,
    }


def file_labels(evaluation: Evaluation) -> dict[Path, str]:
    """How each form is named in the report: its file name, or the path as given when two
    forms have the same file name (every supplier may send ``svarsbilaga.docx``)."""
    paths = [result.response.file for result in evaluation.suppliers]
    names = [path.name for path in paths]
    return {path: path.name if names.count(path.name) == 1 else str(path) for path in paths}


def evaluation_to_json(evaluation: Evaluation, language: Language) -> str:
    """``utvardering.json`` as text."""
    return json.dumps(evaluation_to_data(evaluation, language), ensure_ascii=False, indent=2) + "\n"


def _unit(model: str) -> str | None:
    return {DEDUCTION_SEK: "SEK", DEDUCTION_PERCENT: "percent", POINTS: "points"}.get(model)


def fulfilled_label(fulfilled: str, language: Language) -> str:
    """``Ja``, ``Nej``, ``Inte besvarat`` or ``Fältet hittades inte`` (English likewise)."""
    return messages.fulfilled_label(fulfilled).in_language(language)


_MARKUP_CHARACTERS = str.maketrans({char: f"\\{char}" for char in "\\*[<"})


def _quoted(text: str) -> str:
    """Supplier text for a template: exactly as written, deceptive characters shown
    (``characters.visible``), paragraphs kept apart, and every character the markup reads
    (``*``, ``[``, ``<``, ``\\``) escaped, so that supplier text is never formatting."""
    paragraphs = [line.strip() for line in visible(text).splitlines()]
    return "\n\n".join(p.translate(_MARKUP_CHARACTERS) for p in paragraphs if p)


# ---------------------------------------------------------------------------------------------
# The template context


def evaluation_context(evaluation: Evaluation, language: Language) -> dict[str, Any]:
    """The ``evaluation`` value for the ``utvardering`` template: plain dicts, lists and texts."""
    selection = evaluation.selection
    model = evaluation.model
    items = {item.requirement.id: item for item in selection.included}
    files = file_labels(evaluation)

    def requirement_ref(requirement_id: str) -> dict[str, Any]:
        item = items[requirement_id]
        return {
            "id": requirement_id,
            "title": item.wording.title.in_language(language),
            "level": item.level.label,
            "is_ska": item.level is Level.SKA,
        }

    suppliers: list[dict[str, Any]] = []
    for result in evaluation.suppliers:
        response = result.response
        bor = [
            {
                **requirement_ref(answer.requirement_id),
                "answer": fulfilled_label(answer.fulfilled, language),
                "fulfilled": answer.fulfilled,
                "value": credit(items[answer.requirement_id], model),
                "credited": credit(items[answer.requirement_id], model)
                if answer.fulfilled == "yes"
                else 0.0,
            }
            for answer in response.answers
            if answer.level is Level.BOR
        ]
        review = _review_items(result, items, language)
        suppliers.append(
            {
                "lot": _quoted(result.lot) if result.lot else "",
                "section": len(suppliers) + 1,
                "status": result.status,
                "status_label": messages.status_label(result.status).in_language(language),
                "review": review,
                "review_shown": review[:SUMMARY_ITEMS],
                "review_more": max(0, len(review) - SUMMARY_ITEMS),
                "reservations": [
                    _reservation_context(reservation, language)
                    for reservation in response.reservations
                ],
                "price_doubts": [
                    _quoted(messages.doubt_text(d.reason, d.detail).in_language(language))
                    for d in response.price_doubts
                ],
                "price_unclear": result.price is None,
                "name": _quoted(result.name),
                "file": _quoted(files[response.file]),
                "name_from_file": response.name_from_file,
                "org_number": _quoted(response.org_number),
                "contact": _quoted(response.contact),
                "contact_details": _quoted(response.contact_details),
                "qualified": result.qualified,
                "rank": result.rank,
                "score": result.score,
                "deductions": result.deductions,
                "price": result.price,
                "price_text": _quoted(response.price_text),
                "price_from_option": result.price_from_option,
                "comparison_figure": result.comparison_figure,
                "lots": result.lots,
                **_points_data(evaluation, result),
                "failed_ska": [requirement_ref(i) for i in result.failed_ska],
                "unanswered": [requirement_ref(i) for i in result.unanswered],
                # Left empty, nothing else: an unclear answer is listed with what to assess.
                "unanswered_ska": [
                    requirement_ref(a.requirement_id)
                    for a in response.answers
                    if a.level is Level.SKA and [d.reason for d in a.doubts] == ["not_answered"]
                ],
                "unlocated": [requirement_ref(i) for i in result.unlocated],
                "unlocated_ska": [
                    requirement_ref(i) for i in result.unlocated if items[i].level is Level.SKA
                ],
                "promised": [requirement_ref(i) for i in result.promised],
                "bor": bor,
                "answers": [
                    {
                        **requirement_ref(answer.requirement_id),
                        "fulfilled": answer.fulfilled,
                        "outcome": answer.outcome,
                        "answer": fulfilled_label(answer.fulfilled, language),
                        "outcome_label": messages.outcome_label(answer.outcome).in_language(
                            language
                        ),
                        "found": _quoted(found_text(answer.found, language)),
                        "doubts": [_quoted(_doubt(d, language)) for d in answer.doubts],
                        "shown": _quoted(answer.fulfilled_text),
                        "description": _quoted(answer.description),
                        "reference": _quoted(answer.reference),
                    }
                    for answer in response.answers
                ],
                "notes": [_quoted(note.message.in_language(language)) for note in response.notes],
            }
        )
    return {
        "evaluation": {
            "model": model,
            "unit": _unit(model) or "",
            "suppliers": suppliers,
            "supplier_count": len(suppliers),
            "qualified_count": sum(1 for result in evaluation.suppliers if result.qualified),
            "winners": [_quoted(result.name) for result in evaluation.winners],
            **_weighting_data(evaluation.weighting),
            "tie_break_rule": tie_break_rule(model).in_language(language),
            "ranking_notes": [
                _quoted(note.in_language(language)) for note in ranking_notes(evaluation)
            ],
            "decided": evaluation.decided,
            "groups": _lot_groups(evaluation, suppliers, language),
            "to_review": [s for s in suppliers if s["status"] == "to_review"],
            "to_review_count": sum(1 for s in suppliers if s["status"] == "to_review"),
            "not_qualified_count": sum(1 for s in suppliers if s["status"] == "not_qualified"),
            "unread": [
                {
                    "file": _quoted(str(problem.location.file or "")),
                    "message": _quoted(problem.message.in_language(language)),
                    "hint": _quoted(problem.hint.in_language(language)) if problem.hint else "",
                }
                for problem in evaluation.unread
            ],
        }
    }


def _lot_groups(
    evaluation: Evaluation, suppliers: list[dict[str, Any]], language: Language
) -> list[dict[str, Any]]:
    """The summary's tables: one per lot (anbudsområde) in the order of the answers, and one
    for the tenders whose lot is unclear; a single unnamed one without lots."""
    from upphandla.documents.form import lot_names

    lots = lot_names(evaluation.selection)
    if not lots:
        return [{"name": "", "suppliers": suppliers, "winners": _winners(suppliers)}]
    groups = []
    for lot in (*lots, None):
        members = [s for s, r in zip(suppliers, evaluation.suppliers, strict=True) if r.lot == lot]
        if members or lot is not None:
            name = _quoted(lot) if lot else messages.lot_unclear().in_language(language)
            groups.append({"name": name, "suppliers": members, "winners": _winners(members)})
    return groups


def _winners(suppliers: list[dict[str, Any]]) -> list[str]:
    return [s["name"] for s in suppliers if s["rank"] == 1]


SUMMARY_ITEMS = 3
"""How many things to check are listed per tender in the summary (the rest are in its section),
so that "Att bedöma före beslut" stays within two pages."""


def _doubt(doubt: Doubt, language: Language) -> str:
    return messages.doubt_text(doubt.reason, doubt.detail).in_language(language)


def _review_items(
    result: SupplierResult, items: dict[str, Any], language: Language
) -> list[dict[str, Any]]:
    """What to check in one tender, where, what was found and how the result changes."""
    if result.status != "to_review":
        return []
    wanted = set(result.unclear_ska) | set(result.unclear_bor)
    review = [
        _answer_item(answer, items, language)
        for answer in result.response.answers
        if answer.requirement_id in wanted
    ]
    for reservation in result.response.reservations:
        item = items[reservation.requirement_id]
        review.append(
            {
                "id": reservation.requirement_id,
                "title": _quoted(item.wording.title.in_language(language)),
                "level": item.level.label,
                "what": _quoted(_reservation_message(reservation, language)),
                "consequence": messages.reservation_consequence(
                    item.level is Level.SKA
                ).in_language(language),
            }
        )
    if result.response.lot_doubts:
        review.append(
            {
                "id": "",
                "title": messages.lot_column().in_language(language),
                "level": "",
                "what": _quoted(" ".join(_doubt(d, language) for d in result.response.lot_doubts)),
                "consequence": messages.lot_consequence().in_language(language),
            }
        )
    if result.price is None:
        doubts = [_doubt(d, language) for d in result.response.price_doubts] or [
            messages.doubt_text("price_missing", "").in_language(language)
        ]
        review.append(
            {
                "id": "",
                "title": messages.price_column().in_language(language),
                "level": "",
                "what": _quoted(" ".join(doubts)),
                "consequence": messages.price_consequence().in_language(language),
            }
        )
    return review


def _answer_item(answer: Answer, items: dict[str, Any], language: Language) -> dict[str, Any]:
    item = items[answer.requirement_id]
    shown = found_text(answer.found, language)
    what = " ".join(_doubt(d, language) for d in answer.doubts)
    if shown and not any(d.reason == "not_plain" for d in answer.doubts):
        what = f"{messages.found_in_field(shown).in_language(language)} {what}"
    return {
        "id": answer.requirement_id,
        "title": _quoted(item.wording.title.in_language(language)),
        "level": item.level.label,
        "what": _quoted(what),
        "consequence": messages.review_consequence(item.level is Level.SKA).in_language(language),
    }


def _reservation_message(reservation: Reservation, language: Language) -> str:
    return messages.reservation_text(
        reservation.kind,
        reservation.requirement_id,
        reservation.found_text,
        reservation.expected_text,
    ).in_language(language)


def _reservation_context(reservation: Reservation, language: Language) -> dict[str, Any]:
    return {
        "id": reservation.requirement_id,
        "kind": reservation.kind,
        "text": _quoted(_reservation_message(reservation, language)),
    }


# ---------------------------------------------------------------------------------------------
# The terminal table


def format_comparison(evaluation: Evaluation, language: Language) -> str:
    """The comparison table for the terminal: plain text, columns aligned with spaces, then how
    every tie was decided (lots to draw included), then a line for each supplier that is not
    qualified or has answers to check."""
    from upphandla.documents.form import lot_names

    columns = _columns(evaluation.model, language)
    left = {1, 2}
    if lot_names(evaluation.selection):
        unclear = messages.lot_unclear().in_language(language).lower()
        columns.append(
            (
                messages.lot_column().in_language(language),
                lambda r: visible(r.lot) if r.lot else unclear,
            )
        )
        left.add(len(columns) - 1)
    table = [[header for header, _ in columns]]
    table += [[str(cell(result)) for _, cell in columns] for result in evaluation.suppliers]
    widths = [max(len(row[column]) for row in table) for column in range(len(columns))]
    lines = _heading(evaluation, language)
    for row in table:
        cells = [
            cell.ljust(widths[column]) if column in left else cell.rjust(widths[column])
            for column, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    for block in (
        [note.in_language(language) for note in ranking_notes(evaluation)],
        _remarks(evaluation, language),
    ):
        if block:
            lines += ["", *block]
    return "\n".join(lines) + "\n"


def _heading(evaluation: Evaluation, language: Language) -> list[str]:
    lines = [
        messages.evaluation_of(
            str(evaluation.selection.answers.get(known.PROCUREMENT_TITLE, ""))
        ).in_language(language),
        messages.evaluation_model_is(_model_label(evaluation, language)).in_language(language),
    ]
    weighting = evaluation.weighting
    if weighting is not None:
        lines.append(
            messages.points_formula(weighting.quality_weight, weighting.max_points).in_language(
                language
            )
        )
    return [*lines, ""]


def _columns(model: str, language: Language) -> list[tuple[str, Callable[[SupplierResult], str]]]:
    """The terminal table's columns: each header (in ``language``) and how a cell is shown."""
    headers_and_cells: list[tuple[Text, Callable[[SupplierResult], str]]] = [
        (messages.rank_column(), lambda r: str(r.rank) if r.rank is not None else "–"),
        (messages.supplier_column(), lambda r: visible(r.name)),
        (
            messages.status_column(),
            lambda r: messages.status_label(r.status).in_language(language).lower(),
        ),
    ]
    if model == POINTS:
        headers_and_cells.append(
            (messages.points_column(), lambda r: format_number(r.score, language))
        )
    headers_and_cells.append((messages.price_column(), lambda r: format_amount(r.price)))
    if model == DEDUCTION_SEK:
        headers_and_cells.append(
            (messages.deductions_sek_column(), lambda r: format_amount(r.deductions))
        )
    elif model == DEDUCTION_PERCENT:
        headers_and_cells.append(
            (messages.deductions_percent_column(), lambda r: format_number(r.deductions, language))
        )
    headers_and_cells.append(
        (messages.evaluation_price_column(), lambda r: format_amount(r.comparison_figure))
    )
    return [(header.in_language(language), cell) for header, cell in headers_and_cells]


def _remarks(evaluation: Evaluation, language: Language) -> list[str]:
    remarks = []
    for result in evaluation.suppliers:
        ska = [i for i in result.unanswered if _is_ska(evaluation, i)]
        bor = [i for i in result.unanswered if i not in ska]
        unclear = set(result.unclear_ska) | set(result.unclear_bor)
        reasons = [
            message(ids)
            for message, ids in (
                (messages.ska_answered_no, result.failed_ska),
                (messages.unclear_ska, result.unclear_ska),
                (messages.unclear_bor, result.unclear_bor),
                (messages.ska_not_answered, [i for i in ska if i not in unclear]),
                (messages.bor_not_answered, [i for i in bor if i not in unclear]),
                (messages.answers_not_found, result.unlocated),
                (
                    messages.reservations_on,
                    list(dict.fromkeys(r.requirement_id for r in result.response.reservations)),
                ),
            )
            if ids
        ]
        if result.price is None and result.status == "to_review":
            reasons.append(messages.price_unclear())
        if result.response.lot_doubts:
            reasons.append(messages.lot_not_clear())
        if reasons:
            remark = messages.supplier_remark(visible(result.name), result.status, reasons)
            remarks.append(remark.in_language(language))
    remarks.extend(
        messages.file_not_read(str(problem.location.file or "")).in_language(language)
        for problem in evaluation.unread
    )
    return remarks


def _model_label(evaluation: Evaluation, language: Language) -> str:
    question = evaluation.selection.library.question(known.EVALUATION_MODEL)
    choice = question.choice(evaluation.model) if question else None
    return choice.label.in_language(language) if choice else evaluation.model


def _is_ska(evaluation: Evaluation, requirement_id: str) -> bool:
    return any(
        item.requirement.id == requirement_id and item.level is Level.SKA
        for item in evaluation.selection.included
    )
