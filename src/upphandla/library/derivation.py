"""Derived values (such as the AI Act risk class), computed from the answers in declared order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from upphandla.library.model import Library, Reference
from upphandla.text import Text


@dataclass(frozen=True, slots=True)
class DerivedOutcome:
    """The value of one derived item and why it has that value."""

    id: str
    value: Any
    reason: Text = Text()
    references: tuple[Reference, ...] = ()


@dataclass(frozen=True, slots=True)
class Derivation:
    """All derived values, in the library's order."""

    outcomes: tuple[DerivedOutcome, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)


def derive_values(library: Library, answers: Mapping[str, Any]) -> Derivation:
    """Compute every derived value; raise ``ExpressionError`` when an expression fails."""
    context = dict(answers)
    outcomes = []
    for derived in library.derived:
        if derived.expression is not None:
            outcome = DerivedOutcome(derived.id, derived.expression.compiled.evaluate(context))
        else:
            outcome = DerivedOutcome(derived.id, derived.otherwise, derived.otherwise_reason)
            for case in derived.cases:
                if case.when.compiled.evaluate(context):
                    outcome = DerivedOutcome(derived.id, case.value, case.reason, case.references)
                    break
        context[derived.id] = outcome.value
        outcomes.append(outcome)
    return Derivation(tuple(outcomes), {outcome.id: outcome.value for outcome in outcomes})
