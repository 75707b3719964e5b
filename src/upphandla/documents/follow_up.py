"""The follow-up plan: what the buyer checks during the contract, when, with what, and who."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from upphandla.library.model import FollowUpWhen, Phase, Requirement
from upphandla.selection.select import Included, Selection
from upphandla.text import Language, Text

MOMENT_LABELS: dict[FollowUpWhen, Text] = {
    FollowUpWhen.CONTRACT_START: Text("Vid avtalsstart", "At contract start"),
    FollowUpWhen.QUARTERLY: Text("Varje kvartal", "Every quarter"),
    FollowUpWhen.YEARLY: Text("Varje år", "Every year"),
    FollowUpWhen.MODEL_CHANGE: Text("Vid ny modell eller version", "At each new model or version"),
    FollowUpWhen.INCIDENT: Text("Efter en incident", "After an incident"),
    FollowUpWhen.CONTRACT_END: Text("Vid avtalets slut", "At the end of the contract"),
}

_BY_PHASE: dict[Phase, tuple[FollowUpWhen, ...]] = {
    Phase.TENDER: (FollowUpWhen.CONTRACT_START,),
    Phase.CONTRACT_START: (FollowUpWhen.CONTRACT_START,),
    Phase.CONTRACT_PERIOD: (FollowUpWhen.YEARLY, FollowUpWhen.MODEL_CHANGE),
}


def follow_up_moments(requirement: Requirement) -> tuple[FollowUpWhen, ...]:
    """When a requirement is followed up: as the library says, or from its phase."""
    if requirement.follow_up is not None and requirement.follow_up.when:
        return requirement.follow_up.when
    return _BY_PHASE[requirement.phase]


def in_plan(item: Included, promised: frozenset[str]) -> bool:
    """Requirements of the contract and operation phases, those with explicit follow-up, and
    award criteria the chosen supplier promised."""
    requirement = item.requirement
    return (
        requirement.phase is not Phase.TENDER
        or requirement.follow_up is not None
        or requirement.id in promised
    )


def promised_by_winner(evaluation: Mapping[str, Any] | None) -> tuple[str, frozenset[str]]:
    """The name of the supplier ranked first in ``utvardering.json`` and the BÖR ids it met."""
    if not evaluation:
        return "", frozenset()
    suppliers: Sequence[Mapping[str, Any]] = evaluation.get("suppliers") or []
    winner = next((s for s in suppliers if s.get("rank") == 1), None)
    if winner is None:
        return "", frozenset()
    return str(winner.get("name", "")), frozenset(str(i) for i in winner.get("promised", []))


def follow_up_context(
    selection: Selection, language: Language, evaluation: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The follow-up items and the follow-up card, for the ``uppfoljningsplan`` template."""
    winner, promised = promised_by_winner(evaluation)
    items: list[dict[str, Any]] = []
    for item in selection.included:
        if not in_plan(item, promised):
            continue
        requirement = item.requirement
        area = selection.library.area(requirement.area)
        moments = follow_up_moments(requirement)
        check = requirement.follow_up.check if requirement.follow_up else Text()
        items.append(
            {
                "id": requirement.id,
                "title": item.wording.title.in_language(language),
                "level": item.level.label,
                "check": check.in_language(language) or item.wording.title.in_language(language),
                "when": [MOMENT_LABELS[moment].in_language(language) for moment in moments],
                "moments": [moment.value for moment in moments],
                "evidence": item.wording.evidence.in_language(language),
                "responsible": area.responsible.in_language(language) if area else "",
                "area": area.title.in_language(language) if area else requirement.area,
                "promised": requirement.id in promised,
                "fm3": "FM3" in requirement.tags,
            }
        )
    card = [
        {
            "moment": MOMENT_LABELS[moment].in_language(language),
            "ids": [entry["id"] for entry in items if moment.value in entry["moments"]],
        }
        for moment in FollowUpWhen
    ]
    return {
        "follow_up": {
            "items": items,
            "card": [entry for entry in card if entry["ids"]],
            "winner": winner,
            "promised_count": sum(1 for entry in items if entry["promised"]),
        }
    }
