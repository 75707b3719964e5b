"""Write a synthetic requirement library of any size for benchmarks.

The library copies the default library's questions, derived values, areas and dates (so every
answers file in ``examples/`` stays valid against it) and adds ``N`` generated requirements,
spread over the 16 areas, in files of about 500 requirements each. Texts are bilingual, 2–4
paragraphs long and sometimes hold a 3–5 item bullet list; conditions, escalation rules and
references are drawn from the ones the default library really uses. The same ``requirements``
and ``seed`` always give byte-identical files.

    python benchmarks/synthetic.py OUTDIR 10000 [--seed 1]
    upphandla library check OUTDIR/synthetic-10000
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import textwrap
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
DEFAULT_LIBRARY = REPO / "requirement_libraries" / "default"
PER_FILE = 500
COPIED = ("areas.yaml", "dates.yaml", "questions*.yaml", "derived*.yaml")
WRAP = 92

# Conditions from the brief that are not (literally) in the default library; the rest of the pool
# is read from the default library's own requirements.
EXTRA_CONDITIONS = (
    "risk_class == 'high'",
    "affects_individuals and personal_data | length > 0",
    "'chatbot' in functions",
    "citizen_facing or generative",
    "risk_class == 'high' and (is_public_body or buyer_type == 'private_public_service')",
    "'special_categories' in personal_data or 'children' in personal_data",
    "hosting == 'outside_eu_eea'",
    "impact_level >= 2",
    "buyer_type in ['state_agency', 'municipality', 'region']",
    "'custom_development' in delivery or 'fine_tuning_on_our_data' in delivery",
)
NO_CONDITION_SHARE = 0.30
VERIFICATIONS = (
    "self_declaration",
    "description",
    "document",
    "certificate",
    "demonstration",
    "test",
    "audit",
)
PHASES = (("tender", 0.5), ("contract_start", 0.25), ("contract_period", 0.25))
AMBITIONS = (("bas", 0.8), ("avancerad", 0.15), ("spjutspets", 0.05))
FOLLOW_UP_WHEN = (
    "contract_start",
    "quarterly",
    "yearly",
    "model_change",
    "incident",
    "contract_end",
)
TAGS = ("FM1", "FM2", "FM3")

# (sv, en) pairs. Titles are ASPECT + SUBJECT + CONTEXT; 30 x 40 x 12 = 14,400 unique titles.
ASPECTS = (
    ("Redovisning av", "Disclosure of"),
    ("Dokumentation av", "Documentation of"),
    ("Kontroll av", "Control of"),
    ("Uppföljning av", "Follow-up of"),
    ("Loggning av", "Logging of"),
    ("Granskning av", "Review of"),
    ("Test av", "Testing of"),
    ("Skydd av", "Protection of"),
    ("Ändringshantering för", "Change management for"),
    ("Ansvar för", "Responsibility for"),
    ("Rapportering om", "Reporting on"),
    ("Information om", "Information about"),
    ("Förklaring av", "Explanation of"),
    ("Begränsning av", "Limitation of"),
    ("Återställning av", "Restoration of"),
    ("Export av", "Export of"),
    ("Radering av", "Deletion of"),
    ("Behörighet till", "Access rights to"),
    ("Kvalitetssäkring av", "Quality assurance of"),
    ("Riskbedömning av", "Risk assessment of"),
    ("Utbildning om", "Training on"),
    ("Avvikelsehantering för", "Deviation handling for"),
    ("Versionshantering av", "Version control of"),
    ("Övervakning av", "Monitoring of"),
    ("Spårbarhet för", "Traceability of"),
    ("Tillgång till", "Access to"),
    ("Säker hantering av", "Secure handling of"),
    ("Mätning av", "Measurement of"),
    ("Beskrivning av", "Description of"),
    ("Arkivering av", "Archiving of"),
)
SUBJECTS = (
    ("modellversioner", "model versions"),
    ("träningsdata", "training data"),
    ("indata från verksamheten", "input data from the operations"),
    ("systemets förslag", "the system's proposals"),
    ("automatiska beslut", "automated decisions"),
    ("användarloggar", "user logs"),
    ("personuppgifter", "personal data"),
    ("känsliga personuppgifter", "sensitive personal data"),
    ("underleverantörer", "subcontractors"),
    ("driftmiljön", "the operating environment"),
    ("säkerhetsincidenter", "security incidents"),
    ("felaktiga resultat", "incorrect outputs"),
    ("träffsäkerheten", "the accuracy"),
    ("skevhet i resultaten", "bias in the outputs"),
    ("förklaringar till enskilda", "explanations to individuals"),
    ("handläggarnas granskning", "the caseworkers' review"),
    ("genererat innehåll", "generated content"),
    ("chattbottens svar", "the chatbot's answers"),
    ("språkmodellens instruktioner", "the language model's instructions"),
    ("behörigheter", "access rights"),
    ("krypteringsnycklar", "encryption keys"),
    ("säkerhetskopior", "backups"),
    ("allmänna handlingar", "official documents"),
    ("gallringsbeslut", "disposal decisions"),
    ("dataöverföringar till tredje land", "transfers of data to third countries"),
    ("energiförbrukningen", "the energy consumption"),
    ("tillgänglighetsbrister", "accessibility shortcomings"),
    ("texter på lättläst svenska", "texts in easy-to-read Swedish"),
    ("ändringar av modellen", "changes to the model"),
    ("prestanda över tid", "performance over time"),
    ("konsekvensbedömningar", "impact assessments"),
    ("avtalets avslut", "the end of the contract"),
    ("exportformat", "export formats"),
    ("granskningsrapporter", "audit reports"),
    ("certifieringar", "certifications"),
    ("riskhanteringssystemet", "the risk management system"),
    ("bruksanvisningen", "the instructions for use"),
    ("tekniska loggar", "technical logs"),
    ("testdata", "test data"),
    ("felrapporter från användare", "error reports from users"),
)
CONTEXTS = (
    ("i anbudet", "in the tender"),
    ("vid avtalsstart", "at contract start"),
    ("under avtalstiden", "during the contract period"),
    ("i driften", "in operation"),
    ("vid uppgraderingar", "at upgrades"),
    ("för handläggare", "for caseworkers"),
    ("för medborgare", "for citizens"),
    ("hos underleverantörer", "at subcontractors"),
    ("vid incidenter", "at incidents"),
    ("vid avtalets slut", "at the end of the contract"),
    ("i testmiljön", "in the test environment"),
    ("för förvaltningen", "for system management"),
)
# Sentences: {m} is the modal verb (ska/bör, shall/should), {s} the subject.
SENTENCES = (
    (
        "Leverantören {m} beskriva hur {s} hanteras i lösningen och vem hos leverantören som ansvarar för det.",
        "The supplier {m} describe how {s} are handled in the solution and who at the supplier is responsible for it.",
    ),
    (
        "Beskrivningen {m} vara skriven på svenska och gå att förstå för den som inte är tekniskt utbildad.",
        "The description {m} be written in Swedish and be understandable to a reader without technical training.",
    ),
    (
        "Den upphandlande organisationen {m} kunna ta del av {s} utan extra kostnad och inom fem arbetsdagar efter en begäran.",
        "The contracting authority {m} be able to access {s} at no extra cost and within five working days of a request.",
    ),
    (
        "Leverantören {m} hålla uppgifterna aktuella under hela avtalstiden och meddela varje väsentlig ändring i förväg.",
        "The supplier {m} keep the information up to date throughout the contract and announce every substantial change in advance.",
    ),
    (
        "Lösningen {m} göra det möjligt att följa {s} för varje ärende, med tidpunkt, användare och modellversion.",
        "The solution {m} make it possible to trace {s} for every case, with time, user and model version.",
    ),
    (
        "Uppgifterna {m} lämnas i ett öppet, maskinläsbart format som den upphandlande organisationen kan läsa utan leverantörens hjälp.",
        "The information {m} be provided in an open, machine-readable format that the contracting authority can read without the supplier's help.",
    ),
    (
        "Leverantören {m} ha en dokumenterad rutin för {s}, och rutinen {m} följas upp minst en gång per år.",
        "The supplier {m} have a documented routine for {s}, and the routine {m} be followed up at least once a year.",
    ),
    (
        "Om leverantören anlitar underleverantörer gäller kravet även dem, och leverantören ansvarar för att det uppfylls.",
        "If the supplier uses subcontractors, the requirement applies to them as well, and the supplier is responsible for meeting it.",
    ),
    (
        "Avvikelser {m} rapporteras till den upphandlande organisationen utan onödigt dröjsmål och senast inom 72 timmar.",
        "Deviations {m} be reported to the contracting authority without undue delay and within 72 hours at the latest.",
    ),
    (
        "Leverantören {m} visa hur {s} påverkar resultaten för olika grupper av enskilda, uppdelat på kön, ålder och språk där det är möjligt.",
        "The supplier {m} show how {s} affect the outputs for different groups of individuals, broken down by sex, age and language where possible.",
    ),
    (
        "Den upphandlande organisationen {m} kunna stänga av funktionen utan att resten av lösningen påverkas.",
        "The contracting authority {m} be able to switch the function off without affecting the rest of the solution.",
    ),
    (
        "Kravet gäller även nya versioner av lösningen som levereras under avtalstiden.",
        "The requirement also applies to new versions of the solution delivered during the contract period.",
    ),
    (
        "Leverantören {m} lämna ett exempel på hur {s} redovisas i en verklig leverans till en annan kund, med känsliga uppgifter borttagna.",
        "The supplier {m} provide an example of how {s} are reported in a real delivery to another customer, with sensitive details removed.",
    ),
    (
        "Redovisningen {m} omfatta de delar av lösningen som bygger på AI, även de som levereras av tredje part.",
        "The account {m} cover the parts of the solution that rely on AI, including those delivered by third parties.",
    ),
    (
        "Lösningen {m} spara uppgifterna så länge som den upphandlande organisationen bestämmer, och minst sex månader.",
        "The solution {m} keep the information for as long as the contracting authority decides, and at least six months.",
    ),
    (
        "Leverantören {m} utse en kontaktperson som kan svara på frågor om {s} under kontorstid.",
        "The supplier {m} appoint a contact person who can answer questions about {s} during office hours.",
    ),
    (
        "Ändringar som påverkar {s} {m} testas i en separat miljö innan de förs över till produktion.",
        "Changes affecting {s} {m} be tested in a separate environment before they are moved to production.",
    ),
    (
        "Den upphandlande organisationen avgör själv om underlaget är tillräckligt och kan begära kompletteringar.",
        "The contracting authority decides whether the material is sufficient and may ask for additions.",
    ),
    (
        "Lösningen {m} visa för användaren att resultatet kommer från ett AI-system och hur säkert det är.",
        "The solution {m} show the user that the output comes from an AI system and how confident it is.",
    ),
    (
        "Leverantören {m} beskriva kända begränsningar och de situationer där lösningen inte passar.",
        "The supplier {m} describe known limitations and the situations for which the solution is unsuitable.",
    ),
    (
        "Uppgifter om {s} {m} inte användas för något annat ändamål än att fullgöra avtalet.",
        "Information about {s} {m} not be used for any purpose other than performing the contract.",
    ),
    (
        "Leverantören {m} ange vilka standarder eller motsvarande som tillämpas, och hur efterlevnaden kontrolleras.",
        "The supplier {m} state which standards or equivalent are applied, and how compliance is checked.",
    ),
)
LIST_INTROS = (
    ("Redovisningen {m} minst omfatta:", "The account {m} at least cover:"),
    ("Lösningen {m} göra det möjligt att:", "The solution {m} make it possible to:"),
    ("Leverantören {m} beskriva:", "The supplier {m} describe:"),
    ("Dokumentationen {m} innehålla:", "The documentation {m} contain:"),
)
BULLETS = (
    (
        "vilka data som används och varifrån de kommer",
        "which data are used and where they come from",
    ),
    ("hur ofta modellen tränas om", "how often the model is retrained"),
    ("vem som får ändra inställningarna", "who may change the settings"),
    ("hur fel upptäcks och rättas", "how errors are detected and corrected"),
    ("vilka mått på träffsäkerhet som används", "which accuracy metrics are used"),
    (
        "hur resultaten kan förklaras för enskilda",
        "how the outputs can be explained to individuals",
    ),
    ("hur länge uppgifterna sparas", "how long the information is kept"),
    ("var uppgifterna lagras och behandlas", "where the information is stored and processed"),
    ("vilka underleverantörer som deltar", "which subcontractors take part"),
    ("hur användarna utbildas", "how the users are trained"),
    ("hur incidenter rapporteras", "how incidents are reported"),
    ("vilka begränsningar lösningen har", "which limitations the solution has"),
    (
        "hur en människa kan ändra eller upphäva resultatet",
        "how a person can change or reverse the output",
    ),
    (
        "hur lösningen testas före varje ny version",
        "how the solution is tested before every new version",
    ),
    ("vilka loggar som sparas och i vilket format", "which logs are kept and in which format"),
    ("hur data lämnas tillbaka när avtalet upphör", "how data are returned when the contract ends"),
)
EVIDENCE = (
    ("Beskrivning i anbudet.", "Description in the tender."),
    (
        "Dokumenterad rutin och exempel från en annan leverans.",
        "A documented routine and an example from another delivery.",
    ),
    ("Demonstration vid visningsmöte.", "Demonstration at a showing."),
    ("Testrapport från de senaste tolv månaderna.", "A test report from the last twelve months."),
    (
        "Certifikat eller intyg från oberoende part, eller likvärdigt.",
        "A certificate or attestation from an independent party, or equivalent.",
    ),
    ("Egen försäkran i svarsbilagan.", "A self-declaration in the response form."),
    ("Granskningsrapport och åtgärdsplan.", "An audit report and an action plan."),
)
RATIONALES = (
    (
        "Utan underlaget kan ni inte visa att systemet används på ett lagligt och rättssäkert sätt.",
        "Without the material you cannot show that the system is used lawfully and with legal certainty.",
    ),
    (
        "Kravet gör det möjligt att följa upp leverantören under avtalstiden och att upptäcka fel i tid.",
        "The requirement makes it possible to follow up the supplier during the contract and to detect errors in time.",
    ),
    (
        "Ansvaret för besluten ligger kvar hos er, även när ett AI-system tar fram förslagen.",
        "Responsibility for the decisions stays with you, even when an AI system produces the proposals.",
    ),
    (
        "Enskilda har rätt att förstå hur ett beslut som rör dem har kommit till.",
        "Individuals have a right to understand how a decision concerning them was reached.",
    ),
    (
        "Uppgifterna behövs för er egen riskbedömning och för tillsynsmyndighetens frågor.",
        "The information is needed for your own risk assessment and for questions from the supervisory authority.",
    ),
)
ESCALATION_REASONS = (
    (
        "Systemet är högrisk, och kravet behövs för att uppfylla AI-förordningen.",
        "The system is high-risk, and the requirement is needed to comply with the AI Act.",
    ),
    ("Svaren visar en hög påverkan på enskilda.", "The answers show a high impact on individuals."),
    (
        "Ingen människa granskar resultaten innan de får verkan.",
        "No person reviews outputs before they take effect.",
    ),
)
FOLLOW_UP_CHECKS = (
    (
        "Begär in aktuell redovisning och jämför med föregående.",
        "Ask for the current account and compare it with the previous one.",
    ),
    ("Kontrollera ett urval av loggar och ärenden.", "Check a sample of logs and cases."),
    (
        "Gå igenom leverantörens rapport på ett uppföljningsmöte.",
        "Go through the supplier's report at a follow-up meeting.",
    ),
)


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([value for value, _ in pairs], [weight for _, weight in pairs])[0]


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _block(text: str, indent: int) -> str:
    """A block scalar at ``indent`` spaces, wrapped like the hand-written files: ``>-`` for one
    paragraph, ``|-`` (which keeps line breaks) for several paragraphs or a bullet list."""
    pad = " " * indent
    style = "|-" if "\n" in text else ">-"
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append("")
        for line in paragraph.split("\n"):
            if line.startswith("- "):
                lines.append(pad + line)
            else:
                wrapped = textwrap.wrap(
                    line, WRAP - indent, break_long_words=False, break_on_hyphens=False
                )
                lines.extend(pad + part for part in wrapped)
    return style + "\n" + "\n".join(lines)


def _text_field(name: str, sv: str, en: str, indent: int) -> list[str]:
    pad = " " * indent
    if "\n" in sv or len(sv) > 70:
        return [
            f"{pad}{name}:",
            f"{pad}  sv: {_block(sv, indent + 4)}",
            f"{pad}  en: {_block(en, indent + 4)}",
        ]
    return [f"{pad}{name}: {{sv: {_q(sv)}, en: {_q(en)}}}"]


def _default_vocabulary() -> tuple[
    list[str], list[str], list[tuple[str, str, str, str]], dict[str, str], list[str]
]:
    """Conditions, escalation conditions, references, area prefixes and date ids of the default library."""
    conditions: list[str] = []
    escalations: list[str] = []
    references: set[tuple[str, str, str, str]] = set()
    prefixes: dict[str, str] = {}
    for path in sorted((DEFAULT_LIBRARY / "requirements").glob("*.yaml")):
        for requirement in yaml.safe_load(path.read_text(encoding="utf-8"))["requirements"]:
            if requirement.get("when") and requirement["when"] not in conditions:
                conditions.append(requirement["when"])
            for rule in requirement.get("escalate", []):
                if rule["when"] not in escalations:
                    escalations.append(rule["when"])
            for reference in requirement["references"]:
                references.add(
                    (
                        reference["source"],
                        str(reference.get("ref", "")),
                        str(reference.get("when", "")),
                        "false" if reference.get("binding") is False else "",
                    )
                )
            prefixes.setdefault(requirement["area"], requirement["id"].split("-")[1])
    conditions.extend(c for c in EXTRA_CONDITIONS if c not in conditions)
    dates = yaml.safe_load((DEFAULT_LIBRARY / "dates.yaml").read_text(encoding="utf-8"))["dates"]
    return conditions, escalations, sorted(references), prefixes, [d["id"] for d in dates]


def _paragraphs(
    rng: random.Random, modal: tuple[str, str], subject: tuple[str, str]
) -> tuple[str, str]:
    """2–4 paragraphs of 1–3 sentences, sometimes with a 3–5 item bullet list."""
    count = rng.randint(2, 4)
    with_list = rng.random() < 0.35
    list_at = rng.randrange(1, count) if with_list else -1
    sv_parts: list[str] = []
    en_parts: list[str] = []
    for index in range(count):
        if index == list_at:
            intro = rng.choice(LIST_INTROS)
            items = rng.sample(BULLETS, rng.randint(3, 5))
            sv_items = [f"- {sv}," for sv, _ in items]
            en_items = [f"- {en}," for _, en in items]
            sv_items[-1] = sv_items[-1][:-1] + "."
            en_items[-1] = en_items[-1][:-1] + "."
            sv_parts.append(intro[0].format(m=modal[0]) + "\n\n" + "\n".join(sv_items))
            en_parts.append(intro[1].format(m=modal[1]) + "\n\n" + "\n".join(en_items))
            continue
        sentences = rng.sample(SENTENCES, rng.randint(1, 3))
        sv_parts.append(" ".join(sv.format(m=modal[0], s=subject[0]) for sv, _ in sentences))
        en_parts.append(" ".join(en.format(m=modal[1], s=subject[1]) for _, en in sentences))
    return "\n\n".join(sv_parts), "\n\n".join(en_parts)


def _requirement(
    rng: random.Random,
    rid: str,
    area: str,
    title: tuple[str, str],
    subject: tuple[str, str],
    vocabulary: tuple[
        list[str], list[str], list[tuple[str, str, str, str]], dict[str, str], list[str]
    ],
) -> list[str]:
    conditions, escalations, references, _, dates = vocabulary
    level = "bor" if rng.random() < 0.3 else "ska"
    modal = ("bör", "should") if level == "bor" else ("ska", "shall")
    lines = [f"  - id: {rid}", f"    area: {area}"]
    lines += _text_field("title", title[0], title[1], 4)
    if rng.random() >= NO_CONDITION_SHARE:
        lines.append(f"    when: {_q(rng.choice(conditions))}")
    sv, en = _paragraphs(rng, modal, subject)
    lines += [
        "    text:",
        f"      sv: {_block(sv, 8)}",
        f"      en: {_block(en, 8)}",
        f"    level: {level}",
        f"    kind: {'award' if level == 'bor' else 'specification'}",
        f"    ambition: {_weighted(rng, AMBITIONS)}",
    ]
    if level == "bor" and rng.random() < 0.2:
        reason = rng.choice(ESCALATION_REASONS)
        lines += [
            "    escalate:",
            f"      - when: {_q(rng.choice(escalations))}",
            "        level: ska",
        ]
        lines += _text_field("reason", reason[0], reason[1], 8)
        ska_sv, ska_en = _paragraphs(rng, ("ska", "shall"), subject)
        lines += [
            "    ska:",
            "      kind: specification",
            "      text:",
            f"        sv: {_block(ska_sv, 10)}",
            f"        en: {_block(ska_en, 10)}",
        ]
    # An award criterion is about the offer, never a company certificate (the checker warns).
    pool = [v for v in VERIFICATIONS if level == "ska" or v != "certificate"]
    methods = sorted(rng.sample(pool, rng.choice((1, 1, 2, 2, 3))), key=VERIFICATIONS.index)
    lines.append(f"    verification: [{', '.join(methods)}]")
    lines += _text_field("evidence", *rng.choice(EVIDENCE), 4)
    lines.append(f"    phase: {_weighted(rng, PHASES)}")
    if level == "bor":
        points = rng.choice((5, 10, 10, 15, 20))
        lines.append(
            f"    evaluation: {{points: {points}, deduction_sek: {points * 5000}, "
            f"deduction_percent: {points // 5}}}"
        )
    lines.append("    references:")
    # References keep the condition and binding the default library gives them.
    for source, ref, when, binding in rng.sample(references, rng.randint(1, 3)):
        fields = [f"source: {source}"]
        fields += [f"ref: {_q(ref)}"] if ref else []
        fields += [f"when: {_q(when)}"] if when else []
        fields += ["binding: false"] if binding else []
        lines.append(f"      - {{{', '.join(fields)}}}")
    rationale = rng.sample(RATIONALES, rng.randint(1, 2))
    lines += _text_field(
        "rationale", " ".join(sv for sv, _ in rationale), " ".join(en for _, en in rationale), 4
    )
    if rng.random() < 0.2:
        lines.append(f"    tags: [{rng.choice(TAGS)}]")
    if rng.random() < 0.1:
        lines.append(f"    applies_from: {rng.choice(dates)}")
    if rng.random() < 0.15:
        moments = sorted(rng.sample(FOLLOW_UP_WHEN, rng.randint(1, 2)), key=FOLLOW_UP_WHEN.index)
        check = rng.choice(FOLLOW_UP_CHECKS)
        lines += ["    follow_up:", f"      when: [{', '.join(moments)}]"]
        lines += _text_field("check", check[0], check[1], 6)
    return lines


def _titles(rng: random.Random, count: int) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """``count`` unique (title, subject) pairs; a number is added once the combinations run out."""
    combos = [(a, s, c) for a in ASPECTS for s in SUBJECTS for c in CONTEXTS]
    rng.shuffle(combos)
    result = []
    for index in range(count):
        aspect, subject, context = combos[index % len(combos)]
        round_ = index // len(combos)
        suffix = f" ({round_ + 1})" if round_ else ""
        title = (
            f"{aspect[0]} {subject[0]} {context[0]}{suffix}",
            f"{aspect[1]} {subject[1]} {context[1]}{suffix}",
        )
        result.append((title, subject))
    return result


def _library_yaml(library_id: str, requirements: int) -> str:
    info = yaml.safe_load((DEFAULT_LIBRARY / "library.yaml").read_text(encoding="utf-8"))
    lines = [
        "format: 1",
        f"id: {library_id}",
        "name:",
        f"  sv: {_q(info['name']['sv'] + f' (syntetiskt, {requirements} krav)')}",
        f"  en: {_q(info['name']['en'] + f' (synthetic, {requirements} requirements)')}",
        "description:",
        f"  sv: {_q(info['description']['sv'])}",
        f"  en: {_q(info['description']['en'])}",
        f"version: {_q(str(info['version']))}",
        f"license: {info['license']}",
        "authors:",
        *(f"  - {_q(author)}" for author in info.get("authors", [])),
    ]
    return "\n".join(lines) + "\n"


def _copy_without_modeline(source: Path, target: Path) -> None:
    text = source.read_text(encoding="utf-8")
    if text.startswith("# yaml-language-server:"):
        text = text.split("\n", 1)[1]
    target.write_text(text, encoding="utf-8")


def write_synthetic_library(folder: Path, requirements: int, seed: int = 1) -> Path:
    """Write the library ``synthetic-N`` into ``folder`` (created, or emptied) and return ``folder``."""
    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "requirements").mkdir(parents=True)
    rng = random.Random(seed)
    vocabulary = _default_vocabulary()
    (folder / "library.yaml").write_text(
        _library_yaml(f"synthetic-{requirements}", requirements), encoding="utf-8"
    )
    for pattern in COPIED:
        for source in sorted(DEFAULT_LIBRARY.glob(pattern)):
            _copy_without_modeline(source, folder / source.name)
    areas = [
        area["id"]
        for area in yaml.safe_load((DEFAULT_LIBRARY / "areas.yaml").read_text(encoding="utf-8"))[
            "areas"
        ]
    ]
    prefixes = vocabulary[3]
    titles = _titles(rng, requirements)
    # Area by area (as in the default library), N spread evenly, ids numbered within each area.
    blocks: list[list[str]] = []
    for area_index, area in enumerate(areas):
        share = requirements // len(areas) + (1 if area_index < requirements % len(areas) else 0)
        prefix = prefixes.get(area, f"A{area_index:02d}")
        for number in range(1, share + 1):
            title, subject = titles[len(blocks)]
            rid = f"SYN-{prefix}-{number:04d}"
            blocks.append(_requirement(rng, rid, area, title, subject, vocabulary))
    for file_index, start in enumerate(range(0, len(blocks), PER_FILE), start=1):
        chunk = blocks[start : start + PER_FILE]
        body = "\n\n".join("\n".join(lines) for lines in chunk)
        (folder / "requirements" / f"part_{file_index:03d}.yaml").write_text(
            f"# Synthetic requirements {start + 1}–{start + len(chunk)} of {requirements} "
            f"(seed {seed}).\nrequirements:\n{body}\n",
            encoding="utf-8",
        )
    return folder


def main() -> None:
    """Write one library from the command line."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", type=Path, help="parent folder; the library goes in OUT/synthetic-N")
    parser.add_argument("requirements", type=int)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    folder = write_synthetic_library(
        args.out / f"synthetic-{args.requirements}", args.requirements, args.seed
    )
    print(folder)


if __name__ == "__main__":
    main()
