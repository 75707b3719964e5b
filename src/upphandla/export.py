"""The selection as versioned JSON data (``explain --format json``, ``urval.json``)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from upphandla import __version__
from upphandla.model import Reference
from upphandla.selection import Selection
from upphandla.text import Language
from upphandla.vocabulary import PHASE_LABELS, VERIFICATION_LABELS

EXPORT_FORMAT_VERSION = 1


def selection_to_data(selection: Selection, language: Language) -> dict[str, Any]:
    """A plain-data view of the selection, texts in ``language``; documented in docs/json-export.md."""
    library = selection.library
    classification = next(
        (outcome for outcome in selection.derivation.outcomes if outcome.id == "risk_class"), None
    )
    risk = library.derived_value("risk_class")
    return {
        "format_version": EXPORT_FORMAT_VERSION,
        "tool": {"name": "upphandla", "version": __version__},
        "language": language,
        "library": {"id": library.id, "version": library.version, "sha256": library.sha256},
        "answers": _plain(selection.answers),
        "derived": _plain(selection.derivation.values),
        "classification": None
        if classification is None
        else {
            "risk_class": classification.value,
            "label": risk.value_label(classification.value).in_language(language)
            if risk
            else classification.value,
            "reason": classification.reason.in_language(language),
            "references": _references(classification.references),
        },
        "requirements": [
            {
                "id": item.requirement.id,
                "level": item.level.value,
                "library_level": item.requirement.level.value,
                "ambition": item.requirement.ambition.value,
                "area": item.requirement.area,
                "area_title": _area_title(selection, item.requirement.area, language),
                "title": item.requirement.title.in_language(language),
                "text": item.requirement.text.in_language(language),
                "verification": [
                    {
                        "method": method.value,
                        "label": VERIFICATION_LABELS[method].in_language(language),
                    }
                    for method in item.requirement.verification
                ],
                "evidence": item.requirement.evidence.in_language(language),
                "phase": item.requirement.phase.value,
                "phase_label": PHASE_LABELS[item.requirement.phase].in_language(language),
                "references": _references(item.requirement.references),
                "rationale": item.requirement.rationale.in_language(language),
                "evaluation": None
                if item.requirement.evaluation is None
                else {
                    "points": item.requirement.evaluation.points,
                    "deduction_sek": item.requirement.evaluation.deduction_sek,
                    "deduction_percent": item.requirement.evaluation.deduction_percent,
                },
                "tags": list(item.requirement.tags),
                "applies_from": _applies_from(selection, item.requirement.applies_from),
                "reasons": [reason.in_language(language) for reason in item.reasons],
                "escalation": [reason.in_language(language) for reason in item.escalation],
            }
            for item in selection.included
        ],
        "excluded": [
            {
                "id": excluded.requirement.id,
                "title": excluded.requirement.title.in_language(language),
                "reasons": [reason.in_language(language) for reason in excluded.reasons],
            }
            for excluded in selection.excluded
        ],
    }


def selection_to_json(selection: Selection, language: Language) -> str:
    """The JSON export as text, UTF-8 friendly and stable."""
    return json.dumps(selection_to_data(selection, language), ensure_ascii=False, indent=2) + "\n"


def _references(references: tuple[Reference, ...]) -> list[dict[str, str]]:
    return [{"source": reference.source, "ref": reference.ref} for reference in references]


def _area_title(selection: Selection, area_id: str, language: Language) -> str:
    area = selection.library.area(area_id)
    return area.title.in_language(language) if area else area_id


def _applies_from(selection: Selection, date_id: str | None) -> str | None:
    if date_id is None:
        return None
    key_date = selection.library.key_date(date_id)
    return key_date.date.isoformat() if key_date else None


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in values.items()
    }
