"""``upphandla explain``: classification, reasons, JSON export and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO
from golden import assert_matches_golden
from upphandla.cli.app import app

runner = CliRunner()
FIXTURE = Path(__file__).parent / "fixtures" / "selection_library"
EXAMPLES = REPO / "examples"

FIXTURE_ANSWERS = [
    "--library", str(FIXTURE), "--set", "functions=chatbot", "--set", "affects_individuals=ja",
    "--set", "human_review=nej", "--set", "personal_data=special_categories", "--defaults",
]  # fmt: skip


@pytest.mark.parametrize("language", ["sv", "en"])
def test_explain_text_golden(language: str) -> None:
    result = runner.invoke(app, ["explain", *FIXTURE_ANSWERS, "--lang", language])
    assert result.exit_code == 0, result.output
    assert_matches_golden(f"explain-fixture-{language}.txt", result.stdout)


def test_explain_json_has_the_documented_fields() -> None:
    result = runner.invoke(app, ["explain", *FIXTURE_ANSWERS, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format_version"] == 1
    assert set(data["library"]) == {"id", "version", "sha256"}
    assert data["derived"]["risk_class"] == "high"
    assert data["answers"]["functions"] == ["chatbot"]
    requirement = next(r for r in data["requirements"] if r["id"] == "T-REVIEW")
    assert requirement["level"] == "ska"
    assert requirement["library_level"] == "bor"
    assert requirement["references"] == [{"source": "GDPR", "ref": "22", "binding": True}]
    assert requirement["reasons"] == ["Påverkar beslut om enskilda: ja"]
    for key in ("id", "level", "ambition", "area", "title", "text", "references", "reasons"):
        assert key in requirement
    assert data["excluded"] == []


def test_prohibited_practice_is_shown_with_article_5() -> None:
    result = runner.invoke(
        app,
        [
            "explain",
            "--answers",
            str(EXAMPLES / "chattbot-medborgare.yaml"),
            "--set",
            "prohibited_practices=social_scoring",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Förbjuden användning" in result.stdout
    assert "AI-förordningen art. 5" in result.stdout


def test_missing_answers_are_listed(tmp_path: Path) -> None:
    result = runner.invoke(app, ["explain", "--set", "organisation=X"])
    assert result.exit_code == 1
    assert "Svar saknas på 'procurement_title'" in result.stderr
    assert "Svar saknas på 'buyer_type'" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            "answers:\n  ambition: [bas]\n",
            "svar.yaml:2:13: fel: Svaret på 'ambition' går inte att använda",
        ),
        (
            "answers:\n  ambitoin: bas\n",
            "svar.yaml:2:3: fel: Det finns ingen fråga med id 'ambitoin'",
        ),
        ("answers:\n  profiling: kanske\n", "svar.yaml:2:14: fel: Svaret på 'profiling'"),
        ("answers: [\n", "svar.yaml:2:1: fel: YAML-syntaxfel"),
        ("", "svar.yaml:1:1: fel: Filen är tom."),
    ],
)
def test_bad_answers_files_are_located(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "svar.yaml"
    path.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["explain", "--answers", str(path)])
    assert result.exit_code == 1
    assert expected in result.stderr
    assert "Traceback" not in result.output


def test_answers_from_standard_input() -> None:
    text = (EXAMPLES / "dokumentsok-intern.yaml").read_text(encoding="utf-8")
    result = runner.invoke(app, ["explain", "--answers", "-", "--format", "json"], input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["classification"]["risk_class"] == "minimal"


def test_unknown_format_is_a_usage_error() -> None:
    result = runner.invoke(app, ["explain", "--format", "pdf"])
    assert result.exit_code == 2
