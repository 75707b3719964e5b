"""``declare --format register``: the transparency declaration as an Algoritmeregister entry.

The Dutch Algoritmeregister publication standard (Publicatiestandaard, schema 1.0.0; the
publication of 29 November 2024, CC0) names the fields of a public register entry about an
algorithm, in four groups, with length limits and the fields a publication cannot go without.
``FIELDS`` is that field list, written from the standard's field chapter; the vendored JSON
Schema ``schemas/algoritmeregister-1.0.schema.json`` says the same, and a test checks that both
agree and that every example's export validates.

What the answers and the selection know is filled in; every other field is listed in ``gaps``
with what the buyer must write (``missing``) or check (``check``). ``atrs`` maps each filled field
to the UK Algorithmic Transparency Recording Standard where a field of the same meaning exists.
docs/register.md tells which field comes from which answer.
"""

from __future__ import annotations

import json
from typing import Any

from upphandla import __version__
from upphandla.records import record
from upphandla.selection.select import Selection
from upphandla.text import Language, Text

EXPORT_FORMAT = "upphandla-algoritmeregister"
EXPORT_FORMAT_VERSION = 1
REGISTER_FILE = "algoritmeregister.json"

STANDARD: dict[str, str] = {
    "name": "Algoritmeregister Publicatiestandaard",
    "schema_version": "1.0.0",
    "publication": "1.0.10",
    "published": "2024-11-29",
    "license": "CC0-1.0",
    "source": "https://github.com/MinBZK/Algoritmeregister-Publicatiestandaard",
}
"""The standard this export follows: ``schema_version`` is the value of its field ``Schema``."""

SCHEMA_FILE = "algoritmeregister-1.0.schema.json"

REGISTER_REQUIREMENT = "AI-TRA-09"
"""The contract condition by which the supplier delivers and keeps current what the entry needs."""

GENERAL = "Algemene Informatie"
RESPONSIBLE_USE = "Verantwoord gebruik"
OPERATION = "Werking"
METADATA = "Metadata"


@record
class Field:
    """A field of the standard: its name as the standard writes it, group, type and limit.

    ``max_length`` is the most characters allowed (the standard writes "< 100 tekens": fewer
    than 100, so 99); ``kind`` is ``text``, ``url``, ``url_or_email``, ``month``, ``choice``,
    ``list`` or ``language``; ``required`` is the standard's "Verplicht".
    """

    name: str
    group: str
    kind: str = "text"
    max_length: int | None = None
    required: bool = False
    choices: tuple[str, ...] = ()
    atrs: str = ""


STATUS_CHOICES = ("In gebruik", "In ontwikkeling", "Buiten gebruik")
CATEGORY_CHOICES = ("Hoog-risico AI-systemen", "Impactvolle algoritmes", "Overige algoritmes")

