"""Turning the YAML of one library file into model objects (no composition, no cross-checks)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from upphandla.errors import Location, Problem, Severity
from upphandla.library.fields import FieldReader, suggestion_hint
from upphandla.library.format_fields import (
    AREA,
    DATE,
    DERIVED,
    DERIVED_CASE,
    DUTY,
    ESCALATION,
    EVALUATION,
    FOLLOW_UP,
    ITEMS,
    LEVEL_TEXT,
    LIBRARY,
    QUESTION,
    REFERENCE,
    REQUIREMENT,
    FieldSpec,
    ItemSpec,
)
from upphandla.library.format_fields import (  # the id patterns, imported from here elsewhere
    CHOICE_VALUE as CHOICE_VALUE,
)
from upphandla.library.format_fields import ITEM_ID as ITEM_ID
from upphandla.library.format_fields import LIBRARY_ID as LIBRARY_ID
from upphandla.library.format_fields import QUESTION_ID as QUESTION_ID
from upphandla.library.format_fields import SEMVER as SEMVER
from upphandla.library.model import (
    Area,
    Choice,
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
    Reference,
    Requirement,
    Verification,
)
from upphandla.library.vocabulary import REFERENCE_SOURCES
from upphandla.library.yamlsource import YamlDocument
from upphandla.limits import DEFAULT_LIMITS, Limits
from upphandla.records import record
from upphandla.text import Text

KINDS = tuple(ITEMS)
CONTENT_KEYS = (*KINDS, "override", "remove")
LIBRARY_KEYS = LIBRARY.keys
KIND_WORDS: dict[str, Text] = {kind: spec.what for kind, spec in ITEMS.items()}
QUESTION_FIELDS = QUESTION.keys
DERIVED_FIELDS = DERIVED.keys
AREA_FIELDS = AREA.keys
DATE_FIELDS = DATE.keys
REQUIREMENT_FIELDS = REQUIREMENT.keys
DUTY_FIELDS = DUTY.keys

Item = Question | Derived | Area | Requirement | KeyDate | Duty


@record
class Override:
    """Fields an extending library replaces in an item of its parent."""

    kind: str
    id: str
    fields: dict[str, Any]
    location: Location


@record
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
    what = LIBRARY.what if is_library_file else Text("biblioteksfilen", "the library file")
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
    if partial:
        return {
            key: value
            for key, value in fields.items()
            if reader.has(_YAML_KEYS.get(key, key))
            and value is not _MISSING
            and value is not _NOT_GIVEN
        }
    if any(value is _MISSING for value in fields.values()):
        return None
    try:
        return build(**{key: value for key, value in fields.items() if value is not _NOT_GIVEN})
    except TypeError:  # a required field had a problem already reported
        return None


_MISSING = object()
_NOT_GIVEN = object()
_YAML_KEYS = {spec.name: spec.key for item in ITEMS.values() for spec in item.fields}


def _req(value: Any) -> Any:
    empty = value is None or value == () or (isinstance(value, Text) and not value)
    return _MISSING if empty else value


def _read_item(reader: FieldReader, spec: ItemSpec, partial: bool) -> dict[str, Any]:
    """Every field of ``spec``, in table order: a missing required one is ``_MISSING``, a missing
    optional one ``_NOT_GIVEN`` (so the dataclass default stays)."""
    fields: dict[str, Any] = {}
    for field_spec in spec.fields:
        if field_spec.required:
            fields[field_spec.name] = _req(_read(reader, field_spec, not partial))
        elif reader.has(field_spec.key):
            fields[field_spec.name] = _read(reader, field_spec, False)
        else:
            # Not read: a missing optional field reports nothing, and its value is not used.
            fields[field_spec.name] = _NOT_GIVEN
    if not partial:
        fields["location"] = reader.location()
    return fields


def _read(reader: FieldReader, spec: FieldSpec, required: bool) -> Any:
    """One field, read as its table entry says."""
    key = spec.key
    if spec.kind == "text":
        return reader.text(key, required=required)
    if spec.kind == "string":
        pattern = None if spec.pattern_in_schema_only else spec.pattern
        return reader.string(key, required=required, pattern=pattern)
    if spec.kind == "enum" and spec.enum is not None:
        return reader.enum(key, spec.enum, required=required, default=spec.default)
    if spec.kind == "condition":
        return reader.expression(key, required=required)
    if spec.kind == "number":
        return reader.number(key)
    if spec.kind == "boolean":
        return reader.boolean(key, spec.default)
    if spec.kind == "string_list":
        return reader.string_list(key)
    if spec.kind == "date":
        return _plain_date(reader, key, required=required)
    if spec.kind == "any":
        return reader.raw(key)
    return _NESTED[spec.item.name if spec.item is not None else key](reader, spec, required)


def _parse_item(
    reader: FieldReader,
    kind: str,
    partial: bool,
    build: Callable[..., Any],
    *,
    check: Callable[[FieldReader], None] | None = None,
    complete: Callable[[FieldReader, dict[str, Any]], None] | None = None,
) -> Any:
    """The generic part of every item kind: a mapping, with only its own fields, each read as the
    table says; ``check`` and ``complete`` add what one kind needs (not for overrides)."""
    if not _is_mapping(reader, kind):
        return None
    reader.check_fields(ITEMS[kind].keys, KIND_WORDS[kind])
    if check is not None and not partial:
        check(reader)
    fields = _read_item(reader, ITEMS[kind], partial)
    if complete is not None and not partial:
        complete(reader, fields)
    return _finish(reader, fields, partial, build)


def parse_question(reader: FieldReader, partial: bool) -> Question | dict[str, Any] | None:
    """Parse a question (or, with ``partial``, the fields an override gives)."""
    return _parse_item(reader, "questions", partial, Question)  # type: ignore[no-any-return]


def _parse_choices(reader: FieldReader, spec: FieldSpec, _required: bool) -> tuple[Choice, ...]:
    key = spec.key
    assert spec.item is not None
    value_spec = spec.item.field("value")
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
        item.check_fields(spec.item.keys, spec.item.what)
        raw_value = item.raw("value")
        if isinstance(raw_value, int) and not isinstance(raw_value, bool) and raw_value >= 0:
            value: str | None = str(raw_value)
        else:
            value = item.string("value", required=True, pattern=value_spec.pattern)
        label = item.text("label", required=True)
        if value is not None:
            choices.append(Choice(value, label, item.text("help")))
    return tuple(choices)


def parse_derived(reader: FieldReader, partial: bool) -> Derived | dict[str, Any] | None:
    """Parse a derived value: an ``expression``, or ``cases`` with an ``otherwise``."""
    return _parse_item(reader, "derived", partial, Derived, check=_check_one_of)  # type: ignore[no-any-return]


def _check_one_of(reader: FieldReader) -> None:
    if sum(map(reader.has, DERIVED.one_of)) != 1:
        reader.problem(
            None,
            Text(
                "Ett härlett värde ska ha antingen expression: eller cases:, inte båda eller inget.",
                "A derived value must have either expression: or cases:, not both or neither.",
            ),
        )


def _parse_cases(reader: FieldReader, _spec: FieldSpec, _required: bool) -> tuple[DerivedCase, ...]:
    cases = []
    for index, _ in enumerate(reader.sequence("cases")):
        item = reader.child("cases", index)
        if not _is_mapping(item, "cases"):
            continue
        item.check_fields(DERIVED_CASE.keys, DERIVED_CASE.what)
        when = item.expression("when", required=True)
        if not item.has("value"):
            item.require("value")
        if when is not None and item.has("value"):
            cases.append(
                DerivedCase(
                    when,
                    item.raw("value"),
                    item.text("reason"),
                    _parse_references(item, None, False),
                )
            )
    return tuple(cases)


def parse_area(reader: FieldReader, partial: bool) -> Area | dict[str, Any] | None:
    """Parse a requirement area."""
    return _parse_item(reader, "areas", partial, Area)  # type: ignore[no-any-return]


def parse_date(reader: FieldReader, partial: bool) -> KeyDate | dict[str, Any] | None:
    """Parse a key date (an application date of the law, kept as data)."""
    return _parse_item(reader, "dates", partial, KeyDate)  # type: ignore[no-any-return]


def parse_duty(reader: FieldReader, partial: bool) -> Duty | dict[str, Any] | None:
    """Parse a duty of the buyer itself (an obligation of the deployer, not of the supplier)."""
    return _parse_item(reader, "duties", partial, Duty)  # type: ignore[no-any-return]


def parse_requirement(reader: FieldReader, partial: bool) -> Requirement | dict[str, Any] | None:
    """Parse a requirement (or, with ``partial``, the fields an override gives)."""
    return _parse_item(  # type: ignore[no-any-return]
        reader, "requirements", partial, Requirement, complete=_complete_kind
    )


def _complete_kind(reader: FieldReader, fields: dict[str, Any]) -> None:
    if not reader.has("kind") and isinstance(fields["level"], Level):
        fields["kind"] = _inferred_kind(reader, fields["level"], fields["phase"])


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


def _parse_level_text(reader: FieldReader, spec: FieldSpec, _required: bool) -> LevelText | None:
    """The ``ska:`` or ``bor:`` block: the kind and wording the requirement takes at that level."""
    key = spec.key
    if reader.typed(key, (dict,)) is None:
        return None
    item = reader.child(key)
    item.check_fields(LEVEL_TEXT.keys, Text(f"{key}:-{LEVEL_TEXT.what.sv}", f"the {key}: block"))
    kind = item.enum("kind", Kind, required=True)
    text = item.text("text", required=True)
    if kind is None or not text:
        return None
    return LevelText(kind, text, item.text("title"), item.text("evidence"))


def _parse_verification(
    reader: FieldReader, _spec: FieldSpec, required: bool
) -> tuple[Verification, ...]:
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


def _parse_references(
    reader: FieldReader, _spec: FieldSpec | None, required: bool
) -> tuple[Reference, ...]:
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
        item.check_fields(REFERENCE.keys, REFERENCE.what)
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


def _parse_evaluation(reader: FieldReader, _spec: FieldSpec, _required: bool) -> Evaluation | None:
    if reader.typed("evaluation", (dict,)) is None:
        return None
    item = reader.child("evaluation")
    item.check_fields(EVALUATION.keys, EVALUATION.what)
    evaluation = Evaluation(*(_read(item, spec, False) for spec in EVALUATION.fields))
    for key in EVALUATION.keys:
        value = getattr(evaluation, key)
        if value is not None and value < 0:
            item.problem(
                key, Text(f"'{key}' får inte vara negativt.", f"'{key}' must not be negative.")
            )
    return evaluation


def _parse_follow_up(reader: FieldReader, _spec: FieldSpec, _required: bool) -> FollowUp | None:
    if reader.typed("follow_up", (dict,)) is None:
        return None
    item = reader.child("follow_up")
    item.check_fields(FOLLOW_UP.keys, FOLLOW_UP.what)
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
    return FollowUp(
        tuple(moments), item.text("check"), item.text("evidence"), item.text("acceptance")
    )


def _parse_escalations(
    reader: FieldReader, _spec: FieldSpec, _required: bool
) -> tuple[Escalation, ...]:
    escalations = []
    for index, _ in enumerate(reader.sequence("escalate")):
        item = reader.child("escalate", index)
        if not _is_mapping(item, "escalate"):
            continue
        item.check_fields(ESCALATION.keys, ESCALATION.what)
        when = item.expression("when", required=True)
        level = item.enum("level", Level, default=ESCALATION.field("level").default)
        if when is not None and level is not None:
            escalations.append(Escalation(when, level, item.text("reason")))
    return tuple(escalations)


def _plain_date(reader: FieldReader, key: str, *, required: bool) -> Any:
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


_NESTED: dict[str, Callable[[FieldReader, FieldSpec, bool], Any]] = {
    "choice": _parse_choices,
    "derived_value": _parse_choices,
    "derived_case": _parse_cases,
    "reference": _parse_references,
    "evaluation": _parse_evaluation,
    "escalation": _parse_escalations,
    "follow_up": _parse_follow_up,
    "level_text": _parse_level_text,
    "verification": _parse_verification,
}


def warning(message: Text, location: Location, hint: Text | None = None) -> Problem:
    """A warning problem."""
    return Problem(message, location, Severity.WARNING, hint)
