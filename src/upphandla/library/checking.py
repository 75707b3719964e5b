"""Cross-reference checks over a composed library: every problem at once, graded."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from jinja2 import nodes

from upphandla.errors import Location, Problem, Severity, excerpt
from upphandla.library.bounds import evaluation_budget
from upphandla.library.citations import format_reference
from upphandla.library.expressions import CompiledExpression, ExpressionError, ExpressionOverBudget
from upphandla.library.fields import suggestion_hint
from upphandla.library.model import (
    Derived,
    Expression,
    Kind,
    Level,
    Library,
    Question,
    QuestionType,
    Reference,
    Requirement,
    Verification,
)
from upphandla.library.values import coerce_value, fallback_value
from upphandla.text import Text


def check_library(library: Library) -> list[Problem]:
    """Every cross-reference problem in ``library``: names, choices, areas, dates, defaults."""
    problems: list[Problem] = []
    problems.extend(_check_questions(library))
    problems.extend(_check_derived(library))
    problems.extend(_check_requirements(library))
    problems.extend(_check_requirement_types(library))
    problems.extend(_check_duties(library))
    problems.extend(_check_known_ids(library))
    if not problems or all(not problem.is_error for problem in problems):
        problems.extend(_smoke_evaluate(library))
    return problems


def _check_questions(library: Library) -> Iterator[Problem]:
    earlier: set[str] = set()
    question_deps = _derived_question_dependencies(library)
    derived_ids = {derived.id for derived in library.derived}
    all_ids = [question.id for question in library.questions]
    for question in library.questions:
        yield from _check_question_shape(question)
        if question.after is not None and question.after not in all_ids:
            yield Problem(
                Text(
                    f"after: i '{question.id}' nämner frågan '{question.after}', som inte finns.",
                    f"after: in '{question.id}' names the question '{question.after}', which does not exist.",
                ),
                question.location,
                hint=suggestion_hint(question.after, all_ids),
            )
        if question.when is not None:
            for name in sorted(question.when.names):
                if name in earlier:
                    continue
                if name in derived_ids and question_deps.get(name, set()) <= earlier:
                    continue
                yield _name_problem(
                    question.when, name, library, later=_is_later(name, question, library)
                )
            yield from _check_choice_literals(question.when, library)
        earlier.add(question.id)


def _check_question_shape(question: Question) -> Iterator[Problem]:
    has_choices = question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE)
    if has_choices and not question.choices:
        yield Problem(
            Text(
                f"Frågan '{question.id}' har inga val.",
                f"The question '{question.id}' has no choices.",
            ),
            question.location,
        )
    if not has_choices and question.choices:
        yield Problem(
            Text(
                f"Frågan '{question.id}' av typen {question.type.value} kan inte ha val.",
                f"The question '{question.id}' of type {question.type.value} cannot have choices.",
            ),
            question.location,
        )
    seen: set[str] = set()
    for choice in question.choices:
        if choice.value in seen:
            yield Problem(
                Text(
                    f"Valet '{choice.value}' finns två gånger i frågan '{question.id}'.",
                    f"The choice '{choice.value}' appears twice in the question '{question.id}'.",
                ),
                question.location,
            )
        seen.add(choice.value)
    if question.default is not None:
        message = coerce_value(question, question.default)[1]
        if question.type is QuestionType.BOOL and not isinstance(question.default, bool):
            message = Text(
                f"'{question.default}' är inte true eller false.",
                f"'{question.default}' is not true or false.",
            )
        if message is not None:
            yield Problem(
                Text(
                    f"Standardvärdet för '{question.id}' passar inte frågan: {message.sv}",
                    f"The default of '{question.id}' does not fit the question: {message.en}",
                ),
                question.location,
            )
    if not question.help:
        yield Problem(
            Text(
                f"Frågan '{question.id}' saknar help: (varför frågar vi?).",
                f"The question '{question.id}' has no help: (why do we ask?).",
            ),
            question.location,
            Severity.WARNING,
        )


def _check_derived(library: Library) -> Iterator[Problem]:
    question_ids = {question.id for question in library.questions}
    earlier: set[str] = set()
    derived_ids = {d.id for d in library.derived}
    for derived in library.derived:
        for expression in _derived_expressions(derived):
            for name in sorted(expression.names):
                if name not in question_ids and name not in earlier:
                    yield _name_problem(expression, name, library, later=name in derived_ids)
            yield from _check_choice_literals(expression, library)
        # A reference binds or not once every value is known, so its condition may use any.
        for expression in _reference_conditions(_derived_references(derived)):
            for name in sorted(expression.names - question_ids - derived_ids):
                yield _name_problem(expression, name, library, later=False)
            yield from _check_choice_literals(expression, library)
        earlier.add(derived.id)


def _check_requirements(library: Library) -> Iterator[Problem]:
    known = {question.id for question in library.questions} | {
        derived.id for derived in library.derived
    }
    area_ids = [area.id for area in library.areas]
    date_ids = [date.id for date in library.dates] + [d.id for d in library.derived]
    titles: dict[str, str] = {}
    for requirement in library.requirements:
        for expression in requirement_expressions(requirement):
            for name in sorted(expression.names - known):
                yield _name_problem(expression, name, library, later=False)
            yield from _check_choice_literals(expression, library)
        if requirement.area not in area_ids:
            yield unknown_area(requirement.id, requirement.area, area_ids, requirement.location)
        if requirement.applies_from is not None and requirement.applies_from not in date_ids:
            yield Problem(
                Text(
                    f"applies_from i '{requirement.id}' nämner datumet '{requirement.applies_from}', som inte finns.",
                    f"applies_from in '{requirement.id}' names the date '{requirement.applies_from}', which does not exist.",
                ),
                requirement.location,
                hint=suggestion_hint(requirement.applies_from, date_ids),
            )
        can_be_bor = requirement.level is Level.BOR
        if can_be_bor and requirement.evaluation is None:
            yield Problem(
                Text(
                    f"Bör-kravet '{requirement.id}' saknar evaluation: (poäng eller prisavdrag).",
                    f"The BÖR requirement '{requirement.id}' has no evaluation: (points or price deduction).",
                ),
                requirement.location,
                Severity.WARNING,
            )
        if not requirement.rationale:
            yield Problem(
                Text(
                    f"Kravet '{requirement.id}' saknar rationale: (varför kravet ställs).",
                    f"The requirement '{requirement.id}' has no rationale: (why it is asked).",
                ),
                requirement.location,
                Severity.WARNING,
            )
        title = requirement.title.sv.casefold()
        if title in titles:
            yield Problem(
                Text(
                    f"Kravet '{requirement.id}' har samma rubrik som '{titles[title]}'.",
                    f"The requirement '{requirement.id}' has the same title as '{titles[title]}'.",
                ),
                requirement.location,
                Severity.WARNING,
            )
        titles.setdefault(title, requirement.id)


def _smoke_evaluate(library: Library) -> Iterator[Problem]:
    """Evaluate every expression once with the defaults, to catch type mistakes early.

    They all run under one budget: when it is spent the rest are not tried (one warning says so).
    """
    with evaluation_budget():
        problems = list(_smoke_problems(library))
    return iter(problems)


def _smoke_problems(library: Library) -> Iterator[Problem]:
    from upphandla.library.derivation import ExpressionFailed, derive_values

    context: dict[str, Any] = {
        question.id: fallback_value(question) for question in library.questions
    }
    try:
        context.update(derive_values(library, context).values)
    except ExpressionFailed as failed:
        if isinstance(failed.error, ExpressionOverBudget):
            yield _smoke_problem(failed.expression, failed.error)
            return
    expressions = [q.when for q in library.questions if q.when]
    for derived in library.derived:
        expressions.extend(_derived_expressions(derived))
    for requirement in library.requirements:
        expressions.extend(requirement_expressions(requirement))
    for duty in library.duties:
        expressions.extend(_duty_expressions(duty))
    for expression in expressions:
        try:
            expression.compiled.evaluate(context)
        except ExpressionError as error:
            yield _smoke_problem(expression, error)
            if isinstance(error, ExpressionOverBudget):
                return


def _smoke_problem(expression: Expression, error: ExpressionError) -> Problem:
    quoted = excerpt(expression.source)
    return Problem(
        Text(
            f"Villkoret '{quoted}' går inte att räkna ut med standardsvaren: {error}.",
            f"The condition '{quoted}' fails with the default answers: {error}.",
        ),
        expression.location,
        Severity.WARNING,
        _OVER_BUDGET_HINT
        if isinstance(error, ExpressionOverBudget)
        else Text(
            "Tänk på att en obesvarad talfråga är none: skriv till exempel "
            "'antal is not none and antal > 100'.",
            "Remember that an unanswered number question is none: write for example "
            "'count is not none and count > 100'.",
        ),
    )


_OVER_BUDGET_HINT = Text(
    "Ett villkor eller härlett värde får inte bygga upp mycket stora värden eller mycket arbete; "
    "gränserna står i docs/limits.md.",
    "A condition or derived value may not build very large values or take very much work; the "
    "limits are in docs/limits.md.",
)


def _derived_expressions(derived: Derived) -> list[Expression]:
    expressions = [derived.expression] if derived.expression else []
    expressions.extend(case.when for case in derived.cases)
    return expressions


def _derived_references(derived: Derived) -> list[Reference]:
    references = [*derived.references]
    for case in derived.cases:
        references.extend(case.references)
    return references


def requirement_expressions(requirement: Requirement) -> list[Expression]:
    """Every condition of a requirement: its own, its escalation rules' and its references'."""
    expressions = [requirement.when] if requirement.when else []
    expressions.extend(rule.when for rule in requirement.escalate)
    expressions.extend(_reference_conditions(requirement.references))
    return expressions


def _reference_conditions(references: Sequence[Reference]) -> list[Expression]:
    return [reference.when for reference in references if reference.when is not None]


def _duty_expressions(duty: Any) -> list[Expression]:
    expressions = [duty.when] if duty.when else []
    expressions.extend(_reference_conditions(duty.references))
    return expressions


def _derived_question_dependencies(library: Library) -> dict[str, set[str]]:
    question_ids = {question.id for question in library.questions}
    dependencies: dict[str, set[str]] = {}
    for derived in library.derived:
        needed: set[str] = set()
        for expression in _derived_expressions(derived):
            for name in expression.names:
                if name in question_ids:
                    needed.add(name)
                else:
                    needed |= dependencies.get(name, set())
        dependencies[derived.id] = needed
    return dependencies


def _is_later(name: str, question: Question, library: Library) -> bool:
    ids = [q.id for q in library.questions]
    return name in ids and ids.index(name) >= ids.index(question.id)


def _name_problem(expression: Expression, name: str, library: Library, *, later: bool) -> Problem:
    if later:
        return Problem(
            Text(
                f"Villkoret använder '{name}', som kommer senare; ett villkor kan bara bygga på det som redan är känt.",
                f"The condition uses '{name}', which comes later; a condition can only use what is already known.",
            ),
            expression.location,
            hint=Text(
                f"Flytta '{name}' före, eller använd after: för att ändra ordningen.",
                f"Move '{name}' earlier, or use after: to change the order.",
            ),
        )
    names = [question.id for question in library.questions] + [
        derived.id for derived in library.derived
    ]
    return Problem(
        Text(
            f"Villkoret använder '{name}', som varken är en fråga eller ett härlett värde.",
            f"The condition uses '{name}', which is neither a question nor a derived value.",
        ),
        expression.location,
        hint=suggestion_hint(name, names),
    )


def unknown_area(
    requirement_id: str, area: str, area_ids: Sequence[str], location: Location
) -> Problem:
    """A requirement that belongs to an area the library does not have."""
    return Problem(
        Text(
            f"Kravet '{requirement_id}' hör till området '{area}', som inte finns.",
            f"The requirement '{requirement_id}' belongs to the area '{area}', which does not exist.",
        ),
        location,
        hint=suggestion_hint(area, area_ids),
    )


def _check_choice_literals(expression: Expression, library: Library) -> Iterator[Problem]:
    """Report string literals compared with a choice question that are not among its values."""
    allowed = _allowed_values(library)
    for literal, name in _unknown_literals(expression.compiled, allowed):
        yield Problem(
            Text(
                f"'{literal}' är inget av värdena i '{name}'; villkoret blir aldrig sant.",
                f"'{literal}' is not one of the values of '{name}'; the condition can never hold.",
            ),
            expression.location,
            hint=suggestion_hint(literal, allowed[name]),
        )


def _unknown_literals(
    compiled: CompiledExpression, allowed: Mapping[str, Sequence[str]]
) -> list[tuple[str, str]]:
    """(literal, name) for each literal compared with choice ``name`` that is not among its
    values; the same text gives the same answer, so it is worked out once per text."""
    key = (compiled.source, id(allowed))
    found = _LITERALS_SEEN.get(key)
    if found is not None:
        return found
    found = []
    root = compiled.node
    for compare in (root, *root.find_all(nodes.Compare)):
        if not isinstance(compare, nodes.Compare):
            continue
        operands = [compare.expr, *(operand.expr for operand in compare.ops)]
        names = [operand.name for operand in operands if isinstance(operand, nodes.Name)]
        for name in names:
            if name not in allowed:
                continue
            found.extend(
                (literal, name)
                for literal in _string_literals(operands)
                if literal not in allowed[name]
            )
    if compiled.source:
        _LITERALS_SEEN[key] = found
    return found


_LITERALS_SEEN: dict[tuple[str, int], list[tuple[str, str]]] = {}
_ALLOWED_SEEN: dict[int, tuple[Library, Mapping[str, Sequence[str]]]] = {}


def _allowed_values(library: Library) -> Mapping[str, Sequence[str]]:
    """The values of each choice question and derived value, worked out once per library."""
    seen = _ALLOWED_SEEN.get(id(library))
    if seen is not None and seen[0] is library:
        return seen[1]
    allowed = _compute_allowed_values(library)
    _ALLOWED_SEEN.clear()
    _LITERALS_SEEN.clear()
    _ALLOWED_SEEN[id(library)] = (library, allowed)
    return allowed


def _compute_allowed_values(library: Library) -> Mapping[str, Sequence[str]]:
    allowed: dict[str, list[str]] = {
        question.id: [choice.value for choice in question.choices]
        for question in library.questions
        if question.choices
    }
    for derived in library.derived:
        if derived.values:
            allowed[derived.id] = [str(choice.value) for choice in derived.values]
    return allowed


def _string_literals(operands: Sequence[nodes.Expr]) -> Iterator[str]:
    for operand in operands:
        if isinstance(operand, nodes.Const) and isinstance(operand.value, str):
            yield operand.value
        elif isinstance(operand, nodes.List | nodes.Tuple):
            for item in operand.items:
                if isinstance(item, nodes.Const) and isinstance(item.value, str):
                    yield item.value


def location_of(expression: Expression | None, fallback: Location) -> Location:
    """Where an expression is, or ``fallback``."""
    return expression.location if expression is not None else fallback


# Words a SKA text may not use: they make a mandatory requirement read as optional or scored.
_NOT_IN_SKA_TEXT = {
    "sv": re.compile(r"\b(bör|poäng\w*|\w*avdrag\w*)\b", re.IGNORECASE),
    "en": re.compile(r"\b(should|points|deductions?)\b", re.IGNORECASE),
}

# Each match holds one of these words, compared without regard to case. For a text of Latin-1
# characters only, str.lower() compares as the patterns do (the characters that IGNORECASE
# takes for another letter, such as U+017F for s or U+0130 for i, lie beyond Latin-1), so a
# text whose lower-case form holds none of them has no match and is not searched.
_NOT_IN_SKA_WORDS = {"sv": ("bör", "poäng", "avdrag"), "en": ("should", "points", "deduction")}


def not_in_ska_text(text: str, language: str) -> re.Match[str] | None:
    """``_NOT_IN_SKA_TEXT[language].search(text)``, without the search where it cannot match."""
    if _is_latin_1(text):
        lowered = text.lower()
        if not any(word in lowered for word in _NOT_IN_SKA_WORDS[language]):
            return None
    return _NOT_IN_SKA_TEXT[language].search(text)


def _is_latin_1(text: str) -> bool:
    try:
        text.encode("latin-1")  # a copy, for a text stored one byte a character
    except UnicodeEncodeError:
        return False
    return True


# AI Act articles whose duties apply to high-risk systems only (and their providers, deployers).
_HIGH_RISK_ONLY_ARTICLES = frozenset((*range(8, 28), 43, 44, 47, 48, 49, 72, 73, 86))
_LEADING_ARTICLE = re.compile(r"(\d+)")


def is_high_risk_only(reference: Reference) -> bool:
    """Whether an AI Act reference names a provision that binds only for high-risk systems."""
    if reference.source != "AIA":
        return False
    ref = reference.ref.strip()
    if ref.casefold().startswith(("bilaga iv", "annex iv")):
        return True
    match = _LEADING_ARTICLE.match(ref)
    if match is None:
        return False
    return int(match.group(1)) in _HIGH_RISK_ONLY_ARTICLES and not ref.startswith("49(2)")


def _check_requirement_types(library: Library) -> Iterator[Problem]:
    """LOU's requirement types, escalation wording, references and links to duties."""
    duty_ids = [duty.id for duty in library.duties]
    question_ids = [question.id for question in library.questions]
    for requirement in library.requirements:
        yield from _check_kind(requirement)
        yield from _check_levels(requirement)
        for reference in requirement.references:
            if is_high_risk_only(reference) and reference.when is None and reference.binding:
                sv = format_reference(reference.source, reference.ref, "sv")
                en = format_reference(reference.source, reference.ref, "en")
                yield Problem(
                    Text(
                        f"Kravet '{requirement.id}' hänvisar till {sv}, som bara gäller högrisksystem, som om den alltid gällde.",
                        f"The requirement '{requirement.id}' cites {en}, which binds high-risk systems only, as if it always applied.",
                    ),
                    requirement.location,
                    Severity.WARNING,
                    Text(
                        "Ge hänvisningen ett villkor (when: high_risk) eller binding: false (vägledning).",
                        "Give the reference a condition (when: high_risk) or binding: false (guidance).",
                    ),
                )
        for duty_id in requirement.supports:
            if duty_id not in duty_ids:
                yield Problem(
                    Text(
                        f"supports: i '{requirement.id}' nämner skyldigheten '{duty_id}', som inte finns.",
                        f"supports: in '{requirement.id}' names the duty '{duty_id}', which does not exist.",
                    ),
                    requirement.location,
                    hint=suggestion_hint(duty_id, duty_ids),
                )
        for question_id in requirement.buyer_input:
            if question_id not in question_ids:
                yield Problem(
                    Text(
                        f"buyer_input: i '{requirement.id}' nämner frågan '{question_id}', som inte finns.",
                        f"buyer_input: in '{requirement.id}' names the question '{question_id}', which does not exist.",
                    ),
                    requirement.location,
                    hint=suggestion_hint(question_id, question_ids),
                )