FIELDS: tuple[Field, ...] = (
    Field("Naam", GENERAL, max_length=99, required=True, atrs="tier_1_information.name"),
    Field(
        "Korte omschrijving",
        GENERAL,
        max_length=349,
        required=True,
        atrs="tier_1_information.description",
    ),
    Field(
        "Organisatie",
        GENERAL,
        max_length=99,
        required=True,
        atrs="owner_and_responsibility.organisation_or_department",
    ),
    Field("Thema", GENERAL, kind="list"),
    Field(
        "Status",
        GENERAL,
        kind="choice",
        required=True,
        choices=STATUS_CHOICES,
        atrs="tool_specification.phase",
    ),
    Field("Begindatum", GENERAL, kind="month"),
    Field("Einddatum", GENERAL, kind="month"),
    Field(
        "Contactgegevens",
        GENERAL,
        kind="url_or_email",
        required=True,
        atrs="tier_1_information.contact_email",
    ),
    Field("Link naar publiekspagina", GENERAL, kind="url", atrs="tier_1_information.website_url"),
    Field("Publicatiecategorie", GENERAL, kind="choice", required=True, choices=CATEGORY_CHOICES),
    Field("Link naar bronregistratie", GENERAL, kind="url"),
    Field(
        "Doel en impact",
        RESPONSIBLE_USE,
        max_length=2499,
        atrs="description_and_rationale.benefit",
    ),
    Field(
        "Afwegingen",
        RESPONSIBLE_USE,
        max_length=2499,
        atrs="description_and_rationale.alternatives_considered",
    ),
    Field(
        "Menselijke tussenkomst",
        RESPONSIBLE_USE,
        max_length=2499,
        atrs="decision_making_process.human_decisions_and_review",
    ),
    Field(
        "Risicobeheer",
        RESPONSIBLE_USE,
        max_length=2499,
        atrs="risks_mitigations_and_impact_assessments.risks",
    ),
    Field("Wettelijke basis", RESPONSIBLE_USE, max_length=2499),
    Field("Link naar wettelijke basis", RESPONSIBLE_USE, kind="url"),
    Field("Titel van wettelijke basis", RESPONSIBLE_USE, max_length=99),
    Field("Verwerkingsregister", RESPONSIBLE_USE, kind="url"),
    Field(
        "Impacttoets(en)",
        RESPONSIBLE_USE,
        atrs="risks_mitigations_and_impact_assessments.impact_assessments",
    ),
    Field("Link naar Impacttoets", RESPONSIBLE_USE, kind="url"),
    Field("Toelichting op impacttoetsen", RESPONSIBLE_USE, max_length=2499),
    Field("Gegevens", OPERATION, max_length=2499, atrs="data_specification.data_description"),
    Field(
        "Link naar Gegevensbron", OPERATION, kind="url", atrs="data_specification.source_data_url"
    ),
    Field(
        "Titel van Gegevensbron",
        OPERATION,
        max_length=499,
        atrs="data_specification.source_data_name",
    ),
    Field(
        "Technische werking",
        OPERATION,
        max_length=4999,
        atrs="tool_specification.system_architecture",
    ),
    Field(
        "Leverancier",
        OPERATION,
        max_length=199,
        atrs="owner_and_responsibility.external_supplier",
    ),
    Field("Link naar broncode", OPERATION, kind="url"),
    Field("Taal", METADATA, kind="language", required=True),
    Field(
        "Schema",
        METADATA,
        kind="choice",
        required=True,
        choices=("0.3.0", "0.3.1", "0.4.0", "1.0.0"),
    ),
    Field("Bron-ID", METADATA, max_length=99),
    Field("Zoektermen", METADATA, max_length=2499),
)
"""Every field of the standard, in its order (32 fields in four groups)."""

LANGUAGE_CODES: dict[Language, str] = {"sv": "swe", "en": "eng"}
"""ISO 639-3, as the field ``Taal`` asks (the Dutch register publishes only ``nld`` today)."""

