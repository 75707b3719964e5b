"""``declare --format register``: the declaration as an Algoritmeregister entry, checked against
the vendored JSON Schema of the publication standard 1.0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from conftest import REPO
from upphandla.cli.app import app
from upphandla.documents.register import FIELDS, REGISTER_REQUIREMENT, STANDARD

runner = CliRunner()
EXAMPLES = sorted((REPO / "examples").glob("*.yaml"))
SCHEMA = json.loads((REPO / "schemas" / "algoritmeregister-1.0.schema.json").read_text("utf-8"))
DATE = ["--date", "2026-11-27"]


def declare(out: Path, example: Path, *extra: str) -> dict:
    result = runner.invoke(
        app,
        [
            "declare",
            "--answers",
            str(example),
            "--out",
            str(out),
            *DATE,
            "--format",
            "register",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    assert not (out / "transparensdeklaration.docx").exists()
    return json.loads((out / "algoritmeregister.json").read_text(encoding="utf-8"))


def complete(export: dict) -> dict:
    """The entry as a buyer completes it: every gap filled with a value of the right form."""
    entry = dict(export["entry"])
    samples = {
        "text": "Ifyllt av köparen.",
        "url": "https://example.invalid/sida",
        "url_or_email": "ai@example.invalid",
        "month": "2027-03",
        "list": ["Werk en inkomen"],
    }
    for spec in FIELDS:
        if spec.name not in entry:
            entry[spec.name] = spec.choices[0] if spec.choices else samples[spec.kind]
    return entry


def test_the_schema_names_the_fields_of_the_standard() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    fields = SCHEMA["$defs"]["fields"]["properties"]
    assert list(fields) == [spec.name for spec in FIELDS]
    assert len(FIELDS) == 32
    assert SCHEMA["$defs"]["entry"]["required"] == [s.name for s in FIELDS if s.required]
    for spec in FIELDS:
        assert fields[spec.name].get("maxLength") == spec.max_length or spec.kind != "text"


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_every_example_exports_a_valid_entry(tmp_path: Path, example: Path) -> None:
    export = declare(tmp_path, example)
    validator = Draft202012Validator(SCHEMA)
    assert not list(validator.iter_errors(export)), [
        e.message for e in validator.iter_errors(export)
    ]
    assert export["standard"]["schema_version"] == "1.0.0" == export["entry"]["Schema"]
    assert export["standard"]["publication"] == STANDARD["publication"]
    gaps = {gap["field"] for gap in export["gaps"] if gap["kind"] == "missing"}
    assert gaps.isdisjoint(export["entry"])
    assert gaps | set(export["entry"]) == {spec.name for spec in FIELDS}
    assert "Contactgegevens" in gaps
    technical = next(gap["hint"] for gap in export["gaps"] if gap["field"] == "Technische werking")
    if example.stem == "dokumentsok-intern":  # a light purchase at bas: no register condition
        assert REGISTER_REQUIREMENT not in technical
        assert "inget villkor" in technical
    else:
        assert REGISTER_REQUIREMENT in technical
    for mapped in export["atrs"]["fields"]:
        assert export["entry"][mapped["field"]] == mapped["value"]
    # The entry the buyer completes is a full, valid entry of the standard.
    full = Draft202012Validator({"$ref": "#/$defs/entry", "$defs": SCHEMA["$defs"]})
    entry = complete(export)
    assert not list(full.iter_errors(entry)), [e.message for e in full.iter_errors(entry)]


def test_an_incomplete_entry_is_refused_by_the_schema(tmp_path: Path) -> None:
    export = declare(tmp_path, REPO / "examples" / "ekonomiskt-bistand.yaml")
    validator = Draft202012Validator(SCHEMA)
    missing_gap = dict(export, gaps=[g for g in export["gaps"] if g["field"] != "Contactgegevens"])
    assert list(validator.iter_errors(missing_gap))
    too_long = dict(export, entry=dict(export["entry"], Naam="x" * 100))
    assert list(validator.iter_errors(too_long))
    with_break = dict(export, entry=dict(export["entry"], Naam="rad ett\nrad två"))
    assert list(validator.iter_errors(with_break))
    wrong_status = dict(export, entry=dict(export["entry"], Status="Aktiv"))
    assert list(validator.iter_errors(wrong_status))


def test_an_answer_longer_than_the_field_becomes_a_gap(tmp_path: Path) -> None:
    title = "Ett mycket långt namn på upphandlingen " * 4
    export = declare(
        tmp_path,
        REPO / "examples" / "ekonomiskt-bistand.yaml",
        "--set",
        f"procurement_title={title}",
    )
    assert "Naam" not in export["entry"]
    gap = next(gap for gap in export["gaps"] if gap["field"] == "Naam")
    assert gap["required"]
    assert "99" in gap["hint"]
    assert not list(Draft202012Validator(SCHEMA).iter_errors(export))


def test_english_export_and_unknown_formats(tmp_path: Path) -> None:
    export = declare(tmp_path / "en", REPO / "examples" / "ekonomiskt-bistand.yaml", "--lang", "en")
    assert export["entry"]["Taal"] == "eng"
    assert export["language"] == "en"
    result = runner.invoke(
        app,
        [
            "declare",
            "--answers",
            str(REPO / "examples" / "ekonomiskt-bistand.yaml"),
            "--out",
            str(tmp_path / "x"),
            "--format",
            "register,xlsx",
        ],
    )
    assert result.exit_code == 2
    assert "okänt format: xlsx; välj docx, md, register" in result.output


def test_declare_writes_word_and_markdown_by_default(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "declare",
            "--answers",
            str(REPO / "examples" / "ekonomiskt-bistand.yaml"),
            "--out",
            str(tmp_path),
            *DATE,
        ],
    )
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "transparensdeklaration.docx",
        "transparensdeklaration.md",
    ]