def _check_kind(requirement: Requirement) -> Iterator[Problem]:
    rid, kind, level = requirement.id, requirement.kind, requirement.level
    if level is Level.BOR and kind is not Kind.AWARD:
        yield Problem(
            Text(
                f"Bör-kravet '{rid}' har kind: {kind.value}. Ett bör-krav är ett tilldelningskriterium (kind: award, LOU 16 kap.).",
                f"The BÖR requirement '{rid}' has kind: {kind.value}. A BÖR requirement is an award criterion (kind: award, LOU chapter 16).",
            ),
            requirement.location,
            hint=Text(
                "Ett kvalificeringskrav eller ett kontraktsvillkor är alltid ett ska-krav.",
                "A qualification requirement or a contract condition is always mandatory (ska).",
            ),
        )
    if level is Level.SKA and kind is Kind.AWARD:
        yield Problem(
            Text(
                f"Ska-kravet '{rid}' har kind: award. Ett tilldelningskriterium poängsätts och är alltid ett bör-krav.",
                f"The SKA requirement '{rid}' has kind: award. An award criterion is scored and is always BÖR.",
            ),
            requirement.location,
        )
    if kind is Kind.AWARD and Verification.CERTIFICATE in requirement.verification:
        yield Problem(
            Text(
                f"Tilldelningskriteriet '{rid}' kontrolleras med ett certifikat. Ett certifikat gäller företaget, inte anbudet: gör kravet till ett kvalificeringskrav eller ett kontraktsvillkor.",
                f"The award criterion '{rid}' is verified by a certificate. A certificate concerns the company, not the tender: make it a qualification requirement or a contract condition.",
            ),
            requirement.location,
            Severity.WARNING,
            Text(
                "Tilldelningskriterier ska avse det som erbjuds och hur avtalet utförs (LOU 16 kap., mål C-532/06).",
                "Award criteria must concern what is offered and how the contract is performed (LOU chapter 16, case C-532/06).",
            ),
        )