GAP_HINTS: dict[str, Text] = {
    "Thema": Text(
        "Välj ett eller flera teman ur registrets temalista (TOP-lijst).",
        "Choose one or more themes from the register's theme list (TOP-lijst).",
    ),
    "Begindatum": Text(
        "Månaden då systemet tas i bruk, ÅÅÅÅ-MM.", "The month the system goes live, YYYY-MM."
    ),
    "Einddatum": Text(
        "Månaden då systemet tas ur bruk, ÅÅÅÅ-MM (lämna tomt om det inte är bestämt).",
        "The month the system is retired, YYYY-MM (leave empty if not decided).",
    ),
    "Contactgegevens": Text(
        "En e-postadress eller webbadress (https://) för frågor om systemet; krävs för publicering.",
        "An email address or a web address (https://) for questions about the system; required.",
    ),
    "Link naar publiekspagina": Text(
        "Webbadressen där deklarationen eller tjänsten beskrivs.",
        "The web address where the declaration or the service is described.",
    ),
    "Link naar bronregistratie": Text(
        "Webbadressen till en egen registrering av systemet, om ni har en.",
        "The web address of your own record of the system, if you have one.",
    ),
    "Afwegingen": Text(
        "Varför ni valde AI, vilka alternativ ni övervägde och hur nyttan vägdes mot riskerna.",
        "Why you chose AI, which alternatives you considered and how benefits were weighed against risks.",
    ),
    "Wettelijke basis": Text(
        "Den uppgift i lag eller förordning som verksamheten och systemet stöder.",
        "The task in law or ordinance that the work and the system support.",
    ),
    "Link naar wettelijke basis": Text(
        "Länk till lagrummet, till exempel på riksdagen.se.",
        "A link to the provision, for example on riksdagen.se.",
    ),
    "Titel van wettelijke basis": Text(
        "Lagens eller förordningens namn.", "The name of the law or ordinance."
    ),
    "Verwerkingsregister": Text(
        "Länk till er förteckning över personuppgiftsbehandlingar (GDPR art. 30), om den är offentlig.",
        "A link to your record of processing activities (GDPR art. 30), if it is public.",
    ),
    "Link naar Impacttoets": Text(
        "Länk till en publicerad konsekvensbedömning, om ni publicerar den.",
        "A link to a published impact assessment, if you publish it.",
    ),
    "Toelichting op impacttoetsen": Text(
        "Vad konsekvensbedömningarna kom fram till och vilka åtgärder de ledde till.",
        "What the impact assessments found and what measures followed.",
    ),
    "Link naar Gegevensbron": Text(
        "Länk till en beskrivning av datakällan, om den är offentlig.",
        "A link to a description of the data source, if it is public.",
    ),
    "Titel van Gegevensbron": Text(
        "Namnet på de register eller datamängder systemet använder.",
        "The names of the registers or data sets the system uses.",
    ),
    "Technische werking": Text(
        f"Modell, hur den tränats, indata och utdata och hur systemet fungerar tekniskt: leverantören lämnar uppgifterna enligt {REGISTER_REQUIREMENT}.",
        f"The model, how it was trained, inputs and outputs and how the system works: the supplier provides them under {REGISTER_REQUIREMENT}.",
    ),
    "Leverancier": Text(
        "Den vinnande leverantörens namn, efter tilldelningen.",
        "The winning supplier's name, after the award.",
    ),
    "Link naar broncode": Text(
        "Länk till källkoden, om den är öppen.", "A link to the source code, if it is open."
    ),
    "Zoektermen": Text(
        "Sökord som hjälper allmänheten att hitta posten.",
        "Search terms that help the public find the entry.",
    ),
    "Impacttoets(en)": Text(
        "Namnen på de konsekvensbedömningar ni har gjort.",
        "The names of the impact assessments you have made.",
    ),
    "Status": Text(
        "Ändra till ”In gebruik” när systemet tas i bruk.",
        "Change to “In gebruik” when the system goes live.",
    ),
    "Publicatiecategorie": Text(
        "Härledd ur riskklassen och om systemet påverkar enskilda; kontrollera mot registrets handledning.",
        "Derived from the risk class and whether the system affects individuals; check it against the register's guidance.",
    ),
    "Gegevens": Text(
        "Komplettera med vilka uppgifter systemet använder och varifrån de kommer.",
        "Add which data the system uses and where it comes from.",
    ),
    "Risicobeheer": Text(
        "Komplettera med de risker ni själva har identifierat och hur ni hanterar dem.",
        "Add the risks you have identified yourselves and how you handle them.",
    ),
}

TECHNICAL_HINT_WITHOUT_CONDITION = Text(
    "Modell, hur den tränats, indata och utdata och hur systemet fungerar tekniskt: be leverantören om uppgifterna (avtalet har inget villkor om dem).",
    "The model, how it was trained, inputs and outputs and how the system works: ask the supplier (the contract has no condition on them).",
)

TEXT_LIMIT_HINT = Text(
    "Svaret är längre än fältets {limit} tecken; skriv en kortare version.",
    "The answer is longer than the field's {limit} characters; write a shorter version.",
)
"""The hint of a field whose answer did not fit."""


