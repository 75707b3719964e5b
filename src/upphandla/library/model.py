"""The library model: frozen dataclasses and closed vocabularies. No input or output here."""

from __future__ import annotations

import datetime
from dataclasses import field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from upphandla.errors import Location
from upphandla.records import record
from upphandla.text import Text

if TYPE_CHECKING:
    from upphandla.library.expressions import CompiledExpression


class QuestionType(StrEnum):
    """The kinds of answer a question takes."""

    BOOL = "bool"
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"


class Level(StrEnum):
    """Whether a requirement is mandatory (SKA) or an award criterion (BÖR)."""

    SKA = "ska"
    BOR = "bor"

    @property
    def label(self) -> str:
        """The label a Swedish tender uses, in capitals."""
        return "SKA" if self is Level.SKA else "BÖR"


class Kind(StrEnum):
    """The requirement types of LOU: what a requirement is in the tender."""

    QUALIFICATION = "qualification"
    SPECIFICATION = "specification"
    AWARD = "award"
    CONTRACT = "contract"


class DateStatus(StrEnum):
    """The legal status of a date: settled law, adopted but not yet published, or only agreed."""

    IN_FORCE = "in_force"
    ADOPTED = "adopted"
    AGREED = "agreed"


class Ambition(StrEnum):
    """Ambition level, graded as Upphandlingsmyndigheten grades its criteria."""

    BAS = "bas"
    AVANCERAD = "avancerad"
    SPJUTSPETS = "spjutspets"

    @property
    def rank(self) -> int:
        """0 for bas, 1 for avancerad, 2 for spjutspets."""
        return list(Ambition).index(self)


class Phase(StrEnum):
    """When the supplier shows that a requirement is met."""

    TENDER = "tender"
    CONTRACT_START = "contract_start"
    CONTRACT_PERIOD = "contract_period"


class FollowUpWhen(StrEnum):
    """When the buyer checks a requirement during the contract."""

    CONTRACT_START = "contract_start"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    MODEL_CHANGE = "model_change"
    INCIDENT = "incident"
    CONTRACT_END = "contract_end"


class Verification(StrEnum):
    """How the buyer verifies that a requirement is met."""

    SELF_DECLARATION = "self_declaration"
    DESCRIPTION = "description"
    DOCUMENT = "document"
    CERTIFICATE = "certificate"
    DEMONSTRATION = "demonstration"
    TEST = "test"
    AUDIT = "audit"


@record
class Expression:
    """A condition or value written by a library author, compiled in the sandbox."""

    source: str
    location: Location
    names: frozenset[str]
    compiled: CompiledExpression = field(compare=False, repr=False)


@record
class Choice:
    """One choice of a single- or multiple-choice question."""

    value: str
    label: Text
    help: Text = Text()


@record
class Question:
    """A question of the interview."""

    id: str
    type: QuestionType
    prompt: Text
    location: Location
    help: Text = Text()
    label: Text = Text()
    choices: tuple[Choice, ...] = ()
    default: Any = None
    when: Expression | None = None
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    after: str | None = None

    @property
    def short_label(self) -> Text:
        """A short name for the question, for reasons and tables; the prompt when none is set."""
        return self.label or self.prompt

    def choice(self, value: str) -> Choice | None:
        """The choice with stored ``value``, if any."""
        return next((choice for choice in self.choices if choice.value == value), None)


@record
class DerivedCase:
    """One case of a derived value: the first case whose condition holds gives the value."""

    when: Expression
    value: Any
    reason: Text = Text()
    references: tuple[Reference, ...] = ()


@record
class Derived:
    """A named value computed from the answers, such as the AI Act risk class."""

    id: str
    label: Text
    location: Location
    description: Text = Text()
    expression: Expression | None = None
    cases: tuple[DerivedCase, ...] = ()
    otherwise: Any = None
    otherwise_reason: Text = Text()
    values: tuple[Choice, ...] = ()
    references: tuple[Reference, ...] = ()

    def value_label(self, value: Any) -> Text:
        """The label of a computed value, or the value itself."""
        for choice in self.values:
            if choice.value == str(value):
                return choice.label
        return Text(str(value), str(value))


@record
class Reference:
    """A legal or standard reference, written as the source writes it: ``AIA 26(6)``.

    ``when`` limits the purchases in which the provision binds; ``binding`` False makes it
    guidance in every purchase. Whether it binds in one purchase is the selection's question.
    """

    source: str
    ref: str
    when: Expression | None = None
    binding: bool = True