def _check_levels(requirement: Requirement) -> Iterator[Problem]:
    """Every level a requirement can take has its own wording, and SKA wording is mandatory."""
    rid = requirement.id
    targets = {rule.level for rule in requirement.escalate} - {requirement.level}
    for level in targets:
        if requirement.wording(level).text is requirement.text:
            key = level.value
            yield Problem(
                Text(
                    f"Kravet '{rid}' kan skärpas till {level.label} men saknar {key}: med text för den nivån.",
                    f"The requirement '{rid}' can become {level.label} but has no {key}: block with its text at that level.",
                ),
                requirement.location,
                hint=Text(
                    f"Lägg till {key}: {{kind: specification, text: {{sv: ..., en: ...}}}}.",
                    f"Add {key}: {{kind: specification, text: {{sv: ..., en: ...}}}}.",
                ),
            )
    if requirement.ska is not None and requirement.ska.kind is Kind.AWARD:
        yield Problem(
            Text(
                f"ska: i '{rid}' har kind: award. Ett ska-krav är inget tilldelningskriterium.",
                f"ska: in '{rid}' has kind: award. A mandatory requirement is not an award criterion.",
            ),
            requirement.location,
        )
    if requirement.bor is not None and requirement.bor.kind is not Kind.AWARD:
        yield Problem(
            Text(
                f"bor: i '{rid}' ska ha kind: award.",
                f"bor: in '{rid}' must have kind: award.",
            ),
            requirement.location,
        )
    ska_texts = []
    if requirement.level is Level.SKA:
        ska_texts.append(("text", requirement.text))
    if requirement.ska is not None and Level.SKA in targets:
        ska_texts.append(("ska.text", requirement.ska.text))
    for field_name, text in ska_texts:
        for language in ("sv", "en"):
            found = not_in_ska_text(getattr(text, language), language)
            if found:
                yield Problem(
                    Text(
                        f"{field_name} i ska-kravet '{rid}' ({language}) innehåller '{found.group(0)}'. Ett ska-krav är obligatoriskt och ger varken poäng eller avdrag.",
                        f"{field_name} of the SKA requirement '{rid}' ({language}) contains '{found.group(0)}'. A mandatory requirement is not optional and earns neither points nor deductions.",
                    ),
                    requirement.location,
                    hint=Text(
                        "Skriv 'ska' (shall) och flytta utvärderingen till ett bör-krav.",
                        "Write 'ska' (shall) and move the evaluation to a BÖR requirement.",
                    ),
                )