def register_entry(
    selection: Selection, context: dict[str, Any], language: Language
) -> dict[str, Any]:
    """The export: the standard, the entry as far as it is known, the gaps, the ATRS mapping."""
    values = _known_values(selection, context, language)
    check = {"Status", "Publicatiecategorie", "Gegevens", "Risicobeheer"}
    asks_supplier = any(item.requirement.id == REGISTER_REQUIREMENT for item in selection.included)
    entry: dict[str, Any] = {}
    gaps: list[dict[str, Any]] = []
    for spec in FIELDS:
        value = values.get(spec.name)
        if isinstance(value, str):
            value = " ".join(value.split())  # the register shows no line breaks or lists
        too_long = (
            isinstance(value, str) and spec.max_length is not None and len(value) > spec.max_length
        )
        if value not in (None, "", []) and not too_long:
            entry[spec.name] = value
            if spec.name in check:
                gaps.append(_gap(spec, "check", GAP_HINTS[spec.name], language))
            continue
        hint = (
            TEXT_LIMIT_HINT.format(limit=spec.max_length)
            if too_long
            else GAP_HINTS.get(spec.name, Text())
        )
        if spec.name == "Technische werking" and not asks_supplier:
            hint = TECHNICAL_HINT_WITHOUT_CONDITION
        gaps.append(_gap(spec, "missing", hint, language))
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "standard": dict(STANDARD),
        "tool": {"name": "upphandla", "version": __version__},
        "language": language,
        "library": {
            "id": selection.library.id,
            "version": selection.library.version,
            "sha256": selection.library.sha256,
        },
        "form_id": context["form_id"],
        "entry": entry,
        "gaps": gaps,
        "atrs": {
            "standard": "UK Algorithmic Transparency Recording Standard",
            "note": Text(
                "Fält med samma innebörd, enligt upphandlas läsning; ingen officiell tabell.",
                "Fields of the same meaning, as upphandla reads them; not an official crosswalk.",
            ).in_language(language),
            "fields": [
                {"field": spec.name, "atrs_field": spec.atrs, "value": entry[spec.name]}
                for spec in FIELDS
                if spec.atrs and spec.name in entry
            ],
        },
    }


def register_json(selection: Selection, context: dict[str, Any], language: Language) -> str:
    """The export as stable, readable JSON text."""
    return (
        json.dumps(register_entry(selection, context, language), ensure_ascii=False, indent=2)
        + "\n"
    )


def _gap(spec: Field, kind: str, hint: Text, language: Language) -> dict[str, Any]:
    return {
        "field": spec.name,
        "group": spec.group,
        "required": spec.required,
        "kind": kind,
        "hint": hint.in_language(language),
    }


def _known_values(
    selection: Selection, context: dict[str, Any], language: Language
) -> dict[str, Any]:
    """The fields the answers and the selection can fill, before limits are applied."""
    raw = context["raw_answers"]
    answer = context["answer"]
    procurement = context["procurement"]
    affects = bool(raw.get("affects_individuals"))
    risk = context["classification"]["risk_class"]
    category = (
        CATEGORY_CHOICES[0]
        if risk == "high"
        else CATEGORY_CHOICES[1]
        if affects
        else CATEGORY_CHOICES[2]
    )
    sv = language == "sv"
    return {
        "Naam": procurement["title"],
        "Korte omschrijving": procurement["purpose"],
        "Organisatie": procurement["organisation"],
        "Status": "In ontwikkeling",
        "Publicatiecategorie": category,
        "Doel en impact": _purpose_and_impact(context, affects, sv),
        "Menselijke tussenkomst": _human_involvement(raw, affects, sv),
        "Risicobeheer": _risk_management(context, sv),
        "Impacttoets(en)": _impact_assessments(selection, sv),
        "Gegevens": _data(raw, answer, sv),
        "Taal": LANGUAGE_CODES[language],
        "Schema": STANDARD["schema_version"],
        "Bron-ID": f"upphandla:{context['form_id']}",
    }


