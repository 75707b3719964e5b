"""The ids of questions and derived values that the Python code relies on, named in one place.

A library is data, but a few of its ids have a meaning to the tool itself: the documents print
the organisation and the title, selection reads the ambition and the evaluation model,
classification reads the risk class and the AI Act route. A library does not have to define
them (a small library without documents works without them), but one that does must give each
the kind and type the code expects; ``library check`` says so with file and line.
"""

from __future__ import annotations

from upphandla.library.model import QuestionType
from upphandla.records import record

# Questions.
ORGANISATION = "organisation"
PROCUREMENT_TITLE = "procurement_title"
REFERENCE_NUMBER = "reference_number"
LOTS = "lots"
PURPOSE = "purpose"
AMBITION = "ambition"
EVALUATION_MODEL = "evaluation_model"
QUALITY_WEIGHT = "quality_weight"
PROHIBITED_PRACTICES = "prohibited_practices"
ANNEX_III_POINT = "annex_iii_point"
GO_LIVE_DATE = "go_live_date"
"""The planned go-live: ``follow-up --record`` judges the start checks overdue after it."""

# Derived values.
RISK_CLASS = "risk_class"
AI_ACT_ROUTE = "ai_act_route"
TRANSPARENCY_DUTIES = "transparency_duties"
CLASSIFICATION_WARNINGS = "classification_warnings"

PROHIBITED = "prohibited"
"""The value of ``risk_class`` that stops every document (AI Act art. 5)."""


@record
class KnownQuestion:
    """A question id the code reads, and the answer types it can handle."""

    id: str
    types: frozenset[QuestionType]


KNOWN_QUESTIONS: tuple[KnownQuestion, ...] = (
    KnownQuestion(ORGANISATION, frozenset({QuestionType.TEXT})),
    KnownQuestion(PROCUREMENT_TITLE, frozenset({QuestionType.TEXT})),
    KnownQuestion(REFERENCE_NUMBER, frozenset({QuestionType.TEXT})),
    KnownQuestion(LOTS, frozenset({QuestionType.TEXT})),
    KnownQuestion(PURPOSE, frozenset({QuestionType.TEXT})),
    KnownQuestion(AMBITION, frozenset({QuestionType.SINGLE})),
    KnownQuestion(EVALUATION_MODEL, frozenset({QuestionType.SINGLE})),
    KnownQuestion(QUALITY_WEIGHT, frozenset({QuestionType.NUMBER})),
    KnownQuestion(PROHIBITED_PRACTICES, frozenset({QuestionType.MULTIPLE})),
    KnownQuestion(ANNEX_III_POINT, frozenset({QuestionType.SINGLE})),
    KnownQuestion(GO_LIVE_DATE, frozenset({QuestionType.DATE})),
)

KNOWN_DERIVED: tuple[str, ...] = (
    RISK_CLASS,
    AI_ACT_ROUTE,
    TRANSPARENCY_DUTIES,
    CLASSIFICATION_WARNINGS,
)

AMBITION_VALUES = frozenset({"bas", "avancerad", "spjutspets"})
EVALUATION_MODEL_VALUES = frozenset(
    {"pass_fail", "price_deduction_sek", "price_deduction_percent", "points"}
)
KNOWN_CHOICES: dict[str, frozenset[str]] = {
    AMBITION: AMBITION_VALUES,
    EVALUATION_MODEL: EVALUATION_MODEL_VALUES,
}
"""Choices the code gives a meaning to; a library may offer fewer, never others."""