@record
class Evaluation:
    """How a BÖR requirement is rewarded, for each evaluation model."""

    points: float | None = None
    deduction_sek: float | None = None
    deduction_percent: float | None = None


@record
class Escalation:
    """A rule that makes a requirement stricter when its condition holds."""

    when: Expression
    level: Level = Level.SKA
    reason: Text = Text()


@record
class Area:
    """A requirement area; documents group requirements by area in the declared order."""

    id: str
    title: Text
    location: Location
    description: Text = Text()
    responsible: Text = Text()


@record
class FollowUp:
    """How the buyer follows a requirement up during the contract."""

    when: tuple[FollowUpWhen, ...] = ()
    check: Text = Text()
    evidence: Text = Text()
    acceptance: Text = Text()


@record
class KeyDate:
    """A date from which an obligation applies, kept as data so the law can change."""

    id: str
    date: datetime.date
    label: Text
    location: Location
    note: Text = Text()
    changed_by: str | None = None
    status: DateStatus = DateStatus.IN_FORCE
    source: Text = Text()
    original_date: datetime.date | None = None

    @property
    def settled(self) -> bool:
        """Whether the date is law in force, not only adopted or agreed."""
        return self.status is DateStatus.IN_FORCE


@record
class LevelText:
    """The wording a requirement takes at another level, such as the SKA text of a BÖR."""

    kind: Kind
    text: Text
    title: Text = Text()
    evidence: Text = Text()


@record
class Duty:
    """A duty that falls on the buyer itself (the deployer), not on the supplier."""

    id: str
    title: Text
    text: Text
    location: Location
    when: Expression | None = None
    references: tuple[Reference, ...] = ()
    applies_from: str | None = None


@record
class Requirement:
    """A requirement the buyer may place on the supplier."""

    id: str
    title: Text
    text: Text
    level: Level
    area: str
    verification: tuple[Verification, ...]
    evidence: Text
    phase: Phase
    references: tuple[Reference, ...]
    location: Location
    ambition: Ambition = Ambition.BAS
    rationale: Text = Text()
    when: Expression | None = None
    evaluation: Evaluation | None = None
    escalate: tuple[Escalation, ...] = ()
    tags: tuple[str, ...] = ()
    applies_from: str | None = None
    follow_up: FollowUp | None = None
    kind: Kind = Kind.SPECIFICATION
    ska: LevelText | None = None
    bor: LevelText | None = None
    supports: tuple[str, ...] = ()
    buyer_input: tuple[str, ...] = ()
    from_law_date: bool = False

    def wording(self, level: Level) -> LevelText:
        """Kind, title, text and evidence of the requirement at ``level``."""
        variant = self.ska if level is Level.SKA else self.bor
        if level is self.level or variant is None:
            return LevelText(self.kind, self.text, self.title, self.evidence)
        return LevelText(
            variant.kind,
            variant.text,
            variant.title or self.title,
            variant.evidence or self.evidence,
        )


@record
class LibraryInfo:
    """What ``library.yaml`` says about a library."""

    id: str
    name: Text
    version: str
    path: Path
    description: Text = Text()
    license: str = ""
    authors: tuple[str, ...] = ()
    extends: str | None = None


@record
class Library:
    """A loaded and composed library, ready for the interview and selection."""

    info: LibraryInfo
    questions: tuple[Question, ...]
    derived: tuple[Derived, ...]
    areas: tuple[Area, ...]
    requirements: tuple[Requirement, ...]
    dates: tuple[KeyDate, ...]
    sha256: str
    chain: tuple[LibraryInfo, ...] = ()
    duties: tuple[Duty, ...] = ()

    @property
    def id(self) -> str:
        """The library's id."""
        return self.info.id

    @property
    def version(self) -> str:
        """The library's version."""
        return self.info.version

    def question(self, question_id: str) -> Question | None:
        """The question with ``question_id``, if any."""
        return next((q for q in self.questions if q.id == question_id), None)

    def derived_value(self, derived_id: str) -> Derived | None:
        """The derived value with ``derived_id``, if any."""
        return next((d for d in self.derived if d.id == derived_id), None)

    def area(self, area_id: str) -> Area | None:
        """The area with ``area_id``, if any."""
        return next((a for a in self.areas if a.id == area_id), None)

    def duty(self, duty_id: str) -> Duty | None:
        """The buyer duty with ``duty_id``, if any."""
        return next((d for d in self.duties if d.id == duty_id), None)

    def key_date(self, date_id: str) -> KeyDate | None:
        """The key date with ``date_id``, if any."""
        return next((d for d in self.dates if d.id == date_id), None)