def _purpose_and_impact(context: dict[str, Any], affects: bool, sv: bool) -> str:
    purpose = context["procurement"]["purpose"]
    classification = context["classification"]
    if sv:
        effect = (
            "Systemet används i ärenden som gäller enskilda."
            if affects
            else "Systemet fattar inga beslut om enskilda."
        )
        risk = f"Riskklass enligt EU:s AI-förordning: {classification['label']}."
    else:
        effect = (
            "The system is used in matters concerning individuals."
            if affects
            else "The system takes no decisions about individuals."
        )
        risk = f"Risk class under the EU AI Act: {classification['label']}."
    return " ".join(part for part in (purpose, effect, risk) if part)


def _human_involvement(raw: dict[str, Any], affects: bool, sv: bool) -> str:
    if affects and raw.get("human_review"):
        return (
            "En handläggare granskar systemets förslag innan något beslut fattas och kan ändra eller bortse från förslaget."
            if sv
            else "A case officer reviews the system's proposal before any decision is taken and can change or disregard it."
        )
    if affects:
        return ""  # automated effect without review: the buyer must state the legal basis
    return (
        "Systemet fattar inga beslut om enskilda; medarbetare följer upp hur det fungerar."
        if sv
        else "The system takes no decisions about individuals; staff follow up how it works."
    )


RISK_AREAS = ("human_oversight", "bias", "accuracy_security", "change_monitoring", "audit")


def _risk_management(context: dict[str, Any], sv: bool) -> str:
    groups = [area for area in context["areas"] if area["id"] in RISK_AREAS]
    if not groups:
        return ""
    listed = "; ".join(
        f"{_lower_first(area['title'])} ({', '.join(r['id'] for r in area['requirements'])})"
        for area in groups
    )
    if sv:
        return (
            f"Leverantören är bunden av avtalskrav om bland annat {listed}. "
            "Kraven följs upp under avtalstiden enligt en uppföljningsplan, minst en gång om året och vid varje ny modellversion."
        )
    return (
        f"The supplier is bound by contract requirements on, among other things, {listed}. "
        "They are followed up during the contract under a follow-up plan, at least yearly and at every new model version."
    )


def _lower_first(title: str) -> str:
    """``Mänsklig tillsyn`` → ``mänsklig tillsyn`` inside a sentence; ``AI-system`` stays."""
    return title[:1].lower() + title[1:] if title[1:2].islower() else title


IMPACT_ASSESSMENTS: dict[str, Text] = {
    "dpia": Text(
        "Konsekvensbedömning avseende dataskydd (DPIA, GDPR art. 35)",
        "Data protection impact assessment (DPIA, GDPR art. 35)",
    ),
    "fria": Text(
        "Konsekvensbedömning avseende grundläggande rättigheter (AI-förordningen art. 27)",
        "Fundamental rights impact assessment (AI Act art. 27)",
    ),
}


def _impact_assessments(selection: Selection, sv: bool) -> str:
    language: Language = "sv" if sv else "en"
    return "; ".join(
        IMPACT_ASSESSMENTS[duty.id].in_language(language)
        for duty in selection.duties
        if duty.id in IMPACT_ASSESSMENTS
    )


def _data(raw: dict[str, Any], answer: dict[str, str], sv: bool) -> str:
    parts: list[str] = []
    if raw.get("personal_data"):
        parts.append(
            f"Systemet behandlar personuppgifter: {answer.get('personal_data', '')}."
            if sv
            else f"The system processes personal data: {answer.get('personal_data', '')}."
        )
    else:
        parts.append(
            "Systemet behandlar inga personuppgifter."
            if sv
            else "The system processes no personal data."
        )
    if not raw.get("training_on_our_data"):
        parts.append(
            "Leverantören får inte använda uppgifterna för att träna eller förbättra sina AI-modeller."
            if sv
            else "The supplier may not use the data to train or improve its AI models."
        )
    if answer.get("hosting"):
        parts.append(
            f"Uppgifterna lagras: {answer['hosting']}."
            if sv
            else f"The data is stored: {answer['hosting']}."
        )
    return " ".join(parts)
