"""Selection: the answers pick the requirements, each with the reasons it was picked or left out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from upphandla.library import known
from upphandla.library.bounds import budgeted
from upphandla.library.derivation import Derivation, derive_values, evaluate
from upphandla.library.model import (
    Ambition,
    Duty,
    KeyDate,
    Kind,
    Level,
    LevelText,
    Library,
    Reference,
    Requirement,
)
from upphandla.library.vocabulary import AMBITION_LABELS, GUIDANCE_SOURCES
from upphandla.records import record
from upphandla.selection.reasons import ReasonExplainer
from upphandla.text import Text

ALWAYS = Text("gäller alla AI-upphandlingar", "applies to every AI procurement")


@record
class Included:
    """A requirement in the selection, at its effective level, with the reasons."""

    requirement: Requirement
    level: Level
    reasons: tuple[Text, ...]
    escalation: tuple[Text, ...] = ()

    @property
    def escalated(self) -> bool:
        """Whether an escalation rule changed the level."""
        return self.level is not self.requirement.level

    @property
    def wording(self) -> LevelText:
        """Kind, title, text and evidence at the level the requirement has in this purchase."""
        return self.requirement.wording(self.level)

    @property
    def kind(self) -> Kind:
        """The requirement type in this purchase (an escalated BÖR is no award criterion)."""
        return self.wording.kind


@record
class Excluded:
    """A requirement left out, with the reasons."""

    requirement: Requirement
    reasons: tuple[Text, ...]


@record
class Selection:
    """Everything the answers decide: derived values, included and excluded requirements."""

    library: Library
    answers: dict[str, Any]
    context: dict[str, Any]
    derivation: Derivation
    included: tuple[Included, ...]
    excluded: tuple[Excluded, ...]
    ambition: Ambition
    duties: tuple[Duty, ...] = ()
    defaulted: frozenset[str] = frozenset()

    def binds(self, reference: Reference) -> bool:
        """Whether ``reference`` is legally binding in this purchase, not only guidance.

        Sources that are not law (model clauses, the trust model, standards) never bind; a
        reference marked ``binding: false`` never binds; one with a condition binds when the
        condition holds for these answers.
        """
        if not reference.binding or reference.source in GUIDANCE_SOURCES:
            return False
        return reference.when is None or bool(evaluate(reference.when, self.context))

    def key_date(self, date_ref: str | None) -> KeyDate | None:
        """The key date that ``applies_from`` names in this purchase.

        ``date_ref`` is the id of a date, or of a derived value whose value is the id of a date
        (so one requirement can apply from the Annex I date for one purchase and the Annex III
        date for another).
        """
        if date_ref is None:
            return None
        found = self.library.key_date(date_ref)
        if found is None and date_ref in self.derivation.values:
            found = self.library.key_date(str(self.derivation.values[date_ref]))
        return found

    @property
    def risk_class(self) -> str | None:
        """The AI Act risk class, when the library derives one."""
        value = self.derivation.values.get(known.RISK_CLASS)
        return str(value) if value is not None else None


@budgeted
def select_requirements(
    library: Library,
    answers: Mapping[str, Any],
    context: Mapping[str, Any],
    *,
    defaulted: frozenset[str] = frozenset(),
) -> Selection:
    """Apply conditions, ambition and escalation to every requirement, in library order.

    ``answers`` are the recorded answers; ``context`` has a value for every question (defaults
    for questions that did not apply), as produced by ``resolve_answers``; ``defaulted`` names
    the answers that were taken from the questions' defaults rather than given.
    """
    derivation = derive_values(library, context)
    full_context = {**context, **derivation.values}
    explainer = ReasonExplainer(library, full_context)
    ambition = _chosen_ambition(full_context)
    pass_fail = full_context.get(known.EVALUATION_MODEL) == "pass_fail"
    included: list[Included] = []
    excluded: list[Excluded] = []
    for requirement in in_area_order(library):
        holds = requirement.when is None or bool(evaluate(requirement.when, full_context))
        if not holds:
            assert requirement.when is not None
            facts = explainer.explain(requirement.when, holds=False)
            excluded.append(
                Excluded(
                    requirement,
                    (
                        _prefixed(
                            Text("villkoret gäller inte", "the condition does not hold"), facts
                        ),
                    ),
                )
            )
            continue
        reasons = (
            tuple(explainer.explain(requirement.when, holds=True))
            if requirement.when
            else (ALWAYS,)
        )
        level, escalation = _escalate(requirement, full_context, explainer)
        if requirement.ambition.rank > ambition.rank and level is requirement.level:
            excluded.append(
                Excluded(requirement, (_ambition_reason(requirement.ambition, ambition),))
            )
            continue
        if pass_fail and level is Level.BOR:
            excluded.append(
                Excluded(
                    requirement,
                    (
                        Text(
                            "utvärderingsmodellen har bara ska-krav, så bör-krav utvärderas inte",
                            "the evaluation model has mandatory requirements only, so BÖR requirements are not evaluated",
                        ),
                    ),
                )
            )
            continue
        included.append(Included(requirement, level, reasons, escalation))
    return Selection(
        library,
        dict(answers),
        dict(full_context),
        derivation,
        tuple(included),
        tuple(excluded),
        ambition,
        tuple(
            duty
            for duty in library.duties
            if duty.when is None or bool(evaluate(duty.when, full_context))
        ),
        frozenset(key for key in defaulted if key in answers),
    )


def in_area_order(library: Library) -> list[Requirement]:
    """The requirements grouped by area, in the order the areas are declared; stable within."""
    order = {area.id: index for index, area in enumerate(library.areas)}
    return sorted(
        library.requirements, key=lambda requirement: order.get(requirement.area, len(order))
    )


def _escalate(
    requirement: Requirement, context: Mapping[str, Any], explainer: ReasonExplainer
) -> tuple[Level, tuple[Text, ...]]:
    level = requirement.level
    reasons: list[Text] = []
    for rule in requirement.escalate:
        if rule.level is level or not evaluate(rule.when, context):
            continue
        level = rule.level
        reasons.append(
            rule.reason or _prefixed(Text("", ""), explainer.explain(rule.when, holds=True))
        )
    return level, tuple(reasons)


def _chosen_ambition(context: Mapping[str, Any]) -> Ambition:
    try:
        return Ambition(context.get(known.AMBITION, "bas"))
    except ValueError:
        return Ambition.BAS


def _ambition_reason(required: Ambition, chosen: Ambition) -> Text:
    need, have = AMBITION_LABELS[required], AMBITION_LABELS[chosen]
    return Text(
        f"kravet hör till ambitionsnivån {need.sv.lower()}, och ni valde {have.sv.lower()}",
        f"the requirement belongs to the ambition level {need.en.lower()}, and you chose {have.en.lower()}",
    )


def _prefixed(prefix: Text, facts: list[Text]) -> Text:
    swedish = "; ".join(fact.sv for fact in facts)
    english = "; ".join(fact.en for fact in facts)
    if prefix.sv:
        return Text(f"{prefix.sv}: {swedish}", f"{prefix.en}: {english}")
    return Text(swedish, english)
