"""Derived values (such as the AI Act risk class), computed from the answers in declared order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import Any

from upphandla.errors import Problem, ProblemsError, excerpt
from upphandla.library.bounds import evaluation_budget
from upphandla.library.expressions import ExpressionError
from upphandla.library.model import Expression, Library, Reference
from upphandla.records import record
from upphandla.text import Text


class ExpressionFailed(ProblemsError):
    """A condition or derived value failed while it was evaluated with real answers (a value
    too large, ``10**1000 / 3``, a text compared with a number); located at the expression."""

    def __init__(self, expression: Expression, error: ExpressionError) -> None:
        self.expression = expression
        self.error = error
        quoted = excerpt(expression.source)
        super().__init__(
            [
                Problem(
                    Text(
                        f"Uttrycket '{quoted}' går inte att räkna ut med de här svaren: {error}.",
                        f"The expression '{quoted}' cannot be evaluated with these answers: "
                        f"{error}.",
                    ),
                    expression.location,
                    hint=Text(
                        "Rätta uttrycket i biblioteket; ett villkor eller härlett värde får inte "
                        "bygga upp mycket stora värden.",
                        "Correct the expression in the library; a condition or derived value may "
                        "not build very large values.",
                    ),
                )
            ]
        )


def evaluate(expression: Expression, context: Mapping[str, Any]) -> Any:
    """The value of a library's expression; raise ``ExpressionFailed`` located at it."""
    try:
        return expression.compiled.evaluate(context)
    except ExpressionError as error:
        raise ExpressionFailed(expression, error) from None


@record
class DerivedOutcome:
    """The value of one derived item and why it has that value."""

    id: str
    value: Any
    reason: Text = Text()
    references: tuple[Reference, ...] = ()


@record
class Derivation:
    """All derived values, in the library's order."""

    outcomes: tuple[DerivedOutcome, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)


def derive_values(library: Library, answers: Mapping[str, Any]) -> Derivation:
    """Compute every derived value; raise ``ExpressionFailed`` when an expression fails.

    All of them run under one budget (``upphandla.library.bounds``), so values that build on
    each other cannot grow without bound.
    """
    context = dict(answers)
    outcomes = []
    with evaluation_budget():
        for derived in library.derived:
            if derived.expression is not None:
                outcome = DerivedOutcome(derived.id, evaluate(derived.expression, context))
            else:
                outcome = DerivedOutcome(derived.id, derived.otherwise, derived.otherwise_reason)
                for case in derived.cases:
                    if evaluate(case.when, context):
                        outcome = DerivedOutcome(
                            derived.id, case.value, case.reason, case.references
                        )
                        break
            context[derived.id] = outcome.value
            outcomes.append(outcome)
    return Derivation(tuple(outcomes), {outcome.id: outcome.value for outcome in outcomes})
