"""Closed vocabularies of the library format, with their labels in both languages."""

from __future__ import annotations

from upphandla.library.model import (
    Ambition,
    DateStatus,
    Kind,
    Level,
    Phase,
    QuestionType,
    Verification,
)
from upphandla.text import Text

REFERENCE_SOURCES: dict[str, Text] = {
    "AIA": Text("AI-förordningen (EU) 2024/1689", "AI Act (EU) 2024/1689"),
    "GDPR": Text(
        "Dataskyddsförordningen (EU) 2016/679", "General Data Protection Regulation (EU) 2016/679"
    ),
    "DSL": Text("Dataskyddslagen (2018:218)", "Swedish Data Protection Act (2018:218)"),
    "LOU": Text("Lagen om offentlig upphandling (2016:1145)", "Public Procurement Act (2016:1145)"),
    "LUF": Text(
        "Lagen om upphandling inom försörjningssektorerna (2016:1146)",
        "Utilities Procurement Act (2016:1146)",
    ),
    "FL": Text("Förvaltningslagen (2017:900)", "Administrative Procedure Act (2017:900)"),
    "TF": Text("Tryckfrihetsförordningen", "Freedom of the Press Act"),
    "OSL": Text(
        "Offentlighets- och sekretesslagen (2009:400)",
        "Public Access to Information and Secrecy Act (2009:400)",
    ),
    "ARKL": Text("Arkivlagen (1990:782)", "Archives Act (1990:782)"),
    "DL": Text("Diskrimineringslagen (2008:567)", "Discrimination Act (2008:567)"),
    "SPL": Text("Språklagen (2009:600)", "Language Act (2009:600)"),
    "DOS": Text(
        "Lagen (2018:1937) om tillgänglighet till digital offentlig service",
        "Act (2018:1937) on accessibility to digital public services",
    ),
    "SSL": Text("Säkerhetsskyddslagen (2018:585)", "Protective Security Act (2018:585)"),
    "CSL": Text(
        "Cybersäkerhetslagen (2025:1506)",
        "Swedish Cybersecurity Act (2025:1506)",
    ),
    "TPL": Text(
        "Lagen (2020:914) om tystnadsplikt vid utkontraktering av teknisk bearbetning eller lagring av uppgifter",
        "Act (2020:914) on confidentiality when technical processing or storage of data is outsourced",
    ),
    "SSF": Text(
        "Säkerhetsskyddsförordningen (2021:955)", "Protective Security Ordinance (2021:955)"
    ),
    "MBL": Text(
        "Lagen (1976:580) om medbestämmande i arbetslivet",
        "Co-determination in the Workplace Act (1976:580)",
    ),
    "MCC-HR": Text(
        "EU:s modellavtalsklausuler för upphandling av AI, högrisk",
        "EU model contractual clauses for AI procurement, high-risk",
    ),
    "MCC-L": Text(
        "EU:s modellavtalsklausuler för upphandling av AI, lätt version",
        "EU model contractual clauses for AI procurement, light version",
    ),
    "FM": Text(
        "Förtroendemodellen för automatiserade processer och beslut med stöd av AI",
        "Swedish trust model for automated processes and decisions supported by AI",
    ),
    "STD": Text("Standard", "Standard"),
}

# Sources that are not law: cited as guidance, never as the legal basis of a requirement.
GUIDANCE_SOURCES = frozenset({"MCC-HR", "MCC-L", "FM", "STD"})

