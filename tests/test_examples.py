"""The example purchases: each classification checked against the AI Act by hand (docs/examples.md)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import REPO
from upphandla.cli import app

runner = CliRunner()

# example: (risk class, FRIA art. 27, registration art. 49(3), DPIA likely)
EXPECTED = {
    "chattbot-medborgare": ("limited", False, False, True),
    "ekonomiskt-bistand": ("high", True, True, True),
    "taligenkanning-vard": ("minimal", False, False, True),
    "cv-granskning": ("high", True, True, True),
    "dokumentsok-intern": ("minimal", False, False, False),
    "ruttplanering-hemtjanst": ("minimal", False, False, True),
    "provrattning-gymnasium": ("high", True, True, True),
    "oversattning-information": ("limited", False, False, False),
}


def test_every_example_is_listed() -> None:
    assert {path.stem for path in (REPO / "examples").glob("*.yaml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_classification(name: str) -> None:
    result = runner.invoke(
        app, ["explain", "--answers", str(REPO / "examples" / f"{name}.yaml"), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    derived = data["derived"]
    assert (
        derived["risk_class"],
        derived["fria_required"],
        derived["registration_required"],
        derived["dpia_required"],
    ) == EXPECTED[name]
    assert data["requirements"], "every purchase gets requirements"
    assert all(requirement["reasons"] for requirement in data["requirements"])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_explains_in_english_too(name: str) -> None:
    result = runner.invoke(
        app, ["explain", "--answers", str(REPO / "examples" / f"{name}.yaml"), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "Classification under the AI Act" in result.stdout
    assert "not legal advice" in result.stdout
