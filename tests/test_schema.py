"""The editor schemas: up to date, valid draft-07, and in agreement with the loader.

If a test here says the committed schema files are out of date, regenerate them with

    PYTHONPATH=src python -m upphandla.library.schema

and commit the files in schemas/ together with the change that caused it.
"""

from __future__ import annotations

import datetime
import re
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from upphandla.library import parsing
from upphandla.library.loading import LIBRARY_FILE, LoadResult, load_library
from upphandla.library.model import Ambition, Level, Phase, QuestionType, Verification
from upphandla.library.schema import (
    SCHEMA_FILES,
    SchemaKind,
    library_schema,
    render_schema,
    write_schemas,
)
from upphandla.library.starter import create_starter_library
from upphandla.library.vocabulary import REFERENCE_SOURCES

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"
LIBRARIES = ROOT / "requirement_libraries"
DEFAULT = LIBRARIES / "default"
DOC = ROOT / "docs" / "library-format.md"
REGENERATE = (
    "The committed schema is out of date: regenerate it with `python -m upphandla.library.schema`"
)

KINDS: tuple[SchemaKind, ...] = ("library", "content")
VALIDATORS = {kind: Draft7Validator(library_schema(kind)) for kind in KINDS}

# The keywords the schemas may use: plain draft-07 that every editor understands.
ALLOWED_KEYWORDS = {
    "$schema",
    "definitions",
    "$ref",
    "type",
    "properties",
    "required",
    "additionalProperties",
    "enum",
    "items",
    "pattern",
    "oneOf",
    "anyOf",
    "minItems",
    "description",
}


# --- helpers ------------------------------------------------------------------------------------


def write_library(tmp_path: Path, files: dict[str, str]) -> Path:
    """Write a library folder from ``{relative path: YAML text}``; the text is dedented."""
    folder = tmp_path / "library"
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


def as_editor_reads(data: Any) -> Any:
    """YAML data as a YAML 1.2 editor sees it: dates are text, not date objects."""
    if isinstance(data, dict):
        return {key: as_editor_reads(value) for key, value in data.items()}
    if isinstance(data, list):
        return [as_editor_reads(value) for value in data]
    if isinstance(data, datetime.date):
        return data.isoformat()
    return data


def schema_kind(folder: Path, path: Path) -> SchemaKind:
    return "library" if path == folder / LIBRARY_FILE else "content"


def schema_errors(folder: Path) -> list[str]:
    """Every schema error in every YAML file of the library folder."""
    messages: list[str] = []
    paths = sorted(path for pattern in ("*.yaml", "*.yml") for path in folder.rglob(pattern))
    for path in paths:
        data = as_editor_reads(yaml.safe_load(path.read_text(encoding="utf-8")))
        validator = VALIDATORS[schema_kind(folder, path)]
        messages.extend(
            f"{path.name}: {error.json_path}: {error.message}"
            for error in validator.iter_errors(data)
        )
    return messages


def load(folder: Path) -> LoadResult:
    return load_library(folder, [LIBRARIES])


def rendered(result: LoadResult) -> list[str]:
    return [problem.render("en") for problem in result.problems]


def sv_en(sv: str, en: str) -> dict[str, str]:
    return {"sv": sv, "en": en}


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# --- the committed files ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_file_is_up_to_date(kind: SchemaKind) -> None:
    committed = SCHEMAS / SCHEMA_FILES[kind]
    assert committed.is_file(), REGENERATE
    assert committed.read_text(encoding="utf-8") == render_schema(kind), REGENERATE


def test_write_schemas_writes_both_files(tmp_path: Path) -> None:
    written = write_schemas(tmp_path)
    assert [path.name for path in written] == list(SCHEMA_FILES.values())
    for path, kind in zip(written, SCHEMA_FILES, strict=True):
        raw = path.read_bytes()
        assert raw.endswith(b"}\n")
        assert raw.decode("utf-8") == render_schema(kind)
        assert "Små bokstäver" in raw.decode("utf-8")  # Swedish kept, not \u-escaped


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_07(kind: SchemaKind) -> None:
    schema = library_schema(kind)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    Draft7Validator.check_schema(schema)


