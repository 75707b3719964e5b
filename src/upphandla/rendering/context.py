"""The data the document templates see: plain strings, numbers, lists and dicts only."""

from __future__ import annotations

import datetime
import hashlib
import json
from typing import Any

from upphandla import __version__
from upphandla.explaining import format_reference, format_references
from upphandla.model import Derived, Level, Question, Reference
from upphandla.reasons import ReasonExplainer
from upphandla.selection import Included, Selection
from upphandla.text import Language
from upphandla.vocabulary import AMBITION_LABELS, PHASE_LABELS, VERIFICATION_LABELS

_MONTHS = {
    "sv": ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
           "oktober", "november", "december"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
}  # fmt: skip


def long_date(value: datetime.date, language: Language) -> str:
    """``2 augusti 2026`` or ``2 August 2026``."""
    return f"{value.day} {_MONTHS[language][value.month - 1]} {value.year}"


def form_id(selection: Selection) -> str:
    """A short fingerprint of the procurement: library content, answers and selected levels."""
    payload = {
        "library": selection.library.sha256,
        "answers": {key: str(value) for key, value in sorted(selection.answers.items())},
        "requirements": [(item.requirement.id, item.level.value) for item in selection.included],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]


def build_context(selection: Selection, language: Language, today: datetime.date) -> dict[str, Any]:
    """Everything a document template may use, with texts in ``language``."""
    library = selection.library
    answers = selection.answers
    explainer = ReasonExplainer(library, selection.context)
    area_order = {area.id: index for index, area in enumerate(library.areas)}
    ordered = sorted(
        selection.included, key=lambda item: area_order.get(item.requirement.area, len(area_order))
    )
    requirements = [_requirement(item, selection, language) for item in ordered]
    by_area = [
        {
            "id": area.id,
            "title": area.title.in_language(language),
            "requirements": [r for r in requirements if r["area"] == area.id],
        }
        for area in library.areas
    ]
    risk = next((o for o in selection.derivation.outcomes if o.id == "risk_class"), None)
    risk_item = library.derived_value("risk_class")
    model = library.question("evaluation_model")
    model_value = str(answers.get("evaluation_model", ""))
    return {
        "lang": language,
        "today": long_date(today, language),
        "today_iso": today.isoformat(),
        "tool_version": __version__,
        "form_id": form_id(selection),
        "procurement": {
            "organisation": str(answers.get("organisation", "")),
            "title": str(answers.get("procurement_title", "")),
            "reference_number": str(answers.get("reference_number", "") or ""),
            "purpose": str(answers.get("purpose", "")),
        },
        "library": {
            "id": library.id,
            "name": library.info.name.in_language(language),
            "version": library.version,
            "sha256": library.sha256,
            "sha256_short": library.sha256[:12],
        },
        "classification": {
            "risk_class": str(risk.value) if risk else "",
            "label": risk_item.value_label(risk.value).in_language(language)
            if risk and risk_item
            else "",
            "reason": risk.reason.in_language(language) if risk else "",
            "references": _references(risk.references if risk else (), language),
        },
        "derived": {key: _plain(value) for key, value in selection.derivation.values.items()},
        "derived_items": [
            {
                "id": item.id,
                "label": item.label.in_language(language),
                "value": _derived_value_label(
                    item, selection.derivation.values.get(item.id), language
                ),
                "references": _references(item.references, language),
                "reason": next(
                    (
                        o.reason.in_language(language)
                        for o in selection.derivation.outcomes
                        if o.id == item.id
                    ),
                    "",
                ),
                "is_true": selection.derivation.values.get(item.id) is True,
            }
            for item in library.derived
        ],
        "answers": [
            {
                "id": question.id,
                "label": question.short_label.in_language(language),
                "prompt": question.prompt.in_language(language),
                "value": explainer.answer_label(question.id, answers[question.id]).in_language(
                    language
                ),
            }
            for question in library.questions
            if question.id in answers
        ],
        "answer": {
            question.id: explainer.answer_label(question.id, answers[question.id]).in_language(
                language
            )
            for question in library.questions
            if question.id in answers
        },
        "raw_answers": {key: _plain(value) for key, value in answers.items()},
        "areas": [area for area in by_area if area["requirements"]],
        "requirements": requirements,
        "ska_requirements": [r for r in requirements if r["is_ska"]],
        "bor_requirements": [r for r in requirements if not r["is_ska"]],
        "excluded": [
            {
                "id": item.requirement.id,
                "title": item.requirement.title.in_language(language),
                "reasons": [reason.in_language(language) for reason in item.reasons],
            }
            for item in selection.excluded
        ],
        "evaluation_model": {
            "value": model_value,
            "label": _choice_label(model, model_value, language),
        },
        "counts": {
            "total": len(requirements),
            "ska": sum(1 for r in requirements if r["is_ska"]),
            "bor": sum(1 for r in requirements if not r["is_ska"]),
            "excluded": len(selection.excluded),
        },
        "dates": [
            {
                "id": d.id,
                "date": long_date(d.date, language),
                "label": d.label.in_language(language),
                "note": d.note.in_language(language),
                "changed": d.changed_by is not None,
            }
            for d in library.dates
        ],
    }


def _requirement(item: Included, selection: Selection, language: Language) -> dict[str, Any]:
    requirement = item.requirement
    evaluation = requirement.evaluation
    applies = (
        selection.library.key_date(requirement.applies_from) if requirement.applies_from else None
    )
    return {
        "id": requirement.id,
        "area": requirement.area,
        "title": requirement.title.in_language(language),
        "text": requirement.text.in_language(language),
        "level": item.level.label,
        "is_ska": item.level is Level.SKA,
        "escalated": item.escalated,
        "ambition": AMBITION_LABELS[requirement.ambition].in_language(language),
        "verification": ", ".join(
            VERIFICATION_LABELS[m].in_language(language) for m in requirement.verification
        ),
        "evidence": requirement.evidence.in_language(language),
        "phase": PHASE_LABELS[requirement.phase].in_language(language),
        "phase_code": requirement.phase.value,
        "references": format_references(requirement.references, language),
        "reference_list": _references(requirement.references, language),
        "rationale": requirement.rationale.in_language(language),
        "reasons": [reason.in_language(language) for reason in item.reasons],
        "escalation": [reason.in_language(language) for reason in item.escalation],
        "points": evaluation.points if evaluation else None,
        "deduction_sek": evaluation.deduction_sek if evaluation else None,
        "deduction_percent": evaluation.deduction_percent if evaluation else None,
        "applies_from": long_date(applies.date, language) if applies else "",
        "tags": list(requirement.tags),
    }


def _references(references: tuple[Reference, ...], language: Language) -> list[str]:
    return [format_reference(reference.source, reference.ref, language) for reference in references]


def _derived_value_label(item: Derived, value: Any, language: Language) -> str:
    if isinstance(value, bool):
        return ("ja" if value else "nej") if language == "sv" else ("yes" if value else "no")
    return item.value_label(value).in_language(language)


def _choice_label(question: Question | None, value: str, language: Language) -> str:
    choice = question.choice(value) if question else None
    return choice.label.in_language(language) if choice else value


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
