"""The library format, field by field: one table per item kind, read by the loader and the schema.

``parsing`` takes from these tables the fields each item allows, which of them are required, and
how a simple field is read (a text, an id with a pattern, one of an enum's values, ...); ``schema``
walks the same tables to build the JSON Schema an editor checks against. Descriptions are in
Swedish: they are what a consultant sees when hovering over a field. ``{values}`` in a description
is replaced by the allowed values (with their Swedish labels when the field has labels).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any, Literal

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
from upphandla.records import record
from upphandla.text import Text

QUESTION_ID = re.compile(r"[a-z][a-z0-9_]*")
ITEM_ID = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]*")
CHOICE_VALUE = re.compile(r"[a-z0-9][a-z0-9_]*")
LIBRARY_ID = re.compile(r"[a-z0-9][a-z0-9_\-]*")
SEMVER = re.compile(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.\-]+)?")

ValueKind = Literal[
    "text",  # {sv: ..., en: ...}
    "nonblank",  # a plain text that is not blank
    "string",  # a plain text, with ``pattern`` an id
    "integer",
    "number",
    "boolean",
    "date",  # ÅÅÅÅ-MM-DD
    "condition",  # a Jinja expression (or true/false)
    "enum",  # one of ``enum``'s values (or of ``labels``' keys)
    "enum_list",  # one or a list of ``enum``'s values
    "string_list",  # a text or a list of texts
    "scalar",  # a plain value of the JSON ``types``, with ``pattern`` when it is a text
    "any",  # any value; what fits is checked after loading
    "item",  # a nested mapping described by ``item``
    "items",  # a list of nested mappings described by ``item``
]


@record
class FieldSpec:
    """One field of an item: its YAML key, what it holds, and what the schema says about it."""

    key: str
    kind: ValueKind
    description: str
    required: bool = False
    pattern: re.Pattern[str] | None = None
    # The loader reports a wrong id here by looking it up (with a did-you-mean), not by pattern.
    pattern_in_schema_only: bool = False
    enum: type[StrEnum] | None = None
    labels: Mapping[Any, Text] | None = None
    default: Any = None  # of an enum or boolean field that is given but empty or wrong
    item: ItemSpec | None = None
    inline: bool = False  # the schema writes the nested item in place, not as a definition
    at_least_one: bool = False
    types: tuple[str, ...] = ()
    attribute: str = ""  # the model's name for the field, when it is not the key
    name: str = dataclass_field(init=False)  # the model attribute the field fills

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.attribute or self.key)

    @property
    def allowed(self) -> list[str]:
        """The values an enum field allows."""
        if self.enum is not None:
            return [member.value for member in self.enum]
        return [str(key) for key in self.labels or ()]


@record
class ItemSpec:
    """An item kind (or a nested mapping): its fields and how messages and the schema name it."""

    name: str  # the schema definition
    what: Text  # "the question", in messages about unknown fields
    description: str
    fields: tuple[FieldSpec, ...]
    one_of: tuple[str, ...] = ()  # exactly one of these fields must be given
    plural: str = ""  # of a top-level kind, in Swedish
    listed: str = ""  # the schema description of the kind's list
    keys: tuple[str, ...] = dataclass_field(init=False)  # the fields the item allows
    required: tuple[str, ...] = dataclass_field(init=False)  # the fields a complete item must give

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", tuple(spec.key for spec in self.fields))
        required = tuple(spec.key for spec in self.fields if spec.required)
        object.__setattr__(self, "required", required)

    def field(self, key: str) -> FieldSpec:
        """The field with this key."""
        return next(spec for spec in self.fields if spec.key == key)


def _text(key: str, description: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(key, "text", description, required)


def _condition(key: str, description: str, *, required: bool = False) -> FieldSpec:
    return FieldSpec(key, "condition", description, required)


def _id(key: str, pattern: re.Pattern[str], description: str, **extra: Any) -> FieldSpec:
    return FieldSpec(key, "string", description, pattern=pattern, **extra)


def _enum(
    key: str, enum: type[StrEnum], labels: Mapping[Any, Text], description: str, **extra: Any
) -> FieldSpec:
    return FieldSpec(key, "enum", description, enum=enum, labels=labels, **extra)


def _items(key: str, item: ItemSpec, description: str, **extra: Any) -> FieldSpec:
    return FieldSpec(key, "items", description, item=item, **extra)


# --- nested mappings ----------------------------------------------------------------------------

TEXT = ItemSpec(
    "text",
    Text("texten", "the text"),
    "En text på svenska och engelska, skriven som {sv: ..., en: ...}. Innehåller texten "
    'kommatecken eller kolon inom klamrar, sätt den inom citattecken: {sv: "a, b", en: '
    '"a, b"}.',
    (
        FieldSpec("sv", "nonblank", "Texten på svenska. Måste finnas och får inte vara tom.", True),
        FieldSpec(
            "en",
            "string",
            "Texten på engelska. Bör finnas; om den saknas blir det en varning, inte ett fel.",
        ),
    ),
)

REFERENCE = ItemSpec(
    "reference",
    Text("hänvisningen", "the reference"),
    'En hänvisning till lag eller annan källa, till exempel {source: AIA, ref: "26(6)"}.',
    (
        FieldSpec(
            "source",
            "enum",
            "Vilken lag, förordning eller källa som avses. Tillåtna värden: {values}.",
            True,
            labels=REFERENCE_SOURCES,
        ),
        FieldSpec(
            "ref",
            "scalar",
            "Stället i källan, skrivet som källan själv skriver det och inom citattecken: "
            '"14" (artikel 14), "26(6)" (artikel 26.6), "32 §", "2 kap.", "Bilaga III".',
            types=("string", "number"),
        ),
        _condition(
            "when",
            "Hänvisningen binder bara i de upphandlingar där villkoret stämmer, till exempel "
            "high_risk för en artikel som bara gäller högrisksystem. Annars visas den som "
            "vägledning.",
        ),
        FieldSpec(
            "binding",
            "boolean",
            "false: hänvisningen är alltid vägledning, aldrig rättslig grund. Källor som inte är "
            "lag (MCC-HR, MCC-L, FM, STD) är alltid vägledning.",
            default=True,
        ),
    ),
)

CHOICE = ItemSpec(
    "choice",
    Text("valet", "the choice"),
    "Ett svarsalternativ: value: (det som sparas) och label: (det som visas).",
    (
        FieldSpec(
            "value",
            "scalar",
            "Värdet som sparas i svaren och används i villkor. Små bokstäver a–z, siffror och "
            'understreck, till exempel public_body eller "5b". Ändra det inte när biblioteket '
            "väl används.",
            True,
            pattern=CHOICE_VALUE,
            types=("string", "integer"),
        ),
        _text("label", "Valet som det visas för användaren.", required=True),
        _text("help", "En förklaring av valet, om det behövs."),
    ),
)

DERIVED_VALUE = ItemSpec(
    "derived_value",
    CHOICE.what,
    "Ett möjligt värde: value: (värdet som räknas ut) och label: (det som visas för köparen).",
    (
        FieldSpec(
            "value",
            "scalar",
            "Ett värde som det härledda värdet kan få: ett id med små bokstäver a–z, siffror och "
            "understreck, eller ett heltal (till exempel en poäng).",
            True,
            pattern=CHOICE_VALUE,
            types=("string", "integer"),
        ),
        *CHOICE.fields[1:],
    ),
)

DERIVED_CASE = ItemSpec(
    "derived_case",
    Text("fallet", "the case"),
    "Ett fall: när villkoret when: stämmer blir värdet value:.",
    (
        _condition(
            "when",
            "Villkoret för det här fallet. Det första fall som stämmer gäller.",
            required=True,
        ),
        FieldSpec("value", "any", "Värdet när villkoret stämmer.", True),
        _text("reason", "Motiveringen som visas för köparen när fallet gäller."),
        _items("references", REFERENCE, "Hänvisningar som stöder motiveringen."),
    ),
)

EVALUATION = ItemSpec(
    "evaluation",
    Text("utvärderingen", "the evaluation"),
    "Hur ett bör-krav belönas i varje utvärderingsmodell. Inga negativa tal.",
    (
        FieldSpec("points", "number", "Poäng när kravet uppfylls (utvärderingsmodellen poäng)."),
        FieldSpec(
            "deduction_sek",
            "number",
            "Avdrag i kronor från anbudspriset när kravet uppfylls (prisavdrag i kronor).",
        ),
        FieldSpec(
            "deduction_percent",
            "number",
            "Avdrag i procent från anbudspriset när kravet uppfylls (prisavdrag i procent).",
        ),
    ),
)

ESCALATION = ItemSpec(
    "escalation",
    Text("skärpningsregeln", "the escalation rule"),
    "En skärpningsregel: ger kravet en annan nivå (oftast ska) när villkoret stämmer.",
    (
        _condition("when", "När villkoret stämmer blir kravet strängare.", required=True),
        _enum(
            "level",
            Level,
            LEVEL_LABELS,
            "Kravets nivå när villkoret stämmer. Standard är ska. Tillåtna värden: {values}.",
            default=Level.SKA,
        ),
        _text("reason", "Varför kravet skärps, som det förklaras för köparen."),
    ),
)

LEVEL_TEXT = ItemSpec(
    "level_text",
    Text("blocket", "the block"),  # parsing names the block by its key: "ska:-blocket"
    "Kravets lydelse på en annan nivå än level:.",
    (
        _enum(
            "kind",
            Kind,
            KIND_LABELS,
            "Kravtypen på den här nivån. Tillåtna värden: {values}.",
            required=True,
        ),
        _text(
            "text",
            "Kravtexten på den här nivån. Ett ska-krav säger aldrig bör eller poäng.",
            required=True,
        ),
        _text("title", "Rubriken på den här nivån, om den är en annan."),
        _text("evidence", "Underlaget på den här nivån, om det är ett annat."),
    ),
)

FOLLOW_UP = ItemSpec(
    "follow_up",
    Text("uppföljningen", "the follow-up"),
    "",  # written in place: the schema shows the description of requirements' follow_up:
    (
        FieldSpec("when", "enum_list", "När kravet följs upp: {values}.", enum=FollowUpWhen),
        _text("check", "Vad köparen kontrollerar vid uppföljningen."),
        _text(
            "evidence",
            "Vilket underlag om verkligt utfall köparen begär vid uppföljningen (loggar, mätningar "
            "på aktuella data, incidentrapporter, ändringsmeddelanden), inte anbudets underlag igen.",
        ),
        _text(
            "acceptance",
            "Vad köparen kör i godkännandeprovet före driftstart, om kravet provas där.",
        ),
    ),
)

# The nested mappings the schema writes as shared definitions.
DEFINITIONS = (
    TEXT, REFERENCE, CHOICE, DERIVED_VALUE, DERIVED_CASE, EVALUATION, ESCALATION, LEVEL_TEXT,
)  # fmt: skip

# --- items --------------------------------------------------------------------------------------

QUESTION = ItemSpec(
    "question",
    Text("frågan", "the question"),
    "En fråga i intervjun. Svaren styr vilka krav som väljs.",
    (
        _enum(
            "type",
            QuestionType,
            QUESTION_TYPE_LABELS,
            "Vilken sorts svar frågan tar. Tillåtna värden: {values}.",
            required=True,
        ),
        _id(
            "id",
            QUESTION_ID,
            "Frågans id, som används i villkor och i svarsfiler. Små bokstäver a–z, siffror och "
            "understreck; börjar med en bokstav. Ändra det inte när biblioteket väl används.",
            required=True,
        ),
        _text("prompt", "Själva frågan, som den ställs i intervjun.", required=True),
        _text("help", "Varför frågan ställs och hur man svarar. Saknas den blir det en varning."),
        _text("label", "Ett kort namn på frågan, för tabeller och motiveringar."),
        _items(
            "choices",
            CHOICE,
            "Svarsalternativen. Krävs för typerna single och multiple, och är inte tillåtna för "
            "andra typer.",
        ),
        FieldSpec(
            "default",
            "any",
            "Svaret som gäller om frågan inte besvaras. Det måste passa frågans typ ({values}): "
            "true/false, ett av valens value:, en lista av value:, en text, ett tal eller ett "
            "datum ÅÅÅÅ-MM-DD.",
            labels=QUESTION_TYPE_LABELS,
        ),
        _condition(
            "when",
            "Frågan ställs bara när villkoret är sant. Villkoret får bara använda frågor som "
            "kommer tidigare (och härledda värden som bara bygger på sådana).",
        ),
        FieldSpec(
            "required",
            "boolean",
            "false om frågan får lämnas obesvarad. Standard är true.",
            default=True,
        ),
        FieldSpec(
            "min",
            "number",
            "Minsta tillåtna svar för en fråga av typen number.",
            attribute="minimum",
        ),
        FieldSpec(
            "max",
            "number",
            "Största tillåtna svar för en fråga av typen number.",
            attribute="maximum",
        ),
        _id(
            "after",
            QUESTION_ID,
            "Placerar frågan direkt efter frågan med detta id, till exempel för att lägga in en "
            "ny fråga mitt i ett ärvt bibliotek.",
            pattern_in_schema_only=True,
        ),
    ),
    plural="frågor",
    listed="Intervjuns frågor, i den ordning de ställs.",
)

DERIVED = ItemSpec(
    "derived",
    Text("det härledda värdet", "the derived value"),
    "Ett härlett värde, till exempel riskklassen enligt AI-förordningen, som räknas ut ur svaren. "
    "Det får använda frågorna och härledda värden som står före det.",
    (
        _id(
            "id",
            QUESTION_ID,
            "Det härledda värdets id, som används i villkor. Små bokstäver a–z, siffror och "
            "understreck; börjar med en bokstav.",
            required=True,
        ),
        _text("label", "Ett kort namn på värdet, för sammanställningar.", required=True),
        _text("description", "Vad värdet betyder."),
        _condition(
            "expression",
            "Ett uttryck som räknar ut värdet direkt ur svaren, till exempel buyer_type in "
            "['municipality', 'region']. Använd antingen expression: eller cases:.",
        ),
        _items(
            "cases",
            DERIVED_CASE,
            "Fall som prövas i tur och ordning; det första som stämmer ger värdet. Använd "
            "antingen cases: eller expression:.",
        ),
        FieldSpec("otherwise", "any", "Värdet när inget av fallen i cases: stämmer."),
        _text("otherwise_reason", "Motiveringen när inget av fallen stämmer."),
        _items(
            "values",
            DERIVED_VALUE,
            "De värden som kan uppstå, med namn som visas för köparen. Villkor som jämför med "
            "ett värde som inte finns här blir fel.",
        ),
        _items(
            "references",
            REFERENCE,
            "Hänvisningar till lag eller annan källa som värdet bygger på, till exempel "
            '{source: AIA, ref: "27"}. De visas intill värdet i sammanställningen av svaren.',
        ),
    ),
    one_of=("expression", "cases"),
    plural="härledda värden",
    listed="Härledda värden, som räknas ut ur svaren i den ordning de står.",
)

AREA = ItemSpec(
    "area",
    Text("området", "the area"),
    "Ett kravområde. Dokumenten grupperar kraven per område, i den ordning områdena står.",
    (
        _id(
            "id",
            QUESTION_ID,
            "Områdets id, som kraven anger i area:. Små bokstäver a–z, siffror och understreck.",
            required=True,
        ),
        _text("title", "Områdets rubrik i dokumenten.", required=True),
        _text("description", "En kort beskrivning av området."),
        _text(
            "responsible",
            "Vem hos köparen som följer upp kraven i området under avtalet, till exempel "
            "dataskyddsombudet. Visas i uppföljningsplanen.",
        ),
    ),
    plural="kravområden",
    listed="Kravområden, i den ordning de ska stå i dokumenten.",
)

DATE = ItemSpec(
    "date",
    Text("datumet", "the date"),
    "Ett datum då en skyldighet börjar gälla. Datumen är data så att en ändring i lagen bara "
    "kräver en ändring här.",
    (
        _id(
            "id",
            QUESTION_ID,
            "Datumets id, som kraven anger i applies_from:. Små bokstäver a–z, siffror och "
            "understreck.",
            required=True,
        ),
        FieldSpec(
            "date",
            "date",
            "Datumet, skrivet ÅÅÅÅ-MM-DD utan citattecken, till exempel 2026-08-02.",
            True,
        ),
        _text("label", "Vad som börjar gälla detta datum.", required=True),
        _text("note", "En anmärkning, till exempel att datumet har flyttats och varför."),
        FieldSpec(
            "changed_by",
            "string",
            "Vilken rättsakt som har ändrat datumet, som ett kort namn, till exempel "
            "digital_omnibus_2026.",
        ),
        _enum(
            "status",
            DateStatus,
            DATE_STATUS_LABELS,
            "Datumets rättsliga status. Standard är in_force. Ett datum som inte är in_force "
            "skrivs ut med sin status i alla dokument. Tillåtna värden: {values}.",
            default=DateStatus.IN_FORCE,
        ),
        _text("source", "Var datumet kommer ifrån, till exempel AI-förordningen art. 113."),
        FieldSpec(
            "original_date",
            "date",
            "Datumet som detta datum ersätter, skrivet ÅÅÅÅ-MM-DD, till exempel 2026-08-02.",
        ),
    ),
    plural="datum",
    listed="Datum då skyldigheter i lagen börjar gälla.",
)

REQUIREMENT = ItemSpec(
    "requirement",
    Text("kravet", "the requirement"),
    "Ett krav som köparen kan ställa på leverantören.",
    (
        _id(
            "id",
            ITEM_ID,
            "Kravets id, till exempel AI-MKT-01. Börjar med en bokstav; sedan bokstäver, siffror, "
            "punkt, bindestreck och understreck. Ändra det inte när biblioteket väl används.",
            required=True,
        ),
        _text("title", "Kravets rubrik.", required=True),
        _text(
            "text",
            "Kravtexten som den står i förfrågningsunderlaget. Stycken skiljs åt med en tom rad; "
            'rader som börjar med "- " blir punktlistor (skriv då texten med |-).',
            required=True,
        ),
        _enum(
            "level",
            Level,
            LEVEL_LABELS,
            "Om kravet är obligatoriskt (ska) eller utvärderas (bor). Tillåtna värden: {values}.",
            required=True,
        ),
        _id(
            "area",
            QUESTION_ID,
            "Id för det område kravet hör till (ett id under areas:).",
            required=True,
        ),
        FieldSpec(
            "verification",
            "enum_list",
            "Hur köparen kontrollerar att kravet är uppfyllt: en metod eller en lista av "
            "metoder. Tillåtna värden: {values}.",
            True,
            enum=Verification,
            labels=VERIFICATION_LABELS,
            at_least_one=True,
        ),
        _text(
            "evidence",
            "Vad leverantören ska lämna in som bevis på att kravet uppfylls.",
            required=True,
        ),
        _enum(
            "phase",
            Phase,
            PHASE_LABELS,
            "När leverantören ska visa att kravet uppfylls. Tillåtna värden: {values}.",
            required=True,
        ),
        _items(
            "references",
            REFERENCE,
            "Lagrum och andra källor som kravet bygger på. Minst en behövs.",
            required=True,
            at_least_one=True,
        ),
        _enum(
            "ambition",
            Ambition,
            AMBITION_LABELS,
            "Ambitionsnivå enligt Upphandlingsmyndighetens modell. Standard är bas. Tillåtna "
            "värden: {values}.",
            default=Ambition.BAS,
        ),
        _text(
            "rationale",
            "Varför kravet ställs, förklarat för köparen. Saknas den blir det en varning.",
        ),
        _condition("when", "Kravet väljs bara när villkoret är sant. Utan when: väljs det alltid."),
        FieldSpec(
            "evaluation",
            "item",
            "Hur kravet belönas när det är ett bör-krav: poäng, prisavdrag i kronor och i "
            "procent. Ett bör-krav utan evaluation: ger en varning.",
            item=EVALUATION,
        ),
        _items(
            "escalate",
            ESCALATION,
            "Regler som gör kravet strängare (till exempel från bor till ska) när ett villkor "
            "stämmer.",
        ),
        FieldSpec(
            "tags",
            "string_list",
            "Fria etiketter, till exempel FM2 för en del av Förtroendemodellen.",
        ),
        _id(
            "applies_from",
            QUESTION_ID,
            "Id för det datum (under dates:) från vilket kravet gäller enligt lag.",
            pattern_in_schema_only=True,
        ),
        FieldSpec(
            "follow_up",
            "item",
            "Hur köparen följer upp kravet under avtalet: när (when) och vad som kontrolleras "
            "(check), med vilket underlag om verkligt utfall (evidence) och vad som provas före "
            "driftstart (acceptance). Utan follow_up: bestäms tidpunkten av phase:.",
            item=FOLLOW_UP,
            inline=True,
        ),
        _enum(
            "kind",
            Kind,
            KIND_LABELS,
            "Kravtypen enligt LOU: qualification (kvalificeringskrav, 14 kap.), specification "
            "(krav på det som upphandlas, 9 kap.), award (tilldelningskriterium, 16 kap.; alltid "
            "bor) eller contract (särskilt kontraktsvillkor, 17 kap. 1 §). Saknas den blir det en "
            "varning. Tillåtna värden: {values}.",
            default=Kind.SPECIFICATION,
        ),
        FieldSpec(
            "ska",
            "item",
            "Kravets lydelse när det skärps till ett ska-krav: kind: och text: (och eventuellt "
            "title: och evidence:). Krävs när escalate: kan göra ett bör-krav till ska-krav.",
            item=LEVEL_TEXT,
        ),
        FieldSpec(
            "bor",
            "item",
            "Kravets lydelse som bör-krav (kind: award), när escalate: kan göra ett ska-krav till "
            "ett bör-krav.",
            item=LEVEL_TEXT,
        ),
        FieldSpec(
            "supports",
            "string_list",
            "Id för de skyldigheter för köparen (under duties:) som kravet ger underlag till.",
        ),
        FieldSpec(
            "buyer_input",
            "string_list",
            "Id för frågor vars svar kravtexten bygger på, till exempel accuracy_targets. "
            "Svaren skrivs ut under kravet; ett tomt svar blir ett fält att fylla i.",
        ),
        FieldSpec(
            "from_law_date",
            "boolean",
            "true när kravet själv gäller först från den dag skyldigheten enligt lag börjar "
            "gälla (applies_from:), inte från avtalsstart. Standard är false: ett krav gäller "
            "från avtalsstart även om lagen gäller senare, och dokumenten säger det.",
            default=False,
        ),
    ),
    plural="krav",
    listed="Kraven.",
)

DUTY = ItemSpec(
    "duty",
    Text("skyldigheten", "the duty"),
    "En skyldighet som vilar på köparen själv (tillhandahållaren), inte på leverantören.",
    (
        _id(
            "id",
            QUESTION_ID,
            "Skyldighetens id, som kraven anger i supports:. Små bokstäver a–z, siffror och "
            "understreck.",
            required=True,
        ),
        _text("title", "Skyldighetens rubrik.", required=True),
        _text("text", "Vad köparen ska göra.", required=True),
        _condition("when", "Skyldigheten gäller bara när villkoret stämmer."),
        _items("references", REFERENCE, "Lagrummen som skyldigheten följer av."),
        _id(
            "applies_from",
            QUESTION_ID,
            "Id för det datum (under dates:) från vilket skyldigheten gäller.",
            pattern_in_schema_only=True,
        ),
    ),
    plural="skyldigheter",
    listed="Köparens egna skyldigheter som tillhandahållare.",
)

# The item kinds a library file lists, in the order the loader reads them.
ITEMS: dict[str, ItemSpec] = {
    "questions": QUESTION,
    "derived": DERIVED,
    "areas": AREA,
    "requirements": REQUIREMENT,
    "dates": DATE,
    "duties": DUTY,
}

# The fields only library.yaml has (read by ``loading``).
LIBRARY = ItemSpec(
    "library",
    Text("library.yaml", "library.yaml"),
    "library.yaml: bibliotekets namn, id och version, och eventuellt extends: för att bygga "
    "vidare på ett annat bibliotek. Filen får också innehålla frågor, krav och annat innehåll.",
    (
        FieldSpec("format", "integer", "Biblioteksformatets version. Skriv {values}."),
        _id(
            "id",
            LIBRARY_ID,
            "Bibliotekets id, som andra bibliotek anger i extends:. Små bokstäver a–z, siffror, "
            "bindestreck och understreck.",
            required=True,
        ),
        _text("name", "Bibliotekets namn.", required=True),
        _text("description", "Vad biblioteket innehåller och för vem det är skrivet."),
        _id(
            "version",
            SEMVER,
            'Bibliotekets version i formen MAJOR.MINOR.PATCH inom citattecken, till exempel "1.2.0".',
            required=True,
        ),
        FieldSpec(
            "license",
            "string",
            "Licensen som biblioteket får användas under, till exempel CC-BY-4.0.",
        ),
        FieldSpec("authors", "string_list", "Vem som har skrivit biblioteket."),
        FieldSpec(
            "extends",
            "string",
            "Biblioteket som detta bygger vidare på: dess id (till exempel default) eller en "
            "relativ sökväg till dess mapp (till exempel ../default).",
        ),
    ),
)