def _keywords(schema: Any) -> Iterator[str]:
    if not isinstance(schema, dict):
        return
    for key, value in schema.items():
        yield key
        if key in ("properties", "definitions"):
            for sub in value.values():
                yield from _keywords(sub)
        elif key == "items":
            yield from _keywords(value)
        elif key in ("oneOf", "anyOf"):
            for sub in value:
                yield from _keywords(sub)


def _object_schemas(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        if schema.get("type") == "object":
            yield schema
        for value in schema.values():
            yield from _object_schemas(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _object_schemas(value)


@pytest.mark.parametrize("kind", KINDS)
def test_schema_uses_only_plain_draft_07_keywords(kind: SchemaKind) -> None:
    schema = library_schema(kind)
    assert set(_keywords(schema)) <= ALLOWED_KEYWORDS
    for item in _object_schemas(schema):
        assert item["additionalProperties"] is False


def test_schema_fields_are_the_parser_fields() -> None:
    definitions = library_schema("content")["definitions"]
    fields = {
        "question": parsing.QUESTION_FIELDS,
        "derived": parsing.DERIVED_FIELDS,
        "area": parsing.AREA_FIELDS,
        "date": parsing.DATE_FIELDS,
        "requirement": parsing.REQUIREMENT_FIELDS,
    }
    for name, expected in fields.items():
        assert set(definitions[name]["properties"]) == set(expected), name
        assert set(definitions[f"{name}_override"]["properties"]) == set(expected), name
        assert definitions[f"{name}_override"]["required"] == ["id"]
    assert set(definitions["override"]["properties"]) == set(parsing.KINDS)
    assert set(definitions["remove"]["properties"]) == set(parsing.KINDS)
    assert set(library_schema("content")["properties"]) == set(parsing.CONTENT_KEYS)
    assert set(library_schema("library")["properties"]) == {
        *parsing.LIBRARY_KEYS,
        *parsing.CONTENT_KEYS,
    }


# --- the default library ------------------------------------------------------------------------

DEFAULT_FILES = sorted(DEFAULT.rglob("*.yaml"))


@pytest.mark.parametrize(
    "path", DEFAULT_FILES, ids=lambda path: path.relative_to(DEFAULT).as_posix()
)
def test_default_library_file_validates(path: Path) -> None:
    data = as_editor_reads(yaml.safe_load(path.read_text(encoding="utf-8")))
    errors = [error.message for error in VALIDATORS[schema_kind(DEFAULT, path)].iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize(
    "path", DEFAULT_FILES, ids=lambda path: path.relative_to(DEFAULT).as_posix()
)
def test_default_library_file_names_its_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first_line)
    assert match is not None, first_line
    target = (path.parent / match.group(1)).resolve()
    assert target == (SCHEMAS / SCHEMA_FILES[schema_kind(DEFAULT, path)]).resolve()


def test_default_library_loads_cleanly() -> None:
    result = load(DEFAULT)
    assert result.library is not None, rendered(result)
    assert result.errors == []


# --- bad libraries: the schema and the loader both refuse them ----------------------------------


def base_library() -> dict[str, Any]:
    return {
        "format": 1,
        "id": "prov",
        "name": sv_en("Provbibliotek", "Test library"),
        "version": "1.0.0",
    }


def base_content() -> dict[str, Any]:
    return {
        "questions": [
            {
                "id": "affects_individuals",
                "type": "bool",
                "label": sv_en("Påverkar enskilda", "Affects individuals"),
                "prompt": sv_en("Påverkar systemet enskilda?", "Does it affect individuals?"),
                "help": sv_en("Styr kraven på mänsklig kontroll.", "Drives oversight."),
                "default": False,
            },
            {
                "id": "functions",
                "type": "multiple",
                "prompt": sv_en("Vad gör systemet?", "What does the system do?"),
                "help": sv_en("Styr transparenskraven.", "Drives transparency duties."),
                "default": [],
                "choices": [
                    {"value": "chatbot", "label": sv_en("Chattbot", "Chatbot")},
                    {"value": "other", "label": sv_en("Annat", "Other")},
                ],
            },
        ],
        "derived": [
            {
                "id": "needs_notice",
                "label": sv_en("AI-upplysning krävs", "AI notice required"),
                "expression": "'chatbot' in functions",
            }
        ],
        "areas": [{"id": "transparency", "title": sv_en("Transparens", "Transparency")}],
        "dates": [
            {
                "id": "aia_transparency",
                "date": datetime.date(2026, 8, 2),
                "label": sv_en("Artikel 50 börjar gälla", "Article 50 applies"),
            }
        ],
        "requirements": [
            {
                "id": "TRA-01",
                "area": "transparency",
                "title": sv_en("Upplysning om AI", "AI notice"),
                "when": "needs_notice",
                "text": sv_en(
                    "Lösningen ska tala om att användaren möter en AI.",
                    "The solution shall tell users that they are dealing with an AI.",
                ),
                "level": "ska",
                "kind": "specification",
                "ambition": "bas",
                "verification": ["demonstration"],
                "evidence": sv_en("Demonstration.", "Demonstration."),
                "phase": "tender",
                "references": [{"source": "AIA", "ref": "50(1)"}],
                "rationale": sv_en("Man har rätt att veta.", "People have a right to know."),
                "applies_from": "aia_transparency",
            }
        ],
    }


Mutation = Callable[[dict[str, Any], dict[str, Any]], object]


def requirement(content: dict[str, Any]) -> dict[str, Any]:
    return content["requirements"][0]  # type: ignore[no-any-return]


def question(content: dict[str, Any], index: int = 0) -> dict[str, Any]:
    return content["questions"][index]  # type: ignore[no-any-return]


def derived(content: dict[str, Any]) -> dict[str, Any]:
    return content["derived"][0]  # type: ignore[no-any-return]


def add_question(content: dict[str, Any], **fields: Any) -> None:
    item = {"prompt": sv_en("Fråga?", "Question?"), "help": sv_en("Hjälp.", "Help.")}
    content["questions"].append({**item, **fields})


BAD: list[Any] = [
    # requirements
    pytest.param(
        lambda lib, c: requirement(c).update(priority="hög"), id="requirement-unknown-field"
    ),
    pytest.param(lambda lib, c: requirement(c).update(level="måste"), id="requirement-wrong-level"),
    pytest.param(
        lambda lib, c: requirement(c).update(ambition="hög"), id="requirement-wrong-ambition"
    ),
    pytest.param(lambda lib, c: requirement(c).update(phase="later"), id="requirement-wrong-phase"),
    pytest.param(
        lambda lib, c: requirement(c).update(verification=["telepathy"]),
        id="requirement-unknown-verification-method",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(references=[{"source": "EUAI", "ref": "50"}]),
        id="requirement-unknown-reference-source",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(
            references=[{"source": "AIA", "ref": "50", "page": 3}]
        ),
        id="reference-unknown-field",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(references=[]), id="requirement-no-references"
    ),
    pytest.param(lambda lib, c: requirement(c).pop("title"), id="requirement-missing-title"),
    pytest.param(lambda lib, c: requirement(c).pop("phase"), id="requirement-missing-phase"),
    pytest.param(
        lambda lib, c: requirement(c).update(text="Lösningen ska tala om att det är en AI."),
        id="text-as-plain-string",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(title={"en": "Only English"}),
        id="text-without-swedish",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(title={"sv": "  ", "en": "Blank Swedish"}),
        id="text-with-blank-swedish",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(title={"sv": "T", "en": "T", "de": "T"}),
        id="text-with-third-language",
    ),
    pytest.param(lambda lib, c: requirement(c).update(when="   "), id="condition-empty"),
    pytest.param(lambda lib, c: requirement(c).update(when=1), id="condition-a-number"),
    pytest.param(
        lambda lib, c: requirement(c).update(escalate=[{"level": "ska"}]),
        id="escalate-without-when",
    ),
    pytest.param(lambda lib, c: requirement(c).update(kind="wish"), id="kind-unknown"),
    pytest.param(
        lambda lib, c: requirement(c).update(ska={"kind": "specification"}),
        id="ska-block-without-text",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(ska={"kind": "nice", "text": sv_en("a", "b")}),
        id="ska-block-unknown-kind",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(
            references=[{"source": "AIA", "ref": "14", "binding": "maybe"}]
        ),
        id="reference-binding-not-a-boolean",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(
            references=[{"source": "AIA", "ref": "14", "bindning": False}]
        ),
        id="reference-unknown-field",
    ),
    pytest.param(
        lambda lib, c: c.update(
            dates=[
                {"id": "d", "date": "2026-01-01", "label": sv_en("a", "b"), "status": "rumoured"}
            ]
        ),
        id="date-unknown-status",
    ),
    pytest.param(lambda lib, c: c.update(duties=[{"id": "d"}]), id="duty-without-title"),
    pytest.param(
        lambda lib, c: requirement(c).update(level="bor", evaluation={"bonus": 5}),
        id="evaluation-unknown-key",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(area="Transparens och AI"),
        id="requirement-area-not-an-id",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(verification=[]),
        id="requirement-empty-verification",
    ),
    pytest.param(
        lambda lib, c: requirement(c).update(verification=None),
        id="requirement-null-verification",
    ),
    # questions
    pytest.param(lambda lib, c: question(c).update(type="slider"), id="question-type-unknown"),
    pytest.param(
        lambda lib, c: question(c, 1)["choices"][0].pop("value"), id="choice-without-value"
    ),
    pytest.param(
        lambda lib, c: question(c, 1)["choices"][1].update(value="Something else"),
        id="choice-value-not-an-id",
    ),
    pytest.param(
        lambda lib, c: question(c).update(required="ja"), id="question-required-not-boolean"
    ),
    pytest.param(lambda lib, c: question(c).pop("prompt"), id="question-missing-prompt"),
    pytest.param(
        lambda lib, c: add_question(c, id="Antal", type="number"), id="question-id-not-lower-case"
    ),
    pytest.param(
        lambda lib, c: add_question(c, id="staff", type="number", min="tio"),
        id="question-min-not-a-number",
    ),
    # derived values, areas, dates
    pytest.param(lambda lib, c: derived(c).update(formula="x"), id="derived-unknown-field"),
    pytest.param(
        lambda lib, c: derived(c).update(values=[{"value": 1.5, "label": sv_en("A", "A")}]),
        id="derived-value-a-decimal",
    ),
    pytest.param(
        lambda lib, c: derived(c).update(
            cases=[{"when": "affects_individuals", "value": True}], otherwise=False
        ),
        id="derived-expression-and-cases",
    ),
    pytest.param(
        lambda lib, c: derived(c).pop("expression"), id="derived-neither-expression-nor-cases"
    ),
    pytest.param(
        lambda lib, c: (
            derived(c).pop("expression"),
            derived(c).update(cases=[{"when": "affects_individuals"}], otherwise=False),
        ),
        id="derived-case-without-value",
    ),
    pytest.param(lambda lib, c: c["areas"][0].update(colour="blå"), id="area-extra-field"),
    pytest.param(lambda lib, c: c["dates"][0].update(date="snart"), id="date-not-a-date"),
    # file structure, override and remove
    pytest.param(lambda lib, c: c.update(krav=[]), id="content-unknown-top-level-key"),
    pytest.param(
        lambda lib, c: c.update(override={"requirements": [{"id": "TRA-01", "priority": "hög"}]}),
        id="override-unknown-field",
    ),
    pytest.param(
        lambda lib, c: c.update(override={"rules": [{"id": "TRA-01"}]}), id="override-unknown-kind"
    ),
    pytest.param(
        lambda lib, c: c.update(override={"requirements": [{"level": "bor"}]}),
        id="override-without-id",
    ),
    pytest.param(lambda lib, c: c.update(remove={"areas": [5]}), id="remove-not-an-id"),
    # library.yaml
    pytest.param(lambda lib, c: lib.pop("version"), id="library-missing-version"),
    pytest.param(lambda lib, c: lib.update(version="1.0"), id="library-version-not-semver"),
    pytest.param(lambda lib, c: lib.update(id="Prov"), id="library-id-upper-case"),
    pytest.param(lambda lib, c: lib.update(format=2), id="library-format-2"),
    pytest.param(lambda lib, c: lib.update(owner="kommunen"), id="library-unknown-field"),
    pytest.param(lambda lib, c: lib.update(name="Provbibliotek"), id="library-name-plain-string"),
]


@pytest.mark.parametrize("mutate", BAD)
def test_bad_library_is_refused_by_schema_and_loader(tmp_path: Path, mutate: Mutation) -> None:
    library, content = base_library(), base_content()
    mutate(library, content)
    folder = write_library(tmp_path, {"library.yaml": dump(library), "content.yaml": dump(content)})

    assert schema_errors(folder), "the schema accepts the bad library"
    result = load(folder)
    assert result.library is None, "the loader accepts the bad library"
    assert result.errors


def test_bad_table_starts_from_a_good_library(tmp_path: Path) -> None:
    folder = write_library(
        tmp_path, {"library.yaml": dump(base_library()), "content.yaml": dump(base_content())}
    )
    assert schema_errors(folder) == []
    result = load(folder)
    assert result.library is not None, rendered(result)
    assert rendered(result) == []  # not even a warning


# --- good libraries: the schema and the loader both accept them ---------------------------------

FULL_LIBRARY = {
    "library.yaml": """
        # yaml-language-server: $schema=../schemas/library.schema.json
        format: 1
        id: full-example
        name: {sv: Fullt exempel, en: Full example}
        description:
          sv: Använder varje fält i formatet.
          en: Uses every field of the format.
        version: "2.1.0-rc.1"
        license: CC-BY-4.0
        authors: Kommunens upphandlare
        """,
    "questions.yaml": """
        questions:
          - id: organisation
            type: text
            label: {sv: Organisation, en: Organisation}
            prompt: {sv: "Vilken organisation?", en: "Which organisation?"}
            help: {sv: Står på försättsbladet., en: Goes on the cover.}
          - id: uses_ai
            type: bool
            prompt: {sv: "Används AI?", en: "Is AI used?"}
            help: {sv: Styr allt., en: Drives everything.}
            default: true
          - id: users
            type: number
            when: uses_ai
            required: false
            min: 0
            max: 100000
            prompt: {sv: "Hur många använder systemet?", en: "How many use the system?"}
            help: {sv: Ungefär räcker., en: Roughly is fine.}
          - id: language
            type: single
            after: organisation
            prompt: {sv: "Vilket språk?", en: "Which language?"}
            help: {sv: Styr språkkraven., en: Drives language requirements.}
            default: sv
            choices:
              - value: sv
                label: {sv: Svenska, en: Swedish}
              - value: en
                label: {sv: Engelska, en: English}
                help: {sv: "Till exempel för internationell personal.", en: "For example for international staff."}
          - id: functions
            type: multiple
            prompt: {sv: "Vad gör systemet?", en: "What does it do?"}
            help: {sv: Välj allt som stämmer., en: Choose all that apply.}
            default: []
            choices:
              - {value: chatbot, label: {sv: Chattbot, en: Chatbot}}
              - {value: other, label: {sv: Annat, en: Other}}
          - id: go_live
            type: date
            required: false
            prompt: {sv: "När ska systemet tas i drift?", en: "When does the system go live?"}
            help: {sv: Jämförs med datumen i lagen., en: Compared with the dates of the law.}
        """,
    "derived.yaml": """
        derived:
          - id: large
            label: {sv: Många användare, en: Many users}
            description: {sv: Fler än 1000 användare., en: More than 1000 users.}
            expression: users is not none and users > 1000
            references:
              - {source: AIA, ref: "26(2)", when: large}
          - id: risk
            label: {sv: Risk, en: Risk}
            values:
              - {value: limited, label: {sv: Begränsad, en: Limited}}
              - {value: minimal, label: {sv: Minimal, en: Minimal}}
            cases:
              - when: "'chatbot' in functions"
                value: limited
                reason: {sv: Systemet samtalar med människor., en: The system talks with people.}
                references:
                  - {source: AIA, ref: "50(1)"}
            otherwise: minimal
            otherwise_reason: {sv: Inga transparenskrav., en: No transparency duties.}
          - id: notice_weight
            label: {sv: Upplysningens vikt, en: Weight of the notice}
            values:
              - {value: 1, label: {sv: Låg, en: Low}}
              - {value: 2, label: {sv: Hög, en: High}}
            cases:
              - when: risk == 'limited'
                value: 2
            otherwise: 1
        """,
    "requirements/areas.yaml": """
        areas:
          - id: transparency
            title: {sv: Transparens, en: Transparency}
            description: {sv: Att människor vet att de möter en AI., en: People know they meet an AI.}
        dates:
          - id: aia_transparency
            date: 2026-08-02
            label: {sv: Artikel 50 börjar gälla, en: Article 50 applies}
            note: {sv: Kan flyttas., en: May move.}
            changed_by: digital_omnibus_2026
            status: adopted
            source: {sv: Omnibusförordningen, en: The omnibus}
            original_date: 2026-06-01
        duties:
          - id: inform_people
            title: {sv: Informera, en: Inform}
            text: {sv: Informera de berörda., en: Inform the people concerned.}
            when: risk == 'limited'
            references:
              - {source: AIA, ref: "50(3)", binding: false}
            applies_from: aia_transparency
        """,
    "requirements/transparency.yaml": """
        requirements:
          - id: TRA-01
            area: transparency
            title: {sv: Upplysning om AI, en: AI notice}
            when: risk == 'limited'
            text:
              sv: |-
                Lösningen ska:

                - tala om att användaren möter en AI,
                - göra det innan samtalet börjar.
              en: |-
                The solution shall:

                - tell users that they are dealing with an AI,
                - do so before the conversation starts.
            level: bor
            kind: award
            ambition: avancerad
            escalate:
              - when: large
                level: ska
                reason: {sv: Många berörs., en: Many people are affected.}
            ska:
              kind: specification
              title: {sv: Upplysning om AI för alla, en: AI notice for everyone}
              text: {sv: Lösningen ska upplysa om AI., en: The solution shall give an AI notice.}
              evidence: {sv: Demonstration och skärmbilder., en: Demonstration and screenshots.}
            supports: [inform_people]
            buyer_input: [language]
            verification: demonstration
            evidence: {sv: Demonstration., en: Demonstration.}
            phase: contract_start
            evaluation: {points: 10, deduction_sek: 50000, deduction_percent: 2.5}
            references:
              - {source: AIA, ref: "50(1)"}
              - {source: FL, ref: "9 §"}
              - {source: OSL, ref: "2 kap."}
            rationale: {sv: Man har rätt att veta., en: People have a right to know.}
            tags: FM2
            applies_from: aia_transparency
          - id: TRA-02
            area: transparency
            title: {sv: Loggar, en: Logs}
            when: true
            text: {sv: Lösningen ska logga., en: The solution shall log.}
            level: ska
            kind: contract
            verification: [document, audit]
            evidence: {sv: Loggexempel., en: Sample logs.}
            phase: contract_period
            references:
              - {source: ARKL, ref: 3}
            rationale: {sv: Allmänna handlingar ska bevaras., en: Public records must be kept.}
            tags: [arkiv, FM3]
        """,
}

EXTENDS_DEFAULT = {
    "library.yaml": """
        format: 1
        id: kommun
        name: {sv: Kommunens bibliotek, en: The municipality's library}
        version: "1.0.0"
        extends: default
        """,
    "kommun.yaml": """
        questions:
          - id: union_consulted
            type: bool
            after: used_on_employees
            when: used_on_employees
            label: {sv: Facket informerat, en: Union informed}
            prompt: {sv: "Har facket informerats?", en: "Has the union been informed?"}
            help: {sv: "MBL 11 § kräver förhandling.", en: "The Co-determination Act requires negotiation."}
            default: false
        areas:
          - id: work_environment
            title: {sv: Arbetsmiljö, en: Work environment}
        requirements:
          - id: KOM-01
            area: work_environment
            title: {sv: Stöd vid förhandling, en: Support for negotiation}
            when: used_on_employees and not union_consulted
            text: {sv: Leverantören ska bistå vid MBL-förhandling., en: The supplier shall assist in negotiations.}
            level: ska
            kind: contract
            verification: [self_declaration]
            evidence: {sv: Försäkran., en: Declaration.}
            phase: contract_start
            references:
              - {source: MBL, ref: "11 §"}
              - {source: AIA, ref: "26(7)", when: high_risk}
            rationale: {sv: Arbetsgivaren ska förhandla., en: The employer must negotiate.}
        override:
          questions:
            - id: ambition
              default: avancerad
          requirements:
            - id: AI-MKT-01
              ambition: avancerad
              tags: [FM2, kommun]
        remove:
          requirements: [AI-DAT-01]
        """,
}

GOOD: list[Any] = [
    pytest.param(
        {"library.yaml": dump(base_library()), "content.yaml": dump(base_content())},
        id="minimal-from-dicts",
    ),
    pytest.param(FULL_LIBRARY, id="every-field"),
    pytest.param(EXTENDS_DEFAULT, id="extends-default-with-override-and-remove"),
    pytest.param(
        {
            "library.yaml": """
                id: only-library-yaml
                name: {sv: "Allt i en fil", en: "All in one file"}
                version: 0.1.0
                areas:
                  - {id: general, title: {sv: Allmänt, en: General}}
                requirements:
                  - id: GEN.1
                    area: general
                    title: {sv: Svenska}
                    text: {sv: Gränssnittet ska finnas på svenska., en: The interface shall be in Swedish.}
                    level: ska
                    verification: demonstration
                    evidence: {sv: Demonstration., en: Demonstration.}
                    phase: tender
                    references: [{source: SPL, ref: "12 §"}]
                """,
        },
        id="everything-in-library-yaml-english-title-missing",
    ),
]


@pytest.mark.parametrize("files", GOOD)
def test_good_library_is_accepted_by_schema_and_loader(
    tmp_path: Path, files: dict[str, str]
) -> None:
    folder = write_library(tmp_path, files)

    assert schema_errors(folder) == []
    result = load(folder)
    assert result.library is not None, rendered(result)
    assert result.errors == []


def test_every_field_example_composes_as_written(tmp_path: Path) -> None:
    result = load(write_library(tmp_path, FULL_LIBRARY))
    assert result.library is not None, rendered(result)
    assert rendered(result) == []
    library = result.library
    assert [q.id for q in library.questions][:2] == ["organisation", "language"]
    assert library.requirements[0].verification[0].value == "demonstration"
    assert library.requirements[0].tags == ("FM2",)


def test_extending_default_overrides_and_removes(tmp_path: Path) -> None:
    result = load(write_library(tmp_path, EXTENDS_DEFAULT))
    assert result.library is not None, rendered(result)
    library = result.library
    ids = [q.id for q in library.questions]
    assert ids.index("used_on_employees") < ids.index("union_consulted") < ids.index("ambition")
    assert "AI-DAT-01" not in [r.id for r in library.requirements]
    assert library.question("ambition").default == "avancerad"  # type: ignore[union-attr]


@pytest.mark.parametrize("extends", ["default", None])
def test_starter_library_is_accepted_by_schema_and_loader(
    tmp_path: Path, extends: str | None
) -> None:
    folder = tmp_path / "mitt-bibliotek"
    create_starter_library(folder, extends=extends, library_id=None, force=False)

    assert schema_errors(folder) == []
    result = load(folder)
    assert result.library is not None, rendered(result)
    assert rendered(result) == []


# --- the example in docs/library-format.md ------------------------------------------------------

EXAMPLE_BLOCK = re.compile(
    r"<!-- example: (?P<path>[\w./-]+) -->\s*```yaml\n(?P<text>.*?)```", re.S
)


def test_documented_example_library_loads_cleanly(tmp_path: Path) -> None:
    blocks = {
        m.group("path"): m.group("text") for m in EXAMPLE_BLOCK.finditer(DOC.read_text("utf-8"))
    }
    assert "library.yaml" in blocks, "docs/library-format.md lost its example library"
    folder = write_library(tmp_path, blocks)

    assert schema_errors(folder) == []
    result = load(folder)
    assert result.library is not None, rendered(result)
    assert rendered(result) == []


def test_documentation_lists_every_vocabulary_value() -> None:
    text = DOC.read_text("utf-8")
    values = [
        *REFERENCE_SOURCES,
        *(
            member.value
            for kind in (QuestionType, Level, Ambition, Phase, Verification)
            for member in kind
        ),
    ]
    missing = [value for value in values if f"`{value}`" not in text]
    assert missing == [], "docs/library-format.md does not mention these values"


def test_documented_snippets_of_whole_sections_validate() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text("utf-8"), re.S)
    checked = 0
    for block in blocks:
        data = yaml.safe_load(block)
        if isinstance(data, dict) and set(data) <= set(parsing.CONTENT_KEYS):
            errors = [e.message for e in VALIDATORS["content"].iter_errors(as_editor_reads(data))]
            assert errors == [], block
            checked += 1
    assert checked >= 6
