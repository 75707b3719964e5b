"""Lots (anbudsområden): the answers name them, the response form asks which lot a tender is for,
and ``evaluate`` ranks the tenders within each lot. One supplier may send one form per lot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from conftest import REPO
from corpus import FormEditor
from upphandla.cli.app import app

runner = CliRunner()
INCOME_SUPPORT = REPO / "examples" / "ekonomiskt-bistand.yaml"
LOTS = ["--set", "lots=Handläggningsstöd; Chattbot för invånare"]


@pytest.fixture(scope="module")
def blank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str], list[str]]:
    out = tmp_path_factory.mktemp("lots")
    result = runner.invoke(
        app,
        ["generate", "--answers", str(INCOME_SUPPORT), *LOTS, "--date", "2026-11-27",
         "--format", "docx,json", "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    selection = json.loads((out / "urval.json").read_text(encoding="utf-8"))
    ska = [r["id"] for r in selection["requirements"] if r["level"] == "ska"]
    bor = [r["id"] for r in selection["requirements"] if r["level"] == "bor"]
    return out / "svarsbilaga.docx", ska, bor


def fill(blank: tuple[Path, list[str], list[str]], target: Path, name: str, number: str,
         lot: str, price: str) -> Path:  # fmt: skip
    source, ska, bor = blank
    answers = {"supplier.name": name, "supplier.org_number": number, "supplier.price": price,
               "supplier.lot": lot}  # fmt: skip
    for identifier in ska + bor:
        answers[f"{identifier}.fulfilled"] = "Ja" if identifier in ska else "Nej"
    return FormEditor(source).fill(answers).save(target)


def evaluate(forms: list[Path], out: Path) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(
        app,
        ["evaluate", *(str(p) for p in forms), "--answers", str(INCOME_SUPPORT), *LOTS,
         "--date", "2026-12-15", "--out", str(out), "--format", "json,md"],
    )  # fmt: skip
    data = (
        json.loads((out / "utvardering.json").read_text(encoding="utf-8")) if out.exists() else {}
    )
    return result.exit_code, data, result.output


def test_tenders_are_ranked_within_each_lot(blank: Any, tmp_path: Path) -> None:
    forms = [
        fill(blank, tmp_path / "alfa-1.docx", "Alfa AB", "556000-0001", "Handläggningsstöd", "1 200 000"),
        fill(blank, tmp_path / "alfa-2.docx", "Alfa AB", "556000-0001", "Chattbot för invånare", "300 000"),
        fill(blank, tmp_path / "beta-1.docx", "Beta AB", "556000-0002", "handläggningsstöd", "1 000 000"),
        fill(blank, tmp_path / "gamma.docx", "Gamma AB", "556000-0003", "Båda", "900 000"),
    ]  # fmt: skip
    code, data, output = evaluate(forms, tmp_path / "ut")
    assert code == 4, output  # Gamma's lot is not one of the lots
    assert data["lots"] == ["Handläggningsstöd", "Chattbot för invånare"]
    got = [(s["name"], s["lot"], s["rank"], s["status"]) for s in data["suppliers"]]
    assert got == [
        ("Beta AB", "Handläggningsstöd", 1, "qualified"),
        ("Alfa AB", "Handläggningsstöd", 2, "qualified"),
        ("Alfa AB", "Chattbot för invånare", 1, "qualified"),
        ("Gamma AB", None, None, "to_review"),
    ]
    gamma = data["suppliers"][-1]
    assert [d["reason"] for d in gamma["lot_doubts"]] == ["not_plain"]
    assert "Anbudsområde" in output
    report = (tmp_path / "ut" / "utvardering.md").read_text(encoding="utf-8")
    assert (
        "**Anbudsområde: Handläggningsstöd.** Det kvalificerade anbud som står sig bäst" in report
    )
    assert "**Anbudsområde: Chattbot för invånare.**" in report
    assert "## 3.3 Alfa AB – Chattbot för invånare" in report
    assert "| Anbudsområde | Chattbot för invånare |" in report


def test_two_forms_from_one_supplier_for_the_same_lot_are_refused(
    blank: Any, tmp_path: Path
) -> None:
    first = fill(blank, tmp_path / "a.docx", "Alfa AB", "556000-0001", "Handläggningsstöd", "1")
    second = fill(blank, tmp_path / "b.docx", "Alfa AB", "556000-0001", "Handläggningsstöd", "2")
    code, _, output = evaluate([first, second], tmp_path / "ut")
    assert code == 1
    assert "Två svarsbilagor från samma leverantör" in output
    assert str(first) in output
    assert str(second) in output


def test_a_form_without_its_lot_is_to_review(blank: Any, tmp_path: Path) -> None:
    form = fill(blank, tmp_path / "a.docx", "Alfa AB", "556000-0001", "", "1 000 000")
    code, data, _ = evaluate([form], tmp_path / "ut")
    assert code == 4
    [alfa] = data["suppliers"]
    assert (alfa["status"], alfa["lot"]) == ("to_review", None)
    assert [d["reason"] for d in alfa["lot_doubts"]] == ["not_answered"]
