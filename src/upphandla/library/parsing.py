"""Turning the YAML of one library file into model objects (no composition, no cross-checks)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from upphandla.errors import Location, Problem, Severity
from upphandla.library.fields import FieldReader, suggestion_hint
from upphandla.library.model import (
    Ambition,
    Area,
    Choice,
    DateStatus,
    Derived,
    DerivedCase,
    Duty,
    Escalation,
    Evaluation,
    FollowUp,
    FollowUpWhen,
    KeyDate,
    Kind,
    Level,
    LevelText,
    Phase,
    Question,
    QuestionType,
    Reference,
    Requirement,
    Verification,
)
from upphandla.library.vocabulary import REFERENCE_SOURCES
from upphandla.library.yamlsource import YamlDocument
from upphandla.limits import DEFAULT_LIMITS, Limits
from upphandla.text import Text

QUESTION_ID = re.compile(r"[a-z][a-z0-9_]*")
ITEM_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")
CHOICE_VALUE = re.compile(r"[a-z0-9][a-z0-9_]*")
LIBRARY_ID = re.compile(r"[a-z0-9][a-z0-9_\-]*")
SEMVER = re.compile(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.\-]+)?")

KINDS = ("questions", "derived", "areas", "requirements", "dates", "duties")
CONTENT_KEYS = (*KINDS, "override", "remove")
LIBRARY_KEYS = ("format", "id", "name", "description", "version", "license", "authors", "extends")
KIND_WORDS: dict[str, Text] = {
    "questions": Text("frågan", "the question"),
    "derived": Text("det härledda värdet", "the derived value"),
    "areas": Text("området", "the area"),
    "requirements": Text("kravet", "the requirement"),
    "dates": Text("datumet", "the date"),
    "duties": Text("skyldigheten", "the duty"),
}

Item = Question | Derived | Area | Requirement | KeyDate | Duty


@dataclass(frozen=True, slots=True)
class Override:
    """Fields an extending library replaces in an item of its parent."""

    kind: str
    id: str
    fields: dict[str, Any]
    location: Location


@dataclass(frozen=True, slots=True)
class Removal:
    """An item an extending library removes from its parent."""

    kind: str
    id: str
    location: Location


@dataclass(slots=True)
class FileContent:
    """What one library file declares."""

    items: dict[str, list[Item]] = field(default_factory=lambda: {kind: [] for kind in KINDS})
    overrides: list[Override] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)


def parse_content(
    document: YamlDocument,
    problems: list[Problem],
    *,
    is_library_file: bool,
    limits: Limits = DEFAULT_LIMITS,
) -> FileContent:
    """Parse the content keys of one file (questions, requirements, overrides, ...)."""
    content = FileContent()
    root = FieldReader(document, (), problems, limits)
    if not root.is_mapping:
        root.problem(
            None,
            Text(
                "Filen ska innehålla fält som questions: eller requirements:, inte en lista eller text.",
                "The file must contain fields such as questions: or requirements:, not a list or text.",
            ),
        )
        return content
    allowed = (*LIBRARY_KEYS, *CONTENT_KEYS) if is_library_file else CONTENT_KEYS
    what = (
        Text("library.yaml", "library.yaml")
        if is_library_file
        else Text("biblioteksfilen", "the library file")
    )
    root.check_fields(allowed, what)
    for kind in KINDS:
        for index, _ in enumerate(root.sequence(kind)):
            item = PARSERS[kind](root.child(kind, index), False)
            if item is not None:
                content.items[kind].append(item)
    _parse_overrides(root, content)
    _parse_removals(root, content)
    return content


def _parse_overrides(root: FieldReader, content: FileContent) -> None:
    if not root.has("override"):
        return
    section = root.child("override")
    if root.typed("override", (dict,)) is None:
        return
    section.check_fields(KINDS, Text("override", "override"))
    for kind in KINDS:
        for index, _ in enumerate(section.sequence(kind)):
            reader = section.child(kind, index)
            item_id = reader.string("id", required=True)
            fields = PARSERS[kind](reader, True)
            if item_id is not None and isinstance(fields, dict):
                fields.pop("id", None)
                content.overrides.append(Override(kind, item_id, fields, reader.location()))


def _parse_removals(root: FieldReader, content: FileContent) -> None:
    if not root.has("remove"):
        return
    section = root.child("remove")
    if root.typed("remove", (dict,)) is None:
        return
    section.check_fields(KINDS, Text("remove", "remove"))
    for kind in KINDS:
        for index, item_id in enumerate(section.string_list(kind)):
            location = section.document.location((*section.path, kind, index))
            content.removals.append(Removal(kind, item_id, location))


def _finish(
    reader: FieldReader, fields: dict[str, Any], partial: bool, build: Callable[..., Any]
) -> Any:
    """Return the present fields for an override, or the built item when nothing is missing."""
    present = {
        key: value
        for key, value in fields.items()
        if reader.has(_yaml_key(key)) and value is not _MISSING and value is not _NOT_GIVEN
    }
    if partial:
        return present
    if any(value is _MISSING for value in fields.values()):
        return None
    try:
        return build(**{key: value for key, value in fields.items() if value is not _NOT_GIVEN})
    except TypeError:  # a required field had a problem already reported
        return None


_MISSING = object()
_NOT_GIVEN = object()
_YAML_KEYS = {"minimum": "min", "maximum": "max"}


def _yaml_key(field_name: str) -> str:
    return _YAML_KEYS.get(field_name, field_name)


def _opt(reader: FieldReader, key: str, value: Any) -> Any:
    """Keep dataclass defaults for fields the YAML does not give."""
    return value if reader.has(key) else _NOT_GIVEN


def _req(value: Any) -> Any:
    return _MISSING if value is None or value == () else value


QUESTION_FIELDS = (
    "id",
    "type",
    "prompt",
    "help",
    "label",
    "choices",
    "default",
    "when",
    "required",
    "min",
    "max",
    "after",
)


def parse_question(reader: FieldReader, partial: bool) -> Question | dict[str, Any] | None:
    """Parse a question (or, with ``partial``, the fields an override gives)."""
    if not _is_mapping(reader, "questions"):
        return None
    reader.check_fields(QUESTION_FIELDS, KIND_WORDS["questions"])
    question_type = reader.enum("type", QuestionType, required=not partial)
    fields: dict[str, Any] = {
        "id": _req(reader.string("id", required=not partial, pattern=QUESTION_ID)),
        "type": _req(question_type),
        "prompt": _req(reader.text("prompt", required=not partial) or None),
        "location": reader.location(),
        "help": _opt(reader, "help", reader.text("help")),
        "label": _opt(reader, "label", reader.text("label")),
        "choices": _opt(reader, "choices", _parse_choices(reader, "choices")),
        "default": _opt(reader, "default", reader.raw("default")),
        "when": _opt(reader, "when", reader.expression("when")),
        "required": _opt(reader, "required", reader.boolean("required", True)),
        "minimum": _opt(reader, "min", reader.number("min")),
        "maximum": _opt(reader, "max", reader.number("max")),
        "after": _opt(reader, "after", reader.string("after")),
    }
    if partial:
        fields.pop("location")
    return _finish(reader, fields, partial, Question)  # type: ignore[no-any-return]


def _parse_choices(reader: FieldReader, key: str) -> tuple[Choice, ...]:
    choices = []
    for index, _ in enumerate(reader.sequence(key)):
        item = reader.child(key, index)
        if not item.is_mapping:
            item.problem(
                None,
                Text(
                    "Ett val ska ha value: och label: med sv och en.",
                    "A choice must have value: and label: with sv and en.",
                ),
            )
            continue
        item.check_fields(("value", "label", "help"), Text("valet", "the choice"))
        raw_value = item.raw("value")
        if isinstance(raw_value, int) and not isinstance(raw_value, bool) and raw_value >= 0:
            value: str | None = str(raw_value)
        else:
            value = item.string("value", required=True, pattern=CHOICE_VALUE)
        label = item.text("label", required=True)
        if value is not None:
            choices.append(Choice(value, label, item.text("help")))
    return tuple(choices)


DERIVED_FIELDS = (
    "id",
    "label",
    "description",
    "expression",
    "cases",
    "otherwise",
    "otherwise_reason",
    "values",
    "references",
)


def parse_derived(reader: FieldReader, partial: bool) -> Derived | dict[str, Any] | None:
    """Parse a derived value: an ``expression``, or ``cases`` with an ``otherwise``."""
    if not _is_mapping(reader, "derived"):
        return None
    reader.check_fields(DERIVED_FIELDS, KIND_WORDS["derived"])
    if not partial and reader.has("expression") == reader.has("cases"):
        reader.problem(
            None,
            Text(
                "Ett härlett värde ska ha antingen expression: eller cases:, inte båda eller inget.",
                "A derived value must have either expression: or cases:, not both or neither.",
            ),
        )
    fields: dict[str, Any] = {
        "id": _req(reader.string("id", required=not partial, pattern=QUESTION_ID)),
        "label": _req(reader.text("label", required=not partial) or None),
        "location": reader.location(),
        "description": _opt(reader, "description", reader.text("description")),
        "expression": _opt(reader, "expression", reader.expression("expression")),
        "cases": _opt(reader, "cases", _parse_cases(reader)),
        "otherwise": _opt(reader, "otherwise", reader.raw("otherwise")),
        "otherwise_reason": _opt(reader, "otherwise_reason", reader.text("otherwise_reason")),
        "values": _opt(reader, "values", _parse_choices(reader, "values")),
        "references": _opt(reader, "references", _parse_references(reader, False)),
    }
    if partial:
        fields.pop("location")
    return _finish(reader, fields, partial, Derived)  # type: ignore[no-any-return]


def _parse_cases(reader: FieldReader) -> tuple[DerivedCase, ...]:
    cases = []
    for index, _ in enumerate(reader.sequence("cases")):
        item = reader.child("cases", index)
        if not _is_mapping(item, "cases"):
            continue
        item.check_fields(("when", "value", "reason", "references"), Text("fallet", "the case"))
        when = item.expression("when", required=True)
        if not item.has("value"):
            item.require("value")
        if when is not None and item.has("value"):
            cases.append(
                DerivedCase(
                    when, item.raw("value"), item.text("reason"), _parse_references(item, False)
                )
            )
    return tuple(cases)


AREA_FIELDS = ("id", "title", "description", "responsible")


def parse_area(reader: FieldReader, partial: bool) -> Area | dict[str, Any] | None:
    """Parse a requirement area."""
    if not _is_mapping(reader, "areas"):
        return None
    reader.check_fields(AREA_FIELDS, KIND_WORDS["areas"])
    fields: dict[str, Any] = {
        "id": _req(reader.string("id", required=not partial, pattern=QUESTION_ID)),
        "title": _req(reader.text("title", required=not partial) or None),
        "location": reader.location(),
        "description": _opt(reader, "description", reader.text("description")),
        "responsible": _opt(reader, "responsible", reader.text("responsible")),
    }
    if partial:
        fields.pop("location")
    return _finish(reader, fields, partial, Area)  # type: ignore[no-any-return]


DATE_FIELDS = ("id", "date", "label", "note", "changed_by", "status", "source", "original_date")


def parse_date(reader: FieldReader, partial: bool) -> KeyDate | dict[str, Any] | None:
    """Parse a key date (an application date of the law, kept as data)."""

    if not _is_mapping(reader, "dates"):
        return None
    reader.check_fields(DATE_FIELDS, KIND_WORDS["dates"])
    fields: dict[str, Any] = {
        "id": _req(reader.string("id", required=not partial, pattern=QUESTION_ID)),
        "date": _req(_plain_date(reader, "date", required=not partial)),
        "label": _req(reader.text("label", required=not partial) or None),
        "location": reader.location(),
        "note": _opt(reader, "note", reader.text("note")),
        "changed_by": _opt(reader, "changed_by", reader.string("changed_by")),
        "status": _opt(
            reader, "status", reader.enum("status", DateStatus, default=DateStatus.IN_FORCE)
        ),
        "source": _opt(reader, "source", reader.text("source")),
        "original_date": _opt(
            reader, "original_date", _plain_date(reader, "original_date", required=False)
        ),
    }
    if partial:
        fields.pop("location")
    return _finish(reader, fields, partial, KeyDate)  # type: ignore[no-any-return]


DUTY_FIELDS = ("id", "title", "text", "when", "references", "applies_from")


def parse_duty(reader: FieldReader, partial: bool) -> Duty | dict[str, Any] | None:
    """Parse a duty of the buyer itself (an obligation of the deployer, not of the supplier)."""
    if not _is_mapping(reader, "duties"):
        return None
    reader.check_fields(DUTY_FIELDS, KIND_WORDS["duties"])
    fields: dict[str, Any] = {
        "id": _req(reader.string("id", required=not partial, pattern=QUESTION_ID)),
        "title": _req(reader.text("title", required=not partial) or None),
        "text": _req(reader.text("text", required=not partial) or None),
        "location": reader.location(),
        "when": _opt(reader, "when", reader.expression("when")),
        "references": _opt(reader, "references", _parse_references(reader, False)),
        "applies_from": _opt(reader, "applies_from", reader.string("applies_from")),
    }
    if partial:
        fields.pop("location")
    return _finish(reader, fields, partial, Duty)  # type: ignore[no-any-return]


REQUIREMENT_FIELDS = (
    "id", "title", "text", "level", "ambition", "area", "when", "verification", "evidence",
    "phase", "references", "rationale", "evaluation", "escalate", "tags", "applies_from", "follow_up",
    "kind", "ska", "bor", "supports", "buyer_input",
)  # fmt: skip


def parse_requirement(reader: FieldReader, partial: bool) -> Requirement | dict[str, Any] | None:
    """Parse a requirement (or, with ``partial``, the fields an override gives)."""
    if not _is_mapping(reader, "requirements"):
        return None
    reader.check_fields(REQUIREMENT_FIELDS, KIND_WORDS["requirements"])
    required = not partial
    fields: dict[str, Any] = {
        "id": _req(reader.string("id", required=required, pattern=ITEM_ID)),
        "title": _req(reader.text("title", required=required) or None),
        "text": _req(reader.text("text", required=required) or None),
        "level": _req(reader.enum("level", Level, required=required)),
        "area": _req(reader.string("area", required=required, pattern=QUESTION_ID)),
        "verification": _req(_parse_verification(reader, required)),
        "evidence": _req(reader.text("evidence", required=required) or None),
        "phase": _req(reader.enum("phase", Phase, required=required)),
        "references": _req(_parse_references(reader, required)),
        "location": reader.location(),
        "ambition": _opt(
            reader, "ambition", reader.enum("ambition", Ambition, default=Ambition.BAS)
        ),
        "rationale": _opt(reader, "rationale", reader.text("rationale")),
        "when": _opt(reader, "when", reader.expression("when")),
        "evaluation": _opt(reader, "evaluation", _parse_evaluation(reader)),
        "escalate": _opt(reader, "escalate", _parse_escalations(reader)),
        "tags": _opt(reader, "tags", reader.string_list("tags")),
        "applies_from": _opt(reader, "applies_from", reader.string("applies_from")),
        "follow_up": _opt(reader, "follow_up", _parse_follow_up(reader)),
        "kind": _opt(reader, "kind", reader.enum("kind", Kind, default=Kind.SPECIFICATION)),
        "ska": _opt(reader, "ska", _parse_level_text(reader, "ska")),
        "bor": _opt(reader, "bor", _parse_level_text(reader, "bor")),
        "supports": _opt(reader, "supports", reader.string_list("supports")),
        "buyer_input": _opt(reader, "buyer_input", reader.string_list("buyer_input")),
    }
    if partial:
        fields.pop("location")
    elif not reader.has("kind") and isinstance(fields["level"], Level):
        fields["kind"] = _inferred_kind(reader, fields["level"], fields["phase"])
    return _finish(reader, fields, partial, Requirement)  # type: ignore[no-any-return]


def _inferred_kind(reader: FieldReader, level: Level, phase: Any) -> Kind:
    """The kind a requirement without ``kind:`` most likely has, with a warning that says so."""
    if level is Level.BOR:
        kind = Kind.AWARD
    elif phase in (Phase.CONTRACT_START, Phase.CONTRACT_PERIOD):
        kind = Kind.CONTRACT
    else:
        kind = Kind.SPECIFICATION
    reader.problems.append(
        warning(
            Text(
                f"Kravet saknar kind:. Det läses som '{kind.value}'.",
                f"The requirement has no kind:. It is read as '{kind.value}'.",
            ),
            reader.location(),
            Text(
                "Ange kind: qualification, specification, award eller contract (LOU 14, 9, 16 och 17 kap.).",
                "Give kind: qualification, specification, award or contract (LOU chapters 14, 9, 16 and 17).",
            ),
        )
    )
    return kind


def _parse_level_text(reader: FieldReader, key: str) -> LevelText | None:
    """The ``ska:`` or ``bor:`` block: the kind and wording the requirement takes at that level."""
    if reader.typed(key, (dict,)) is None:
        return None
    item = reader.child(key)
    item.check_fields(
        ("kind", "text", "title", "evidence"),
        Text(f"{key}:-blocket", f"the {key}: block"),
    )
    kind = item.enum("kind", Kind, required=True)
    text = item.text("text", required=True)
    if kind is None or not text:
        return None
    return LevelText(kind, text, item.text("title"), item.text("evidence"))


def _parse_verification(reader: FieldReader, required: bool) -> tuple[Verification, ...]:
    methods = []
    values = reader.string_list("verification")
    for index, value in enumerate(values):
        try:
            methods.append(Verification(value))
        except ValueError:
            reader.problems.append(
                Problem(
                    Text(
                        f"Okänd verifieringsmetod '{value}'.",
                        f"Unknown verification method '{value}'.",
                    ),
                    reader.document.location((*reader.path, "verification", index)),
                    hint=suggestion_hint(value, [method.value for method in Verification]),
                )
            )
    if required and not values:
        if reader.has("verification") and reader.raw("verification") is not None:
            reader.problem(
                "verification",
                Text(
                    "Minst en verifieringsmetod behövs.",
                    "At least one verification method is needed.",
                ),
            )
        else:
            reader.require("verification")
    return tuple(methods)


def _parse_references(reader: FieldReader, required: bool) -> tuple[Reference, ...]:
    if required and not reader.has("references"):
        reader.require("references")
        return ()
    references = []
    entries = reader.sequence("references")
    for index, _ in enumerate(entries):
        item = reader.child("references", index)
        if not item.is_mapping:
            item.problem(
                None,
                Text(
                    'En hänvisning skrivs som {source: AIA, ref: "26(6)"}.',
                    'A reference is written as {source: AIA, ref: "26(6)"}.',
                ),
            )
            continue
        item.check_fields(
            ("source", "ref", "when", "binding"), Text("hänvisningen", "the reference")
        )
        source = item.string("source", required=True)
        ref = item.raw("ref")
        if isinstance(ref, int | float) and not isinstance(ref, bool):
            ref = str(ref)
        if ref is not None and not isinstance(ref, str):
            item.typed("ref", (str,))
            ref = None
        if source is not None and source not in REFERENCE_SOURCES:
            item.problem(
                "source",
                Text(f"Okänd källa '{source}'.", f"Unknown source '{source}'."),
                suggestion_hint(source, REFERENCE_SOURCES),
            )
            continue
        if source is not None:
            references.append(
                Reference(source, ref or "", item.expression("when"), item.boolean("binding", True))
            )
    if required and not entries:
        reader.problem(
            "references", Text("Minst en hänvisning behövs.", "At least one reference is needed.")
        )
    return tuple(references)


def _parse_evaluation(reader: FieldReader) -> Evaluation | None:
    if reader.typed("evaluation", (dict,)) is None:
        return None
    item = reader.child("evaluation")
    item.check_fields(
        ("points", "deduction_sek", "deduction_percent"), Text("utvärderingen", "the evaluation")
    )
    evaluation = Evaluation(
        item.number("points"), item.number("deduction_sek"), item.number("deduction_percent")
    )
    for key in ("points", "deduction_sek", "deduction_percent"):
        value = getattr(evaluation, key)
        if value is not None and value < 0:
            item.problem(
                key, Text(f"'{key}' får inte vara negativt.", f"'{key}' must not be negative.")
            )
    return evaluation


def _parse_follow_up(reader: FieldReader) -> FollowUp | None:
    if reader.typed("follow_up", (dict,)) is None:
        return None
    item = reader.child("follow_up")
    item.check_fields(("when", "check"), Text("uppföljningen", "the follow-up"))
    moments = []
    for index, value in enumerate(item.string_list("when")):
        try:
            moments.append(FollowUpWhen(value))
        except ValueError:
            item.problems.append(
                Problem(
                    Text(
                        f"Okänd tidpunkt '{value}' för uppföljning.",
                        f"Unknown follow-up moment '{value}'.",
                    ),
                    item.document.location((*item.path, "when", index)),
                    hint=suggestion_hint(value, [moment.value for moment in FollowUpWhen]),
                )
            )
    return FollowUp(tuple(moments), item.text("check"))


def _parse_escalations(reader: FieldReader) -> tuple[Escalation, ...]:
    escalations = []
    for index, _ in enumerate(reader.sequence("escalate")):
        item = reader.child("escalate", index)
        if not _is_mapping(item, "escalate"):
            continue
        item.check_fields(
            ("when", "level", "reason"), Text("skärpningsregeln", "the escalation rule")
        )
        when = item.expression("when", required=True)
        level = item.enum("level", Level, default=Level.SKA)
        if when is not None and level is not None:
            escalations.append(Escalation(when, level, item.text("reason")))
    return tuple(escalations)


def _plain_date(reader: FieldReader, key: str, *, required: bool) -> Any:
    import datetime

    value = reader.typed(key, (datetime.date,), required=required)
    if isinstance(value, datetime.datetime):
        reader.problem(
            key,
            Text(
                "Ange bara ett datum (ÅÅÅÅ-MM-DD), utan klockslag.",
                "Give a date only (YYYY-MM-DD), without a time.",
            ),
        )
        return None
    return value


def _is_mapping(reader: FieldReader, kind: str) -> bool:
    if reader.is_mapping:
        return True
    reader.problem(
        None,
        Text(
            f"Varje post under '{kind}' ska vara en samling fält (id:, ...).",
            f"Each entry under '{kind}' must be a mapping of fields (id:, ...).",
        ),
    )
    return False


PARSERS: dict[str, Callable[[FieldReader, bool], Any]] = {
    "questions": parse_question,
    "derived": parse_derived,
    "areas": parse_area,
    "requirements": parse_requirement,
    "dates": parse_date,
    "duties": parse_duty,
}


def warning(message: Text, location: Location, hint: Text | None = None) -> Problem:
    """A warning problem."""
    return Problem(message, location, Severity.WARNING, hint)