# Short names for running text and reference lists, where the full title would be too long.
REFERENCE_SHORT_NAMES: dict[str, Text] = {
    "AIA": Text("AI-förordningen", "AI Act"),
    "GDPR": Text("Dataskyddsförordningen", "GDPR"),
    "DSL": Text("Dataskyddslagen", "Swedish Data Protection Act"),
    "LOU": Text("LOU", "LOU"),
    "LUF": Text("LUF", "LUF"),
    "FL": Text("Förvaltningslagen", "Administrative Procedure Act"),
    "TF": Text("Tryckfrihetsförordningen", "Freedom of the Press Act"),
    "OSL": Text("Offentlighets- och sekretesslagen", "Public Access and Secrecy Act"),
    "ARKL": Text("Arkivlagen", "Archives Act"),
    "DL": Text("Diskrimineringslagen", "Discrimination Act"),
    "SPL": Text("Språklagen", "Language Act"),
    "DOS": Text(
        "Lagen om tillgänglighet till digital offentlig service",
        "Digital Public Services Accessibility Act",
    ),
    "SSL": Text("Säkerhetsskyddslagen", "Protective Security Act"),
    "CSL": Text("Cybersäkerhetslagen", "Cybersecurity Act"),
    "TPL": Text("Lagen (2020:914) om tystnadsplikt", "Act (2020:914) on confidentiality"),
    "SSF": Text("Säkerhetsskyddsförordningen", "Protective Security Ordinance"),
    "MBL": Text("Medbestämmandelagen", "Co-determination Act"),
    "MCC-HR": Text("EU:s modellklausuler för AI (högrisk)", "EU model clauses for AI (high-risk)"),
    "MCC-L": Text("EU:s modellklausuler för AI (lätt)", "EU model clauses for AI (light)"),
    "FM": Text("Förtroendemodellen", "Swedish trust model for AI"),
    "STD": Text("Standard", "Standard"),
}

VERIFICATION_LABELS: dict[Verification, Text] = {
    Verification.SELF_DECLARATION: Text("Egen försäkran", "Self-declaration"),
    Verification.DESCRIPTION: Text("Beskrivning", "Description"),
    Verification.DOCUMENT: Text("Dokument", "Document"),
    Verification.CERTIFICATE: Text("Certifikat eller intyg", "Certificate or attestation"),
    Verification.DEMONSTRATION: Text("Demonstration", "Demonstration"),
    Verification.TEST: Text("Test på köparens egna data", "Test on the buyer's own data"),
    Verification.AUDIT: Text("Granskning eller revision", "Review or audit"),
}

PHASE_LABELS: dict[Phase, Text] = {
    Phase.TENDER: Text("I anbudet", "In the tender"),
    Phase.CONTRACT_START: Text("Vid avtalsstart", "At contract start"),
    Phase.CONTRACT_PERIOD: Text("Under avtalstiden", "During the contract"),
}

LEVEL_LABELS: dict[Level, Text] = {
    Level.SKA: Text("SKA (obligatoriskt krav)", "SKA (mandatory requirement)"),
    Level.BOR: Text("BÖR (utvärderas)", "BÖR (award criterion)"),
}

KIND_LABELS: dict[Kind, Text] = {
    Kind.QUALIFICATION: Text("Kvalificeringskrav", "Qualification requirement"),
    Kind.SPECIFICATION: Text("Krav på det som upphandlas", "Requirement on what is procured"),
    Kind.AWARD: Text("Tilldelningskriterium", "Award criterion"),
    Kind.CONTRACT: Text("Särskilt kontraktsvillkor", "Special contract condition"),
}

KIND_REFERENCES: dict[Kind, Text] = {
    Kind.QUALIFICATION: Text("LOU 14 kap.", "LOU chapter 14"),
    Kind.SPECIFICATION: Text("LOU 9 kap.", "LOU chapter 9"),
    Kind.AWARD: Text("LOU 16 kap.", "LOU chapter 16"),
    Kind.CONTRACT: Text("LOU 17 kap. 1 §", "LOU chapter 17 section 1"),
}

DATE_STATUS_LABELS: dict[DateStatus, Text] = {
    DateStatus.IN_FORCE: Text("gällande rätt", "law in force"),
    DateStatus.ADOPTED: Text(
        "antagen men ännu inte publicerad i EU:s officiella tidning",
        "adopted but not yet published in the Official Journal",
    ),
    DateStatus.AGREED: Text(
        "politiskt överenskommen men ännu inte antagen", "politically agreed but not yet adopted"
    ),
}

AMBITION_LABELS: dict[Ambition, Text] = {
    Ambition.BAS: Text("Bas", "Basic"),
    Ambition.AVANCERAD: Text("Avancerad", "Advanced"),
    Ambition.SPJUTSPETS: Text("Spjutspets", "Cutting edge"),
}

QUESTION_TYPE_LABELS: dict[QuestionType, Text] = {
    QuestionType.BOOL: Text("ja/nej", "yes/no"),
    QuestionType.SINGLE: Text("ett val", "single choice"),
    QuestionType.MULTIPLE: Text("flera val", "multiple choice"),
    QuestionType.TEXT: Text("text", "text"),
    QuestionType.NUMBER: Text("tal", "number"),
    QuestionType.DATE: Text("datum", "date"),
}