def _check_duties(library: Library) -> Iterator[Problem]:
    known = {question.id for question in library.questions} | {
        derived.id for derived in library.derived
    }
    date_ids = [date.id for date in library.dates] + [d.id for d in library.derived]
    for duty in library.duties:
        for expression in _duty_expressions(duty):
            for name in sorted(expression.names - known):
                yield _name_problem(expression, name, library, later=False)
            yield from _check_choice_literals(expression, library)
        if duty.applies_from is not None and duty.applies_from not in date_ids:
            yield Problem(
                Text(
                    f"applies_from i skyldigheten '{duty.id}' nämner datumet '{duty.applies_from}', som inte finns.",
                    f"applies_from in the duty '{duty.id}' names the date '{duty.applies_from}', which does not exist.",
                ),
                duty.location,
                hint=suggestion_hint(duty.applies_from, date_ids),
            )


def _check_known_ids(library: Library) -> Iterator[Problem]:
    """The ids the code reads must have the kind and type it expects (``library/known.py``)."""
    from upphandla.library import known

    question_ids = {question.id for question in library.questions}
    for expected in known.KNOWN_QUESTIONS:
        question = library.question(expected.id)
        if question is not None and question.type not in expected.types:
            wanted = ", ".join(sorted(kind.value for kind in expected.types))
            yield Problem(
                Text(
                    f"Frågan '{question.id}' används av upphandla och ska ha type: {wanted}, inte {question.type.value}.",
                    f"The question '{question.id}' is read by upphandla and must have type: {wanted}, not {question.type.value}.",
                ),
                question.location,
            )
        allowed = known.KNOWN_CHOICES.get(expected.id)
        if question is not None and allowed is not None:
            for choice in question.choices:
                if choice.value not in allowed:
                    yield Problem(
                        Text(
                            f"Valet '{choice.value}' i '{question.id}' har ingen betydelse för upphandla.",
                            f"The choice '{choice.value}' of '{question.id}' has no meaning to upphandla.",
                        ),
                        question.location,
                        hint=suggestion_hint(choice.value, sorted(allowed)),
                    )
    for derived_id in known.KNOWN_DERIVED:
        if derived_id in question_ids:
            question = library.question(derived_id)
            assert question is not None
            yield Problem(
                Text(
                    f"'{derived_id}' räknas ut av upphandla och ska vara ett härlett värde, inte en fråga.",
                    f"'{derived_id}' is computed by upphandla and must be a derived value, not a question.",
                ),
                question.location,
            )
