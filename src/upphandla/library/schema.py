"""JSON Schemas (draft-07) for library files, so editors can check and explain them while typing.

The schemas are built from the loader's own vocabularies (the enums in ``model``, the reference
sources in ``vocabulary`` and the id patterns in ``parsing``) so that the schema and the loader
cannot drift apart. Descriptions are in Swedish: they are what a consultant sees when hovering
over a field in VS Code. The loader stays the authority; the schema is an early, friendly check.

Regenerate the committed files with ``python -m upphandla.library.schema``.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from upphandla.library.loading import FORMAT_VERSION
from upphandla.library.model import (
    Ambition,
    DateStatus,
    FollowUpWhen,
    Kind,
    Level,
    Phase,
    QuestionType,
    Verification,
)
from upphandla.library.parsing import (
    CHOICE_VALUE,
    ITEM_ID,
    KIND_WORDS,
    KINDS,
    LIBRARY_ID,
    QUESTION_ID,
    SEMVER,
)
from upphandla.library.vocabulary import (
    AMBITION_LABELS,
    DATE_STATUS_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    PHASE_LABELS,
    QUESTION_TYPE_LABELS,
    REFERENCE_SOURCES,
    VERIFICATION_LABELS,
)
from upphandla.text import Text

Schema = dict[str, Any]
SchemaKind = Literal["library", "content"]

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
SCHEMA_FILES: dict[SchemaKind, str] = {
    "library": "library.schema.json",
    "content": "library-content.schema.json",
}

_NOT_BLANK = r"\S"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _anchored(pattern: re.Pattern[str]) -> str:
    """A loader pattern (used with ``fullmatch``) as a JSON Schema pattern (a search)."""
    return f"^(?:{pattern.pattern})$"


def _ref(name: str, description: str) -> Schema:
    # Validators ignore siblings of $ref in draft-07; editors show the description on hover.
    return {"$ref": f"#/definitions/{name}", "description": description}


def _text(description: str) -> Schema:
    return _ref("text", description)


def _condition(description: str) -> Schema:
    return _ref("condition", description)


def _string(description: str, pattern: str | None = None) -> Schema:
    schema: Schema = {"type": "string", "description": description}
    if pattern is not None:
        schema["pattern"] = pattern
    return schema


def _number(description: str) -> Schema:
    return {"type": "number", "description": description}


def _list_of(name: str, description: str, *, at_least_one: bool = False) -> Schema:
    schema: Schema = {
        "type": "array",
        "items": {"$ref": f"#/definitions/{name}"},
        "description": description,
    }
    if at_least_one:
        schema["minItems"] = 1
    return schema


def _listed(labels: Mapping[Any, Text]) -> str:
    """``value = svensk etikett`` for every value, joined for a description."""
    return "; ".join(f"{_value(key)} = {label.sv}" for key, label in labels.items())


def _value(key: Any) -> str:
    return str(key.value) if isinstance(key, Enum) else str(key)


def _enum(kind: type[Enum], labels: Mapping[Any, Text], description: str) -> Schema:
    return {
        "type": "string",
        "enum": [member.value for member in kind],
        "description": f"{description} Tillåtna värden: {_listed(labels)}.",
    }


def _object(properties: Schema, required: Iterable[str], description: str, **extra: Any) -> Schema:
    schema: Schema = {
        "type": "object",
        "description": description,
        "properties": properties,
        "additionalProperties": False,
    }
    needed = list(required)
    if needed:
        schema["required"] = needed
    schema.update(extra)
    return schema


def _item(
    properties: Schema,
    required: Iterable[str],
    description: str,
    *,
    partial: bool,
    kind: str,
    **extra: Any,
) -> Schema:
    """An item of a library, or (``partial``) the fields an ``override:`` entry changes."""
    if partial:
        return _object(
            properties,
            ["id"],
            f"Ändringar i {KIND_WORDS[kind].sv} med detta id, som redan finns (oftast i "
            "biblioteket som byggs vidare på). Ange id: och bara de fält som ska bytas ut; ett "
            "fält som anges ersätter hela det gamla fältet.",
        )
    return _object(properties, required, description, **extra)


# --- shared definitions -----------------------------------------------------------------------


def _text_definition() -> Schema:
    return _object(
        {
            "sv": _string(
                "Texten på svenska. Måste finnas och får inte vara tom.", pattern=_NOT_BLANK
            ),
            "en": _string(
                "Texten på engelska. Bör finnas; om den saknas blir det en varning, inte ett fel."
            ),
        },
        ["sv"],
        "En text på svenska och engelska, skriven som {sv: ..., en: ...}. Innehåller texten "
        'kommatecken eller kolon inom klamrar, sätt den inom citattecken: {sv: "a, b", en: '
        '"a, b"}.',
    )


def _condition_definition() -> Schema:
    return {
        "type": ["string", "boolean"],
        "pattern": _NOT_BLANK,
        "description": (
            "Ett villkor skrivet som ett Jinja-uttryck, till exempel: affects_individuals and "
            "'chatbot' in functions, eller risk_class == 'high'. Namnen måste vara frågor eller "
            "härledda värden i biblioteket. En fråga som inte besvarats har sitt standardvärde, "
            "annars false, [], tom text eller none. true och false går också bra."
        ),
    }


def _string_list_definition() -> Schema:
    return {
        "anyOf": [
            {"type": "string"},
            {"type": "array", "items": {"type": "string"}},
        ],
        "description": "En text, eller en lista av texter.",
    }


def _reference_definition() -> Schema:
    return _object(
        {
            "source": {
                "type": "string",
                "enum": list(REFERENCE_SOURCES),
                "description": "Vilken lag, förordning eller källa som avses. Tillåtna värden: "
                + _listed(REFERENCE_SOURCES)
                + ".",
            },
            "ref": {
                "type": ["string", "number"],
                "description": (
                    "Stället i källan, skrivet som källan själv skriver det och inom "
                    'citattecken: "14" (artikel 14), "26(6)" (artikel 26.6), "32 §", "2 kap.", '
                    '"Bilaga III".'
                ),
            },
            "when": _condition(
                "Hänvisningen binder bara i de upphandlingar där villkoret stämmer, till exempel "
                "high_risk för en artikel som bara gäller högrisksystem. Annars visas den som "
                "vägledning."
            ),
            "binding": {
                "type": "boolean",
                "description": (
                    "false: hänvisningen är alltid vägledning, aldrig rättslig grund. Källor som "
                    "inte är lag (MCC-HR, MCC-L, FM, STD) är alltid vägledning."
                ),
            },
        },
        ["source"],
        'En hänvisning till lag eller annan källa, till exempel {source: AIA, ref: "26(6)"}.',
    )


def _choice_definition() -> Schema:
    return _object(
        {
            "value": {
                "type": ["string", "integer"],
                "pattern": _anchored(CHOICE_VALUE),
                "description": (
                    "Värdet som sparas i svaren och används i villkor. Små bokstäver a–z, siffror "
                    'och understreck, till exempel public_body eller "5b". Ändra det inte när '
                    "biblioteket väl används."
                ),
            },
            "label": _text("Valet som det visas för användaren."),
            "help": _text("En förklaring av valet, om det behövs."),
        },
        ["value", "label"],
        "Ett svarsalternativ: value: (det som sparas) och label: (det som visas).",
    )


def _derived_value_definition() -> Schema:
    choice = _choice_definition()
    choice["properties"]["value"] = {
        "type": ["string", "integer"],
        "pattern": _anchored(QUESTION_ID),
        "description": (
            "Ett värde som det härledda värdet kan få: ett id med små bokstäver a–z, siffror och "
            "understreck, eller ett heltal (till exempel en poäng)."
        ),
    }
    choice["description"] = (
        "Ett möjligt värde: value: (värdet som räknas ut) och label: (det som visas för köparen)."
    )
    return choice


# --- items --------------------------------------------------------------------------------------


def _question(*, partial: bool) -> Schema:
    types = _listed(QUESTION_TYPE_LABELS)
    properties: Schema = {
        "id": _string(
            "Frågans id, som används i villkor och i svarsfiler. Små bokstäver a–z, siffror och "
            "understreck; börjar med en bokstav. Ändra det inte när biblioteket väl används.",
            pattern=_anchored(QUESTION_ID),
        ),
        "type": _enum(QuestionType, QUESTION_TYPE_LABELS, "Vilken sorts svar frågan tar."),
        "prompt": _text("Själva frågan, som den ställs i intervjun."),
        "help": _text("Varför frågan ställs och hur man svarar. Saknas den blir det en varning."),
        "label": _text("Ett kort namn på frågan, för tabeller och motiveringar."),
        "choices": _list_of(
            "choice",
            "Svarsalternativen. Krävs för typerna single och multiple, och är inte tillåtna för "
            "andra typer.",
        ),
        "default": {
            "description": (
                "Svaret som gäller om frågan inte besvaras. Det måste passa frågans typ "
                f"({types}): true/false, ett av valens value:, en lista av value:, en text, ett "
                "tal eller ett datum ÅÅÅÅ-MM-DD."
            )
        },
        "when": _condition(
            "Frågan ställs bara när villkoret är sant. Villkoret får bara använda frågor som "
            "kommer tidigare (och härledda värden som bara bygger på sådana)."
        ),
        "required": {
            "type": "boolean",
            "description": "false om frågan får lämnas obesvarad. Standard är true.",
        },
        "min": _number("Minsta tillåtna svar för en fråga av typen number."),
        "max": _number("Största tillåtna svar för en fråga av typen number."),
        "after": _string(
            "Placerar frågan direkt efter frågan med detta id, till exempel för att lägga in en "
            "ny fråga mitt i ett ärvt bibliotek.",
            pattern=_anchored(QUESTION_ID),
        ),
    }
    return _item(
        properties,
        ["id", "type", "prompt"],
        "En fråga i intervjun. Svaren styr vilka krav som väljs.",
        partial=partial,
        kind="questions",
    )


def _derived_case_definition() -> Schema:
    return _object(
        {
            "when": _condition("Villkoret för det här fallet. Det första fall som stämmer gäller."),
            "value": {"description": "Värdet när villkoret stämmer."},
            "reason": _text("Motiveringen som visas för köparen när fallet gäller."),
            "references": _list_of("reference", "Hänvisningar som stöder motiveringen."),
        },
        ["when", "value"],
        "Ett fall: när villkoret when: stämmer blir värdet value:.",
    )


def _derived(*, partial: bool) -> Schema:
    properties: Schema = {
        "id": _string(
            "Det härledda värdets id, som används i villkor. Små bokstäver a–z, siffror och "
            "understreck; börjar med en bokstav.",
            pattern=_anchored(QUESTION_ID),
        ),
        "label": _text("Ett kort namn på värdet, för sammanställningar."),
        "description": _text("Vad värdet betyder."),
        "expression": _condition(
            "Ett uttryck som räknar ut värdet direkt ur svaren, till exempel buyer_type in "
            "['municipality', 'region']. Använd antingen expression: eller cases:."
        ),
        "cases": _list_of(
            "derived_case",
            "Fall som prövas i tur och ordning; det första som stämmer ger värdet. Använd "
            "antingen cases: eller expression:.",
        ),
        "otherwise": {"description": "Värdet när inget av fallen i cases: stämmer."},
        "otherwise_reason": _text("Motiveringen när inget av fallen stämmer."),
        "values": _list_of(
            "derived_value",
            "De värden som kan uppstå, med namn som visas för köparen. Villkor som jämför med "
            "ett värde som inte finns här blir fel.",
        ),
        "references": _list_of(
            "reference",
            "Hänvisningar till lag eller annan källa som värdet bygger på, till exempel "
            '{source: AIA, ref: "27"}. De visas intill värdet i sammanställningen av svaren.',
        ),
    }
    return _item(
        properties,
        ["id", "label"],
        "Ett härlett värde, till exempel riskklassen enligt AI-förordningen, som räknas ut ur "
        "svaren. Det får använda frågorna och härledda värden som står före det.",
        partial=partial,
        kind="derived",
        oneOf=[{"required": ["expression"]}, {"required": ["cases"]}],
    )


def _area(*, partial: bool) -> Schema:
    properties: Schema = {
        "id": _string(
            "Områdets id, som kraven anger i area:. Små bokstäver a–z, siffror och understreck.",
            pattern=_anchored(QUESTION_ID),
        ),
        "title": _text("Områdets rubrik i dokumenten."),
        "description": _text("En kort beskrivning av området."),
        "responsible": _text(
            "Vem hos köparen som följer upp kraven i området under avtalet, till exempel "
            "dataskyddsombudet. Visas i uppföljningsplanen."
        ),
    }
    return _item(
        properties,
        ["id", "title"],
        "Ett kravområde. Dokumenten grupperar kraven per område, i den ordning områdena står.",
        partial=partial,
        kind="areas",
    )


def _date(*, partial: bool) -> Schema:
    properties: Schema = {
        "id": _string(
            "Datumets id, som kraven anger i applies_from:. Små bokstäver a–z, siffror och "
            "understreck.",
            pattern=_anchored(QUESTION_ID),
        ),
        "date": _string(
            "Datumet, skrivet ÅÅÅÅ-MM-DD utan citattecken, till exempel 2026-08-02.",
            pattern=_DATE,
        ),
        "label": _text("Vad som börjar gälla detta datum."),
        "note": _text("En anmärkning, till exempel att datumet har flyttats och varför."),
        "changed_by": _string(
            "Vilken rättsakt som har ändrat datumet, som ett kort namn, till exempel "
            "digital_omnibus_2026."
        ),
        "status": _enum(
            DateStatus,
            DATE_STATUS_LABELS,
            "Datumets rättsliga status. Standard är in_force. Ett datum som inte är in_force "
            "skrivs ut med sin status i alla dokument.",
        ),
        "source": _text("Var datumet kommer ifrån, till exempel AI-förordningen art. 113."),
        "original_date": _string(
            "Datumet som detta datum ersätter, skrivet ÅÅÅÅ-MM-DD, till exempel 2026-08-02.",
            pattern=_DATE,
        ),
    }
    return _item(
        properties,
        ["id", "date", "label"],
        "Ett datum då en skyldighet börjar gälla. Datumen är data så att en ändring i lagen bara "
        "kräver en ändring här.",
        partial=partial,
        kind="dates",
    )


def _evaluation_definition() -> Schema:
    return _object(
        {
            "points": _number("Poäng när kravet uppfylls (utvärderingsmodellen poäng)."),
            "deduction_sek": _number(
                "Avdrag i kronor från anbudspriset när kravet uppfylls (prisavdrag i kronor)."
            ),
            "deduction_percent": _number(
                "Avdrag i procent från anbudspriset när kravet uppfylls (prisavdrag i procent)."
            ),
        },
        [],
        "Hur ett BÖR-krav belönas i varje utvärderingsmodell. Inga negativa tal.",
    )


def _escalation_definition() -> Schema:
    return _object(
        {
            "when": _condition("När villkoret stämmer blir kravet strängare."),
            "level": _enum(
                Level, LEVEL_LABELS, "Kravets nivå när villkoret stämmer. Standard är ska."
            ),
            "reason": _text("Varför kravet skärps, som det förklaras för köparen."),
        },
        ["when"],
        "En skärpningsregel: ger kravet en annan nivå (oftast ska) när villkoret stämmer.",
    )


def _requirement(*, partial: bool) -> Schema:
    verification = _listed(VERIFICATION_LABELS)
    properties: Schema = {
        "id": _string(
            "Kravets id, till exempel AI-MKT-01. Börjar med en bokstav; sedan bokstäver, siffror, "
            "punkt, bindestreck och understreck. Ändra det inte när biblioteket väl används.",
            pattern=_anchored(ITEM_ID),
        ),
        "title": _text("Kravets rubrik."),
        "text": _text(
            "Kravtexten som den står i förfrågningsunderlaget. Stycken skiljs åt med en tom rad; "
            'rader som börjar med "- " blir punktlistor (skriv då texten med |-).'
        ),
        "level": _enum(
            Level, LEVEL_LABELS, "Om kravet är obligatoriskt (ska) eller utvärderas (bor)."
        ),
        "ambition": _enum(
            Ambition,
            AMBITION_LABELS,
            "Ambitionsnivå enligt Upphandlingsmyndighetens modell. Standard är bas.",
        ),
        "area": _string(
            "Id för det område kravet hör till (ett id under areas:).",
            pattern=_anchored(QUESTION_ID),
        ),
        "when": _condition("Kravet väljs bara när villkoret är sant. Utan when: väljs det alltid."),
        "verification": {
            "anyOf": [
                {"type": "string", "enum": [method.value for method in Verification]},
                {
                    "type": "array",
                    "items": {"type": "string", "enum": [method.value for method in Verification]},
                    "minItems": 1,
                },
            ],
            "description": (
                "Hur köparen kontrollerar att kravet är uppfyllt: en metod eller en lista av "
                f"metoder. Tillåtna värden: {verification}."
            ),
        },
        "evidence": _text("Vad leverantören ska lämna in som bevis på att kravet uppfylls."),
        "phase": _enum(Phase, PHASE_LABELS, "När leverantören ska visa att kravet uppfylls."),
        "references": _list_of(
            "reference",
            "Lagrum och andra källor som kravet bygger på. Minst en behövs.",
            at_least_one=True,
        ),
        "rationale": _text(
            "Varför kravet ställs, förklarat för köparen. Saknas den blir det en varning."
        ),
        "evaluation": _ref(
            "evaluation",
            "Hur kravet belönas när det är ett BÖR-krav: poäng, prisavdrag i kronor och i "
            "procent. Ett BÖR-krav utan evaluation: ger en varning.",
        ),
        "escalate": _list_of(
            "escalation",
            "Regler som gör kravet strängare (till exempel från bor till ska) när ett villkor "
            "stämmer.",
        ),
        "tags": _ref(
            "string_list", "Fria etiketter, till exempel FM2 för en del av Förtroendemodellen."
        ),
        "applies_from": _string(
            "Id för det datum (under dates:) från vilket kravet gäller enligt lag.",
            pattern=_anchored(QUESTION_ID),
        ),
        "kind": _enum(
            Kind,
            KIND_LABELS,
            "Kravtypen enligt LOU: qualification (kvalificeringskrav, 14 kap.), specification "
            "(krav på det som upphandlas, 9 kap.), award (tilldelningskriterium, 16 kap.; alltid "
            "bor) eller contract (särskilt kontraktsvillkor, 17 kap. 1 §). Saknas den blir det en "
            "varning.",
        ),
        "ska": _ref(
            "level_text",
            "Kravets lydelse när det skärps till ett ska-krav: kind: och text: (och eventuellt "
            "title: och evidence:). Krävs när escalate: kan göra ett bör-krav till ska-krav.",
        ),
        "bor": _ref(
            "level_text",
            "Kravets lydelse som bör-krav (kind: award), när escalate: kan göra ett ska-krav till "
            "ett bör-krav.",
        ),
        "supports": _ref(
            "string_list",
            "Id för de skyldigheter för köparen (under duties:) som kravet ger underlag till.",
        ),
        "buyer_input": _ref(
            "string_list",
            "Id för frågor vars svar kravtexten bygger på, till exempel accuracy_targets. "
            "Svaren skrivs ut under kravet; ett tomt svar blir ett fält att fylla i.",
        ),
        "follow_up": {
            "type": "object",
            "additionalProperties": False,
            "description": (
                "Hur köparen följer upp kravet under avtalet: när (when) och vad som kontrolleras "
                "(check). Utan follow_up: bestäms tidpunkten av phase:."
            ),
            "properties": {
                "when": {
                    "anyOf": [
                        {"type": "string", "enum": [moment.value for moment in FollowUpWhen]},
                        {
                            "type": "array",
                            "items": {
                                "type": "string",
                                "enum": [moment.value for moment in FollowUpWhen],
                            },
                        },
                    ],
                    "description": (
                        "När kravet följs upp: "
                        + ", ".join(moment.value for moment in FollowUpWhen)
                        + "."
                    ),
                },
                "check": _text("Vad köparen kontrollerar vid uppföljningen."),
            },
        },
    }
    return _item(
        properties,
        [
            "id",
            "title",
            "text",
            "level",
            "area",
            "verification",
            "evidence",
            "phase",
            "references",
        ],
        "Ett krav som köparen kan ställa på leverantören.",
        partial=partial,
        kind="requirements",
    )


_KIND_DESCRIPTIONS: dict[str, tuple[str, str, str]] = {
    # kind: (definition name, plural in Swedish, description of the list)
    "questions": ("question", "frågor", "Intervjuns frågor, i den ordning de ställs."),
    "derived": (
        "derived",
        "härledda värden",
        "Härledda värden, som räknas ut ur svaren i den ordning de står.",
    ),
    "areas": ("area", "kravområden", "Kravområden, i den ordning de ska stå i dokumenten."),
    "requirements": ("requirement", "krav", "Kraven."),
    "dates": ("date", "datum", "Datum då skyldigheter i lagen börjar gälla."),
    "duties": ("duty", "skyldigheter", "Köparens egna skyldigheter som tillhandahållare."),
}


def _level_text_definition() -> Schema:
    return _object(
        {
            "kind": _enum(Kind, KIND_LABELS, "Kravtypen på den här nivån."),
            "text": _text(
                "Kravtexten på den här nivån. Ett ska-krav säger aldrig bör eller poäng."
            ),
            "title": _text("Rubriken på den här nivån, om den är en annan."),
            "evidence": _text("Underlaget på den här nivån, om det är ett annat."),
        },
        ["kind", "text"],
        "Kravets lydelse på en annan nivå än level:.",
    )


def _duty(*, partial: bool) -> Schema:
    properties: Schema = {
        "id": _string(
            "Skyldighetens id, som kraven anger i supports:. Små bokstäver a–z, siffror och "
            "understreck.",
            pattern=_anchored(QUESTION_ID),
        ),
        "title": _text("Skyldighetens rubrik."),
        "text": _text("Vad köparen ska göra."),
        "when": _condition("Skyldigheten gäller bara när villkoret stämmer."),
        "references": _list_of("reference", "Lagrummen som skyldigheten följer av."),
        "applies_from": _string(
            "Id för det datum (under dates:) från vilket skyldigheten gäller.",
            pattern=_anchored(QUESTION_ID),
        ),
    }
    return _item(
        properties,
        ["id", "title", "text"],
        "En skyldighet som vilar på köparen själv (tillhandahållaren), inte på leverantören.",
        partial=partial,
        kind="duties",
    )


def _override_definition() -> Schema:
    return _object(
        {
            kind: _list_of(
                f"{_KIND_DESCRIPTIONS[kind][0]}_override",
                f"Ändringar i {_KIND_DESCRIPTIONS[kind][1]} som redan finns: id: och de fält "
                "som ska bytas ut.",
            )
            for kind in KINDS
        },
        [],
        "Ändrar fält i poster som redan finns, oftast sådana som ärvs via extends:. Ett fält "
        "som anges ersätter hela det ärvda fältet.",
    )


def _remove_definition() -> Schema:
    return _object(
        {
            kind: _ref(
                "string_list",
                f"Id för de {_KIND_DESCRIPTIONS[kind][1]} som ska tas bort.",
            )
            for kind in KINDS
        },
        [],
        "Tar bort ärvda poster, angivna med id. Det som tas bort kan läggas till på nytt.",
    )


def _definitions() -> Schema:
    definitions: Schema = {
        "text": _text_definition(),
        "condition": _condition_definition(),
        "string_list": _string_list_definition(),
        "reference": _reference_definition(),
        "choice": _choice_definition(),
        "derived_value": _derived_value_definition(),
        "derived_case": _derived_case_definition(),
        "evaluation": _evaluation_definition(),
        "escalation": _escalation_definition(),
        "level_text": _level_text_definition(),
        "override": _override_definition(),
        "remove": _remove_definition(),
    }
    builders = {
        "question": _question,
        "derived": _derived,
        "area": _area,
        "requirement": _requirement,
        "date": _date,
        "duty": _duty,
    }
    for name, build in builders.items():
        definitions[name] = build(partial=False)
        definitions[f"{name}_override"] = build(partial=True)
    return definitions


def _content_properties() -> Schema:
    properties: Schema = {
        kind: _list_of(item, description)
        for kind, (item, _plural, description) in _KIND_DESCRIPTIONS.items()
    }
    properties["override"] = _ref(
        "override", "Ändringar i poster som ärvs från biblioteket som byggs vidare på."
    )
    properties["remove"] = _ref(
        "remove", "Poster som ärvs från biblioteket som byggs vidare på och ska tas bort."
    )
    return properties


def _library_properties() -> Schema:
    return {
        "format": {
            "type": "integer",
            "enum": [FORMAT_VERSION],
            "description": f"Biblioteksformatets version. Skriv {FORMAT_VERSION}.",
        },
        "id": _string(
            "Bibliotekets id, som andra bibliotek anger i extends:. Små bokstäver a–z, siffror, "
            "bindestreck och understreck.",
            pattern=_anchored(LIBRARY_ID),
        ),
        "name": _text("Bibliotekets namn."),
        "description": _text("Vad biblioteket innehåller och för vem det är skrivet."),
        "version": _string(
            "Bibliotekets version i formen MAJOR.MINOR.PATCH inom citattecken, till exempel "
            '"1.2.0".',
            pattern=_anchored(SEMVER),
        ),
        "license": _string("Licensen som biblioteket får användas under, till exempel CC-BY-4.0."),
        "authors": _ref("string_list", "Vem som har skrivit biblioteket."),
        "extends": _string(
            "Biblioteket som detta bygger vidare på: dess id (till exempel default) eller en "
            "relativ sökväg till dess mapp (till exempel ../default)."
        ),
    }


def library_schema(kind: SchemaKind) -> dict[str, Any]:
    """The draft-07 JSON Schema for ``library.yaml`` (``library``) or other files (``content``)."""
    if kind == "library":
        properties = {**_library_properties(), **_content_properties()}
        required = ["id", "name", "version"]
        description = (
            "library.yaml: bibliotekets namn, id och version, och eventuellt extends: för att "
            "bygga vidare på ett annat bibliotek. Filen får också innehålla frågor, krav och annat "
            "innehåll."
        )
    elif kind == "content":
        properties = _content_properties()
        required = []
        description = (
            "En fil i ett kravbibliotek: frågor (questions), härledda värden (derived), "
            "kravområden (areas), krav (requirements), datum (dates), köparens skyldigheter "
            "(duties), samt override: och remove: "
            "för att ändra i ett bibliotek som byggs vidare på."
        )
    else:  # pragma: no cover - guarded by the type
        raise ValueError(kind)
    schema: Schema = {"$schema": DRAFT_07, **_object(properties, required, description)}
    schema["definitions"] = _definitions()
    return schema


def render_schema(kind: SchemaKind) -> str:
    """The schema as the committed file holds it: sorted keys, indent 2, UTF-8, final newline."""
    return json.dumps(library_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write both schemas into ``folder`` (the repository's ``schemas/``); return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, name in SCHEMA_FILES.items():
        path = folder / name
        path.write_text(render_schema(kind), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def repository_schemas_dir() -> Path:
    """The ``schemas/`` folder of the source checkout this module runs from."""
    return Path(__file__).resolve().parents[3] / "schemas"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else repository_schemas_dir()
    for written_path in write_schemas(target):
        print(written_path)
