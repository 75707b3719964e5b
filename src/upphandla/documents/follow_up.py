"""The follow-up plan: the acceptance test before go-live, then what the buyer checks during the
contract, when, with what evidence of actual performance, and who; and the buyer's own duties.

Every check has a stable identity, ``(subject, moment)``: the requirement id (or, for the
buyer's own duties, the duty id) and a short moment code (``MOMENT_CODES``). Its result fields
are tagged ``<subject>.<moment>.result|date|by|note`` (``form.check_tag``), so that a filled-in
plan can later be read back through the same form contract as the response form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from upphandla.documents import form
from upphandla.library.model import FollowUpWhen, Level, Phase, Requirement, Verification
from upphandla.selection.select import Included, Selection
from upphandla.text import Language, Text

MOMENT_LABELS: dict[FollowUpWhen, Text] = {
    FollowUpWhen.CONTRACT_START: Text("Vid avtalsstart", "At contract start"),
    FollowUpWhen.QUARTERLY: Text("Varje kvartal", "Every quarter"),
    FollowUpWhen.YEARLY: Text("Varje år", "Every year"),
    FollowUpWhen.MODEL_CHANGE: Text("Vid ny modell eller version", "At each new model or version"),
    FollowUpWhen.INCIDENT: Text("Efter en allvarlig incident", "After a serious incident"),
    FollowUpWhen.CONTRACT_END: Text("Vid avtalets slut", "At the end of the contract"),
}

ACCEPTANCE = "accept"
"""The moment code of the acceptance test before go-live."""

MOMENT_CODES: dict[FollowUpWhen, str] = {
    FollowUpWhen.CONTRACT_START: "start",
    FollowUpWhen.QUARTERLY: "quarter",
    FollowUpWhen.YEARLY: "year",
    FollowUpWhen.MODEL_CHANGE: "model",
    FollowUpWhen.INCIDENT: "incident",
    FollowUpWhen.CONTRACT_END: "exit",
}
"""The short moment codes of the check identities and tags (short, so that the bookmark of a
tag such as ``AI-SAK-01.model.result`` stays within Word's 40 characters)."""

_MOMENT_INTRO: dict[FollowUpWhen, Text] = {
    FollowUpWhen.CONTRACT_START: Text(
        "När avtalet börjar gälla och systemet tas i drift: kontrollera att det som faktiskt "
        "levereras är det som avtalet och anbudet lovar.",
        "When the contract starts and the system goes live: check that what is actually "
        "delivered is what the contract and the tender promise.",
    ),
    FollowUpWhen.QUARTERLY: Text(
        "Varje kvartal: gå igenom utfallet för kvartalet.",
        "Every quarter: go through the outcome of the quarter.",
    ),
    FollowUpWhen.YEARLY: Text(
        "En gång om året: kontrollera hur systemet faktiskt har fungerat under året, med "
        "underlag från driften och inte anbudets dokument.",
        "Once a year: check how the system has actually worked during the year, with evidence "
        "from operation and not the tender's documents.",
    ),
    FollowUpWhen.MODEL_CHANGE: Text(
        "Varje gång leverantören byter eller uppdaterar AI-modellen eller en version som "
        "påverkar AI-funktionerna: kontrollera innan den nya versionen används i verksamheten.",
        "Each time the supplier changes or updates the AI model or a version that affects the "
        "AI functions: check before the new version is used in operations.",
    ),
    FollowUpWhen.INCIDENT: Text(
        "Efter varje allvarlig incident (ett fel som har skadat eller kunde ha skadat någon, "
        "ett dataintrång eller ett längre avbrott).",
        "After each serious incident (a fault that harmed or could have harmed someone, a data "
        "breach or a long outage).",
    ),
    FollowUpWhen.CONTRACT_END: Text(
        "När avtalet upphör eller ni byter leverantör.",
        "When the contract ends or you change supplier.",
    ),
}

_DEFAULT_CHECK: dict[FollowUpWhen, Text] = {
    FollowUpWhen.CONTRACT_START: Text(
        "Att det som levereras uppfyller kravet, i den version som tas i drift.",
        "That what is delivered meets the requirement, in the version that goes live.",
    ),
    FollowUpWhen.QUARTERLY: Text(
        "Att kravet har uppfyllts under kvartalet i den faktiska driften.",
        "That the requirement was met during the quarter in actual operation.",
    ),
    FollowUpWhen.YEARLY: Text(
        "Att kravet har uppfyllts under året i den faktiska driften.",
        "That the requirement was met during the year in actual operation.",
    ),
    FollowUpWhen.MODEL_CHANGE: Text(
        "Att kravet fortfarande uppfylls med den nya modellen eller versionen.",
        "That the requirement is still met with the new model or version.",
    ),
    FollowUpWhen.INCIDENT: Text(
        "Hur kravet följdes vid incidenten, och att det uppfylls igen efter åtgärderna.",
        "How the requirement was followed in the incident, and that it is met again after the "
        "measures taken.",
    ),
    FollowUpWhen.CONTRACT_END: Text(
        "Att kravet uppfylls när avtalet upphör.",
        "That the requirement is met when the contract ends.",
    ),
}

_DEFAULT_EVIDENCE: dict[FollowUpWhen, Text] = {
    FollowUpWhen.CONTRACT_START: Text(
        "Det som faktiskt har levererats (inställningar, avtal, dokument i den version som "
        "gäller) och ert protokoll från godkännandeprovet.",
        "What has actually been delivered (settings, agreements, documents in the version in "
        "force) and your record of the acceptance test.",
    ),
    FollowUpWhen.QUARTERLY: Text(
        "Utfall för kvartalet: leverantörens mätvärden, utdrag ur loggarna och incidentregistret.",
        "The outcome of the quarter: the supplier's measurements, log extracts and the incident "
        "register.",
    ),
    FollowUpWhen.YEARLY: Text(
        "Utfall för året: leverantörens mätvärden och utdrag ur loggarna för perioden, "
        "incidentregistret, och era egna stickprov på aktuella ärenden.",
        "The outcome of the year: the supplier's measurements and log extracts for the period, "
        "the incident register, and your own samples of current cases.",
    ),
    FollowUpWhen.MODEL_CHANGE: Text(
        "Leverantörens ändringsmeddelande (vad som ändras och när) och en ny mätning på era "
        "aktuella data, före och efter ändringen.",
        "The supplier's change notice (what changes and when) and a new measurement on your "
        "current data, before and after the change.",
    ),
    FollowUpWhen.INCIDENT: Text(
        "Incidentrapporten: vad som hände, när ni fick veta det, loggar från händelsen och "
        "vilka åtgärder som vidtogs.",
        "The incident report: what happened, when you were told, logs of the event and the "
        "measures taken.",
    ),
    FollowUpWhen.CONTRACT_END: Text(
        "Det överlämnade materialet i avtalat format och leverantörens intyg om radering.",
        "The material handed over in the agreed format and the supplier's certificate of deletion.",
    ),
}

_BY_PHASE: dict[Phase, tuple[FollowUpWhen, ...]] = {
    Phase.TENDER: (FollowUpWhen.CONTRACT_START,),
    Phase.CONTRACT_START: (FollowUpWhen.CONTRACT_START,),
    Phase.CONTRACT_PERIOD: (FollowUpWhen.YEARLY, FollowUpWhen.MODEL_CHANGE),
}

_DUTY_MOMENTS: dict[str, tuple[FollowUpWhen, ...]] = {
    "ai_literacy": (FollowUpWhen.CONTRACT_START, FollowUpWhen.YEARLY),
    "use_per_instructions": (FollowUpWhen.CONTRACT_START, FollowUpWhen.MODEL_CHANGE),
    "human_oversight": (FollowUpWhen.CONTRACT_START, FollowUpWhen.YEARLY),
    "input_data": (FollowUpWhen.YEARLY,),
    "monitoring": (FollowUpWhen.YEARLY, FollowUpWhen.INCIDENT),
    "log_retention": (FollowUpWhen.YEARLY, FollowUpWhen.CONTRACT_END),
    "inform_workers": (FollowUpWhen.CONTRACT_START, FollowUpWhen.MODEL_CHANGE),
    "registration": (FollowUpWhen.CONTRACT_START, FollowUpWhen.MODEL_CHANGE),
    "dpia": (FollowUpWhen.CONTRACT_START, FollowUpWhen.MODEL_CHANGE),
    "fria": (FollowUpWhen.CONTRACT_START, FollowUpWhen.YEARLY, FollowUpWhen.MODEL_CHANGE),
    "inform_persons": (FollowUpWhen.CONTRACT_START, FollowUpWhen.YEARLY),
    "provider_risk": (FollowUpWhen.MODEL_CHANGE,),
    "cybersecurity": (FollowUpWhen.YEARLY, FollowUpWhen.INCIDENT),
    "security_protection": (FollowUpWhen.YEARLY,),
}
"""When the buyer checks its own duties; any other duty: at contract start and every year."""

_DUTY_MOMENTS_DEFAULT = (FollowUpWhen.CONTRACT_START, FollowUpWhen.YEARLY)

_START, _YEAR, _MODEL = FollowUpWhen.CONTRACT_START, FollowUpWhen.YEARLY, FollowUpWhen.MODEL_CHANGE
_INCIDENT, _END = FollowUpWhen.INCIDENT, FollowUpWhen.CONTRACT_END

_DUTY_CHECKS: dict[tuple[str, FollowUpWhen], Text] = {
    ("fria", _START): Text(
        "Gör konsekvensbedömningen för grundläggande rättigheter innan systemet används första "
        "gången, och anmäl resultatet till marknadskontrollmyndigheten.",
        "Carry out the fundamental rights impact assessment before the system is first used, "
        "and notify the market surveillance authority of the result.",
    ),
    ("fria", _YEAR): Text(
        "Gå igenom om något som bedömningen bygger på har ändrats (vilka som berörs, hur ofta, "
        "risker, tillsyn, klagomål) och uppdatera den i så fall.",
        "Check whether anything the assessment rests on has changed (who is affected, how often, "
        "risks, oversight, complaints) and update it if so.",
    ),
    ("fria", _MODEL): Text(
        "Uppdatera bedömningen om den nya modellen eller versionen ändrar något som den bygger på.",
        "Update the assessment if the new model or version changes anything it rests on.",
    ),
    ("monitoring", _YEAR): Text(
        "Gå igenom hur systemet har fungerat enligt bruksanvisningen: avvikelser, risker ni har "
        "upptäckt och vad ni har meddelat leverantören.",
        "Go through how the system has worked according to the instructions for use: deviations, "
        "risks you found and what you told the provider.",
    ),
    ("monitoring", _INCIDENT): Text(
        "Meddela leverantören och, vid en allvarlig incident, marknadskontrollmyndigheten utan "
        "dröjsmål. Gör uppehåll i användningen om systemet kan vara en risk.",
        "Inform the provider and, for a serious incident, the market surveillance authority "
        "without delay. Suspend use if the system may present a risk.",
    ),
    ("registration", _START): Text(
        "Registrera användningen i EU:s databas innan systemet tas i drift.",
        "Register the use in the EU database before the system goes live.",
    ),
    ("registration", _MODEL): Text(
        "Uppdatera registreringen om uppgifterna i den inte längre stämmer.",
        "Update the registration if its details no longer hold.",
    ),
    ("inform_workers", _START): Text(
        "Informera och förhandla med arbetstagarnas företrädare, och informera de berörda "
        "medarbetarna, innan systemet används på arbetsplatsen.",
        "Inform and negotiate with the workers' representatives, and inform the staff concerned, "
        "before the system is used at the workplace.",
    ),
    ("inform_workers", _MODEL): Text(
        "Informera på nytt om ändringen påverkar medarbetarnas arbete.",
        "Inform again if the change affects the staff's work.",
    ),
    ("ai_literacy", _START): Text(
        "Utbilda dem som ska använda eller sköta systemet innan de börjar.",
        "Train those who will use or operate the system before they start.",
    ),
    ("ai_literacy", _YEAR): Text(
        "Utbilda nya användare och kontrollera att kunskapen räcker för uppgiften.",
        "Train new users and check that their knowledge is enough for the task.",
    ),
    ("human_oversight", _START): Text(
        "Utse dem som ska utöva tillsyn och se till att de har utbildning, tid och befogenhet.",
        "Appoint those who will exercise oversight and make sure they have training, time and "
        "authority.",
    ),
    ("human_oversight", _YEAR): Text(
        "Kontrollera att tillsynen är bemannad och att den faktiskt används: hur ofta förslag "
        "ändras eller avvisas.",
        "Check that oversight is staffed and actually used: how often outputs are changed or "
        "rejected.",
    ),
    ("dpia", _START): Text(
        "Gör konsekvensbedömningen avseende dataskydd innan behandlingen börjar.",
        "Carry out the data protection impact assessment before the processing starts.",
    ),
    ("dpia", _MODEL): Text(
        "Uppdatera bedömningen om ändringen påverkar behandlingen av personuppgifter.",
        "Update the assessment if the change affects the processing of personal data.",
    ),
    ("log_retention", _YEAR): Text(
        "Kontrollera att loggarna sparas så länge som lag och era arkivregler kräver.",
        "Check that the logs are kept as long as the law and your archive rules require.",
    ),
    ("log_retention", _END): Text(
        "Se till att loggarna lämnas över och bevaras när avtalet upphör.",
        "Make sure the logs are handed over and kept when the contract ends.",
    ),
    ("inform_persons", _START): Text(
        "Informera dem som systemet används på innan det används på dem.",
        "Inform the people the system is used on before it is used on them.",
    ),
    ("inform_persons", _YEAR): Text(
        "Kontrollera att informationen till dem som berörs fortfarande stämmer.",
        "Check that the information to those affected is still right.",
    ),
}
"""What the buyer does for one of its own duties at one moment; others get ``_DUTY_DEFAULT``."""

_DUTY_DEFAULT: dict[FollowUpWhen, Text] = {
    _START: Text(
        "Se till att skyldigheten är uppfylld innan systemet tas i drift.",
        "Make sure the duty is fulfilled before the system goes live.",
    ),
    FollowUpWhen.QUARTERLY: Text(
        "Kontrollera att skyldigheten fortfarande är uppfylld.",
        "Check that the duty is still fulfilled.",
    ),
    _YEAR: Text(
        "Kontrollera att skyldigheten fortfarande är uppfylld.",
        "Check that the duty is still fulfilled.",
    ),
    _MODEL: Text(
        "Kontrollera om ändringen påverkar skyldigheten, och gör det som behövs.",
        "Check whether the change affects the duty, and do what is needed.",
    ),
    _INCIDENT: Text(
        "Gör det som skyldigheten kräver efter incidenten.",
        "Do what the duty requires after the incident.",
    ),
    _END: Text(
        "Gör det som skyldigheten kräver när avtalet upphör.",
        "Do what the duty requires when the contract ends.",
    ),
}

_RESPONSIBLE_FOR_DUTIES = Text(
    "Verksamhetsansvarig för AI-systemet", "Business owner of the AI system"
)

_ACCEPTANCE_RUN: dict[Verification, Text] = {
    Verification.TEST: Text(
        "Kör systemet i testmiljön på ett urval av era egna ärenden och mät resultatet på det "
        "sätt som kravet anger.",
        "Run the system in the test environment on a sample of your own cases and measure the "
        "result as the requirement states.",
    ),
    Verification.DEMONSTRATION: Text(
        "Låt leverantören visa funktionen i testmiljön med era egna data, och pröva den sedan "
        "själva så som era användare kommer att använda den.",
        "Have the supplier show the function in the test environment with your own data, then "
        "try it yourselves the way your users will use it.",
    ),
}

_ACCEPTANCE_DATA = Text(
    "Ert testurval i testmiljön (se början av avsnittet).",
    "Your test sample in the test environment (see the start of this section).",
)

_ACCEPTANCE_PASSED = Text(
    "Det som kravet säger är uppfyllt, så som leverantören har beskrivit det i anbudet:",
    "What the requirement says is met, as the supplier described it in the tender:",
)

_FILL_IN = Text("[Fyll i: {label}]", "[Fill in: {label}]")

_ACCEPTANCE_VERIFICATIONS = (Verification.TEST, Verification.DEMONSTRATION)


def follow_up_moments(requirement: Requirement) -> tuple[FollowUpWhen, ...]:
    """When a requirement is followed up: as the library says, or from its phase."""
    if requirement.follow_up is not None and requirement.follow_up.when:
        return requirement.follow_up.when
    return _BY_PHASE[requirement.phase]


def check_id(subject: str, moment: str) -> str:
    """The identity of one check, ``AI-SAK-01.year``: the first part of its fields' tags."""
    return f"{subject}.{moment}"


def check_tags(subject: str, moment: str) -> dict[str, str]:
    """The tags of one check's result fields, by field: ``{"result": "AI-SAK-01.year.result"}``."""
    return {field.value: form.check_tag(subject, moment, field) for field in form.CheckField}


def in_plan(item: Included, promised: frozenset[str], evaluated: bool = False) -> bool:
    """Whether a requirement is followed up during the contract.

    Requirements of the contract and operation phases and those the library gives a follow-up
    (the ones whose level holds throughout the contract, even if they are met in the tender)
    are; an award criterion (BÖR) only when the chosen supplier promised it, or, without an
    evaluation to tell, marked "if promised". A tender-phase BÖR without follow-up data is in the
    plan only when it is known to be promised.
    """
    requirement = item.requirement
    if requirement.id in promised:
        return True
    binds_in_contract = requirement.phase is not Phase.TENDER or requirement.follow_up is not None
    if item.level is Level.BOR:
        return binds_in_contract and not evaluated
    return binds_in_contract


def promised_by_winner(evaluation: Mapping[str, Any] | None) -> tuple[str, frozenset[str]]:
    """The name of the supplier ranked first in ``utvardering.json`` and the BÖR ids it met."""
    if not evaluation:
        return "", frozenset()
    suppliers: Sequence[Mapping[str, Any]] = evaluation.get("suppliers") or []
    winner = next((s for s in suppliers if s.get("rank") == 1), None)
    if winner is None:
        return "", frozenset()
    return str(winner.get("name", "")), frozenset(str(i) for i in winner.get("promised", []))


def _levels(requirement: Mapping[str, Any] | None, language: Language) -> list[str]:
    """The buyer's own figures of a requirement, as lines, with a gap to fill in for each
    missing one."""
    if not requirement:
        return []
    lines = []
    for entry in requirement.get("buyer_inputs", []):
        if entry["missing"]:
            value = _FILL_IN.in_language(language).format(label=entry["label"].lower())
            lines.append(f"{entry['label']}: **{value}**")
        else:
            lines.append(f"{entry['label']}: {entry['value']}")
    return lines


def follow_up_context(
    selection: Selection,
    language: Language,
    evaluation: Mapping[str, Any] | None = None,
    base: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The plan's data, for the ``uppfoljningsplan`` template: the acceptance test cases, the
    checks by moment, the buyer's own duties, and (as before) one item per requirement.

    ``base`` is the document context (``context.build_context``), whose requirement entries
    give the buyer's own figures; without it the figures are left out.
    """
    winner, promised = promised_by_winner(evaluation)
    evaluated = bool(evaluation)
    by_id: dict[str, Mapping[str, Any]] = {
        entry["id"]: entry for entry in (base or {}).get("requirements", [])
    }
    items: list[dict[str, Any]] = []
    acceptance: list[dict[str, Any]] = []
    checks: dict[FollowUpWhen, list[dict[str, Any]]] = {moment: [] for moment in FollowUpWhen}
    for item in form.form_order(selection):
        requirement = item.requirement
        area = selection.library.area(requirement.area)
        responsible = area.responsible.in_language(language) if area else ""
        title = item.wording.title.in_language(language)
        is_bor = item.level is Level.BOR
        is_promised = requirement.id in promised
        conditional = is_bor and not is_promised
        levels = _levels(by_id.get(requirement.id), language)
        follow = requirement.follow_up
        common = {
            "id": requirement.id,
            "title": title,
            "level": item.level.label,
            "promised": is_promised,
            "if_promised": conditional,
            "responsible": responsible,
            "levels": levels,
        }
        tests_it = any(v in requirement.verification for v in _ACCEPTANCE_VERIFICATIONS)
        if (
            is_bor
            and requirement.phase is Phase.TENDER
            and requirement.verification == (Verification.TEST,)
        ):
            # An award criterion tested during the tender evaluation has been tested already.
            tests_it, levels_for_test = False, []
        else:
            levels_for_test = levels
        if (tests_it or levels_for_test) and (not is_bor or is_promised or not evaluated):
            run = follow.acceptance if follow is not None else Text()
            kind = next((v for v in _ACCEPTANCE_VERIFICATIONS if v in requirement.verification),
                        Verification.TEST)  # fmt: skip
            acceptance.append(
                {
                    **common,
                    "check_id": check_id(requirement.id, ACCEPTANCE),
                    "moment": ACCEPTANCE,
                    "run": (run or _ACCEPTANCE_RUN[kind]).in_language(language),
                    "data": _ACCEPTANCE_DATA.in_language(language),
                    "passed": _ACCEPTANCE_PASSED.in_language(language),
                    "requirement_text": str(by_id.get(requirement.id, {}).get("text", "")),
                    "tags": check_tags(requirement.id, ACCEPTANCE),
                }
            )
        if not in_plan(item, promised, evaluated):
            continue
        moments = follow_up_moments(requirement)
        check_text = follow.check if follow is not None else Text()
        evidence_text = follow.evidence if follow is not None else Text()
        for moment in moments:
            code = MOMENT_CODES[moment]
            checks[moment].append(
                {
                    **common,
                    "check_id": check_id(requirement.id, code),
                    "moment": code,
                    "check": (check_text or _DEFAULT_CHECK[moment]).in_language(language),
                    "evidence": (evidence_text or _DEFAULT_EVIDENCE[moment]).in_language(language),
                    "tags": check_tags(requirement.id, code),
                }
            )
        items.append(
            {
                **common,
                "check": check_text.in_language(language) or title,
                "when": [MOMENT_LABELS[moment].in_language(language) for moment in moments],
                "moments": [moment.value for moment in moments],
                "evidence": evidence_text.in_language(language)
                or item.wording.evidence.in_language(language),
                "area": area.title.in_language(language) if area else requirement.area,
                "fm3": "FM3" in requirement.tags,
            }
        )
    duties = _duty_checks(selection, language, base)
    card = [
        {
            "moment": MOMENT_LABELS[moment].in_language(language),
            "ids": [entry["id"] for entry in items if moment.value in entry["moments"]],
        }
        for moment in FollowUpWhen
    ]
    return {
        "follow_up": {
            "items": items,
            "card": [entry for entry in card if entry["ids"]],
            "winner": winner,
            "evaluated": evaluated,
            "promised_count": sum(1 for entry in items if entry["promised"]),
            "if_promised_count": sum(1 for entry in items if entry["if_promised"]),
            "acceptance": acceptance,
            "moments": [
                {
                    "code": MOMENT_CODES[moment],
                    "label": MOMENT_LABELS[moment].in_language(language),
                    "intro": _MOMENT_INTRO[moment].in_language(language),
                    "checks": checks[moment],
                }
                for moment in FollowUpWhen
                if checks[moment]
            ],
            "duties": duties,
            "results": list(form.CHECK_RESULTS[language]),
            "prompts": {str(key): text for key, text in form.CHECK_PROMPTS[language].items()},
        }
    }


def _duty_checks(
    selection: Selection, language: Language, base: Mapping[str, Any] | None
) -> list[dict[str, Any]]:
    """One check per buyer duty and moment, with the duty's binding provisions."""
    references = {entry["id"]: entry for entry in (base or {}).get("buyer_duties", [])}
    result = []
    for duty in selection.duties:
        for moment in _DUTY_MOMENTS.get(duty.id, _DUTY_MOMENTS_DEFAULT):
            code = MOMENT_CODES[moment]
            entry = references.get(duty.id, {})
            result.append(
                {
                    "id": duty.id,
                    "title": duty.title.in_language(language),
                    "text": duty.text.in_language(language),
                    "references": entry.get("references", ""),
                    "check": _DUTY_CHECKS.get((duty.id, moment), _DUTY_DEFAULT[moment]).in_language(
                        language
                    ),
                    "moment": code,
                    "when": MOMENT_LABELS[moment].in_language(language),
                    "check_id": check_id(duty.id, code),
                    "responsible": _RESPONSIBLE_FOR_DUTIES.in_language(language),
                    "tags": check_tags(duty.id, code),
                }
            )
    return result
