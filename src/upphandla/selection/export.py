"""The selection as versioned JSON data (``explain --format json``, ``urval.json``)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from upphandla import __version__
from upphandla.library import known
from upphandla.library.model import Reference
from upphandla.library.vocabulary import PHASE_LABELS, VERIFICATION_LABELS
from upphandla.selection.select import Selection
from upphandla.text import Language

EXPORT_FORMAT_VERSION = 1


def selection_to_data(selection: Selection, language: Language) -> dict[str, Any]:
    """A plain-data view of the selection, texts in ``language``; documented in docs/json-export.md."""
    library = selection.library
    classification = next(
        (outcome for outcome in selection.derivation.outcomes if outcome.id == known.RISK_CLASS),
        None,
    )
    risk = library.derived_value(known.RISK_CLASS)
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
            "references": _references(selection, classification.references),
            "route": _derived_text(selection, known.AI_ACT_ROUTE),
            "annex_iii_point": _annex_iii_point(selection),
            "transparency_duties": _string_list(
                selection.derivation.values.get(known.TRANSPARENCY_DUTIES)
            ),
        },
        "buyer_duties": [
            {
                "id": duty.id,
                "title": duty.title.in_language(language),
                "text": duty.text.in_language(language),
                "references": _references(selection, duty.references),
                "applies_from": _applies_from(selection, duty.applies_from),
                "applies_from_status": _date_status(selection, duty.applies_from),
                "supported_by": [
                    item.requirement.id
                    for item in selection.included
                    if duty.id in item.requirement.supports
                ],
            }
            for duty in selection.duties
        ],
        "defaulted": [key for key in selection.answers if key in selection.defaulted],
        "requirements": [
            {
                "id": item.requirement.id,
                "level": item.level.value,
                "library_level": item.requirement.level.value,
                "kind": item.kind.value,
                "ambition": item.requirement.ambition.value,
                "area": item.requirement.area,
                "area_title": _area_title(selection, item.requirement.area, language),
                "title": item.wording.title.in_language(language),
                "text": item.wording.text.in_language(language),
                "verification": [
                    {
                        "method": method.value,
                        "label": VERIFICATION_LABELS[method].in_language(language),
                    }
                    for method in item.requirement.verification
                ],
                "evidence": item.wording.evidence.in_language(language),
                "phase": item.requirement.phase.value,
                "phase_label": PHASE_LABELS[item.requirement.phase].in_language(language),
                "references": _references(selection, item.requirement.references),
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
                "applies_from_status": _date_status(selection, item.requirement.applies_from),
                "from_law_date": item.requirement.from_law_date,
                "supports": list(item.requirement.supports),
                "buyer_input": {
                    key: _plain_value(selection.answers.get(key))
                    for key in item.requirement.buyer_input
                },
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


def _references(selection: Selection, references: tuple[Reference, ...]) -> list[dict[str, Any]]:
    return [
        {"source": reference.source, "ref": reference.ref, "binding": selection.binds(reference)}
        for reference in references
    ]


def _derived_text(selection: Selection, derived_id: str) -> str | None:
    value = selection.derivation.values.get(derived_id)
    return None if value is None else str(value)


def _annex_iii_point(selection: Selection) -> str | None:
    """The Annex III point as answered; None when the question did not apply."""
    value = selection.answers.get(known.ANNEX_III_POINT)
    return None if value in (None, "") else str(value)


def _string_list(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list | tuple) else []


def _date_status(selection: Selection, date_ref: str | None) -> str | None:
    key_date = selection.key_date(date_ref)
    return key_date.status.value if key_date else None


def _plain_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _area_title(selection: Selection, area_id: str, language: Language) -> str:
    area = selection.library.area(area_id)
    return area.title.in_language(language) if area else area_id


def _applies_from(selection: Selection, date_ref: str | None) -> str | None:
    key_date = selection.key_date(date_ref)
    return key_date.date.isoformat() if key_date else None


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime.date) else value
        for key, value in values.items()
    }
