"""Swedish everywhere in the Swedish interface, English everywhere with ``--lang en``.

Every command's ``--help`` and a set of usage and input errors are run in both languages; the
Swedish output fails on English words (Click's own among them) and the English output on
Swedish ones. Click's strings are translated through Typer's hooks (``cli/interface.py``), which
rely on Typer's vendored Click; the Typer versions this is checked with are pinned here.
"""

from __future__ import annotations

import re
from importlib.metadata import version
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from upphandla.cli.app import app
from upphandla.cli.interface import ENGLISH, detect_language

runner = CliRunner()
ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "ekonomiskt-bistand.yaml"

ENGLISH_WORDS = [
    r"\bUsage\b",
    r"\bOptions\b",
    r"\bCommands\b",
    r"\bArguments\b",
    r"Show this message",
    r"\[default",
    r"\brequired\b",
    r"\bError\b",
    r"\berror:",
    r"\bwarning\b",
    r"\bTry\b",
    r"<[a-z][\w\[\]]*>",
    r"No such",
    r"Missing",
    r"Invalid value",
    r"Possible options",
    r"Did you mean",
    r"does not exist",
    r"requires an argument",
    r"\bdone\b",
    r"\bselections?\b",
    r"<input>",
    r"\bPATH\b",
    r"\bFILE\b",
    r"\bFOLDER\b",
    r"\bAborted\b",
]
SWEDISH_WORDS = [
    r"Användning",
    r"Flaggor",
    r"Kommandon",
    r"\bArgument\b:",
    r"Visa den här",
    r"\[standard",
    r"\bkrävs\b",
    r"\bFel\b",
    r"\bfel:",
    r"\bSkriv\b",
    r"\bMAPP\b",
    r"\bFIL\b",
    r"\bSPRÅK\b",
    r"\boch\b",
    r"\bför\b",
    r"\bmed\b",
    r"\bfinns\b",
    r"Avbröt",
]


def commands() -> list[list[str]]:
    """Every command path: [], ["interview"], …, ["library", "check"], …"""
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    return paths


def has_lang(path: list[str]) -> bool:
    """Whether the command at ``path`` takes ``--lang`` (groups do not)."""
    command: object = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return any("--lang" in param.opts for param in command.params)  # type: ignore[attr-defined]


def found(patterns: list[str], text: str) -> list[str]:
    return [pattern for pattern in patterns if re.search(pattern, text)]


def test_typer_is_a_version_the_translation_is_checked_with() -> None:
    # The hooks (command classes, help records, Click's exception classes) are Typer 0.29's;
    # pyproject bounds typer <0.30. A newer Typer must be checked before the bound is raised.
    assert version("typer").startswith("0.29."), version("typer")


@pytest.mark.parametrize("path", commands(), ids=lambda path: " ".join(path) or "upphandla")
def test_help_is_swedish(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"], env={"UPPHANDLA_LANG": None})
    assert result.exit_code == 0, result.output
    assert "Användning: upphandla" in result.output
    assert found(ENGLISH_WORDS, result.output) == [], result.output


@pytest.mark.parametrize("path", commands(), ids=lambda path: " ".join(path) or "upphandla")
def test_help_is_english_on_request(path: list[str]) -> None:
    by_variable = runner.invoke(app, [*path, "--help"], env={"UPPHANDLA_LANG": "en"})
    assert by_variable.exit_code == 0, by_variable.output
    assert "Usage: upphandla" in by_variable.output
    assert found(SWEDISH_WORDS, by_variable.output) == [], by_variable.output
    if has_lang(path):
        by_option = runner.invoke(app, [*path, "--lang", "en", "--help"])
        assert by_option.output == by_variable.output


# Command lines that fail, with the exit code they keep.
ERRORS = [
    (["generate", "--answer", "x"], 2),
    (["generate", "--format"], 2),
    (["nosuch"], 2),
    (["library", "nosuch"], 2),
    (["evaluate"], 2),
    (["library", "init"], 2),
    (["explain", "extra-argument"], 2),
    (["interview", "--plain=yes"], 2),
    (["explain", "--answers", "does-not-exist.yaml"], 1),
    (["library", "check", "does-not-exist"], 1),
    (["explain", "--answers", str(EXAMPLE), "--set", "buyer_type=kommun"], 1),
    (["generate", "--answers", str(EXAMPLE), "--format", "pdf"], 2),
]


@pytest.mark.parametrize(("args", "code"), ERRORS, ids=lambda value: str(value))
def test_errors_are_swedish(
    args: list[str], code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args, env={"UPPHANDLA_LANG": None})
    assert result.exit_code == code, result.output
    assert found(ENGLISH_WORDS, result.output) == [], result.output


@pytest.mark.parametrize(("args", "code"), ERRORS, ids=lambda value: str(value))
def test_errors_are_english_on_request(
    args: list[str], code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, args, env={"UPPHANDLA_LANG": "en"})
    assert result.exit_code == code, result.output
    assert found(SWEDISH_WORDS, result.output) == [], result.output


def test_a_usage_error_names_the_options_in_swedish() -> None:
    result = runner.invoke(app, ["generate", "--answer", "x"], env={"UPPHANDLA_LANG": None})
    assert "Fel: Det finns ingen flagga --answer." in result.output
    assert "--answers" in result.output
    assert "Skriv 'upphandla generate --help' för hjälp." in result.output


def test_an_unknown_choice_names_labels_with_the_values_a_file_needs() -> None:
    result = runner.invoke(app, ["explain", "--answers", str(EXAMPLE), "--set", "buyer_type=xyz"])
    assert "Kommun (municipality)" in result.output
    assert "Statlig myndighet (state_agency)" in result.output


def test_every_help_text_has_an_english_text() -> None:
    root = typer.main.get_command(app)
    missing: list[str] = []

    def walk(command: object) -> None:
        texts = [getattr(command, "help", None)]
        texts += [getattr(param, "help", None) for param in getattr(command, "params", [])]
        texts += [getattr(param, "metavar", None) for param in getattr(command, "params", [])]
        for text in texts:
            swedish = text and re.search("[åäöÅÄÖ]|\\b(och|att|med|för|en|ett)\\b", text)
            if swedish and text not in ENGLISH:
                missing.append(text)
        for sub in getattr(command, "commands", {}).values():
            walk(sub)

    walk(root)
    assert missing == []


@pytest.mark.parametrize(
    ("args", "variable", "expected"),
    [
        (["generate"], None, "sv"),
        (["generate", "--lang", "en"], None, "en"),
        (["generate", "--lang=en"], None, "en"),
        (["generate"], "en", "en"),
        (["generate", "--lang", "sv"], "en", "sv"),
        (["generate", "--", "--lang", "en"], None, "sv"),
    ],
)
def test_the_interface_language_is_read_from_the_command_line(
    args: list[str], variable: str | None, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if variable is None:
        monkeypatch.delenv("UPPHANDLA_LANG", raising=False)
    else:
        monkeypatch.setenv("UPPHANDLA_LANG", variable)
    assert detect_language(args) == expected
